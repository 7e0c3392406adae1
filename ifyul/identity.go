package ifyul

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// PersonName is a person's name in one language. Any part may be empty.
type PersonName struct {
	Family     string `json:"family,omitempty"`
	Given      string `json:"given,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
}

// IsZero reports whether no part of the name is known.
func (n PersonName) IsZero() bool { return n == PersonName{} }

// String returns the parts that are known, family name first.
func (n PersonName) String() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{n.Family, n.Given, n.Patronymic} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// Names holds a person's name in the languages of Belarusian documents.
type Names struct {
	Russian    PersonName `json:"ru,omitzero"`
	Belarusian PersonName `json:"be,omitzero"`
	Latin      PersonName `json:"la,omitzero"`
}

// Identity is a person identified through ЕС ИФЮЛ: the verified claims of
// the ID token and userinfo as Go values.
type Identity struct {
	// Issuer is the provider that identified the person.
	Issuer string `json:"iss"`
	// Subject is the provider's identifier of the person ("sub").
	Subject string `json:"sub"`
	// PersonalNumber is the person's identification number (ИН).
	PersonalNumber PersonalNumber `json:"personal_number"`
	// Names holds the names in every language the provider sent.
	Names Names `json:"names"`
	// BirthDate is the date of birth at UTC midnight: from the birth date
	// claim when present, else from the personal number.
	BirthDate time.Time `json:"birth_date"`
	// Sex is from the sex claim when present, else from the personal number.
	Sex Sex `json:"sex"`
	// ResidencePlace is the "residence_place" claim as sent, or nil. The
	// provider delivers register data "as stored", so its shape varies.
	ResidencePlace json.RawMessage `json:"residence_place,omitempty"`
	// Claims holds every claim of the ID token and userinfo, userinfo
	// winning where both have one.
	Claims map[string]json.RawMessage `json:"claims"`
}

// DisplayName returns the name to greet the person with: Russian, else
// Belarusian, else Latin, else the personal number.
func (id *Identity) DisplayName() string {
	for _, n := range []PersonName{id.Names.Russian, id.Names.Belarusian, id.Names.Latin} {
		if !n.IsZero() {
			return n.String()
		}
	}
	return id.PersonalNumber.String()
}

// ResidenceAddress returns residence_place.full_address, the one field of
// the residence place seen in use, or "" when it is absent.
func (id *Identity) ResidenceAddress() string {
	var place struct {
		FullAddress string `json:"full_address"`
	}
	if json.Unmarshal(id.ResidencePlace, &place) != nil {
		return ""
	}
	return place.FullAddress
}

// newIdentity builds an Identity from the ID token's claims and the userinfo
// response. Both must already be verified or come from a verified channel.
func newIdentity(issuer string, tokenClaims, userinfo map[string]json.RawMessage,
	cm *ClaimMap) (*Identity, error) {

	claims := make(map[string]json.RawMessage, len(tokenClaims)+len(userinfo))
	for k, v := range tokenClaims {
		claims[k] = v
	}
	for k, v := range userinfo {
		claims[k] = v
	}
	r := claimReader{claims: claims}

	id := &Identity{Issuer: issuer, Claims: claims}
	id.Subject = rawString(tokenClaims["sub"])
	// OpenID Connect Core 5.3.2: the userinfo "sub" must equal the ID
	// token's. NOTE: a userinfo response without "sub" is accepted, because
	// the real provider's userinfo is not known to carry it.
	if raw, ok := userinfo["sub"]; ok && rawString(raw) != id.Subject {
		return nil, ErrSubjectChanged
	}

	number := r.string(cm.PersonalNumber)
	if r.err != nil {
		return nil, r.err
	}
	if number == "" {
		return nil, fmt.Errorf("%w: claim %q (personal number) missing",
			ErrInvalidIdentity, cm.PersonalNumber)
	}
	pn, err := ParsePersonalNumber(number)
	if err != nil {
		return nil, fmt.Errorf("%w: claim %q: %w", ErrInvalidIdentity, cm.PersonalNumber, err)
	}
	id.PersonalNumber = pn

	id.Names.Russian = r.name(cm.Russian)
	id.Names.Belarusian = r.name(cm.Belarusian)
	id.Names.Latin = r.name(cm.Latin)
	id.BirthDate = r.date(cm.BirthDate)
	if id.BirthDate.IsZero() {
		id.BirthDate = id.PersonalNumber.BirthDate()
	}
	id.Sex = r.sex(cm.Sex)
	if id.Sex == SexUnknown {
		id.Sex = id.PersonalNumber.Sex()
	}
	if raw, ok := claims[cm.ResidencePlace]; ok && string(raw) != "null" {
		id.ResidencePlace = raw
	}
	if r.err != nil {
		return nil, r.err
	}
	return id, nil
}

// claimReader reads typed claims, remembering the first type error so that
// the caller checks once.
type claimReader struct {
	claims map[string]json.RawMessage
	err    error
}

func (r *claimReader) string(name string) string {
	raw, ok := r.claims[name]
	if name == "" || !ok || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		r.fail(fmt.Errorf("%w: claim %q is not a string", ErrInvalidIdentity, name))
		return ""
	}
	return strings.TrimSpace(s)
}

func (r *claimReader) name(c NameClaims) PersonName {
	return PersonName{Family: r.string(c.Family), Given: r.string(c.Given),
		Patronymic: r.string(c.Patronymic)}
}

// date reads a date as "YYYY-MM-DD" (OpenID Connect) or "YYYYMMDD" (as the
// terminal module sends it).
func (r *claimReader) date(name string) time.Time {
	s := r.string(name)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.DateOnly, "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	r.fail(fmt.Errorf("%w: claim %q: %q is not a date", ErrInvalidIdentity, name, s))
	return time.Time{}
}

func (r *claimReader) sex(name string) Sex {
	s := r.string(name)
	if s == "" {
		return SexUnknown
	}
	// OpenID Connect allows gender values other than male and female; such
	// a value leaves the sex to the personal number rather than failing.
	sex, err := ParseSex(s)
	if err != nil {
		return SexUnknown
	}
	return sex
}

// rawString decodes a JSON string exactly, without trimming, for
// identifiers that must match byte for byte; anything else gives "".
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func (r *claimReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}
