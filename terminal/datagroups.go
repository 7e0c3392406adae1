package terminal

import (
	"bytes"
	"encoding/asn1"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/esiful/sdk-go/internal/tlv"
)

// DataGroupFileID returns the file identifier (FID) of data group dg in the eID
// application: 0101 for DG1 up to 0116 for DG22. It returns 0 for a dg outside 1..22.
func DataGroupFileID(dg int) uint16 {
	if dg < 1 || dg > DataGroupCount {
		return 0
	}
	return 0x0100 + uint16(dg)
}

// dataGroupTag returns the tag of the element stored in the file of dg. Each data group
// type is an [APPLICATION dg] type with implicit tagging, so strings and dates get the
// primitive tag 0x40+dg and SET OF the constructed tag 0x60+dg. GeneralPlace is a CHOICE, which
// ASN.1 always tags explicitly, so DG9 and DG17 are constructed as well.
func dataGroupTag(dg int) tlv.Tag {
	switch dg {
	case 9, 12, 17:
		return tlv.Tag(0x60 + dg)
	}
	return tlv.Tag(0x40 + dg)
}

// mandatoryGroups are the groups whose files every card has (DG1-DG11, DG15, DG16).
var mandatoryGroups = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16}

// DataGroups contains the identification data of the eID application (STB 34.101.79),
// one field per data group. Fields of groups not read stay zero, and Has reports which
// groups were read.
type DataGroups struct {
	SerialNumber     string         // DG1, the card number with its prefix: "IDCBY-590082394654"
	IssuingState     string         // DG2, "BLR"
	DateOfExpiry     CardDate       // DG3
	GivenName        LocalizedText  // DG4, Belarusian/Russian/Latin
	FamilyName       LocalizedText  // DG5, "МIЦКЕВIЧ/МИЦКЕВИЧ/MITSKEVICH"
	MiddleName       LocalizedText  // DG6, Belarusian/Russian/Latin, empty if none
	PersonalNumberID string         // DG7, with its prefix: "PNOBY-3150385A001PB6"
	DateOfBirth      CardDate       // DG8, month and day may be unknown
	PlaceOfBirth     Place          // DG9
	Nationality      string         // DG10, "BLR", or "XXX" for none or unknown
	Sex              string         // DG11, "M", "F" or " "
	OptionalData     []OptionalData // DG12
	WrittenSignature []byte         // DG14, a JPEG 2000 image
	DateOfIssuance   CardDate       // DG15
	IssuanceBoard    LocalizedText  // DG16, Belarusian/Russian
	PlaceOfResidence Place          // DG17
	DistrictID       string         // DG18, a region code such as "ZIPBY-220045", or empty
	PhoneNumber      string         // DG21, an RFC 3966 global number
	EmailAddress     string         // DG22
	// Reserved contains the raw files of DG13, DG19 and DG20, which btok leaves
	// undefined, keyed by group number.
	Reserved map[int][]byte

	present uint32
}

// Has reports whether data group dg was parsed into g.
func (g *DataGroups) Has(dg int) bool {
	return dg >= 1 && dg <= DataGroupCount && g.present&(1<<dg) != 0
}

// DocumentNumber returns the card number of DG1 without its "IDCBY-" prefix.
func (g *DataGroups) DocumentNumber() string {
	return afterPrefix(g.SerialNumber)
}

// PersonalNumber returns the personal number of DG7 without its "PNOBY-" prefix.
func (g *DataGroups) PersonalNumber() string {
	return afterPrefix(g.PersonalNumberID)
}

// afterPrefix returns s after its country prefix such as "IDCBY-", which the parser has
// checked to be six characters long.
func afterPrefix(s string) string {
	if len(s) < 6 {
		return ""
	}
	return s[6:]
}

// LocalizedText is a card string that gives the same value in several languages
// separated by "/": Belarusian, Russian and, in names, Latin.
type LocalizedText string

func (t LocalizedText) part(i int) string {
	parts := strings.Split(string(t), "/")
	if i >= len(parts) {
		return ""
	}
	return parts[i]
}

// Belarusian returns the first part of the text.
func (t LocalizedText) Belarusian() string { return t.part(0) }

// Russian returns the second part of the text.
func (t LocalizedText) Russian() string { return t.part(1) }

// Latin returns the third part of the text, present in names only.
func (t LocalizedText) Latin() string { return t.part(2) }

// CardDate is a date of a data group, stored as the NumericString "YYYYMMDD". In the
// birth date (DG8) an unknown month or day is written as spaces and kept here as 0.
type CardDate struct {
	Year, Month, Day int
}

// IsZero reports whether the date is unset.
func (d CardDate) IsZero() bool { return d == CardDate{} }

// String returns the stored form, "YYYYMMDD" with spaces for unknown parts.
func (d CardDate) String() string {
	month, day := "  ", "  "
	if d.Month != 0 {
		month = fmt.Sprintf("%02d", d.Month)
	}
	if d.Day != 0 {
		day = fmt.Sprintf("%02d", d.Day)
	}
	return fmt.Sprintf("%04d%s%s", d.Year, month, day)
}

// Latest returns the last day the date can stand for, at 00:00 UTC: 31 December for an
// unknown month, the last day of the month for an unknown day. btok uses it for age
// checks.
func (d CardDate) Latest() time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year, time.December, 31, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

func parseCardDate(s string, partial bool) (CardDate, error) {
	if len(s) != 8 {
		return CardDate{}, fmt.Errorf("length %d, expected 8 characters YYYYMMDD", len(s))
	}
	var d CardDate
	var err error
	if d.Year, err = digits(s[0:4]); err != nil {
		return CardDate{}, err
	}
	if partial && s[4:8] == "    " {
		return d, nil
	}
	if d.Month, err = digits(s[4:6]); err != nil {
		return CardDate{}, err
	}
	if d.Month < 1 || d.Month > 12 {
		return CardDate{}, fmt.Errorf("month %02d is invalid", d.Month)
	}
	if partial && s[6:8] == "  " {
		return d, nil
	}
	if d.Day, err = digits(s[6:8]); err != nil {
		return CardDate{}, err
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	if d.Day < 1 || t.Day() != d.Day {
		return CardDate{}, fmt.Errorf("%s is not a valid date", s)
	}
	return d, nil
}

func digits(s string) (int, error) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("character %q is not a digit", s[i])
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, nil
}

// PlaceKind is the alternative of GeneralPlace that a Place contains.
type PlaceKind int

// The alternatives of GeneralPlace.
const (
	PlaceStructured PlaceKind = iota // structuredPlace: street, city, state, country, zip code
	PlaceFreeText                    // freetextPlace: an address in one string
	PlaceNoInfo                      // noPlaceInfo: why no address is given
)

// Place is the GeneralPlace of DG9 (place of birth) and DG17 (place of residence).
type Place struct {
	Kind    PlaceKind
	Street  LocalizedText // structured, optional
	City    LocalizedText // structured
	State   LocalizedText // structured, optional: region and district
	Country string        // structured, three letters
	ZipCode string        // structured, optional
	// Text is the free text or the no-information text, in Belarusian and Russian.
	Text LocalizedText
}

// OptionalData is one entry of DG12: an object identifier and, if present, the DER
// encoding of the data it defines. Encode writes the entries of DG12 in DER order (by
// their encodings), which need not be the order of the slice.
type OptionalData struct {
	Type asn1.ObjectIdentifier
	Data []byte
}

// ParseDataGroups parses the files of the data groups read from a card, keyed by group
// number 1..22. Each file holds the DER encoding of the group's element.
func ParseDataGroups(files map[int][]byte) (*DataGroups, error) {
	numbers := make([]int, 0, len(files))
	for dg := range files {
		numbers = append(numbers, dg)
	}
	sort.Ints(numbers)

	g := &DataGroups{}
	for _, dg := range numbers {
		if err := g.Parse(dg, files[dg]); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Parse parses the file of data group dg into the matching field of g.
func (g *DataGroups) Parse(dg int, file []byte) error {
	if dg < 1 || dg > DataGroupCount {
		return fmt.Errorf("terminal: data group %d is outside DG1..DG22", dg)
	}
	if isReservedGroup(dg) {
		if g.Reserved == nil {
			g.Reserved = make(map[int][]byte)
		}
		g.Reserved[dg] = bytes.Clone(file)
		g.present |= 1 << dg
		return nil
	}

	p := &fieldParser{object: fmt.Sprintf("DG%d", dg)}
	name := dataGroupNames[dg]
	e, err := p.single(bytes.Clone(file), dataGroupTag(dg), name)
	if err != nil {
		return err
	}
	if err := g.parseValue(p, dg, name, e); err != nil {
		return err
	}
	g.present |= 1 << dg
	return nil
}

var dataGroupNames = [DataGroupCount + 1]string{"",
	"SerialNumber", "IssuingState", "DateOfExpiry", "GivenName", "FamilyName",
	"MiddleName", "PersonalNumber", "DateOfBirth", "PlaceOfBirth", "Nationality", "Sex",
	"OptionalDataR", "DG13", "WrittenSignature", "DateOfIssuance", "IssuanceBoard",
	"PlaceOfResidence", "DistrictID", "DG19", "DG20", "PhoneNumber", "EmailAddress",
}

func isReservedGroup(dg int) bool { return dg == 13 || dg == 19 || dg == 20 }

// parseValue checks the value of e, the element of data group dg, and stores it in g.
func (g *DataGroups) parseValue(p *fieldParser, dg int, name string, e tlv.TLV) error {
	value := string(e.Value)
	var err error
	switch dg {
	case 1:
		g.SerialNumber, err = value, checkPrefixed(value, "IDC", 14, 18)
	case 2:
		g.IssuingState, err = value, checkCountry(value)
	case 3:
		g.DateOfExpiry, err = parseCardDate(value, false)
	case 4:
		g.GivenName, err = LocalizedText(value), checkUTF8(value)
	case 5:
		g.FamilyName, err = LocalizedText(value), checkUTF8(value)
	case 6:
		g.MiddleName, err = LocalizedText(value), checkUTF8(value)
	case 7:
		g.PersonalNumberID, err = value, checkPrefixed(value, "PNO", 7, 64)
	case 8:
		g.DateOfBirth, err = parseCardDate(value, true)
	case 9:
		g.PlaceOfBirth, err = p.parsePlace(e, name)
		return err
	case 10:
		g.Nationality, err = value, checkCountry(value)
	case 11:
		g.Sex = value
		if value != "M" && value != "F" && value != " " {
			err = fmt.Errorf("value %q, expected \"M\", \"F\" or \" \"", value)
		}
	case 12:
		g.OptionalData, err = p.parseOptionalData(e, name)
		return err
	case 14:
		g.WrittenSignature = e.Value
	case 15:
		g.DateOfIssuance, err = parseCardDate(value, false)
	case 16:
		g.IssuanceBoard, err = LocalizedText(value), checkUTF8(value)
	case 17:
		g.PlaceOfResidence, err = p.parsePlace(e, name)
		return err
	case 18:
		g.DistrictID, err = value, checkDistrictID(value)
	case 21:
		g.PhoneNumber, err = value, checkPrintable(value)
	case 22:
		g.EmailAddress, err = value, checkIA5(value)
	}
	if err != nil {
		return p.fail(e.ValueOffset(), name, "%v", err)
	}
	return nil
}

// checkPrefixed checks a PrintableString of minLen..maxLen characters that starts with
// a prefix such as "IDCBY-": kind, a two-letter country code and a hyphen.
func checkPrefixed(s, kind string, minLen, maxLen int) error {
	if len(s) < minLen || len(s) > maxLen {
		return fmt.Errorf("length %d, expected %d to %d characters", len(s), minLen, maxLen)
	}
	if err := checkPrintable(s); err != nil {
		return err
	}
	if !strings.HasPrefix(s, kind) || !isUpper(s[3]) || !isUpper(s[4]) || s[5] != '-' {
		return fmt.Errorf("value %q does not start with %sXX-", s, kind)
	}
	return nil
}

// checkDistrictID checks DG18: empty, or a three-letter code type, a two-letter country
// and a hyphen before the code itself ("ZIPBY-220045").
func checkDistrictID(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > 64 {
		return fmt.Errorf("length %d exceeds 64 characters", len(s))
	}
	if err := checkPrintable(s); err != nil {
		return err
	}
	if len(s) < 7 || s[5] != '-' {
		return fmt.Errorf("value %q does not have the form ZIPBY-220045", s)
	}
	return nil
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// checkCountry applies Country ::= ICAOString(SIZE(3)), letters A-Z and spaces.
func checkCountry(s string) error {
	if len(s) != 3 {
		return fmt.Errorf("length %d, expected a 3-letter country code", len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && s[i] != ' ' {
			return fmt.Errorf("character %q is not a capital letter", s[i])
		}
	}
	return nil
}

func checkPrintable(s string) error {
	for i := 0; i < len(s); i++ {
		if !isPrintable(s[i]) {
			return fmt.Errorf("byte %02X at index %d is not a PrintableString character", s[i], i)
		}
	}
	return nil
}

func checkIA5(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7F {
			return fmt.Errorf("byte %02X at index %d is not an IA5String character", s[i], i)
		}
	}
	return nil
}

func checkUTF8(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8")
	}
	return nil
}

// Tags of GeneralPlace and Place (implicit context-specific tags).
const (
	tagSequence      tlv.Tag = 0x30
	tagFreeTextPlace tlv.Tag = 0x81
	tagNoPlaceInfo   tlv.Tag = 0x82
	tagStreet        tlv.Tag = 0x8A
	tagCity          tlv.Tag = 0x8B
	tagState         tlv.Tag = 0x8C
	tagCountry       tlv.Tag = 0x8D
	tagZipCode       tlv.Tag = 0x8E
)

// optional reads the next element if it carries tag.
func (p *fieldParser) optional(r *tlv.Reader, tag tlv.Tag, field string) ([]byte, error) {
	if !r.More() {
		return nil, nil
	}
	if next, err := r.Peek(); err != nil || next.Tag != tag {
		return nil, p.wrapIf(err)
	}
	e, err := p.next(r, tag, field)
	return e.Value, err
}

// parsePlace reads GeneralPlace, explicitly tagged by the data group.
func (p *fieldParser) parsePlace(e tlv.TLV, field string) (Place, error) {
	r, err := p.children(e, field)
	if err != nil {
		return Place{}, err
	}
	if !r.More() {
		return Place{}, p.fail(r.Offset(), field, "missing GeneralPlace")
	}
	choice, err := r.Next()
	if err != nil {
		return Place{}, p.wrap(err)
	}
	if err := p.end(r, field); err != nil {
		return Place{}, err
	}

	var place Place
	switch choice.Tag {
	case tagFreeTextPlace, tagNoPlaceInfo:
		place.Kind = PlaceFreeText
		if choice.Tag == tagNoPlaceInfo {
			place.Kind = PlaceNoInfo
		}
		place.Text = LocalizedText(choice.Value)
		if err := checkUTF8(string(choice.Value)); err != nil {
			return Place{}, p.fail(choice.ValueOffset(), field, "%v", err)
		}
		return place, nil
	case tagSequence:
		return place, p.parseStructuredPlace(&place, choice, field)
	}
	return Place{}, p.fail(choice.Offset, field, "tag %v, expected 30, 81 or 82", choice.Tag)
}

func (p *fieldParser) parseStructuredPlace(place *Place, seq tlv.TLV, field string) error {
	r, err := p.children(seq, field)
	if err != nil {
		return err
	}
	texts := []struct {
		tag      tlv.Tag
		name     string
		required bool
		dst      *LocalizedText
	}{
		{tagStreet, field + ".street", false, &place.Street},
		{tagCity, field + ".city", true, &place.City},
		{tagState, field + ".state", false, &place.State},
	}
	for _, f := range texts {
		offset := r.Offset()
		var value []byte
		if f.required {
			e, err := p.next(r, f.tag, f.name)
			if err != nil {
				return err
			}
			value = e.Value
		} else if value, err = p.optional(r, f.tag, f.name); err != nil {
			return err
		}
		if err := checkUTF8(string(value)); err != nil {
			return p.fail(offset, f.name, "%v", err)
		}
		*f.dst = LocalizedText(value)
	}

	country, err := p.next(r, tagCountry, field+".country")
	if err != nil {
		return err
	}
	if err := checkCountry(string(country.Value)); err != nil {
		return p.fail(country.Offset, field+".country", "%v", err)
	}
	place.Country = string(country.Value)

	offset := r.Offset()
	zip, err := p.optional(r, tagZipCode, field+".zipcode")
	if err != nil {
		return err
	}
	if err := checkPrintable(string(zip)); err != nil {
		return p.fail(offset, field+".zipcode", "%v", err)
	}
	place.ZipCode = string(zip)
	return p.end(r, field)
}

// parseOptionalData reads SET OF OptionalData. DER requires the elements of a SET OF in
// ascending order of their encodings, which keeps the encoding unique.
func (p *fieldParser) parseOptionalData(e tlv.TLV, field string) ([]OptionalData, error) {
	r, err := p.children(e, field)
	if err != nil {
		return nil, err
	}
	var list []OptionalData
	var previous []byte
	for r.More() {
		item, err := p.next(r, tagSequence, field)
		if err != nil {
			return nil, err
		}
		if bytes.Compare(previous, item.Raw) > 0 {
			return nil, p.fail(item.Offset, field, "SET OF elements are not in DER order")
		}
		previous = item.Raw

		ir, err := p.children(item, field)
		if err != nil {
			return nil, err
		}
		oid, err := p.next(ir, tagOID, field)
		if err != nil {
			return nil, err
		}
		var entry OptionalData
		if rest, err := asn1.Unmarshal(oid.Raw, &entry.Type); err != nil || len(rest) != 0 {
			return nil, p.fail(oid.Offset, field, "malformed object identifier %X", oid.Value)
		}
		if ir.More() {
			data, err := ir.Next()
			if err != nil {
				return nil, p.wrap(err)
			}
			entry.Data = data.Raw
		}
		if err := p.end(ir, field); err != nil {
			return nil, err
		}
		list = append(list, entry)
	}
	return list, nil
}

// Encode returns the file content of data group dg built from the fields of g, in DER.
// The fake ID card uses it to lay out its eID application. The result is parsed back
// before it is returned, so invalid field values fail here and never reach a card.
func (g *DataGroups) Encode(dg int) ([]byte, error) {
	if dg < 1 || dg > DataGroupCount {
		return nil, fmt.Errorf("terminal: data group %d is outside DG1..DG22", dg)
	}
	if isReservedGroup(dg) {
		return bytes.Clone(g.Reserved[dg]), nil
	}

	tag := dataGroupTag(dg)
	var file []byte
	switch dg {
	case 9:
		file = tlv.EncodeConstructed(tag, encodePlace(g.PlaceOfBirth))
	case 12:
		file = encodeOptionalData(tag, g.OptionalData)
	case 17:
		file = tlv.EncodeConstructed(tag, encodePlace(g.PlaceOfResidence))
	default:
		file = tlv.Encode(tag, g.primitiveValue(dg))
	}
	if err := new(DataGroups).Parse(dg, file); err != nil {
		return nil, err
	}
	return file, nil
}

func (g *DataGroups) primitiveValue(dg int) []byte {
	values := map[int]string{
		1: g.SerialNumber, 2: g.IssuingState, 3: g.DateOfExpiry.String(),
		4: string(g.GivenName), 5: string(g.FamilyName), 6: string(g.MiddleName),
		7: g.PersonalNumberID, 8: g.DateOfBirth.String(), 10: g.Nationality, 11: g.Sex,
		14: string(g.WrittenSignature), 15: g.DateOfIssuance.String(),
		16: string(g.IssuanceBoard), 18: g.DistrictID, 21: g.PhoneNumber, 22: g.EmailAddress,
	}
	return []byte(values[dg])
}

func encodePlace(place Place) []byte {
	switch place.Kind {
	case PlaceFreeText:
		return tlv.Encode(tagFreeTextPlace, []byte(place.Text))
	case PlaceNoInfo:
		return tlv.Encode(tagNoPlaceInfo, []byte(place.Text))
	}
	var fields [][]byte
	if place.Street != "" {
		fields = append(fields, tlv.Encode(tagStreet, []byte(place.Street)))
	}
	fields = append(fields, tlv.Encode(tagCity, []byte(place.City)))
	if place.State != "" {
		fields = append(fields, tlv.Encode(tagState, []byte(place.State)))
	}
	fields = append(fields, tlv.Encode(tagCountry, []byte(place.Country)))
	if place.ZipCode != "" {
		fields = append(fields, tlv.Encode(tagZipCode, []byte(place.ZipCode)))
	}
	return tlv.EncodeConstructed(tagSequence, fields...)
}

func encodeOptionalData(tag tlv.Tag, list []OptionalData) []byte {
	items := make([][]byte, 0, len(list))
	for _, entry := range list {
		oid, err := asn1.Marshal(entry.Type)
		if err != nil {
			// Leave the malformed identifier empty, so the parse in Encode reports it.
			oid = tlv.Encode(tagOID, nil)
		}
		items = append(items, tlv.EncodeConstructed(tagSequence, oid, entry.Data))
	}
	sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i], items[j]) < 0 })
	return tlv.EncodeConstructed(tag, items...)
}

// EncodeAll returns the files of the mandatory groups (DG1-DG11, DG15, DG16), of every
// other group that was parsed or has a non-empty field, and of the groups in Reserved.
func (g *DataGroups) EncodeAll() (map[int][]byte, error) {
	include := map[int]bool{
		12: len(g.OptionalData) > 0, 14: len(g.WrittenSignature) > 0,
		17: g.PlaceOfResidence != (Place{}), 18: g.DistrictID != "",
		21: g.PhoneNumber != "", 22: g.EmailAddress != "",
	}
	for _, dg := range mandatoryGroups {
		include[dg] = true
	}
	for dg := range g.Reserved {
		include[dg] = true
	}

	files := make(map[int][]byte)
	for dg := 1; dg <= DataGroupCount; dg++ {
		if !include[dg] && !g.Has(dg) {
			continue
		}
		file, err := g.Encode(dg)
		if err != nil {
			return nil, err
		}
		files[dg] = file
	}
	return files, nil
}
