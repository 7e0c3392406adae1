// Package persons holds the test persons of the fake ЕС ИФЮЛ stack: people
// with valid personal numbers, names in Belarusian, Russian and Latin, and
// registered places of residence. All of them are invented.
package persons

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/esiful/sdk-go/ifyul"
)

//go:embed persons.json
var defaultPersons []byte

// Name is a name in one language.
type Name struct {
	Family     string `json:"family"`
	Given      string `json:"given"`
	Patronymic string `json:"patronymic,omitempty"`
}

// Names holds a person's names by language: "be", "ru", "la".
type Names struct {
	Belarusian Name `json:"be"`
	Russian    Name `json:"ru"`
	Latin      Name `json:"la"`
}

// Place is a registered place of residence or stay as the register stores
// it.
type Place struct {
	FullAddress string `json:"full_address,omitempty"`
	AddressID   string `json:"address_id,omitempty"`
	// IDOnly makes the provider send the address identifier alone, as the
	// operator warns the real one may; the address register still knows
	// the full address.
	IDOnly bool `json:"id_only,omitempty"`
	// RegisteredFrom and RegisteredUntil are dates (YYYY-MM-DD), if known.
	RegisteredFrom  string `json:"registered_from,omitempty"`
	RegisteredUntil string `json:"registered_until,omitempty"`
}

// Person is one test person.
type Person struct {
	ID             int    `json:"id"`
	PersonalNumber string `json:"personal_number"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	Names          Names  `json:"names"`
	// ResidencePlace is nil for a person without a registered residence.
	ResidencePlace *Place `json:"residence_place,omitempty"`
	StayPlace      *Place `json:"stay_place,omitempty"`

	// Citizenship is an ICAO country code, such as "BLR".
	Citizenship  string     `json:"citizenship,omitempty"`
	PlaceOfBirth *Localized `json:"place_of_birth,omitempty"`
	// Representations are the organisations the person acts for, each
	// becoming an attribute certificate issued by the fake РУЦ.
	Representations []Representation `json:"representations,omitempty"`

	// Document is the person's ID card, or nil for a person without one.
	Document *Document `json:"document,omitempty"`
}

// Representation is a person's authority to act for an organisation, as
// an attribute certificate of БД АС records it. All values are invented.
type Representation struct {
	// UNP is the organisation's taxpayer number (УНП).
	UNP          string `json:"unp"`
	Organization string `json:"organization"`
	Position     string `json:"position"`
	// Role is an ASCII role code, such as "head", written as the URI
	// urn:esiful:role:<code> of the role attribute.
	Role        string       `json:"role"`
	Permissions []Permission `json:"permissions,omitempty"`
}

// Permission is an operation allowed on an object.
type Permission struct {
	Operation string `json:"operation"`
	Object    string `json:"object"`
}

// Subject returns the provider's stable identifier of the person.
func (p *Person) Subject() string { return fmt.Sprintf("fake-person-%d", p.ID) }

// Set is the list of test persons, looked up by ID.
type Set struct{ list []*Person }

// Default returns the built-in test persons.
func Default() *Set {
	s, err := Parse(defaultPersons)
	if err != nil {
		panic("persons: built-in fixture: " + err.Error())
	}
	return s
}

// Load reads a JSON fixture of persons from a file.
func Load(path string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse reads a JSON fixture, checking every personal number and that IDs
// are unique and positive.
func Parse(b []byte) (*Set, error) {
	var list []*Person
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("persons: %w", err)
	}
	seen := map[int]bool{}
	for i, p := range list {
		if p == nil {
			return nil, fmt.Errorf("persons: entry %d: null instead of a person", i)
		}
		if p.ID <= 0 || seen[p.ID] {
			return nil, fmt.Errorf("persons: entry %d: id %d is not positive or not unique", i, p.ID)
		}
		seen[p.ID] = true
		if _, err := ifyul.ParsePersonalNumber(p.PersonalNumber); err != nil {
			return nil, fmt.Errorf("persons: person %d: %w", p.ID, err)
		}
		if err := p.Document.check(); err != nil {
			return nil, fmt.Errorf("persons: person %d: %w", p.ID, err)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("persons: the fixture has no persons")
	}
	return &Set{list: list}, nil
}

// All returns the persons in fixture order.
func (s *Set) All() []*Person { return s.list }

// ByID returns the person with the ID, or nil.
func (s *Set) ByID(id int) *Person {
	for _, p := range s.list {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// BySubject returns the person with the subject, or nil.
func (s *Set) BySubject(sub string) *Person {
	for _, p := range s.list {
		if p.Subject() == sub {
			return p
		}
	}
	return nil
}
