package ifyul_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

// validNumber is a fabricated personal number: a man born on 15 March 1985, region A,
// sequence 001, citizenship PB.
const validNumber = "3150385A001PB6"

// withCheckDigit appends the check digit of the 13 characters in first13. It is written
// apart from the package's own code so that the two can catch each other's mistakes.
func withCheckDigit(first13 string) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	weights := []int{7, 3, 1}
	sum := 0
	for i := 0; i < len(first13); i++ {
		sum += strings.IndexByte(alphabet, first13[i]) * weights[i%len(weights)]
	}
	return first13 + strconv.Itoa(sum%10)
}

// replaceAt returns validNumber with the character at the 1-based position replaced.
func replaceAt(position int, replacement string) string {
	return validNumber[:position-1] + replacement + validNumber[position:]
}

func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

func TestCheckDigitHelperMatchesKnownNumbers(t *testing.T) {
	assert.Equal(t, "3150385A001PB6", withCheckDigit("3150385A001PB"))
	assert.Equal(t, "0000000A000PB2", withCheckDigit("0000000A000PB"))
}

func TestParsePersonalNumberValid(t *testing.T) {
	tests := []struct {
		name            string
		input           string
		wantString      string
		wantBirthDate   time.Time
		wantSex         ifyul.Sex
		wantRegion      byte
		wantCitizenship string
	}{
		{"fixed example", validNumber, validNumber, date(1985, time.March, 15),
			ifyul.SexMale, 'A', "PB"},
		{"lower case", "3150385a001pb6", validNumber, date(1985, time.March, 15),
			ifyul.SexMale, 'A', "PB"},
		{"surrounding white space", " \t3150385A001PB6\u00a0\n", validNumber,
			date(1985, time.March, 15), ifyul.SexMale, 'A', "PB"},
		{"male born 1880", withCheckDigit("1010180K999BI"), withCheckDigit("1010180K999BI"),
			date(1880, time.January, 1), ifyul.SexMale, 'K', "BI"},
		{"female born 1899", withCheckDigit("2311299E000PB"), withCheckDigit("2311299E000PB"),
			date(1899, time.December, 31), ifyul.SexFemale, 'E', "PB"},
		{"female born 1900s", withCheckDigit("4300671B123BA"), withCheckDigit("4300671B123BA"),
			date(1971, time.June, 30), ifyul.SexFemale, 'B', "BA"},
		{"male leap day 2000", withCheckDigit("5290200C500PB"), withCheckDigit("5290200C500PB"),
			date(2000, time.February, 29), ifyul.SexMale, 'C', "PB"},
		{"female born 2024", withCheckDigit("6011124M042BI"), withCheckDigit("6011124M042BI"),
			date(2024, time.November, 1), ifyul.SexFemale, 'M', "BI"},
		{"region H", withCheckDigit("3280288H777PB"), withCheckDigit("3280288H777PB"),
			date(1988, time.February, 28), ifyul.SexMale, 'H', "PB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, err := ifyul.ParsePersonalNumber(tt.input)
			require.NoError(t, err)

			assert.Equal(t, tt.wantString, number.String())
			assert.True(t, number.BirthDate().Equal(tt.wantBirthDate),
				"birth date %v, want %v", number.BirthDate(), tt.wantBirthDate)
			assert.Equal(t, time.UTC, number.BirthDate().Location())
			assert.Equal(t, tt.wantSex, number.Sex())
			assert.Equal(t, string(tt.wantRegion), string(number.Region()))
			assert.Equal(t, tt.wantCitizenship, number.Citizenship())
			assert.False(t, number.IsZero())
			assert.True(t, ifyul.ValidPersonalNumberChecksum(tt.input))
		})
	}
}

func TestParsePersonalNumberInvalid(t *testing.T) {
	tests := []struct {
		name         string
		input        string
		wantPosition int
		wantReason   string
	}{
		{"empty", "", 0, "empty, want 14 characters"},
		{"white space only", " \t ", 0, "empty, want 14 characters"},
		{"too short", validNumber[:13], 0, "length is 13 characters, want 14"},
		{"too long", validNumber + "0", 0, "length is 15 characters, want 14"},
		{"inner space", "3150385 A001PB6", 0, "length is 15 characters, want 14"},
		{"inner space replacing a digit", replaceAt(9, " "), 9,
			`sequence number character " " is not a digit`},

		{"cyrillic A at region", replaceAt(8, "А"), 8,
			`Cyrillic letter "А" is not allowed, type the Latin letter "A"`},
		{"cyrillic lower a at region", replaceAt(8, "а"), 8,
			`Cyrillic letter "а" is not allowed, type the Latin letter "A"`},
		{"cyrillic Н at region", replaceAt(8, "Н"), 8,
			`Cyrillic letter "Н" is not allowed, type the Latin letter "H"`},
		{"cyrillic Р in citizenship", replaceAt(12, "Р"), 12,
			`Cyrillic letter "Р" is not allowed, type the Latin letter "P"`},
		{"cyrillic В in citizenship", replaceAt(13, "В"), 13,
			`Cyrillic letter "В" is not allowed, type the Latin letter "B"`},
		{"belarusian І in citizenship", replaceAt(13, "І"), 13,
			`Cyrillic letter "І" is not allowed, type the Latin letter "I"`},
		{"cyrillic О among digits", replaceAt(10, "О"), 10,
			`Cyrillic letter "О" is not allowed, use Latin letters and digits`},
		{"cyrillic Д at region", replaceAt(8, "Д"), 8,
			`Cyrillic letter "Д" is not allowed, use Latin letters and digits`},
		{"latin letter with accent", replaceAt(8, "É"), 8,
			`character "É" (U+00C9) is not a Latin letter or digit`},
		{"replacement character", replaceAt(5, "\uFFFD"), 5,
			"character \"\uFFFD\" (U+FFFD) is not a Latin letter or digit"},
		{"invalid utf-8", replaceAt(5, "\xff"), 5, "byte 0xFF is not valid UTF-8"},

		{"century letter", replaceAt(1, "X"), 1, `century-and-sex digit "X" is not a digit`},
		{"century zero", replaceAt(1, "0"), 1, `century-and-sex digit "0" is not one of 1 to 6`},
		{"century seven", replaceAt(1, "7"), 1, `century-and-sex digit "7" is not one of 1 to 6`},
		{"century nine", replaceAt(1, "9"), 1, `century-and-sex digit "9" is not one of 1 to 6`},
		{"control character", replaceAt(1, "\x00"), 1,
			`century-and-sex digit "\x00" is not a digit`},

		{"date letter at 2", replaceAt(2, "O"), 2, `birth date character "O" is not a digit`},
		{"date letter at 5", replaceAt(5, "B"), 5, `birth date character "B" is not a digit`},
		{"date dash at 7", replaceAt(7, "-"), 7, `birth date character "-" is not a digit`},
		{"month 13", "3151385A001PB6", 4, `birth month "13" is not 01 to 12`},
		{"month 00", "3150085A001PB6", 4, `birth month "00" is not 01 to 12`},
		{"day 00", "3000385A001PB6", 2, `birth day "00" does not exist in month 03`},
		{"day 32", "3320185A001PB6", 2, `birth day "32" does not exist in month 01`},
		{"february 31", withCheckDigit("3310285A001PB"), 2,
			`birth day "31" does not exist in month 02`},
		{"april 31", withCheckDigit("3310485A001PB"), 2,
			`birth day "31" does not exist in month 04`},
		{"february 29 of 1985", withCheckDigit("3290285A001PB"), 2,
			`birth day "29" does not exist in February of a non-leap year`},
		{"february 29 of 1900", withCheckDigit("4290200A001PB"), 2,
			`birth day "29" does not exist in February of a non-leap year`},
		{"february 30 of 2000", withCheckDigit("5300200A001PB"), 2,
			`birth day "30" does not exist in month 02`},
		{"date all zeros", "0000000A000PB2", 1, `century-and-sex digit "0" is not one of 1 to 6`},

		{"region X", replaceAt(8, "X"), 8, `region letter "X" is not one of A B C K E M H`},
		{"region lower x", replaceAt(8, "x"), 8, `region letter "X" is not one of A B C K E M H`},
		{"region digit", replaceAt(8, "1"), 8, `region letter "1" is not one of A B C K E M H`},

		{"sequence letter at 9", replaceAt(9, "O"), 9,
			`sequence number character "O" is not a digit`},
		{"sequence letter at 11", replaceAt(11, "I"), 11,
			`sequence number character "I" is not a digit`},

		{"citizenship digit at 12", replaceAt(12, "8"), 12,
			`citizenship code character "8" is not a Latin letter`},
		{"citizenship digit at 13", replaceAt(13, "8"), 13,
			`citizenship code character "8" is not a Latin letter`},
		{"citizenship RU", withCheckDigit("3150385A001RU"), 12,
			`citizenship code "RU" is not one of PB BA BI`},
		{"citizenship BP", withCheckDigit("3150385A001BP"), 12,
			`citizenship code "BP" is not one of PB BA BI`},

		{"check digit letter", replaceAt(14, "Z"), 14, `check digit "Z" is not a digit`},
		{"check digit wrong", replaceAt(14, "7"), 14,
			`check digit "7" does not match the first 13 characters`},
		{"transposed digits", "3150385A010PB6", 14,
			`check digit "6" does not match the first 13 characters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, err := ifyul.ParsePersonalNumber(tt.input)
			require.Error(t, err)

			assert.True(t, number.IsZero())
			assert.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
			var numberErr *ifyul.PersonalNumberError
			require.ErrorAs(t, err, &numberErr)
			assert.Equal(t, tt.wantPosition, numberErr.Position)
			assert.Equal(t, tt.wantReason, numberErr.Reason)
			if trimmed := strings.TrimSpace(tt.input); trimmed != "" {
				assert.NotContains(t, err.Error(), trimmed, "the error must not repeat the number")
			}
		})
	}
}

func TestPersonalNumberErrorMessage(t *testing.T) {
	_, err := ifyul.ParsePersonalNumber(replaceAt(8, "X"))
	require.Error(t, err)
	assert.Equal(t,
		`ifyul: invalid personal number: position 8: region letter "X" is not one of A B C K E M H`,
		err.Error())

	_, err = ifyul.ParsePersonalNumber("123")
	require.Error(t, err)
	assert.Equal(t, "ifyul: invalid personal number: length is 3 characters, want 14", err.Error())
}

func TestValidPersonalNumberChecksum(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"fixed example", validNumber, true},
		{"all zeros with region", "0000000A000PB2", true},
		{"all zeros wrong check digit", "0000000A000PB3", false},
		{"lower case", "0000000a000pb2", true},
		{"surrounding white space", "  0000000A000PB2\n", true},
		{"letters everywhere", withCheckDigit("ZZZZZZZZZZZZZ"), true},
		{"invalid date but right check digit", withCheckDigit("9999999X999ZZ"), true},
		{"invalid date wrong check digit", "9999999X999ZZ" + "x", false},
		{"too short", "0000000A000PB", false},
		{"too long", "0000000A000PB20", false},
		{"empty", "", false},
		{"check digit is letter", "0000000A000PBA", false},
		{"punctuation", "000000-A000PB2", false},
		{"cyrillic look-alike", "0000000А000PB2", false},
		{"transposed digits", "3153085A001PB6", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ifyul.ValidPersonalNumberChecksum(tt.input))
		})
	}
}

func TestNewPersonalNumber(t *testing.T) {
	tests := []struct {
		name        string
		birthDate   time.Time
		sex         ifyul.Sex
		region      byte
		sequence    int
		citizenship string
		want        string
	}{
		{"fixed example", date(1985, time.March, 15), ifyul.SexMale, 'A', 1, "PB", validNumber},
		{"female 1800s", date(1850, time.July, 4), ifyul.SexFemale, 'K', 999, "BI",
			withCheckDigit("2040750K999BI")},
		{"male 2000s", date(2099, time.December, 31), ifyul.SexMale, 'H', 0, "BA",
			withCheckDigit("5311299H000BA")},
		{"date in another zone", time.Date(2001, time.May, 9, 23, 30, 0, 0,
			time.FixedZone("UTC+3", 3*3600)), ifyul.SexFemale, 'M', 42, "PB",
			withCheckDigit("6090501M042PB")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, err := ifyul.NewPersonalNumber(
				tt.birthDate, tt.sex, tt.region, tt.sequence, tt.citizenship)
			require.NoError(t, err)
			assert.Equal(t, tt.want, number.String())
		})
	}
}

func TestNewPersonalNumberInvalid(t *testing.T) {
	born := date(1985, time.March, 15)
	tests := []struct {
		name         string
		birthDate    time.Time
		sex          ifyul.Sex
		region       byte
		sequence     int
		citizenship  string
		wantPosition int
		wantReason   string
	}{
		{"year 1799", date(1799, time.December, 31), ifyul.SexMale, 'A', 1, "PB", 1,
			"birth year 1799 is not 1800 to 2099"},
		{"year 2100", date(2100, time.January, 1), ifyul.SexMale, 'A', 1, "PB", 1,
			"birth year 2100 is not 1800 to 2099"},
		{"unknown sex", born, ifyul.SexUnknown, 'A', 1, "PB", 1,
			"sex unknown cannot be encoded, want male or female"},
		{"region X", born, ifyul.SexMale, 'X', 1, "PB", 8,
			`region letter "X" is not one of A B C K E M H`},
		{"region lower a", born, ifyul.SexMale, 'a', 1, "PB", 8,
			`region letter "a" is not one of A B C K E M H`},
		{"sequence 1000", born, ifyul.SexMale, 'A', 1000, "PB", 9,
			"sequence number 1000 is not 0 to 999"},
		{"sequence negative", born, ifyul.SexMale, 'A', -1, "PB", 9,
			"sequence number -1 is not 0 to 999"},
		{"citizenship RU", born, ifyul.SexMale, 'A', 1, "RU", 12,
			`citizenship code "RU" is not one of PB BA BI`},
		{"citizenship long", born, ifyul.SexMale, 'A', 1, "PBX", 12,
			`citizenship code "PBX" is not one of PB BA BI`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, err := ifyul.NewPersonalNumber(
				tt.birthDate, tt.sex, tt.region, tt.sequence, tt.citizenship)
			require.Error(t, err)

			assert.True(t, number.IsZero())
			assert.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
			var numberErr *ifyul.PersonalNumberError
			require.ErrorAs(t, err, &numberErr)
			assert.Equal(t, tt.wantPosition, numberErr.Position)
			assert.Equal(t, tt.wantReason, numberErr.Reason)
		})
	}
}

func TestPersonalNumberZeroValue(t *testing.T) {
	var number ifyul.PersonalNumber

	assert.True(t, number.IsZero())
	assert.Equal(t, "", number.String())
	assert.True(t, number.BirthDate().IsZero())
	assert.Equal(t, ifyul.SexUnknown, number.Sex())
	assert.Equal(t, byte(0), number.Region())
	assert.Equal(t, "", number.Citizenship())
	text, err := number.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)
}

func TestPersonalNumberComparable(t *testing.T) {
	first, err := ifyul.ParsePersonalNumber(validNumber)
	require.NoError(t, err)
	second, err := ifyul.ParsePersonalNumber(" 3150385a001pb6 ")
	require.NoError(t, err)

	assert.True(t, first == second)
}

type personRecord struct {
	PersonalNumber ifyul.PersonalNumber `json:"personal_number"`
	Sex            ifyul.Sex            `json:"sex"`
}

type optionalRecord struct {
	PersonalNumber ifyul.PersonalNumber `json:"personal_number,omitzero"`
}

func TestPersonalNumberJSON(t *testing.T) {
	number, err := ifyul.ParsePersonalNumber(validNumber)
	require.NoError(t, err)

	encoded, err := json.Marshal(personRecord{PersonalNumber: number, Sex: number.Sex()})
	require.NoError(t, err)
	assert.JSONEq(t, `{"personal_number":"3150385A001PB6","sex":"male"}`, string(encoded))

	var decoded personRecord
	require.NoError(t, json.Unmarshal(encoded, &decoded))
	assert.Equal(t, number, decoded.PersonalNumber)
	assert.Equal(t, ifyul.SexMale, decoded.Sex)

	encoded, err = json.Marshal(optionalRecord{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(encoded))

	var empty personRecord
	require.NoError(t, json.Unmarshal([]byte(`{"personal_number":""}`), &empty))
	assert.True(t, empty.PersonalNumber.IsZero())

	var invalid personRecord
	err = json.Unmarshal([]byte(`{"personal_number":"3150385A001PB7"}`), &invalid)
	assert.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
	assert.True(t, invalid.PersonalNumber.IsZero())
}

func TestPersonalNumberLogValueMasks(t *testing.T) {
	number, err := ifyul.ParsePersonalNumber(validNumber)
	require.NoError(t, err)

	var output bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&output, nil))
	logger.Info("login", "personal_number", number)

	assert.NotContains(t, output.String(), validNumber)
	assert.Contains(t, output.String(), "personal_number=**********1PB6")
}

func TestParseSex(t *testing.T) {
	tests := []struct {
		input string
		want  ifyul.Sex
	}{
		{"M", ifyul.SexMale},
		{"m", ifyul.SexMale},
		{"Male", ifyul.SexMale},
		{"MALE", ifyul.SexMale},
		{" male\n", ifyul.SexMale},
		{"М", ifyul.SexMale},
		{"м", ifyul.SexMale},
		{"F", ifyul.SexFemale},
		{"f", ifyul.SexFemale},
		{"Female", ifyul.SexFemale},
		{"female", ifyul.SexFemale},
		{"Ж", ifyul.SexFemale},
		{"ж", ifyul.SexFemale},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.input), func(t *testing.T) {
			got, err := ifyul.ParseSex(tt.input)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseSexInvalid(t *testing.T) {
	for _, input := range []string{"", "unknown", "X", "Ma", "Ф", "W", "mal e", "\xff"} {
		t.Run(strconv.Quote(input), func(t *testing.T) {
			got, err := ifyul.ParseSex(input)
			require.Error(t, err)
			assert.Equal(t, ifyul.SexUnknown, got)
			assert.Equal(t,
				fmt.Sprintf("ifyul: invalid sex %q: want M, F, Male, Female, М or Ж", input),
				err.Error())
		})
	}
}

func TestSexString(t *testing.T) {
	assert.Equal(t, "unknown", ifyul.SexUnknown.String())
	assert.Equal(t, "male", ifyul.SexMale.String())
	assert.Equal(t, "female", ifyul.SexFemale.String())
	assert.Equal(t, "Sex(7)", ifyul.Sex(7).String())
}

func TestSexText(t *testing.T) {
	for _, sex := range []ifyul.Sex{ifyul.SexUnknown, ifyul.SexMale, ifyul.SexFemale} {
		t.Run(sex.String(), func(t *testing.T) {
			text, err := sex.MarshalText()
			require.NoError(t, err)

			decoded := ifyul.Sex(-1)
			require.NoError(t, decoded.UnmarshalText(text))
			assert.Equal(t, sex, decoded)
		})
	}

	_, err := ifyul.Sex(3).MarshalText()
	assert.EqualError(t, err, "ifyul: invalid sex value 3")

	decoded := ifyul.SexMale
	require.NoError(t, decoded.UnmarshalText(nil))
	assert.Equal(t, ifyul.SexUnknown, decoded)

	assert.Error(t, decoded.UnmarshalText([]byte("X")))
}

func ExampleParsePersonalNumber() {
	number, err := ifyul.ParsePersonalNumber(" 3150385a001pb6 ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(number)
	fmt.Println(number.BirthDate().Format(time.DateOnly), number.Sex(),
		string(number.Region()), number.Citizenship())

	_, err = ifyul.ParsePersonalNumber("3150385А001PB6") // Cyrillic А at position 8
	fmt.Println(err)
	// Output:
	// 3150385A001PB6
	// 1985-03-15 male A PB
	// ifyul: invalid personal number: position 8: Cyrillic letter "А" is not allowed, type the Latin letter "A"
}

func ExampleValidPersonalNumberChecksum() {
	fmt.Println(ifyul.ValidPersonalNumberChecksum("0000000A000PB2"))
	fmt.Println(ifyul.ValidPersonalNumberChecksum("0000000A000PB3"))
	// Output:
	// true
	// false
}

func FuzzParsePersonalNumber(f *testing.F) {
	for _, seed := range []string{
		validNumber, "0000000A000PB2", "3150385a001pb6", " 3150385A001PB6\t", "3150385А001PB6",
		"5290200C500PB9", "3310285A001PB6", "", "\xff\xfe", "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖ",
	} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, input string) {
		number, err := ifyul.ParsePersonalNumber(input)
		checksumValid := ifyul.ValidPersonalNumberChecksum(input)

		if err != nil {
			require.True(t, number.IsZero())
			require.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
			var numberErr *ifyul.PersonalNumberError
			require.ErrorAs(t, err, &numberErr)
			require.GreaterOrEqual(t, numberErr.Position, 0)
			require.LessOrEqual(t, numberErr.Position, 14)
			if checksumValid {
				// Every character is a Latin letter or digit here, and no word of an
				// error message is 14 such characters long.
				normalized := strings.ToUpper(strings.TrimSpace(input))
				require.NotContains(t, err.Error(), normalized)
			}
			return
		}

		require.True(t, checksumValid, "a parsed number must pass the checksum check")
		text := number.String()
		require.Len(t, text, 14)
		require.True(t, utf8.ValidString(text))
		require.True(t, strings.EqualFold(strings.TrimSpace(input), text))

		again, err := ifyul.ParsePersonalNumber(text)
		require.NoError(t, err)
		require.Equal(t, number, again)

		sequence, err := strconv.Atoi(text[8:11])
		require.NoError(t, err)
		rebuilt, err := ifyul.NewPersonalNumber(
			number.BirthDate(), number.Sex(), number.Region(), sequence, number.Citizenship())
		require.NoError(t, err)
		require.Equal(t, number, rebuilt)
	})
}

func FuzzParseSex(f *testing.F) {
	for _, seed := range []string{"M", "female", "Ж", "", "unknown", "\xff"} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, input string) {
		sex, err := ifyul.ParseSex(input)
		if err != nil {
			require.Equal(t, ifyul.SexUnknown, sex)
			return
		}
		require.Contains(t, []ifyul.Sex{ifyul.SexMale, ifyul.SexFemale}, sex)

		text, err := sex.MarshalText()
		require.NoError(t, err)
		var decoded ifyul.Sex
		require.NoError(t, decoded.UnmarshalText(text))
		require.Equal(t, sex, decoded)
	})
}
