package terminal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/esiful/sdk-go/ifyul"
)

// PersonName is a person's name in one language. The card has no Latin
// middle name.
type PersonName struct {
	Family, Given, Middle string
}

// PersonalData is the personal_data object that the КПСИС returns from
// request_dg, decoded. Fields whose keys were absent, null or empty stay
// zero.
//
// NOTE: the keys are those seen in public code of relying parties, the
// formats of their values are not public. Dates are read as YYYYMMDD (the
// card's form), YYYY-MM-DD or DD.MM.YYYY, and the prefixes "IDCBY-" and
// "PNOBY-" of the card's numbers are removed when present.
type PersonalData struct {
	// Belarusian, Russian and Latin are the names from the keys BE:_*,
	// RU:_* and LA:_* (Family_name, Given_name, Middle_name). The colon may
	// be missing, as in BE_Family_name.
	Belarusian, Russian, Latin PersonName
	// PlaceOfBirthBelarusian and PlaceOfBirthRussian are BE_Place_of_birth
	// and RU_Place_of_birth.
	PlaceOfBirthBelarusian, PlaceOfBirthRussian string
	// Citizenship and IssuingState are country codes, such as "BLR".
	Citizenship, IssuingState string
	// BirthDate is birth_date. Its month or day is 0 where the card marks
	// them unknown.
	BirthDate CardDate
	// DateOfIssuance and DateOfExpiry are the dates of the document.
	DateOfIssuance, DateOfExpiry CardDate
	Sex                          ifyul.Sex
	// PersonalNumber is ID, checked with ifyul.ParsePersonalNumber.
	PersonalNumber ifyul.PersonalNumber
	// DocumentNumber is Serial_Number, the number of the ID card.
	DocumentNumber string
	// DocumentType is Type, the kind of document.
	DocumentType string
	// IssuanceBoard is Issuance_board, the issuing authority, as sent.
	IssuanceBoard string
	// Extra holds the keys this package does not know, with their JSON
	// values, so that nothing the КПСИС sends is lost.
	Extra map[string]json.RawMessage
}

// PersonalDataError reports a malformed personal_data object: the key at
// fault, if any, and the byte offset in the object.
type PersonalDataError struct {
	Key    string
	Offset int64
	Msg    string
	Err    error
}

func (e *PersonalDataError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("terminal: personal_data: offset %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("terminal: personal_data: key %q at offset %d: %s", e.Key, e.Offset,
		e.Msg)
}

func (e *PersonalDataError) Unwrap() error { return e.Err }

// personalDataKeys lists the known keys in their form without a colon.
var personalDataKeys = map[string]bool{
	"BE_Family_name": true, "BE_Given_name": true, "BE_Middle_name": true,
	"RU_Family_name": true, "RU_Given_name": true, "RU_Middle_name": true,
	"LA_Family_name": true, "LA_Given_name": true, "LA_Middle_name": true,
	"BE_Place_of_birth": true, "RU_Place_of_birth": true,
	"Citizenship": true, "Issuing_State": true, "Date_of_issuance": true,
	"Date_of_expiry": true, "birth_date": true, "Sex": true, "ID": true,
	"Serial_Number": true, "Issuance_board": true, "Type": true,
}

// canonicalKey drops the colon of "BE:_", "RU:_" and "LA:_" and reports
// whether the key is known.
func canonicalKey(key string) (string, bool) {
	for _, lang := range []string{"BE", "RU", "LA"} {
		if rest, ok := strings.CutPrefix(key, lang+":_"); ok {
			key = lang + "_" + rest
			break
		}
	}
	return key, personalDataKeys[key]
}

// personalValue is a known key's value with where it was found.
type personalValue struct {
	key    string
	offset int64
	text   string
}

// ParsePersonalData decodes personal_data: a JSON object whose known keys
// hold strings (numbers are taken as their text, null as absent). The same
// key given twice, or with and without the colon and different values, is
// an error, as is a malformed date, sex or personal number.
func ParsePersonalData(b []byte) (*PersonalData, error) {
	values, extra, err := scanPersonalData(b)
	if err != nil {
		return nil, err
	}
	d := &PersonalData{Extra: extra}
	text := func(key string) string { return strings.TrimSpace(values[key].text) }
	d.Belarusian = PersonName{text("BE_Family_name"), text("BE_Given_name"),
		text("BE_Middle_name")}
	d.Russian = PersonName{text("RU_Family_name"), text("RU_Given_name"),
		text("RU_Middle_name")}
	d.Latin = PersonName{text("LA_Family_name"), text("LA_Given_name"), text("LA_Middle_name")}
	d.PlaceOfBirthBelarusian = text("BE_Place_of_birth")
	d.PlaceOfBirthRussian = text("RU_Place_of_birth")
	d.Citizenship = text("Citizenship")
	d.IssuingState = text("Issuing_State")
	d.DocumentType = text("Type")
	d.IssuanceBoard = text("Issuance_board")
	d.DocumentNumber = withoutCardPrefix(text("Serial_Number"))

	dates := []struct {
		key     string
		partial bool
		dst     *CardDate
	}{
		{"birth_date", true, &d.BirthDate},
		{"Date_of_issuance", false, &d.DateOfIssuance},
		{"Date_of_expiry", false, &d.DateOfExpiry},
	}
	for _, f := range dates {
		v, ok := values[f.key]
		if !ok {
			continue
		}
		if *f.dst, err = parsePersonalDate(v.text, f.partial); err != nil {
			return nil, &PersonalDataError{Key: v.key, Offset: v.offset, Msg: err.Error()}
		}
	}
	if v, ok := values["Sex"]; ok && strings.TrimSpace(v.text) != "" {
		if d.Sex, err = ifyul.ParseSex(v.text); err != nil {
			return nil, &PersonalDataError{Key: v.key, Offset: v.offset,
				Msg: fmt.Sprintf("%q is not M or F", v.text)}
		}
	}
	if v, ok := values["ID"]; ok {
		if d.PersonalNumber, err = ifyul.ParsePersonalNumber(withoutCardPrefix(v.text)); err != nil {
			return nil, &PersonalDataError{Key: v.key, Offset: v.offset,
				Msg: "invalid personal number", Err: err}
		}
	}
	return d, nil
}

// scanPersonalData reads the object key by key, so that errors can name the
// offset, and keeps the non-empty values of known keys by canonical key.
func scanPersonalData(b []byte) (map[string]personalValue, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	fail := func(key string, offset int64, format string, args ...any) error {
		return &PersonalDataError{Key: key, Offset: offset, Msg: fmt.Sprintf(format, args...)}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fail("", 0, "expected a JSON object")
	}

	values := map[string]personalValue{}
	extra := map[string]json.RawMessage{}
	seen := map[string]bool{}
	for dec.More() {
		offset := skipSeparators(b, dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fail("", offset, "malformed JSON: %v", err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fail(key, offset, "malformed JSON value: %v", err)
		}
		if seen[key] {
			return nil, nil, fail(key, offset, "key given twice")
		}
		seen[key] = true

		canonical, known := canonicalKey(key)
		if !known {
			extra[key] = raw
			continue
		}
		text, present, err := scalarText(raw)
		if err != nil {
			return nil, nil, fail(key, offset, "%v", err)
		}
		if prev, ok := values[canonical]; ok && present && prev.text != text {
			return nil, nil, fail(key, offset, "conflicts with %q", prev.key)
		}
		if present {
			values[canonical] = personalValue{key: key, offset: offset, text: text}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fail("", dec.InputOffset(), "malformed JSON: %v", err)
	}
	end := skipSeparators(b, dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, fail("", end, "unexpected data after the object")
	}
	return values, extra, nil
}

// skipSeparators returns the offset of the first byte at or after off that
// is not JSON white space, a comma or a colon: where the next token starts.
func skipSeparators(b []byte, off int64) int64 {
	for off < int64(len(b)) {
		switch b[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// scalarText returns the text of a string, untrimmed because a partial date
// holds spaces, or of a number, and false for null or a blank string.
func scalarText(raw json.RawMessage) (string, bool, error) {
	switch {
	case bytes.Equal(raw, []byte("null")):
		return "", false, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, strings.TrimSpace(s) != "", nil
	case raw[0] == '-' || ('0' <= raw[0] && raw[0] <= '9'):
		return string(raw), true, nil
	}
	return "", false, fmt.Errorf("JSON %s, expected a string", jsonKind(raw))
}

// withoutCardPrefix removes a card prefix such as "IDCBY-" or "PNOBY-":
// three letters, a two-letter country and a hyphen.
func withoutCardPrefix(s string) string {
	if len(s) > 6 && s[5] == '-' {
		for i := 0; i < 5; i++ {
			if s[i] < 'A' || s[i] > 'Z' {
				return s
			}
		}
		return s[6:]
	}
	return s
}

// parsePersonalDate reads YYYYMMDD, YYYY-MM-DD or DD.MM.YYYY. Partial
// allows the spaces of an unknown month or day in the first form.
func parsePersonalDate(s string, partial bool) (CardDate, error) {
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		s = s[0:4] + s[5:7] + s[8:10]
	case len(s) == 10 && s[2] == '.' && s[5] == '.':
		s = s[6:10] + s[3:5] + s[0:2]
	case len(s) != 8:
		return CardDate{}, fmt.Errorf("date %q, expected YYYYMMDD, YYYY-MM-DD or DD.MM.YYYY", s)
	}
	d, err := parseCardDate(s, partial)
	if err != nil {
		return CardDate{}, fmt.Errorf("date %q: %v", s, err)
	}
	return d, nil
}
