package gir

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseAddress splits a Belarusian address, as the registers write it in
// "full_address", into its parts:
//
//	Гродненская обл., Гродненский р-н, Обуховский с/с, аг. Обухово, ул. Центральная, д. 8
//
// Parts are separated by commas and recognised by their markers, in Russian
// or Belarusian, abbreviated or in full, before or (for region, district,
// selsoviet and street) after the name. Case, repeated spaces and a missing
// space after a dotted marker ("д.12", "кв.45а") do not matter. A six-digit
// part is the postcode. «д.» means деревня before the locality and street
// and дом after them, or whenever a digit follows it. A bare number after
// the street or locality is the house number. Markers of the house,
// building and flat may also share one part ("д. 12 корп. 1 кв. 45").
//
// Parts that fit nowhere, or repeat a part already found, go to Unparsed in
// their original order, and parsing goes on. The error is non-nil only when
// the text cannot be read at all: it is blank, is not UTF-8 or contains a
// control character (ErrInvalidAddress, with the byte offset). FullAddress
// is set to full with surrounding white space removed.
func ParseAddress(full string) (Address, error) {
	if err := checkAddressText(full); err != nil {
		return Address{}, err
	}
	p := addressParser{a: Address{FullAddress: strings.TrimSpace(full)}}
	for _, part := range strings.Split(full, ",") {
		text := strings.Join(strings.Fields(part), " ")
		for text != "" {
			text = p.part(text)
		}
	}
	return p.a, nil
}

func checkAddressText(full string) error {
	for i, r := range full {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(full[i:]); size == 1 {
				return fmt.Errorf("%w: invalid UTF-8 at offset %d", ErrInvalidAddress, i)
			}
		}
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return fmt.Errorf("%w: control character %U at offset %d", ErrInvalidAddress, r, i)
		}
	}
	if strings.TrimSpace(full) == "" {
		return fmt.Errorf("%w: empty text", ErrInvalidAddress)
	}
	return nil
}

type addressParser struct {
	a Address
}

// part places one part and returns the text that remains when the part
// carries several house-level markers, or "".
func (p *addressParser) part(text string) string {
	if p.postcode(text) || p.country(text) {
		return ""
	}
	if m, value, ok := matchPrefix(text); ok {
		if rest, placed := p.place(m, value); placed {
			return rest
		}
	} else if m, value, ok := matchSuffix(text); ok {
		if _, placed := p.place(m, value); placed {
			return ""
		}
	} else if startsWithDigit(text) && p.a.House == "" &&
		(p.a.Street != "" || p.a.Locality != "") {
		p.a.House, text = splitHouseChain(text)
		return text
	}
	p.a.Unparsed = append(p.a.Unparsed, text)
	return ""
}

func (p *addressParser) postcode(text string) bool {
	if p.a.Postcode != "" || len(text) != 6 || strings.Trim(text, "0123456789") != "" {
		return false
	}
	p.a.Postcode = text
	return true
}

// countryNames lists the spellings of Belarus that may open an address.
var countryNames = []string{"Республика Беларусь", "Рэспубліка Беларусь", "Беларусь", "РБ",
	"Belarus", "Republic of Belarus"}

func (p *addressParser) country(text string) bool {
	if p.a.Country != "" {
		return false
	}
	for _, name := range countryNames {
		if n, ok := foldPrefix(text, name); ok && n == len(text) {
			p.a.Country = text
			return true
		}
	}
	return false
}

// place stores value in the part that m marks, unless that part is already
// known or the position rules out the marker. It returns the text left over
// by a chain of house-level markers.
func (p *addressParser) place(m marker, value string) (string, bool) {
	if value == "" {
		return "", false
	}
	a := &p.a
	rest := ""
	if m.kind.isHouseLevel() {
		value, rest = splitHouseChain(value)
	}

	switch m.kind {
	case partRegion:
		return "", setOnce(&a.Region, value)
	case partDistrict:
		return "", setOnce(&a.District, value)
	case partSelsoviet:
		return "", setOnce(&a.Selsoviet, value)
	case partLocality:
		if a.Locality != "" {
			return "", false
		}
		a.LocalityType, a.Locality = m.locality, value
		return "", true
	case partStreet:
		if a.Street != "" {
			return "", false
		}
		a.StreetType, a.Street = m.street, value
		return "", true
	case partHouseOrVillage:
		if startsWithDigit(value) {
			return rest, setOnce(&a.House, value)
		}
		if a.Locality != "" || a.Street != "" || a.House != "" {
			return "", false
		}
		// A village name, so the chain split above must be undone.
		a.LocalityType, a.Locality = LocalityVillage, joinChain(value, rest)
		return "", true
	case partHouse:
		return rest, setOnce(&a.House, value)
	case partBuilding:
		return rest, setOnce(&a.Building, value)
	case partFlat:
		return rest, setOnce(&a.Flat, value)
	}
	return "", false
}

func setOnce(field *string, value string) bool {
	if *field != "" {
		return false
	}
	*field = value
	return true
}

// splitHouseChain splits "12 корп. 1 кв. 45" into "12" and "корп. 1 кв. 45":
// the value ends where a house-level marker starts after a space.
func splitHouseChain(value string) (string, string) {
	for i := 0; i < len(value); i++ {
		if value[i] != ' ' {
			continue
		}
		rest := value[i+1:]
		m, next, ok := matchPrefix(rest)
		if !ok || !m.kind.isHouseLevel() || next == "" {
			continue
		}
		if m.kind == partHouseOrVillage && !startsWithDigit(next) {
			continue
		}
		return value[:i], rest
	}
	return value, ""
}

func joinChain(value, rest string) string {
	if rest == "" {
		return value
	}
	return value + " " + rest
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}
