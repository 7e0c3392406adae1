package terminal

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/internal/tlv"
)

// Tags of a CV certificate (STB 34.101.79, APPLICATION class, implicit tagging).
const (
	tagCVCertificate      tlv.Tag = 0x7F21
	tagCertificateBody    tlv.Tag = 0x7F4E
	tagProfileIdentifier  tlv.Tag = 0x5F29
	tagAuthorityReference tlv.Tag = 0x42
	tagPublicKey          tlv.Tag = 0x7F49
	tagHolderReference    tlv.Tag = 0x5F20
	tagCertHAT            tlv.Tag = 0x7F4C
	tagEffectiveDate      tlv.Tag = 0x5F25
	tagExpirationDate     tlv.Tag = 0x5F24
	tagExtensions         tlv.Tag = 0x65
	tagDiscretionaryData  tlv.Tag = 0x73
	tagSignature          tlv.Tag = 0x5F37
	tagOID                tlv.Tag = 0x06
	tagBitString          tlv.Tag = 0x03
	tagOctetString        tlv.Tag = 0x04
)

// Object identifiers of btok and STB 34.101.45 that a CV certificate carries.
var (
	oidBignPubKey  = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 2, 1}
	oidEIDAccess   = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 6, 1}
	oidESignAccess = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 6, 2}
	oidSignAuthExt = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 8, 1}
)

var (
	cvProfileV1 = []byte{0x00}
	// cvSignatureLens are the bign signature sizes for security levels 128, 192 and 256.
	cvSignatureLens = []int{48, 72, 96}
)

// CVCertificate is a card verifiable certificate of STB 34.101.79 (btok), the
// lightweight certificate «СОКобл» that the terminal module presents to the ID card.
//
//	CVCertificate ::= [APPLICATION 33] SEQUENCE {
//	  certificateBody [APPLICATION 78] SEQUENCE {
//	    certProfileIdentifier           [APPLICATION 41] INTEGER {v1(0)},
//	    certAuthorityReference          [APPLICATION 2]  CharString,
//	    publicKey                       [APPLICATION 73] PubKey,
//	    certHolderReference             [APPLICATION 32] CharString,
//	    certHolderAuthorizationTemplate [APPLICATION 76] CertHAT OPTIONAL,
//	    certEffectiveDate               [APPLICATION 37] CVDate,
//	    certExpirationDate              [APPLICATION 36] CVDate,
//	    certExtensions                  [APPLICATION 5]  CVExt OPTIONAL },
//	  signature [APPLICATION 55] OCTET STRING }
type CVCertificate struct {
	// Raw contains the whole certificate, the 7F21 element.
	Raw []byte
	// RawBody contains the 7F4E element with its tag and length: the signed bytes.
	RawBody []byte

	// AuthorityReference is the issuer (CAR), such as "BYCA1000".
	AuthorityReference string
	// HolderReference is the subject (CHR): a CA name or a serial number.
	HolderReference string
	// PublicKey is the bign public key x‖y, little-endian: 64, 96 or 128 bytes for the
	// security levels 128, 192 and 256.
	PublicKey []byte
	// Rights contains the eID word of certHolderAuthorizationTemplate and the eSign word
	// of the id-SignAuthExt extension. A missing template leaves its word zero.
	Rights AccessRights
	// EffectiveDate and ExpirationDate are the first and the last day of validity, at
	// 00:00 UTC. The certificate is valid through the whole expiration day.
	EffectiveDate  time.Time
	ExpirationDate time.Time
	// Signature is the issuer's bign signature over RawBody.
	Signature []byte
}

// ParseError reports malformed card data: a CV certificate or a data group. Offset
// counts bytes from the start of the parsed buffer.
type ParseError struct {
	Object string // "cv certificate", "DG7"
	Field  string // the ASN.1 component, such as "certHolderReference"
	Offset int
	Msg    string
	Err    error // the underlying *tlv.SyntaxError, if any
}

func (e *ParseError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("terminal: %s: offset %d: %s", e.Object, e.Offset, e.Msg)
	}
	return fmt.Sprintf("terminal: %s: offset %d: %s: %s", e.Object, e.Offset, e.Field, e.Msg)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseCVCertificate parses a DER-encoded CV certificate and checks every field against
// btok. It requires the component order of the schema and bign-pubkey as the key type.
// References must have 8 to 12 printable characters, and dates must be valid with the
// effective date not after the expiration date. Access templates must carry the btok
// OIDs and words of 5 (eID) and 2 (eSign) bytes, and the signature must have 48, 72 or
// 96 bytes. It does not verify the signature; see CheckSignatureFrom and
// VerifyCVChain. The result does not share memory with der.
func ParseCVCertificate(der []byte) (*CVCertificate, error) {
	der = bytes.Clone(der)
	p := &fieldParser{object: "cv certificate"}
	outer, err := p.single(der, tagCVCertificate, "CVCertificate")
	if err != nil {
		return nil, err
	}
	r, err := p.children(outer, "CVCertificate")
	if err != nil {
		return nil, err
	}

	body, err := p.next(r, tagCertificateBody, "certificateBody")
	if err != nil {
		return nil, err
	}
	c := &CVCertificate{Raw: der, RawBody: body.Raw}
	if err := p.parseBody(c, body); err != nil {
		return nil, err
	}

	sig, err := p.next(r, tagSignature, "signature")
	if err != nil {
		return nil, err
	}
	if !containsInt(cvSignatureLens, len(sig.Value)) {
		return nil, p.fail(sig.Offset, "signature",
			"length %d, expected 48, 72 or 96 bytes", len(sig.Value))
	}
	c.Signature = sig.Value
	if err := p.end(r, "CVCertificate"); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *fieldParser) parseBody(c *CVCertificate, body tlv.TLV) error {
	r, err := p.children(body, "certificateBody")
	if err != nil {
		return err
	}

	profile, err := p.next(r, tagProfileIdentifier, "certProfileIdentifier")
	if err != nil {
		return err
	}
	if !bytes.Equal(profile.Value, cvProfileV1) {
		return p.fail(profile.Offset, "certProfileIdentifier",
			"unsupported profile %X, expected 00 (v1)", profile.Value)
	}

	if c.AuthorityReference, err = p.charString(r, tagAuthorityReference,
		"certAuthorityReference"); err != nil {
		return err
	}
	if err := p.parsePublicKey(c, r); err != nil {
		return err
	}
	if c.HolderReference, err = p.charString(r, tagHolderReference,
		"certHolderReference"); err != nil {
		return err
	}

	if next, err := r.Peek(); err == nil && next.Tag == tagCertHAT {
		word, err := p.certHAT(r, oidEIDAccess, 5, "certHolderAuthorizationTemplate")
		if err != nil {
			return err
		}
		c.Rights.EID, _ = ParseEIDRights(word)
	}

	if err := p.parseDates(c, r); err != nil {
		return err
	}

	if r.More() {
		if err := p.parseExtensions(c, r); err != nil {
			return err
		}
	}
	return p.end(r, "certificateBody")
}

func (p *fieldParser) parsePublicKey(c *CVCertificate, r *tlv.Reader) error {
	const field = "publicKey"
	key, err := p.next(r, tagPublicKey, field)
	if err != nil {
		return err
	}
	kr, err := p.children(key, field)
	if err != nil {
		return err
	}
	if err := p.oid(kr, oidBignPubKey, field); err != nil {
		return err
	}
	bits, err := p.next(kr, tagBitString, field)
	if err != nil {
		return err
	}
	if len(bits.Value) == 0 || bits.Value[0] != 0 {
		return p.fail(bits.Offset, field, "bit string must start with 0 unused bits")
	}
	c.PublicKey = bits.Value[1:]
	if n := len(c.PublicKey); n != 64 && n != 96 && n != 128 {
		return p.fail(bits.Offset, field, "key of %d bytes, expected 64, 96 or 128", n)
	}
	return p.end(kr, field)
}

func (p *fieldParser) parseDates(c *CVCertificate, r *tlv.Reader) error {
	from, err := p.next(r, tagEffectiveDate, "certEffectiveDate")
	if err != nil {
		return err
	}
	if c.EffectiveDate, err = parseCVDate(from.Value); err != nil {
		return p.fail(from.Offset, "certEffectiveDate", "%v", err)
	}
	until, err := p.next(r, tagExpirationDate, "certExpirationDate")
	if err != nil {
		return err
	}
	if c.ExpirationDate, err = parseCVDate(until.Value); err != nil {
		return p.fail(until.Offset, "certExpirationDate", "%v", err)
	}
	if c.ExpirationDate.Before(c.EffectiveDate) {
		return p.fail(until.Offset, "certExpirationDate", "%s is before the effective date %s",
			c.ExpirationDate.Format(time.DateOnly), c.EffectiveDate.Format(time.DateOnly))
	}
	return nil
}

// parseExtensions reads certExtensions. btok allows a single extension, id-SignAuthExt,
// whose dataObjects is the CertHAT of the eSign application.
func (p *fieldParser) parseExtensions(c *CVCertificate, r *tlv.Reader) error {
	const field = "certExtensions"
	ext, err := p.next(r, tagExtensions, field)
	if err != nil {
		return err
	}
	er, err := p.children(ext, field)
	if err != nil {
		return err
	}
	ddt, err := p.next(er, tagDiscretionaryData, field)
	if err != nil {
		return err
	}
	dr, err := p.children(ddt, field)
	if err != nil {
		return err
	}
	if err := p.oid(dr, oidSignAuthExt, field); err != nil {
		return err
	}
	word, err := p.certHAT(dr, oidESignAccess, 2, field)
	if err != nil {
		return err
	}
	c.Rights.ESign, _ = ParseESignRights(word)
	if err := p.end(dr, field); err != nil {
		return err
	}
	return p.end(er, field)
}

// parseCVDate decodes a CVDate: six octets 00..09 holding the digits of YYMMDD, the year
// in the current century.
func parseCVDate(b []byte) (time.Time, error) {
	if len(b) != 6 {
		return time.Time{}, fmt.Errorf("length %d, expected 6 bytes", len(b))
	}
	for _, d := range b {
		if d > 9 {
			return time.Time{}, fmt.Errorf("byte %02X is not a digit 00..09", d)
		}
	}
	year := 2000 + int(b[0])*10 + int(b[1])
	month := time.Month(int(b[2])*10 + int(b[3]))
	day := int(b[4])*10 + int(b[5])
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Month() != month || t.Day() != day {
		return time.Time{}, fmt.Errorf("%X is not a valid date", b)
	}
	return t, nil
}

// encodeCVDate returns the CVDate of the calendar day of t in its own location.
func encodeCVDate(t time.Time) ([]byte, error) {
	year, month, day := t.Date()
	if year < 2000 || year > 2099 {
		return nil, fmt.Errorf("year %d is outside 2000..2099", year)
	}
	yy := year - 2000
	m := int(month)
	return []byte{byte(yy / 10), byte(yy % 10), byte(m / 10), byte(m % 10),
		byte(day / 10), byte(day % 10)}, nil
}

// checkCharString applies CharString ::= PrintableString(SIZE(8..12)).
func checkCharString(s string) error {
	if len(s) < 8 || len(s) > 12 {
		return fmt.Errorf("length %d, expected 8 to 12 characters", len(s))
	}
	return checkPrintable(s)
}

func isPrintable(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return bytes.IndexByte([]byte(" '()+,-./:=?"), c) >= 0
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// fieldParser reads TLV data with a fixed schema and reports faults as *ParseError
// naming the object, the ASN.1 component and the offset.
type fieldParser struct {
	object string
}

func (p *fieldParser) fail(offset int, field, format string, args ...any) error {
	return &ParseError{Object: p.object, Field: field, Offset: offset,
		Msg: fmt.Sprintf(format, args...)}
}

// wrap turns the *tlv.SyntaxError in err into a *ParseError.
func (p *fieldParser) wrap(err error) error {
	var se *tlv.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Errorf("terminal: %s: %w", p.object, err)
	}
	return &ParseError{Object: p.object, Field: se.Field, Offset: se.Offset, Msg: se.Msg,
		Err: err}
}

func (p *fieldParser) single(b []byte, tag tlv.Tag, field string) (tlv.TLV, error) {
	e, err := tlv.ParseTagged(b, tag, field)
	return e, p.wrapIf(err)
}

func (p *fieldParser) children(e tlv.TLV, field string) (*tlv.Reader, error) {
	r, err := e.FieldReader(field)
	return r, p.wrapIf(err)
}

func (p *fieldParser) next(r *tlv.Reader, tag tlv.Tag, field string) (tlv.TLV, error) {
	e, err := r.Expect(tag, field)
	return e, p.wrapIf(err)
}

func (p *fieldParser) end(r *tlv.Reader, field string) error {
	return p.wrapIf(r.End(field))
}

func (p *fieldParser) wrapIf(err error) error {
	if err == nil {
		return nil
	}
	return p.wrap(err)
}

// oid reads an OBJECT IDENTIFIER, which must equal want.
func (p *fieldParser) oid(r *tlv.Reader, want asn1.ObjectIdentifier, field string) error {
	e, err := p.next(r, tagOID, field)
	if err != nil {
		return err
	}
	var got asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(e.Raw, &got); err != nil || len(rest) != 0 {
		return p.fail(e.Offset, field, "malformed object identifier %X", e.Value)
	}
	if !got.Equal(want) {
		return p.fail(e.Offset, field, "object identifier %v, expected %v", got, want)
	}
	return nil
}

func (p *fieldParser) charString(r *tlv.Reader, tag tlv.Tag, field string) (string, error) {
	e, err := p.next(r, tag, field)
	if err != nil {
		return "", err
	}
	if err := checkCharString(string(e.Value)); err != nil {
		return "", p.fail(e.Offset, field, "%v", err)
	}
	return string(e.Value), nil
}

// certHAT reads CertHAT ::= [APPLICATION 76] SEQUENCE { objId, discretionaryData } and
// returns the access word, which must have size bytes.
func (p *fieldParser) certHAT(r *tlv.Reader, oid asn1.ObjectIdentifier, size int,
	field string) ([]byte, error) {
	hat, err := p.next(r, tagCertHAT, field)
	if err != nil {
		return nil, err
	}
	hr, err := p.children(hat, field)
	if err != nil {
		return nil, err
	}
	if err := p.oid(hr, oid, field); err != nil {
		return nil, err
	}
	word, err := p.next(hr, tagOctetString, field)
	if err != nil {
		return nil, err
	}
	if len(word.Value) != size {
		return nil, p.fail(word.Offset, field, "access word of %d bytes, expected %d",
			len(word.Value), size)
	}
	return word.Value, p.end(hr, field)
}
