package gir

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

const personalDataJSON = `{
	"ID": "3150385A001PB6",
	"RU:_Family_name": "Иванов", "RU:_Given_name": "Иван", "RU:_Middle_name": "Иванович",
	"BE_Family_name": "Іваноў", "BE_Given_name": "Іван", "BE_Middle_name": "Іванавіч",
	"LA:_Family_name": "IVANOU", "LA:_Given_name": "IVAN",
	"birth_date": "19850315",
	"RU_Place_of_birth": "г. Минск", "BE_Place_of_birth": "г. Мінск",
	"Sex": "M", "Citizenship": "BLR",
	"Type": "ID", "Serial_Number": "MP1234567", "Date_of_issuance": "20210610",
	"Issuance_board": "Московский РУВД г. Минска", "Issuing_State": "BLR",
	"Date_of_expiry": "2031-06-10",
	"registration_office": "ГУВД"
}`

func TestDecodePersonalData(t *testing.T) {
	got, err := DecodePersonalData(json.RawMessage(personalDataJSON))
	require.NoError(t, err)

	pn, err := ifyul.ParsePersonalNumber("3150385A001PB6")
	require.NoError(t, err)
	date := func(year int, month time.Month, day int) time.Time {
		return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	}
	want := &PersonalData{
		PersonalNumber: pn,
		Names: ifyul.Names{
			Russian:    ifyul.PersonName{Family: "Иванов", Given: "Иван", Patronymic: "Иванович"},
			Belarusian: ifyul.PersonName{Family: "Іваноў", Given: "Іван", Patronymic: "Іванавіч"},
			Latin:      ifyul.PersonName{Family: "IVANOU", Given: "IVAN"},
		},
		BirthDate:   date(1985, 3, 15),
		BirthPlace:  BirthPlace{Russian: "г. Минск", Belarusian: "г. Мінск"},
		Sex:         ifyul.SexMale,
		Citizenship: "BLR",
		Document: IdentityDocument{Type: "ID", Number: "MP1234567", IssueDate: date(2021, 6, 10),
			Issuer: "Московский РУВД г. Минска", IssuingState: "BLR",
			ExpiryDate: date(2031, 6, 10)},
		Extra: map[string]json.RawMessage{"registration_office": json.RawMessage(`"ГУВД"`)},
	}
	assert.Equal(t, want, got)
}

func TestDecodePersonalDataDeath(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		deceased  bool
		deathDate time.Time
	}{
		{"alive", `{"ID": "3150385A001PB6", "deceased": false}`, false, time.Time{}},
		{"mark only", `{"ID": "3150385A001PB6", "deceased": true}`, true, time.Time{}},
		{"date only", `{"ID": "3150385A001PB6", "death_date": "01.02.2024"}`, true,
			time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePersonalData(json.RawMessage(tt.raw))
			require.NoError(t, err)
			assert.Equal(t, tt.deceased, got.Deceased)
			assert.Equal(t, tt.deathDate, got.DeathDate)
		})
	}
}

func TestDecodePersonalDataMalformed(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"number for a name", `{"RU:_Family_name": 12}`,
			`gir: personal data: field "RU:_Family_name" at offset 20: expected a string, got ` +
				`number`},
		{"both spellings", `{"BE:_Given_name": "Іван", "BE_Given_name": "Іван"}`,
			`gir: personal data: field "BE_Given_name" at offset 48: both "BE:_Given_name" and ` +
				`"BE_Given_name" are present`},
		{"bad personal number", `{"ID": "3150385X001PB6"}`,
			`gir: personal data: field "ID" at offset 7: ifyul: invalid personal number: ` +
				`position 8: region letter "X" is not one of A B C K E M H`},
		{"bad sex", `{"Sex": "X"}`,
			`gir: personal data: field "Sex" at offset 8: ifyul: invalid sex "X": want M, F, ` +
				`Male, Female, М or Ж`},
		{"bad birth date", `{"birth_date": "1985-13-01"}`,
			`gir: personal data: field "birth_date" at offset 15: "1985-13-01" is not a date in ` +
				`the form YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY`},
		{"number for a date", `{"Date_of_expiry": 20310610}`,
			`gir: personal data: field "Date_of_expiry" at offset 19: expected a date string, ` +
				`got number`},
		{"string for the death mark", `{"deceased": "yes"}`,
			`gir: personal data: field "deceased" at offset 13: expected a boolean, got string`},
		{"another shape", `{"surname": "Иванов", "name": "Иван"}`,
			`gir: personal data at offset 0: expected at least one of "ID", "RU:_Family_name", ` +
				`"RU_Family_name", "BE:_Family_name", "BE_Family_name", "LA:_Family_name", ` +
				`"LA_Family_name", "birth_date", "Serial_Number", got none`},
		{"array", `[]`, `gir: personal data at offset 0: expected an object, got array`},
		{"null", `null`, `gir: personal data at offset 0: expected an object, got null`},
		{"empty", ``, `gir: personal data at offset 0: invalid JSON: unexpected end`},
		{"truncated", `{"ID": "3150385A001PB6",`, `gir: personal data at offset 24: invalid ` +
			`JSON: unexpected end`},
		{"duplicate", `{"Sex": "M", "Sex": "F"}`,
			`gir: personal data: field "Sex" at offset 13: duplicate member`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePersonalData(json.RawMessage(tt.raw))
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, ErrInvalidData)
			assert.EqualError(t, err, tt.want)
		})
	}
}
