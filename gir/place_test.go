package gir

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

func TestDecodePlace(t *testing.T) {
	nemiga := Address{LocalityType: LocalityCity, Locality: "Минск",
		StreetType: StreetStreet, Street: "Немига", House: "12"}
	withText := func(a Address, full string) Address {
		a.FullAddress = full
		return a
	}
	tests := []struct {
		name string
		raw  string
		want *Place
	}{
		{
			name: "full address as seen in use",
			raw:  `{"full_address": "г. Минск, ул. Немига, д. 12"}`,
			want: &Place{Address: withText(nemiga, "г. Минск, ул. Немига, д. 12")},
		},
		{
			name: "identifier as a string",
			raw:  `{"address_id": "1000000000012345"}`,
			want: &Place{Address: Address{ID: "1000000000012345"}},
		},
		{
			name: "identifier as a number",
			raw:  `{"address_id": 1000000000012345}`,
			want: &Place{Address: Address{ID: "1000000000012345"}},
		},
		{
			name: "text and identifier",
			raw: `{"full_address": "г. Минск, ул. Немига, д. 12", "address_id": ` +
				`"1000000000012345"}`,
			want: &Place{Address: func() Address {
				a := withText(nemiga, "г. Минск, ул. Немига, д. 12")
				a.ID = "1000000000012345"
				return a
			}()},
		},
		{
			name: "parts with spelled-out types",
			raw: `{"region": "Гомельская", "locality_type": "город", "locality": "Гомель",
				"street_type": "проспект", "street": "Ленина", "house": "5", "flat": "17",
				"postcode": "246050"}`,
			want: &Place{Address: Address{Postcode: "246050", Region: "Гомельская",
				LocalityType: LocalityCity, Locality: "Гомель", StreetType: StreetAvenue,
				Street: "Ленина", House: "5", Flat: "17"}},
		},
		{
			name: "parts win over the text",
			raw:  `{"full_address": "как в регистре", "locality": "Минск", "locality_type": "д."}`,
			want: &Place{Address: Address{FullAddress: "как в регистре",
				LocalityType: LocalityVillage, Locality: "Минск"}},
		},
		{
			name: "unknown type kept as sent",
			raw:  `{"locality_type": "ст.", "locality": "Жодино"}`,
			want: &Place{Address: Address{LocalityType: "ст.", Locality: "Жодино"}},
		},
		{
			name: "registration dates",
			raw: `{"full_address": "г. Минск, ул. Немига, д. 12",
				"registered_from": "2015-03-01", "registered_until": "01.03.2030"}`,
			want: &Place{Address: withText(nemiga, "г. Минск, ул. Немига, д. 12"),
				RegisteredFrom:  time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC),
				RegisteredUntil: time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC)},
		},
		{
			name: "unknown members kept",
			raw: `{"full_address": "г. Минск, ул. Немига, д. 12", "soato": "5000000000", "x": ` +
				`[1]}`,
			want: &Place{Address: withText(nemiga, "г. Минск, ул. Немига, д. 12"),
				Extra: map[string]json.RawMessage{
					"soato": json.RawMessage(`"5000000000"`), "x": json.RawMessage(`[1]`)}},
		},
		{
			name: "bare string",
			raw:  `"г. Минск, ул. Немига, д. 12"`,
			want: &Place{Address: withText(nemiga, "г. Минск, ул. Немига, д. 12")},
		},
		{
			name: "bare identifier string",
			raw:  ` "1000000000012345" `,
			want: &Place{Address: Address{ID: "1000000000012345"}},
		},
		{
			name: "bare identifier number",
			raw:  `1000000000012345`,
			want: &Place{Address: Address{ID: "1000000000012345"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePlace(json.RawMessage(tt.raw))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodePlaceNone(t *testing.T) {
	for name, raw := range map[string]string{
		"absent": "", "null": "null", "spaces and null": " null ", "empty object": "{}",
		"empty string": `""`, "blank string": `"  "`, "null members": `{"full_address": null}`,
		"empty text member": `{"full_address": "", "address_id": ""}`,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodePlace(json.RawMessage(raw))
			assert.ErrorIs(t, err, ErrNoPlace)
			assert.Nil(t, got)
		})
	}
}

func TestDecodePlaceMalformed(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"number for the text", `{"full_address": 12}`,
			`gir: place: field "full_address" at offset 17: expected a string, got number`},
		{"object for a part", `{"locality": {"name": "Минск"}}`,
			`gir: place: field "locality" at offset 13: expected a string, got object`},
		{"boolean identifier", `{"address_id": true}`,
			`gir: place: field "address_id" at offset 15: expected a string or integer of ` +
				`digits, got boolean`},
		{"identifier with letters", `{"address_id": "12a45"}`,
			`gir: place: field "address_id" at offset 15: gir: invalid address identifier: ` +
				`character 'a' at byte 2 is not a digit`},
		{"negative identifier", `{"address_id": -12345}`,
			`gir: place: field "address_id" at offset 15: gir: invalid address identifier: ` +
				`character '-' at byte 0 is not a digit`},
		{"fractional identifier", `{"address_id": 12345.0}`,
			`gir: place: field "address_id" at offset 15: gir: invalid address identifier: ` +
				`character '.' at byte 5 is not a digit`},
		{"short identifier", `{"address_id": "12"}`,
			`gir: place: field "address_id" at offset 15: gir: invalid address identifier: 2 ` +
				`digits, expected 5 to 20`},
		{"bad date", `{"full_address": "г. Минск", "registered_from": "2015/03/01"}`,
			`gir: place: field "registered_from" at offset 54: "2015/03/01" is not a date in the ` +
				`form YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY`},
		{"number for a date", `{"registered_until": 20300301}`,
			`gir: place: field "registered_until" at offset 21: expected a date string, got ` +
				`number`},
		{"another shape", `{"addr": "г. Минск"}`,
			`gir: place at offset 0: expected at least one of "full_address", "address_id", ` +
				`"locality", "street", got none`},
		{"array", ` ["г. Минск"]`,
			`gir: place at offset 1: expected an object, a string or null, got array`},
		{"boolean", `true`,
			`gir: place at offset 0: expected an object, a string or null, got boolean`},
		{"number not an identifier", `1.5`,
			`gir: place at offset 0: a number must be an address identifier: gir: invalid ` +
				`address identifier: character '.' at byte 1 is not a digit`},
		{"duplicate member", `{"full_address": "a", "full_address": "b"}`,
			`gir: place: field "full_address" at offset 22: duplicate member`},
		{"truncated", `{"full_address": "г. Минск"`,
			`gir: place at offset 33: invalid JSON: unexpected end`},
		{"syntax error", `{"full_address" "x"}`,
			`gir: place at offset 16: invalid JSON: invalid character '"' after object key`},
		{"trailing data", `{"full_address": "x"} {}`,
			`gir: place at offset 22: unexpected data after the JSON value`},
		{"invalid UTF-8", "{\"full_address\": \"\xff\"}",
			`gir: place at offset 18: invalid UTF-8`},
		{"control character in the text", `{"full_address": "г. Минск\u0007"}`,
			`gir: place: field "full_address" at offset 17: gir: invalid address: control ` +
				`character U+0007 at offset 14`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePlace(json.RawMessage(tt.raw))
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, ErrInvalidData)
			var fe *FieldError
			assert.True(t, errors.As(err, &fe), "error is a *FieldError")
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestDecodePlaceCustomSchema(t *testing.T) {
	schema := defaultSchema()
	schema.Place.AddressID = FieldNames{"id", "addressId"}
	schema.Place.FullAddress = FieldNames{"text"}

	got, err := schema.DecodePlace(json.RawMessage(`{"addressId": "10000123", "text": "г. Минск"}`))
	require.NoError(t, err)
	assert.Equal(t, AddressID("10000123"), got.Address.ID)
	assert.Equal(t, "Минск", got.Address.Locality)

	_, err = schema.DecodePlace(json.RawMessage(`{"id": "10000123", "addressId": "10000124"}`))
	assert.EqualError(t, err,
		`gir: place: field "addressId" at offset 32: both "id" and "addressId" are present`)

	_, err = schema.DecodePlace(json.RawMessage(`{"full_address": "г. Минск"}`))
	assert.EqualError(t, err, `gir: place at offset 0: expected at least one of "text", `+
		`"id", "addressId", "locality", "street", got none`, "default names no longer apply")
}

func TestResidencePlaceOf(t *testing.T) {
	id := &ifyul.Identity{ResidencePlace: json.RawMessage(
		`{"full_address": "Брестская обл., г. Брест, пер. Кобринский, д. 3"}`)}
	place, err := ResidencePlaceOf(id)
	require.NoError(t, err)
	assert.Equal(t, "Брест", place.Address.Locality)
	assert.Equal(t, StreetLane, place.Address.StreetType)

	_, err = ResidencePlaceOf(&ifyul.Identity{ResidencePlace: json.RawMessage(`[]`)})
	assert.EqualError(t, err,
		"gir: residence_place at offset 0: expected an object, a string or null, got array")

	_, err = ResidencePlaceOf(&ifyul.Identity{})
	assert.ErrorIs(t, err, ErrNoPlace)
}

func TestStayPlaceOf(t *testing.T) {
	id := &ifyul.Identity{Claims: map[string]json.RawMessage{
		"stay_place": json.RawMessage(`{"address_id": "2000000000000409",
			"registered_until": "2026-09-01"}`)}}
	place, err := StayPlaceOf(id)
	require.NoError(t, err)
	assert.Equal(t, AddressID("2000000000000409"), place.Address.ID)
	assert.Equal(t, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), place.RegisteredUntil)

	_, err = StayPlaceOf(&ifyul.Identity{Claims: map[string]json.RawMessage{
		"stay_place": json.RawMessage(`{"full_address": false}`)}})
	assert.EqualError(t, err,
		`gir: stay_place: field "full_address" at offset 17: expected a string, got boolean`)

	_, err = StayPlaceOf(&ifyul.Identity{})
	assert.ErrorIs(t, err, ErrNoPlace)
}
