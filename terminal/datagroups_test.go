package terminal

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/tlv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// samplePerson returns the data groups of a fabricated card holder.
func samplePerson() *DataGroups {
	return &DataGroups{
		SerialNumber:     "IDCBY-590082394654",
		IssuingState:     "BLR",
		DateOfExpiry:     CardDate{2031, 5, 14},
		GivenName:        "ЯНКА/ИВАН/IVAN",
		FamilyName:       "МIЦКЕВIЧ/МИЦКЕВИЧ/MITSKEVICH",
		MiddleName:       "ПЯТРОВІЧ/ПЕТРОВИЧ/PIATROVICH",
		PersonalNumberID: "PNOBY-3150385A001PB6",
		DateOfBirth:      CardDate{1985, 3, 15},
		PlaceOfBirth:     Place{City: "г. Мінск/г. Минск", Country: "BLR"},
		Nationality:      "BLR",
		Sex:              "M",
		// In DER order, so that parsing the encoding gives the same slice.
		OptionalData: []OptionalData{
			{Type: asn1.ObjectIdentifier{1, 2, 3}, Data: tlv.Encode(0x04, []byte{1, 2})},
			{Type: asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 5, 1}},
		},
		WrittenSignature: []byte{0xFF, 0x4F, 0xFF, 0x51},
		DateOfIssuance:   CardDate{2021, 5, 15},
		IssuanceBoard:    "Партызанскі РУУС г. Мінска/Партизанское РУВД г. Минска",
		PlaceOfResidence: Place{
			Street:  "вул. Прыдуманая, 1/ул. Выдуманная, 1",
			City:    "г. Мінск/г. Минск",
			State:   "Мінская вобл./Минская обл.",
			Country: "BLR",
			ZipCode: "220045",
		},
		DistrictID:   "ZIPBY-220045",
		PhoneNumber:  "+375171234567",
		EmailAddress: "ivan@example.by",
	}
}

func withoutPresence(g *DataGroups) DataGroups {
	copied := *g
	copied.present = 0
	return copied
}

func TestDataGroupsRoundTrip(t *testing.T) {
	person := samplePerson()
	person.Reserved = map[int][]byte{13: {0x4D, 0x01, 0x7A}}
	files, err := person.EncodeAll()
	require.NoError(t, err)

	want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22}
	for _, dg := range want {
		assert.Contains(t, files, dg, "DG%d", dg)
	}
	assert.Len(t, files, len(want))

	parsed, err := ParseDataGroups(files)
	require.NoError(t, err)
	assert.Equal(t, withoutPresence(person), withoutPresence(parsed))
	for _, dg := range want {
		assert.True(t, parsed.Has(dg), "DG%d", dg)
	}
	assert.False(t, parsed.Has(19))

	again, err := parsed.EncodeAll()
	require.NoError(t, err)
	assert.Equal(t, files, again)
}

func TestDataGroupEncodings(t *testing.T) {
	person := samplePerson()
	tests := []struct {
		dg   int
		want []byte
	}{
		{1, append([]byte{0x41, 18}, "IDCBY-590082394654"...)},
		{2, []byte{0x42, 3, 'B', 'L', 'R'}},
		{3, append([]byte{0x43, 8}, "20310514"...)},
		{7, append([]byte{0x47, 20}, "PNOBY-3150385A001PB6"...)},
		{11, []byte{0x4B, 1, 'M'}},
		{18, append([]byte{0x52, 12}, "ZIPBY-220045"...)},
		{22, append([]byte{0x56, 15}, "ivan@example.by"...)},
		{9, tlv.EncodeConstructed(0x69, tlv.EncodeConstructed(0x30,
			tlv.Encode(0x8B, []byte("г. Мінск/г. Минск")), tlv.Encode(0x8D, []byte("BLR"))))},
	}
	for _, tc := range tests {
		got, err := person.Encode(tc.dg)
		require.NoError(t, err, "DG%d", tc.dg)
		assert.Equal(t, tc.want, got, "DG%d", tc.dg)
	}

	dg12, err := person.Encode(12)
	require.NoError(t, err)
	assert.Equal(t, byte(0x6C), dg12[0])
	dg17, err := person.Encode(17)
	require.NoError(t, err)
	assert.Equal(t, byte(0x71), dg17[0])
}

func TestDataGroupAccessors(t *testing.T) {
	person := samplePerson()
	assert.Equal(t, "590082394654", person.DocumentNumber())
	assert.Equal(t, "3150385A001PB6", person.PersonalNumber())
	assert.Equal(t, "МIЦКЕВIЧ", person.FamilyName.Belarusian())
	assert.Equal(t, "МИЦКЕВИЧ", person.FamilyName.Russian())
	assert.Equal(t, "MITSKEVICH", person.FamilyName.Latin())
	assert.Equal(t, "", person.IssuanceBoard.Latin())
	assert.Equal(t, "ул. Выдуманная, 1", person.PlaceOfResidence.Street.Russian())
	assert.Equal(t, "", (&DataGroups{}).DocumentNumber())
	assert.Equal(t, uint16(0x0101), DataGroupFileID(1))
	assert.Equal(t, uint16(0x0116), DataGroupFileID(22))
	assert.Zero(t, DataGroupFileID(23))
}

func TestCardDatePartial(t *testing.T) {
	tests := []struct {
		text   string
		date   CardDate
		latest time.Time
	}{
		{"19850315", CardDate{1985, 3, 15}, date(1985, 3, 15)},
		{"198502  ", CardDate{1985, 2, 0}, date(1985, 2, 28)},
		{"198402  ", CardDate{1984, 2, 0}, date(1984, 2, 29)},
		{"1985    ", CardDate{1985, 0, 0}, date(1985, 12, 31)},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			g := &DataGroups{}
			require.NoError(t, g.Parse(8, tlv.Encode(0x48, []byte(tc.text))))
			assert.Equal(t, tc.date, g.DateOfBirth)
			assert.Equal(t, tc.latest, g.DateOfBirth.Latest())
			assert.Equal(t, tc.text, g.DateOfBirth.String())
		})
	}
}

func TestParseDataGroupMalformed(t *testing.T) {
	str := func(tag tlv.Tag, s string) []byte { return tlv.Encode(tag, []byte(s)) }
	place := func(tag tlv.Tag, children ...[]byte) []byte {
		return tlv.EncodeConstructed(tag, children...)
	}
	optionalItem := func(oid asn1.ObjectIdentifier) []byte {
		encoded, _ := asn1.Marshal(oid)
		return tlv.EncodeConstructed(0x30, encoded)
	}
	tests := []struct {
		name   string
		dg     int
		file   []byte
		field  string
		offset int
		msg    string
	}{
		{"DG1 wrong tag", 1, str(0x42, "IDCBY-590082394654"), "SerialNumber", 0,
			"tag 42, expected 41"},
		{"DG1 without prefix", 1, str(0x41, "AB590082394654"), "SerialNumber", 2,
			`value "AB590082394654" does not start with IDCXX-`},
		{"DG1 too short", 1, str(0x41, "IDCBY-1234567"), "SerialNumber", 2,
			"length 13, expected 14 to 18 characters"},
		{"DG1 not printable", 1, str(0x41, "IDCBY-59008239465*"), "SerialNumber", 2,
			"byte 2A at index 17 is not a PrintableString character"},
		{"DG2 two letters", 2, str(0x42, "BY"), "IssuingState", 2,
			"length 2, expected a 3-letter country code"},
		{"DG2 lower case", 2, str(0x42, "blr"), "IssuingState", 2,
			"character 'b' is not a capital letter"},
		{"DG3 month 13", 3, str(0x43, "20311301"), "DateOfExpiry", 2, "month 13 is invalid"},
		{"DG3 April 31", 3, str(0x43, "20310431"), "DateOfExpiry", 2,
			"20310431 is not a valid date"},
		{"DG3 seven characters", 3, str(0x43, "2031051"), "DateOfExpiry", 2,
			"length 7, expected 8 characters YYYYMMDD"},
		{"DG3 unknown day", 3, str(0x43, "203105  "), "DateOfExpiry", 2,
			"character ' ' is not a digit"},
		{"DG4 invalid UTF-8", 4, []byte{0x44, 2, 0xD0, 0x28}, "GivenName", 2, "invalid UTF-8"},
		{"DG7 without hyphen", 7, str(0x47, "PNOBY3150385A001PB6"), "PersonalNumber", 2,
			`value "PNOBY3150385A001PB6" does not start with PNOXX-`},
		{"DG8 day without month", 8, str(0x48, "1985  15"), "DateOfBirth", 2,
			"character ' ' is not a digit"},
		{"DG9 empty", 9, place(0x69), "PlaceOfBirth", 2, "missing GeneralPlace"},
		{"DG9 unknown choice", 9, place(0x69, str(0x83, "x")), "PlaceOfBirth", 2,
			"tag 83, expected 30, 81 or 82"},
		{"DG9 two choices", 9, place(0x69, str(0x81, "x"), str(0x82, "y")), "PlaceOfBirth", 5,
			"unexpected tag 82 after the last component"},
		{"DG9 without city", 9, place(0x69, place(0x30, str(0x8D, "BLR"))),
			"PlaceOfBirth.city", 4, "tag 8D, expected 8B"},
		{"DG9 bad country", 9, place(0x69, place(0x30, str(0x8B, "Мінск"), str(0x8D, "BY"))),
			"PlaceOfBirth.country", 16, "length 2, expected a 3-letter country code"},
		{"DG9 field after zip code", 9, place(0x69, place(0x30, str(0x8B, "M"),
			str(0x8D, "BLR"), str(0x8E, "1"), str(0x8A, "s"))), "PlaceOfBirth", 15,
			"unexpected tag 8A after the last component"},
		{"DG11 unknown sex", 11, str(0x4B, "X"), "Sex", 2,
			`value "X", expected "M", "F" or " "`},
		{"DG12 unsorted set", 12, place(0x6C, optionalItem(asn1.ObjectIdentifier{1, 3}),
			optionalItem(asn1.ObjectIdentifier{1, 2})), "OptionalDataR", 7,
			"SET OF elements are not in DER order"},
		{"DG12 item not a sequence", 12, place(0x6C, str(0x04, "x")), "OptionalDataR", 2,
			"tag 04, expected 30"},
		{"DG12 two data elements", 12, place(0x6C, place(0x30, []byte{0x06, 1, 0x2A},
			str(0x04, "x"), str(0x04, "y"))), "OptionalDataR", 10,
			"unexpected tag 04 after the last component"},
		{"DG18 without type", 18, str(0x52, "220045"), "DistrictID", 2,
			`value "220045" does not have the form ZIPBY-220045`},
		{"DG22 not ASCII", 22, str(0x56, "іvan@example.by"), "EmailAddress", 2,
			"byte D1 at index 0 is not an IA5String character"},
		{"trailing byte", 5, append(str(0x45, "A"), 0), "FamilyName", 3,
			"1 bytes after the element"},
		{"truncated", 5, str(0x45, "ABC")[:4], "FamilyName", 1,
			"length 3 of tag 45 exceeds remaining 2 bytes"},
		{"empty file", 5, nil, "FamilyName", 0, "missing tag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := (&DataGroups{}).Parse(tc.dg, tc.file)
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "error %v is not a *ParseError", err)
			assert.Equal(t, fmt.Sprintf("DG%d", tc.dg), pe.Object)
			assert.Equal(t, tc.field, pe.Field)
			assert.Equal(t, tc.offset, pe.Offset, "file %X", tc.file)
			assert.Equal(t, tc.msg, pe.Msg)
		})
	}
}

func TestParseDataGroupNumberOutOfRange(t *testing.T) {
	for _, dg := range []int{0, 23} {
		err := (&DataGroups{}).Parse(dg, []byte{0x41, 0})
		assert.EqualError(t, err, fmt.Sprintf("terminal: data group %d is outside DG1..DG22", dg))
		_, err = (&DataGroups{}).Encode(dg)
		assert.Error(t, err)
	}
	_, err := ParseDataGroups(map[int][]byte{24: nil})
	assert.Error(t, err)
}

func TestEncodeRejectsInvalidFields(t *testing.T) {
	tests := []struct {
		name   string
		dg     int
		modify func(g *DataGroups)
	}{
		{"serial number without prefix", 1, func(g *DataGroups) {
			g.SerialNumber = "590082394654"
		}},
		{"country of two letters", 10, func(g *DataGroups) { g.Nationality = "BY" }},
		{"unset date", 15, func(g *DataGroups) { g.DateOfIssuance = CardDate{} }},
		{"place without country", 17, func(g *DataGroups) { g.PlaceOfResidence.Country = "" }},
		{"empty sex", 11, func(g *DataGroups) { g.Sex = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := samplePerson()
			tc.modify(g)
			_, err := g.Encode(tc.dg)
			var pe *ParseError
			assert.ErrorAs(t, err, &pe)
			_, err = g.EncodeAll()
			assert.Error(t, err)
		})
	}
}

func TestReservedGroupsKeptRaw(t *testing.T) {
	raw := []byte{0x00, 0xFF, 0x13}
	g := &DataGroups{}
	require.NoError(t, g.Parse(19, raw))
	raw[0] = 0x01
	assert.Equal(t, []byte{0x00, 0xFF, 0x13}, g.Reserved[19], "the parser keeps a copy")
	assert.True(t, g.Has(19))
	encoded, err := g.Encode(19)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x00, 0xFF, 0x13}, encoded)
}

func FuzzParseDataGroup(f *testing.F) {
	files, err := samplePerson().EncodeAll()
	require.NoError(f, err)
	for dg, file := range files {
		f.Add(uint8(dg), file)
	}
	f.Add(uint8(8), mustDecodeHex(f, "48083139383520203135"))
	f.Fuzz(func(t *testing.T, number uint8, file []byte) {
		dg := int(number)%DataGroupCount + 1
		g := &DataGroups{}
		if err := g.Parse(dg, file); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Offset < 0 || pe.Offset > len(file) {
				t.Fatalf("offset %d outside file of %d bytes", pe.Offset, len(file))
			}
			return
		}
		encoded, err := g.Encode(dg)
		if err != nil {
			t.Fatalf("encoding parsed DG%d: %v", dg, err)
		}
		// A Place may hold an empty optional string, which the encoder leaves out.
		if dg != 9 && dg != 17 && !bytes.Equal(encoded, file) {
			t.Fatalf("DG%d re-encodes differently:\n in %X\nout %X", dg, file, encoded)
		}
		again := &DataGroups{}
		if err := again.Parse(dg, encoded); err != nil {
			t.Fatalf("parsing re-encoded DG%d: %v", dg, err)
		}
		if !assert.ObjectsAreEqual(withoutPresence(g), withoutPresence(again)) {
			t.Fatalf("DG%d differs after re-encoding:\n%+v\n%+v", dg, g, again)
		}
	})
}

func mustDecodeHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}
