package terminal

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

const samplePersonalData = `{
	"BE:_Family_name": "МІЦКЕВІЧ", "RU:_Family_name": "МИЦКЕВИЧ", "LA:_Family_name": "MITSKEVICH",
	"BE:_Given_name": "ЯНКА", "RU:_Given_name": "ИВАН", "LA:_Given_name": "IVAN",
	"BE:_Middle_name": "ПЯТРОВІЧ", "RU:_Middle_name": "ПЕТРОВИЧ",
	"BE_Place_of_birth": "г. Мінск", "RU_Place_of_birth": "г. Минск",
	"Citizenship": "BLR", "Issuing_State": "BLR",
	"Date_of_issuance": "20210515", "Date_of_expiry": "20310514", "birth_date": "19850315",
	"Sex": "M", "ID": "3150385A001PB6", "Serial_Number": "590082394654",
	"Issuance_board": "Партизанское РУВД г. Минска", "Type": "IDC"
}`

func TestParsePersonalDataSample(t *testing.T) {
	d, err := ParsePersonalData([]byte(samplePersonalData))
	require.NoError(t, err)
	assert.Equal(t, PersonName{"МІЦКЕВІЧ", "ЯНКА", "ПЯТРОВІЧ"}, d.Belarusian)
	assert.Equal(t, PersonName{"МИЦКЕВИЧ", "ИВАН", "ПЕТРОВИЧ"}, d.Russian)
	assert.Equal(t, PersonName{"MITSKEVICH", "IVAN", ""}, d.Latin)
	assert.Equal(t, "г. Мінск", d.PlaceOfBirthBelarusian)
	assert.Equal(t, "г. Минск", d.PlaceOfBirthRussian)
	assert.Equal(t, "BLR", d.Citizenship)
	assert.Equal(t, "BLR", d.IssuingState)
	assert.Equal(t, CardDate{2021, 5, 15}, d.DateOfIssuance)
	assert.Equal(t, CardDate{2031, 5, 14}, d.DateOfExpiry)
	assert.Equal(t, CardDate{1985, 3, 15}, d.BirthDate)
	assert.Equal(t, ifyul.SexMale, d.Sex)
	assert.Equal(t, "3150385A001PB6", d.PersonalNumber.String())
	assert.Equal(t, "590082394654", d.DocumentNumber)
	assert.Equal(t, "Партизанское РУВД г. Минска", d.IssuanceBoard)
	assert.Equal(t, "IDC", d.DocumentType)
	assert.Empty(t, d.Extra)
}

func TestParsePersonalDataVariants(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, d *PersonalData)
	}{
		{"keys without colon", `{"BE_Family_name": "ІВАНОЎ", "LA_Given_name": "IVAN"}`,
			func(t *testing.T, d *PersonalData) {
				assert.Equal(t, "ІВАНОЎ", d.Belarusian.Family)
				assert.Equal(t, "IVAN", d.Latin.Given)
			}},
		{"both forms agreeing", `{"BE_Family_name": "ІВАНОЎ", "BE:_Family_name": "ІВАНОЎ"}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, "ІВАНОЎ", d.Belarusian.Family) }},
		{"unknown keys kept", `{"Photo": {"jpeg": "AAAA"}, "Height": 180}`,
			func(t *testing.T, d *PersonalData) {
				assert.JSONEq(t, `{"jpeg": "AAAA"}`, string(d.Extra["Photo"]))
				assert.Equal(t, json.RawMessage("180"), d.Extra["Height"])
			}},
		{"number date", `{"birth_date": 19850315}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, CardDate{1985, 3, 15}, d.BirthDate) }},
		{"unknown month and day", `{"birth_date": "1985    "}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, CardDate{Year: 1985}, d.BirthDate) }},
		{"ISO date", `{"Date_of_expiry": "2031-05-14"}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, CardDate{2031, 5, 14}, d.DateOfExpiry) }},
		{"dotted date", `{"Date_of_issuance": "15.05.2021"}`,
			func(t *testing.T, d *PersonalData) {
				assert.Equal(t, CardDate{2021, 5, 15}, d.DateOfIssuance)
			}},
		{"card prefixes", `{"ID": "PNOBY-3150385A001PB6", "Serial_Number": "IDCBY-590082394654"}`,
			func(t *testing.T, d *PersonalData) {
				assert.Equal(t, "3150385A001PB6", d.PersonalNumber.String())
				assert.Equal(t, "590082394654", d.DocumentNumber)
			}},
		{"Cyrillic sex", `{"Sex": "Ж"}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, ifyul.SexFemale, d.Sex) }},
		{"blank sex", `{"Sex": " "}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, ifyul.SexUnknown, d.Sex) }},
		{"null and empty values", `{"BE:_Middle_name": null, "RU:_Middle_name": "", "ID": null}`,
			func(t *testing.T, d *PersonalData) {
				assert.Empty(t, d.Belarusian.Middle)
				assert.Empty(t, d.Russian.Middle)
				assert.True(t, d.PersonalNumber.IsZero())
			}},
		{"empty object", `{}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, PersonalData{Extra: d.Extra}, *d) }},
		{"spaces trimmed", `{"RU:_Given_name": " ИВАН "}`,
			func(t *testing.T, d *PersonalData) { assert.Equal(t, "ИВАН", d.Russian.Given) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParsePersonalData([]byte(tc.input))
			require.NoError(t, err)
			tc.check(t, d)
		})
	}
}

func TestParsePersonalDataMalformed(t *testing.T) {
	tests := []struct {
		name, input, key string
		offset           int64
		want             string
	}{
		{"array", `["BE:_Family_name"]`, "", 0, "expected a JSON object"},
		{"string", `"data"`, "", 0, "expected a JSON object"},
		{"empty", ``, "", 0, "expected a JSON object"},
		{"truncated", `{"Sex": "M"`, "", 11, "malformed JSON"},
		{"missing value", `{"Sex": }`, "Sex", 1, "malformed JSON value"},
		{"trailing data", `{"Sex": "M"} {}`, "", 13, "unexpected data after the object"},
		{"duplicate key", `{"Sex": "M", "Sex": "M"}`, "Sex", 13, "key given twice"},
		{"conflicting forms", `{"BE:_Family_name": "А", "BE_Family_name": "Б"}`,
			"BE_Family_name", 26, `conflicts with "BE:_Family_name"`},
		{"object value", `{"RU:_Given_name": {"v": 1}}`, "RU:_Given_name", 1,
			"JSON object, expected a string"},
		{"bool value", `{"Type": true}`, "Type", 1, "JSON bool, expected a string"},
		{"short date", `{"birth_date": "198503"}`, "birth_date", 1, "expected YYYYMMDD"},
		{"impossible date", `{"Date_of_expiry": "20310230"}`, "Date_of_expiry", 1,
			"not a valid date"},
		{"unknown month in expiry", `{"Date_of_expiry": "2031    "}`, "Date_of_expiry", 1,
			"not a digit"},
		{"letters in date", `{"Date_of_issuance": "2021-0A-15"}`, "Date_of_issuance", 1,
			"not a digit"},
		{"bad sex", `{"Sex": "X"}`, "Sex", 1, `"X" is not M or F`},
		{"bad check digit", `{"ID": "3150385A001PB7"}`, "ID", 1, "invalid personal number"},
		{"short personal number", `{"ID": 12345}`, "ID", 1, "invalid personal number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePersonalData([]byte(tc.input))
			var pe *PersonalDataError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.key, pe.Key)
			assert.Equal(t, tc.offset, pe.Offset)
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "terminal: personal_data:")
		})
	}
}

func TestParsePersonalDataWrapsNumberError(t *testing.T) {
	_, err := ParsePersonalData([]byte(`{"ID": "3150385A001PB7"}`))
	assert.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
	assert.NotContains(t, err.Error(), "3150385A001PB7", "the error repeats the number")
}

func FuzzParsePersonalData(f *testing.F) {
	for _, seed := range []string{
		samplePersonalData,
		`{"BE_Family_name": "ІВАНОЎ", "BE:_Family_name": "ІВАНОЎ"}`,
		`{"birth_date": 19850315, "Sex": " ", "ID": null}`,
		`{"birth_date": "1985    ", "Date_of_expiry": "2031-05-14"}`,
		`{"Photo": {"jpeg": [1, 2]}, "ID": "PNOBY-3150385A001PB6"}`,
		`{"Sex": "M"} {}`,
		`{"Date_of_issuance": "15.05.2021"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := ParsePersonalData(in)
		if err != nil {
			var pe *PersonalDataError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *PersonalDataError", err)
			}
			if pe.Offset < 0 || pe.Offset > int64(len(in)) {
				t.Fatalf("offset %d outside input of %d bytes", pe.Offset, len(in))
			}
			return
		}
		if !d.PersonalNumber.IsZero() {
			if _, err := ifyul.ParsePersonalNumber(d.PersonalNumber.String()); err != nil {
				t.Fatalf("accepted personal number %q does not parse: %v", d.PersonalNumber, err)
			}
		}
		for _, date := range []CardDate{d.DateOfIssuance, d.DateOfExpiry} {
			if !date.IsZero() && (date.Month < 1 || date.Day < 1) {
				t.Fatalf("document date %+v is partial", date)
			}
		}
	})
}
