package gir

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func FuzzParseAddress(f *testing.F) {
	for _, seed := range []string{
		"г. Минск, ул. Немига, д. 12, корп. 1, кв. 45",
		"Могилёвская обл., Белыничский р-н, д. Вишов, ул. Садовая, д. 21",
		"220030, г.Минск, пр-т Независимости, д.12/2 корп.1 кв.45а",
		"Мінская вобл., Мінскі р-н, в. Сеніца, вул. Садовая, д. 1",
		"д. д. д., кв-л кв. кв, ,,, г.п. г. п.",
		"İ\u0130 Ленина пр-т",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, full string) {
		a, err := ParseAddress(full)
		if err != nil {
			if !errors.Is(err, ErrInvalidAddress) {
				t.Fatalf("error does not wrap ErrInvalidAddress: %v", err)
			}
			return
		}
		if a.FullAddress != strings.TrimSpace(full) {
			t.Fatalf("FullAddress %q, expected the trimmed input", a.FullAddress)
		}
		for _, part := range a.Unparsed {
			if part == "" || strings.TrimSpace(part) != part {
				t.Fatalf("unparsed part %q is empty or not trimmed", part)
			}
		}

		// What Format writes, ParseAddress must read back into the same parts.
		// Unparsed parts move to the end, where they may read differently,
		// and so may names that look like markers themselves.
		formatted := a.Format()
		if formatted == "" || len(a.Unparsed) > 0 || hasMarkerName(&a) {
			return
		}
		back, err := ParseAddress(formatted)
		if err != nil {
			t.Fatalf("ParseAddress(%q) of Format: %v", formatted, err)
		}
		a.FullAddress, back.FullAddress = "", ""
		if !equalAddress(a, back) {
			t.Fatalf("round trip through %q:\n got %+v\nwant %+v", formatted, back, a)
		}
	})
}

// hasMarkerName reports whether a name of the address starts or ends with
// an address marker.
func hasMarkerName(a *Address) bool {
	for _, name := range []string{a.Region, a.District, a.Selsoviet, a.Locality, a.Street,
		a.House, a.Building, a.Flat} {
		if _, _, ok := matchPrefix(name); ok {
			return true
		}
		if _, _, ok := matchSuffix(name); ok {
			return true
		}
	}
	return false
}

func equalAddress(a, b Address) bool {
	return reflect.DeepEqual(a, b)
}

// checkDecodeError fails unless err is ErrNoPlace or a *FieldError whose
// offset lies within raw.
func checkDecodeError(t *testing.T, raw []byte, err error) {
	t.Helper()
	if errors.Is(err, ErrNoPlace) {
		return
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error is not a *FieldError: %v", err)
	}
	if fe.Offset < 0 || fe.Offset > int64(len(raw)) {
		t.Fatalf("offset %d outside the input of %d bytes: %v", fe.Offset, len(raw), err)
	}
}

func FuzzDecodePlace(f *testing.F) {
	for _, seed := range []string{
		`{"full_address": "г. Минск, ул. Немига, д. 12"}`,
		`{"address_id": 1000000000012345, "registered_from": "20150301"}`,
		`{"locality_type": "аг.", "locality": "Обухово", "house": "8", "soato": [1, {"a": null}]}`,
		`"Брестская обл., г. Брест, пер. Кобринский, д. 3"`,
		`1000000000012345`, `null`, `{}`, `[]`, `{"full_address": 1}`, "{\"x\": \"\xff\"}",
		`{"a": 1, "a": 2}`, ` {"full_address": "x"} {} `,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		place, err := DecodePlace(raw)
		if err != nil {
			if place != nil {
				t.Fatalf("non-nil place with error %v", err)
			}
			checkDecodeError(t, raw, err)
			return
		}
		if place == nil || place.Address.IsZero() && place.RegisteredFrom.IsZero() &&
			place.RegisteredUntil.IsZero() {
			t.Fatalf("empty place without ErrNoPlace: %+v", place)
		}
		if _, err := json.Marshal(place); err != nil {
			t.Fatalf("decoded place does not encode: %v", err)
		}
	})
}

func FuzzDecodePersonalData(f *testing.F) {
	for _, seed := range []string{
		personalDataJSON,
		`{"ID": "3150385A001PB6", "deceased": true, "death_date": "01.02.2024"}`,
		`{"BE:_Given_name": "Іван", "BE_Given_name": "Іван"}`,
		`{"Sex": "Ж", "birth_date": "1985-03-15", "Date_of_expiry": 20310610}`,
		`{"surname": "Иванов"}`, `[]`, `null`, ``, `{"ID": "3150385X001PB6"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		data, err := DecodePersonalData(raw)
		if err != nil {
			if data != nil {
				t.Fatalf("non-nil data with error %v", err)
			}
			if errors.Is(err, ErrNoPlace) {
				t.Fatalf("personal data decoder returned ErrNoPlace")
			}
			checkDecodeError(t, raw, err)
			return
		}
		if !data.DeathDate.IsZero() && !data.Deceased {
			t.Fatalf("death date %v without the death mark", data.DeathDate)
		}
		if _, err := json.Marshal(data); err != nil {
			t.Fatalf("decoded data does not encode: %v", err)
		}
	})
}
