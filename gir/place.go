package gir

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// Place is a registered place of residence («место жительства») or of stay
// («место пребывания») as a register delivers it.
type Place struct {
	// Address holds what the register sent: the text, the identifier, the
	// parts, or several of them. When the register sent only the text, the
	// parts come from ParseAddress.
	Address Address `json:"address"`
	// RegisteredFrom and RegisteredUntil bound the registration at the place,
	// at midnight UTC; zero when not sent.
	RegisteredFrom  time.Time `json:"registered_from,omitzero"`
	RegisteredUntil time.Time `json:"registered_until,omitzero"`
	// Extra holds the members of the register's object that the schema does
	// not name, unchanged.
	Extra map[string]json.RawMessage `json:"extra,omitempty"`
}

// DecodePlace decodes a place with DefaultSchema. See Schema.DecodePlace.
func DecodePlace(raw json.RawMessage) (*Place, error) {
	return DefaultSchema.DecodePlace(raw)
}

// ResidencePlaceOf decodes the "residence_place" claim of a login with
// DefaultSchema. It returns ErrNoPlace when the provider sent none, for
// example because the "residence_place" scope was not granted.
func ResidencePlaceOf(id *ifyul.Identity) (*Place, error) {
	return DefaultSchema.decodePlace("residence_place", id.ResidencePlace, 0)
}

// StayPlaceOf decodes the place-of-stay claim of a login with DefaultSchema,
// looking it up in Identity.Claims under the names of
// DefaultSchema.Places.Stay. It returns ErrNoPlace when the provider sent
// none. NOTE: the provider is not known to send a place of stay at login, so
// the claim name "stay_place" is a guess.
func StayPlaceOf(id *ifyul.Identity) (*Place, error) {
	for _, name := range DefaultSchema.Places.Stay {
		if raw, ok := id.Claims[name]; ok {
			return DefaultSchema.decodePlace(name, raw, 0)
		}
	}
	return nil, ErrNoPlace
}

// DecodePlace decodes a place of residence or stay in any of these shapes:
//
//	{"full_address": "г. Минск, ул. Немига, д. 12"}   the shape seen in use
//	{"address_id": "1000000000012345"}                the identifier alone
//	{"locality_type": "г.", "locality": "Минск", ...} the parts
//	"г. Минск, ул. Немига, д. 12"                      the text alone
//	"1000000000012345" or 1000000000012345             the identifier alone
//
// An object may combine these members. Names come from s.Place. When any
// part is present, the address is built from the parts as sent; otherwise
// the text is parsed with ParseAddress. The identifier may be a JSON string
// or integer of digits, because a register may keep it as a number.
//
// Null, absent input, an empty object and an empty string mean the register
// holds no place: the result is a nil *Place and ErrNoPlace. Anything else
// that has none of the named members is an error. Members of the wrong type
// are errors naming the member and its byte offset in raw (*FieldError,
// wrapping ErrInvalidData). Members the schema does not name are kept in
// Place.Extra.
func (s *Schema) DecodePlace(raw json.RawMessage) (*Place, error) {
	return s.decodePlace("place", raw, 0)
}

func (s *Schema) decodePlace(object string, raw []byte, base int64) (*Place, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, ErrNoPlace
	}
	if err := checkJSON(object, raw, base); err != nil {
		return nil, err
	}
	offset := base + int64(skipSpace(raw, 0))
	switch trimmed[0] {
	case 'n':
		return nil, ErrNoPlace
	case '{':
		return s.decodePlaceObject(object, raw, base)
	case '"':
		var text string
		if err := json.Unmarshal(trimmed, &text); err != nil {
			return nil, syntaxError(object, err, offset, len(trimmed))
		}
		return placeFromText(object, text, offset)
	case '[', 't', 'f':
		return nil, &FieldError{Object: object, Offset: offset,
			Reason: "expected an object, a string or null, got " + jsonKind(trimmed)}
	}
	id, err := ParseAddressID(string(trimmed))
	if err != nil {
		return nil, &FieldError{Object: object, Offset: offset,
			Reason: "a number must be an address identifier: " + err.Error()}
	}
	return &Place{Address: Address{ID: id}}, nil
}

// placeFromText reads a bare string as an identifier when it is all digits,
// else as the address text.
func placeFromText(object, text string, offset int64) (*Place, error) {
	text = strings.TrimSpace(text)
	if id, err := ParseAddressID(text); err == nil {
		return &Place{Address: Address{ID: id}}, nil
	}
	address, err := parseAddressField(object, "", text, offset)
	if err != nil {
		return nil, err
	}
	return &Place{Address: address}, nil
}

func parseAddressField(object, field, text string, offset int64) (Address, error) {
	if text == "" {
		return Address{}, ErrNoPlace
	}
	address, err := ParseAddress(text)
	if err != nil {
		return Address{}, &FieldError{Object: object, Field: field, Offset: offset,
			Reason: err.Error()}
	}
	return address, nil
}

func (s *Schema) decodePlaceObject(object string, raw []byte, base int64) (*Place, error) {
	o, err := readObject(object, raw, base)
	if err != nil {
		return nil, err
	}
	if len(o.members) == 0 {
		return nil, ErrNoPlace
	}
	f := &s.Place

	var a Address
	if a, err = readAddressParts(o, f); err != nil {
		return nil, err
	}
	full, err := o.string(f.FullAddress)
	if err != nil {
		return nil, err
	}
	id, err := readAddressID(o, f.AddressID)
	if err != nil {
		return nil, err
	}
	place := &Place{}
	if place.RegisteredFrom, err = o.date(f.RegisteredFrom); err != nil {
		return nil, err
	}
	if place.RegisteredUntil, err = o.date(f.RegisteredUntil); err != nil {
		return nil, err
	}

	if !a.HasParts() && full != "" {
		_, m, _, _ := o.member(f.FullAddress)
		if a, err = parseAddressField(object, f.FullAddress[0], full, m.offset); err != nil {
			return nil, err
		}
	}
	a.FullAddress, a.ID = full, id
	place.Address = a
	place.Extra = o.extra()

	if a.IsZero() && place.RegisteredFrom.IsZero() && place.RegisteredUntil.IsZero() {
		if place.Extra == nil {
			return nil, ErrNoPlace
		}
		return nil, &FieldError{Object: object, Offset: base + int64(skipSpace(raw, 0)),
			Reason: "expected at least one of " + quoteNames(f.FullAddress, f.AddressID,
				f.Locality, f.Street) + ", got none"}
	}
	return place, nil
}

func readAddressParts(o *jsonObject, f *PlaceFields) (Address, error) {
	var a Address
	var localityType, streetType string
	fields := []struct {
		names FieldNames
		value *string
	}{
		{f.Postcode, &a.Postcode}, {f.Country, &a.Country}, {f.Region, &a.Region},
		{f.District, &a.District}, {f.Selsoviet, &a.Selsoviet},
		{f.LocalityType, &localityType}, {f.Locality, &a.Locality},
		{f.StreetType, &streetType}, {f.Street, &a.Street}, {f.House, &a.House},
		{f.Building, &a.Building}, {f.Flat, &a.Flat},
	}
	for _, field := range fields {
		value, err := o.string(field.names)
		if err != nil {
			return Address{}, err
		}
		*field.value = value
	}
	a.LocalityType = normalizeLocalityType(localityType)
	a.StreetType = normalizeStreetType(streetType)
	return a, nil
}

// readAddressID reads an identifier sent as a string or integer of digits.
func readAddressID(o *jsonObject, names FieldNames) (AddressID, error) {
	name, m, ok, err := o.member(names)
	if !ok || err != nil {
		return "", err
	}
	text := string(m.raw)
	switch m.raw[0] {
	case '"':
		if json.Unmarshal(m.raw, &text) != nil {
			return "", o.expected(name, m, "a string or integer of digits")
		}
		if text == "" {
			return "", nil
		}
	case '{', '[', 't', 'f':
		return "", o.expected(name, m, "a string or integer of digits")
	}
	id, err := ParseAddressID(text)
	if err != nil {
		return "", o.fail(name, m.offset, err.Error())
	}
	return id, nil
}

// normalizeLocalityType maps a known spelling to its LocalityType and keeps
// any other as sent.
func normalizeLocalityType(s string) LocalityType {
	if m, rest, ok := matchPrefix(s); ok && rest == "" && m.kind == partLocality {
		return m.locality
	}
	if m, rest, ok := matchPrefix(s); ok && rest == "" && m.kind == partHouseOrVillage {
		return LocalityVillage
	}
	return LocalityType(s)
}

// normalizeStreetType maps a known spelling to its StreetType and keeps any
// other as sent.
func normalizeStreetType(s string) StreetType {
	if m, rest, ok := matchPrefix(s); ok && rest == "" && m.kind == partStreet {
		return m.street
	}
	return StreetType(s)
}

// ResolveAddress fills the parts and text of a place that arrived as an
// identifier alone, through r. It does nothing when the place has no
// identifier or already has parts.
func (p *Place) ResolveAddress(ctx context.Context, r Resolver) error {
	if p.Address.ID == "" || p.Address.HasParts() {
		return nil
	}
	resolved, err := r.Resolve(ctx, p.Address.ID)
	if err != nil {
		return fmt.Errorf("gir: resolve address %s: %w", p.Address.ID, err)
	}
	id, full := p.Address.ID, p.Address.FullAddress
	p.Address = *resolved
	p.Address.ID = id
	if full != "" {
		p.Address.FullAddress = full
	}
	return nil
}
