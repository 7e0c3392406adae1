package ifyul

import (
	"fmt"
	"strings"
)

// Sex is a person's sex as recorded in the population register and on the ID card.
// The zero value is SexUnknown.
type Sex int

// Values of Sex.
const (
	SexUnknown Sex = iota
	SexMale
	SexFemale
)

// String returns "male", "female" or "unknown", and "Sex(n)" for any other value.
func (s Sex) String() string {
	switch s {
	case SexUnknown:
		return "unknown"
	case SexMale:
		return "male"
	case SexFemale:
		return "female"
	}
	return fmt.Sprintf("Sex(%d)", int(s))
}

// ParseSex parses the sex codes used on Belarusian documents: "M" or "Male" for male and
// "F" or "Female" for female in Latin letters, and Cyrillic "М" (мужской) or "Ж" (женский).
// Case and surrounding white space are ignored. Any other value, including "unknown" and the
// empty string, is an error.
func ParseSex(s string) (Sex, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "m", "male", "м":
		return SexMale, nil
	case "f", "female", "ж":
		return SexFemale, nil
	}
	return SexUnknown, fmt.Errorf("ifyul: invalid sex %q: want M, F, Male, Female, М or Ж", s)
}

// MarshalText encodes s as its String form, so that JSON holds "male", "female" or
// "unknown". It returns an error for values other than the three constants.
func (s Sex) MarshalText() ([]byte, error) {
	if s < SexUnknown || s > SexFemale {
		return nil, fmt.Errorf("ifyul: invalid sex value %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes what ParseSex accepts, and also "unknown" and the empty string as
// SexUnknown, so that every value MarshalText writes can be read back.
func (s *Sex) UnmarshalText(text []byte) error {
	value := strings.ToLower(strings.TrimSpace(string(text)))
	if value == "" || value == "unknown" {
		*s = SexUnknown
		return nil
	}

	parsed, err := ParseSex(string(text))
	if err != nil {
		return err
	}
	*s = parsed
	return nil
}
