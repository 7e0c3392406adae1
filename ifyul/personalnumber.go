package ifyul

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// personalNumberLength is the number of characters in a personal number.
const personalNumberLength = 14

// regionLetters lists the letters that ParsePersonalNumber accepts at position 8.
const regionLetters = "ABCKEMH"

// ErrInvalidPersonalNumber is the sentinel that every *PersonalNumberError wraps, so callers
// can test for a malformed personal number with errors.Is.
var ErrInvalidPersonalNumber = errors.New("ifyul: invalid personal number")

// PersonalNumberError describes why a personal number is invalid. Reason names only the
// characters at fault, never the whole number, so the error is safe to log.
type PersonalNumberError struct {
	// Position is the 1-based position of the first wrong character, counted after
	// surrounding white space is trimmed. It is 0 when the length is wrong.
	Position int
	// Reason is a lowercase phrase such as `region letter "X" is not one of A B C K E M H`.
	Reason string
}

// Error returns the reason, prefixed by "ifyul: invalid personal number" and the position.
func (e *PersonalNumberError) Error() string {
	if e.Position == 0 {
		return "ifyul: invalid personal number: " + e.Reason
	}
	return fmt.Sprintf("ifyul: invalid personal number: position %d: %s", e.Position, e.Reason)
}

// Unwrap returns ErrInvalidPersonalNumber.
func (e *PersonalNumberError) Unwrap() error {
	return ErrInvalidPersonalNumber
}

func invalidAt(position int, format string, args ...any) *PersonalNumberError {
	return &PersonalNumberError{Position: position, Reason: fmt.Sprintf(format, args...)}
}

// PersonalNumber is a personal identification number («идентификационный номер», ИН) of
// 14 characters, such as 3150385A001PB6:
//
//	position 1      century-and-sex digit: 1-2 born in the 1800s, 3-4 in the 1900s, 5-6 in
//	                the 2000s, odd for male and even for female
//	positions 2-7   birth date DDMMYY
//	position 8      region letter, one of A B C K E M H
//	positions 9-11  sequence number, three digits
//	positions 12-13 citizenship code, one of PB BA BI
//	position 14     check digit
//
// The zero value contains no number, and IsZero reports it. A non-zero PersonalNumber passed every
// check of ParsePersonalNumber. PersonalNumber values are comparable with ==.
//
// A personal number is personal data: do not log it in full. LogValue masks it for log/slog,
// but String, fmt and MarshalText give the whole number.
type PersonalNumber struct {
	value string
}

// ParsePersonalNumber parses s and checks every rule of the format: the century-and-sex
// digit, a birth date that exists in the calendar, the region letter, the citizenship code
// and the check digit.
//
// Surrounding white space is trimmed and Latin letters are upper-cased. Every character
// outside ASCII is rejected. People often type Cyrillic look-alikes such as А, В, С, Е, К, М,
// Н and Р in place of the Latin letters, so the error for one of them at a letter position
// names the Latin letter to type instead.
//
// Errors are of type *PersonalNumberError and wrap ErrInvalidPersonalNumber.
//
// NOTE: the rules come from public validators, not from a published specification. A number
// that real systems issue may fail the birth-date check. ValidPersonalNumberChecksum checks
// only the characters and the check digit, for callers that must accept such numbers.
func ParsePersonalNumber(s string) (PersonalNumber, error) {
	chars, err := normalizePersonalNumber(s)
	if err != nil {
		return PersonalNumber{}, err
	}
	if err := checkPersonalNumberFields(&chars); err != nil {
		return PersonalNumber{}, err
	}
	if err := checkCheckDigit(&chars); err != nil {
		return PersonalNumber{}, err
	}
	return PersonalNumber{value: string(chars[:])}, nil
}

// ValidPersonalNumberChecksum reports whether s, normalized as ParsePersonalNumber does, has
// 14 characters, the first 13 Latin letters or digits, and a 14th that is their check digit.
// The century digit, birth date, region and citizenship are not checked, so
// "0000000A000PB2" is valid here but rejected by ParsePersonalNumber.
func ValidPersonalNumberChecksum(s string) bool {
	chars, err := normalizePersonalNumber(s)
	if err != nil {
		return false
	}
	for _, c := range chars[:personalNumberLength-1] {
		if !isDigit(c) && !isUpperLatin(c) {
			return false
		}
	}
	return checkCheckDigit(&chars) == nil
}

// NewPersonalNumber builds a valid personal number from its parts and computes the check
// digit. The birth date is the calendar date of birthDate in its own location, and its year
// must be from 1800 to 2099. sex must be SexMale or SexFemale, and sequence from 0 to 999.
func NewPersonalNumber(
	birthDate time.Time, sex Sex, region byte, sequence int, citizenship string,
) (PersonalNumber, error) {
	year, month, day := birthDate.Date()
	if year < 1800 || year > 2099 {
		return PersonalNumber{}, invalidAt(1, "birth year %d is not 1800 to 2099", year)
	}
	if sex != SexMale && sex != SexFemale {
		return PersonalNumber{}, invalidAt(1, "sex %s cannot be encoded, want male or female", sex)
	}
	if strings.IndexByte(regionLetters, region) < 0 {
		return PersonalNumber{}, invalidAt(8, "region letter %q is not one of A B C K E M H",
			string(rune(region)))
	}
	if sequence < 0 || sequence > 999 {
		return PersonalNumber{}, invalidAt(9, "sequence number %d is not 0 to 999", sequence)
	}
	if !isCitizenshipCode(citizenship) {
		return PersonalNumber{}, invalidAt(12, "citizenship code %q is not one of PB BA BI",
			citizenship)
	}

	centuryAndSex := (year-1800)/100*2 + 1
	if sex == SexFemale {
		centuryAndSex++
	}
	draft := fmt.Sprintf("%d%02d%02d%02d%c%03d%s",
		centuryAndSex, day, int(month), year%100, region, sequence, citizenship)

	var chars [personalNumberLength]byte
	copy(chars[:], draft)
	chars[personalNumberLength-1] = computeCheckDigit(&chars)
	return ParsePersonalNumber(string(chars[:]))
}

// String returns the 14 characters of the number, or "" for the zero value.
func (n PersonalNumber) String() string {
	return n.value
}

// IsZero reports whether n is the zero value, which contains no number.
func (n PersonalNumber) IsZero() bool {
	return n.value == ""
}

// BirthDate returns the birth date at midnight UTC, or the zero time for the zero value.
func (n PersonalNumber) BirthDate() time.Time {
	if n.IsZero() {
		return time.Time{}
	}
	year, month, day := decodeBirthDate(n.value)
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Sex returns the sex that the first digit encodes, or SexUnknown for the zero value.
func (n PersonalNumber) Sex() Sex {
	switch {
	case n.IsZero():
		return SexUnknown
	case (n.value[0]-'0')%2 == 1:
		return SexMale
	default:
		return SexFemale
	}
}

// Region returns the region letter at position 8, one of A B C K E M H, or 0 for the zero
// value.
//
// NOTE: this package does not map letters to regions, because no authoritative public list
// of the mapping was found.
func (n PersonalNumber) Region() byte {
	if n.IsZero() {
		return 0
	}
	return n.value[7]
}

// Citizenship returns the citizenship code at positions 12-13 (PB, BA or BI), or "" for the
// zero value.
func (n PersonalNumber) Citizenship() string {
	if n.IsZero() {
		return ""
	}
	return n.value[11:13]
}

// LogValue implements slog.LogValuer, so that log/slog writes the number masked: ten
// asterisks and the last four characters (one sequence digit, the citizenship code and the
// check digit).
func (n PersonalNumber) LogValue() slog.Value {
	if n.IsZero() {
		return slog.StringValue("")
	}
	masked := strings.Repeat("*", personalNumberLength-4) + n.value[personalNumberLength-4:]
	return slog.StringValue(masked)
}

// MarshalText returns the 14 characters of the number. Like net/netip.Addr, the zero value
// encodes as empty text.
func (n PersonalNumber) MarshalText() ([]byte, error) {
	return []byte(n.value), nil
}

// UnmarshalText parses text with ParsePersonalNumber. Empty text decodes to the zero value
// without an error, so that MarshalText output always reads back. Callers that require a
// number check IsZero.
func (n *PersonalNumber) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*n = PersonalNumber{}
		return nil
	}
	parsed, err := ParsePersonalNumber(string(text))
	if err != nil {
		return err
	}
	*n = parsed
	return nil
}

// normalizePersonalNumber trims white space, checks the length in characters, upper-cases
// Latin letters and rejects every character outside ASCII.
func normalizePersonalNumber(s string) ([personalNumberLength]byte, error) {
	var chars [personalNumberLength]byte
	s = strings.TrimSpace(s)
	if s == "" {
		return chars, &PersonalNumberError{Reason: "empty, want 14 characters"}
	}
	if length := utf8.RuneCountInString(s); length != personalNumberLength {
		return chars, &PersonalNumberError{
			Reason: fmt.Sprintf("length is %d characters, want 14", length),
		}
	}

	for offset, index := 0, 0; offset < len(s); index++ {
		r, size := utf8.DecodeRuneInString(s[offset:])
		if r >= utf8.RuneSelf {
			return chars, nonASCIIError(index+1, r, size, s[offset])
		}
		chars[index] = toUpperLatin(byte(r))
		offset += size
	}
	return chars, nil
}

// cyrillicLookalikes maps upper-case Cyrillic letters to the Latin letters they resemble.
var cyrillicLookalikes = map[rune]byte{
	'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'К': 'K',
	'М': 'M', 'О': 'O', 'Р': 'P', 'Т': 'T', 'Х': 'X',
}

// nonASCIIError explains a character outside ASCII at position. A look-alike gets a hint
// only where a letter belongs, because a Cyrillic О among the digits is more likely a zero.
func nonASCIIError(position int, r rune, size int, first byte) *PersonalNumberError {
	if r == utf8.RuneError && size == 1 {
		return invalidAt(position, "byte 0x%02X is not valid UTF-8", first)
	}
	if !unicode.Is(unicode.Cyrillic, r) {
		return invalidAt(position, "character %q (%U) is not a Latin letter or digit",
			string(r), r)
	}
	latin, ok := cyrillicLookalikes[unicode.ToUpper(r)]
	if ok && (position == 8 || position == 12 || position == 13) {
		return invalidAt(position, "Cyrillic letter %q is not allowed, type the Latin letter %q",
			string(r), string(latin))
	}
	return invalidAt(position, "Cyrillic letter %q is not allowed, use Latin letters and digits",
		string(r))
}

// checkPersonalNumberFields checks positions 1 to 13 from left to right and returns the
// first error.
func checkPersonalNumberFields(c *[personalNumberLength]byte) error {
	if !isDigit(c[0]) {
		return invalidAt(1, "century-and-sex digit %q is not a digit", string(c[0]))
	}
	if c[0] < '1' || c[0] > '6' {
		return invalidAt(1, "century-and-sex digit %q is not one of 1 to 6", string(c[0]))
	}
	for i := 1; i <= 6; i++ {
		if !isDigit(c[i]) {
			return invalidAt(i+1, "birth date character %q is not a digit", string(c[i]))
		}
	}
	if err := checkBirthDate(c); err != nil {
		return err
	}

	if strings.IndexByte(regionLetters, c[7]) < 0 {
		return invalidAt(8, "region letter %q is not one of A B C K E M H", string(c[7]))
	}
	for i := 8; i <= 10; i++ {
		if !isDigit(c[i]) {
			return invalidAt(i+1, "sequence number character %q is not a digit", string(c[i]))
		}
	}

	for i := 11; i <= 12; i++ {
		if !isUpperLatin(c[i]) {
			return invalidAt(i+1, "citizenship code character %q is not a Latin letter",
				string(c[i]))
		}
	}
	if code := string(c[11:13]); !isCitizenshipCode(code) {
		return invalidAt(12, "citizenship code %q is not one of PB BA BI", code)
	}
	return nil
}

func isCitizenshipCode(code string) bool {
	return code == "PB" || code == "BA" || code == "BI"
}

// checkBirthDate checks that positions 2-7, already known to be digits, form a date that
// exists in the century that position 1 gives.
func checkBirthDate(c *[personalNumberLength]byte) error {
	year, month, day := decodeBirthDate(string(c[:]))
	if month < 1 || month > 12 {
		return invalidAt(4, "birth month %q is not 01 to 12", string(c[3:5]))
	}
	// Day 0 of the next month normalizes to the last day of this one.
	lastDay := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day >= 1 && day <= lastDay {
		return nil
	}
	if month == 2 && day == 29 {
		return invalidAt(2, `birth day "29" does not exist in February of a non-leap year`)
	}
	return invalidAt(2, "birth day %q does not exist in month %s", string(c[1:3]), string(c[3:5]))
}

// decodeBirthDate reads the date from positions 1-7, which must be digits, with position 1
// from 1 to 6. The month and day are not checked.
func decodeBirthDate(s string) (year, month, day int) {
	century := 1800 + int(s[0]-'1')/2*100
	day = twoDigits(s[1], s[2])
	month = twoDigits(s[3], s[4])
	year = century + twoDigits(s[5], s[6])
	return year, month, day
}

// checkCheckDigit compares position 14 with the check digit of positions 1-13, which must
// be digits or upper-case Latin letters. The error does not give the expected digit, because
// a mismatch usually means a typo elsewhere, and changing the last digit would hide it.
func checkCheckDigit(c *[personalNumberLength]byte) error {
	last := c[personalNumberLength-1]
	if !isDigit(last) {
		return invalidAt(personalNumberLength, "check digit %q is not a digit", string(last))
	}
	if last != computeCheckDigit(c) {
		return invalidAt(personalNumberLength,
			"check digit %q does not match the first 13 characters", string(last))
	}
	return nil
}

// computeCheckDigit weights positions 1-13 by 7, 3, 1 repeating, with digits worth 0-9 and
// letters A=10 to Z=35, and returns the sum modulo 10 as an ASCII digit.
func computeCheckDigit(c *[personalNumberLength]byte) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i, ch := range c[:personalNumberLength-1] {
		value := int(ch - '0')
		if isUpperLatin(ch) {
			value = int(ch-'A') + 10
		}
		sum += value * weights[i%3]
	}
	return byte('0' + sum%10)
}

func twoDigits(tens, ones byte) int {
	return int(tens-'0')*10 + int(ones-'0')
}

func isDigit(c byte) bool {
	return c >= '0' && c <= '9'
}

func isUpperLatin(c byte) bool {
	return c >= 'A' && c <= 'Z'
}

func toUpperLatin(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
