package gir

import (
	"encoding/json"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// PersonalData is a person's record in the population register («Регистр
// населения»), as its service delivers it.
type PersonalData struct {
	PersonalNumber ifyul.PersonalNumber `json:"personal_number,omitzero"`
	// Names holds the name in Russian, Belarusian and Latin letters.
	Names ifyul.Names `json:"names"`
	// BirthDate is at midnight UTC; zero when not sent.
	BirthDate  time.Time  `json:"birth_date,omitzero"`
	BirthPlace BirthPlace `json:"birth_place,omitzero"`
	Sex        ifyul.Sex  `json:"sex"`
	// Citizenship is the code as sent, such as "BLR".
	Citizenship string           `json:"citizenship,omitempty"`
	Document    IdentityDocument `json:"document,omitzero"`
	// Deceased is the register's death mark. It is also true when only a
	// death date was sent.
	Deceased  bool      `json:"deceased,omitempty"`
	DeathDate time.Time `json:"death_date,omitzero"`
	// Extra holds the members that the schema does not name, unchanged.
	Extra map[string]json.RawMessage `json:"extra,omitempty"`
}

// BirthPlace is the place of birth as text, in the languages sent.
type BirthPlace struct {
	Russian    string `json:"ru,omitempty"`
	Belarusian string `json:"be,omitempty"`
}

// IdentityDocument is the person's identity document: an ID card or a
// passport.
type IdentityDocument struct {
	// Type is the document type as sent.
	Type   string `json:"type,omitempty"`
	Number string `json:"number,omitempty"`
	// IssueDate and ExpiryDate are at midnight UTC; zero when not sent.
	IssueDate time.Time `json:"issue_date,omitzero"`
	// Issuer is the issuing authority («орган, выдавший документ»).
	Issuer       string    `json:"issuer,omitempty"`
	IssuingState string    `json:"issuing_state,omitempty"`
	ExpiryDate   time.Time `json:"expiry_date,omitzero"`
}

// DecodePersonalData decodes personal data with DefaultSchema. See
// Schema.DecodePersonalData.
func DecodePersonalData(raw json.RawMessage) (*PersonalData, error) {
	return DefaultSchema.DecodePersonalData(raw)
}

// DecodePersonalData decodes a JSON object of personal data whose members
// s.Person names. Every member is optional, but the object must have at
// least one of them: an object of another shape is an error listing the
// names expected. Strings must be JSON strings, dates strings in the form
// YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY, the death mark a boolean, and the
// personal number and sex must pass ifyul.ParsePersonalNumber and
// ifyul.ParseSex. Errors are *FieldError naming the member and its byte
// offset in raw. Members the schema does not name are kept in Extra.
func (s *Schema) DecodePersonalData(raw json.RawMessage) (*PersonalData, error) {
	return s.decodePersonalData("personal data", raw, 0)
}

func (s *Schema) decodePersonalData(object string, raw []byte, base int64) (*PersonalData, error) {
	o, err := readObject(object, raw, base)
	if err != nil {
		return nil, err
	}
	f := &s.Person
	d := &PersonalData{}
	r := fieldReader{o: o}

	d.PersonalNumber = r.personalNumber(f.PersonalNumber)
	d.Names.Russian = r.name(f.Russian)
	d.Names.Belarusian = r.name(f.Belarusian)
	d.Names.Latin = r.name(f.Latin)
	d.BirthDate = r.date(f.BirthDate)
	d.BirthPlace.Russian = r.string(f.BirthPlaceRussian)
	d.BirthPlace.Belarusian = r.string(f.BirthPlaceBelarusian)
	d.Sex = r.sex(f.Sex)
	d.Citizenship = r.string(f.Citizenship)
	d.Document = IdentityDocument{
		Type:         r.string(f.DocumentType),
		Number:       r.string(f.DocumentNumber),
		IssueDate:    r.date(f.DocumentIssueDate),
		Issuer:       r.string(f.DocumentIssuer),
		IssuingState: r.string(f.DocumentIssuingState),
		ExpiryDate:   r.date(f.DocumentExpiryDate),
	}
	d.Deceased = r.boolean(f.Deceased)
	d.DeathDate = r.date(f.DeathDate)
	if r.err != nil {
		return nil, r.err
	}
	d.Deceased = d.Deceased || !d.DeathDate.IsZero()
	d.Extra = o.extra()

	if len(o.used) == 0 {
		return nil, &FieldError{Object: object, Offset: base + int64(skipSpace(raw, 0)),
			Reason: "expected at least one of " + quoteNames(f.PersonalNumber,
				f.Russian.Family, f.Belarusian.Family, f.Latin.Family, f.BirthDate,
				f.DocumentNumber) + ", got none"}
	}
	return d, nil
}

// fieldReader reads members of one object and keeps the first error, so
// that a decoder checks once after reading all of them.
type fieldReader struct {
	o   *jsonObject
	err error
}

func (r *fieldReader) keep(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *fieldReader) string(names FieldNames) string {
	s, err := r.o.string(names)
	r.keep(err)
	return s
}

func (r *fieldReader) date(names FieldNames) time.Time {
	t, err := r.o.date(names)
	r.keep(err)
	return t
}

func (r *fieldReader) boolean(names FieldNames) bool {
	b, err := r.o.boolean(names)
	r.keep(err)
	return b
}

func (r *fieldReader) name(f NameFields) ifyul.PersonName {
	return ifyul.PersonName{Family: r.string(f.Family), Given: r.string(f.Given),
		Patronymic: r.string(f.Patronymic)}
}

func (r *fieldReader) personalNumber(names FieldNames) ifyul.PersonalNumber {
	s := r.string(names)
	if s == "" || r.err != nil {
		return ifyul.PersonalNumber{}
	}
	pn, err := ifyul.ParsePersonalNumber(s)
	if err != nil {
		name, m, _, _ := r.o.member(names)
		r.keep(r.o.fail(name, m.offset, err.Error()))
	}
	return pn
}

func (r *fieldReader) sex(names FieldNames) ifyul.Sex {
	s := r.string(names)
	if s == "" || r.err != nil {
		return ifyul.SexUnknown
	}
	sex, err := ifyul.ParseSex(s)
	if err != nil {
		name, m, _, _ := r.o.member(names)
		r.keep(r.o.fail(name, m.offset, err.Error()))
	}
	return sex
}
