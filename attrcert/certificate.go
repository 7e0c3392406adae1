package attrcert

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
)

// Certificate is an X.509 public-key certificate that may be signed with
// bign-with-hbelt and carry a bign public key, as the certificates of ГосСУОК are.
//
// crypto/x509 parses such certificates but reports their algorithms as unknown and
// cannot verify them, so Certificate keeps the algorithm identifiers and the bign
// key next to the parsed form.
type Certificate struct {
	// X509 is the certificate as parsed by crypto/x509. For a bign certificate its
	// SignatureAlgorithm and PublicKeyAlgorithm are Unknown and its PublicKey is nil.
	// Its CheckSignatureFrom and Verify methods cannot handle bign: use the methods
	// of Certificate instead.
	X509 *x509.Certificate

	// SignatureAlgorithm is the algorithm OID of the outer signatureAlgorithm field.
	SignatureAlgorithm asn1.ObjectIdentifier

	// SignatureAlgorithmParameters is the DER encoding of the parameters of
	// signatureAlgorithm, or nil when they are absent.
	SignatureAlgorithmParameters []byte

	// PublicKeyAlgorithm is the algorithm OID of subjectPublicKeyInfo.
	PublicKeyAlgorithm asn1.ObjectIdentifier

	// PublicKey is the subject's public key: a bign public key for bign-pubkey,
	// otherwise X509.PublicKey (nil for algorithms that crypto/x509 does not know).
	PublicKey any
}

// ParseError describes malformed certificate DER: which field is wrong and where
// that field starts in the input.
type ParseError struct {
	// Field is the ASN.1 name of the field, such as "signatureAlgorithm" or
	// "subjectPublicKeyInfo.subjectPublicKey".
	Field string
	// Offset is the byte offset of the field's tag in the parsed input.
	Offset int
	// Err is the reason.
	Err error
}

// Error returns the field, offset and reason.
func (e *ParseError) Error() string {
	return fmt.Sprintf("attrcert: %s at offset %d: %v", e.Field, e.Offset, e.Err)
}

// Unwrap returns the reason, so that errors.Is sees errors of crypto/x509 and bign.
func (e *ParseError) Unwrap() error { return e.Err }

func parseErrorf(field string, offset int, format string, args ...any) *ParseError {
	return &ParseError{Field: field, Offset: offset, Err: fmt.Errorf(format, args...)}
}

// DER tags used by the outer certificate structure.
const (
	tagInteger     = 0x02
	tagBitString   = 0x03
	tagNull        = 0x05
	tagOID         = 0x06
	tagSequence    = 0x30
	tagExplicitTag = 0xa0
)

// ParseCertificate parses one DER-encoded X.509 certificate.
//
// The outer structure and the subject public key are checked here, with errors
// naming the field and its byte offset as a *ParseError. The rest of the
// certificate is parsed by crypto/x509, whose error is wrapped in a *ParseError for
// the tbsCertificate field. A bign-pubkey key must be on bign-curve256v1
// (1.2.112.0.2.0.34.101.45.3.1). Unknown signature algorithms are accepted here
// and rejected by CheckSignatureFrom and Verify with ErrUnsupportedAlgorithm.
func ParseCertificate(der []byte) (*Certificate, error) {
	outer, err := parseOuter(der)
	if err != nil {
		return nil, err
	}
	if err := rejectAttributeCertificate(&outer.tbs); err != nil {
		return nil, err
	}

	if err := checkSignatureParameters(outer); err != nil {
		return nil, err
	}

	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, &ParseError{Field: "tbsCertificate", Offset: outer.tbs.offset, Err: err}
	}
	c := &Certificate{
		X509:                         parsed,
		SignatureAlgorithm:           outer.algorithm,
		SignatureAlgorithmParameters: outer.parameters,
	}

	spki, err := findSubjectPublicKeyInfo(outer.tbs)
	if err != nil {
		return nil, err
	}
	if err := c.parsePublicKey(spki); err != nil {
		return nil, err
	}
	return c, nil
}

// ParseCertificatePEM parses the first PEM block of type CERTIFICATE in data,
// skipping blocks of other types before it.
func ParseCertificatePEM(data []byte) (*Certificate, error) {
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("attrcert: no PEM block of type CERTIFICATE found")
		}
		if block.Type == "CERTIFICATE" {
			return ParseCertificate(block.Bytes)
		}
	}
}

// Equal reports whether c and other have the same DER encoding.
func (c *Certificate) Equal(other *Certificate) bool {
	if c == nil || other == nil {
		return c == other
	}
	return bytes.Equal(c.X509.Raw, other.X509.Raw)
}

// outerCertificate holds the three fields of Certificate ::= SEQUENCE {
// tbsCertificate, signatureAlgorithm, signatureValue }.
type outerCertificate struct {
	tbs          element
	algorithm    asn1.ObjectIdentifier
	parameters   []byte
	parametersAt int
	signature    element
}

func parseOuter(der []byte) (outerCertificate, error) {
	var out outerCertificate

	cert, rest, err := readElement(der, 0, "certificate", tagSequence)
	if err != nil {
		return out, err
	}
	if len(rest) != 0 {
		return out, parseErrorf("certificate", len(der)-len(rest),
			"%d bytes of trailing data after the certificate", len(rest))
	}

	body, base := cert.content, cert.contentOffset()
	if out.tbs, body, err = readElement(body, base, "tbsCertificate", tagSequence); err != nil {
		return out, err
	}
	base = out.tbs.end()

	algorithm, body, err := readElement(body, base, "signatureAlgorithm", tagSequence)
	if err != nil {
		return out, err
	}
	base = algorithm.end()
	if err := out.parseAlgorithm(algorithm); err != nil {
		return out, err
	}

	out.signature, body, err = readElement(body, base, "signatureValue", tagBitString)
	if err != nil {
		return out, err
	}
	if err := checkBitString(out.signature, "signatureValue"); err != nil {
		return out, err
	}
	if len(body) != 0 {
		return out, parseErrorf("certificate", out.signature.end(),
			"unexpected element after signatureValue")
	}
	return out, nil
}

// parseAlgorithm reads AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT
// IDENTIFIER, parameters ANY OPTIONAL }.
func (out *outerCertificate) parseAlgorithm(seq element) error {
	oid, rest, err := readElement(seq.content, seq.contentOffset(),
		"signatureAlgorithm.algorithm", tagOID)
	if err != nil {
		return err
	}
	if _, err := asn1.Unmarshal(oid.raw, &out.algorithm); err != nil {
		return &ParseError{Field: "signatureAlgorithm.algorithm", Offset: oid.offset, Err: err}
	}
	if len(rest) == 0 {
		return nil
	}

	params, rest, err := readElement(rest, oid.end(), "signatureAlgorithm.parameters", 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return parseErrorf("signatureAlgorithm", params.end(),
			"unexpected element after parameters")
	}
	out.parameters = params.raw
	out.parametersAt = params.offset
	return nil
}

// findSubjectPublicKeyInfo walks the fields of TBSCertificate up to
// subjectPublicKeyInfo, so that errors about the key can name its offset.
func findSubjectPublicKeyInfo(tbs element) (element, error) {
	body, base := tbs.content, tbs.contentOffset()
	fields := []struct {
		name string
		tag  byte
	}{
		{"tbsCertificate.serialNumber", tagInteger},
		{"tbsCertificate.signature", tagSequence},
		{"tbsCertificate.issuer", tagSequence},
		{"tbsCertificate.validity", tagSequence},
		{"tbsCertificate.subject", tagSequence},
		{"tbsCertificate.subjectPublicKeyInfo", tagSequence},
	}
	if len(body) > 0 && body[0] == tagExplicitTag {
		version, rest, err := readElement(body, base, "tbsCertificate.version", tagExplicitTag)
		if err != nil {
			return element{}, err
		}
		body, base = rest, version.end()
	}

	var field element
	var err error
	for _, f := range fields {
		if field, body, err = readElement(body, base, f.name, f.tag); err != nil {
			return element{}, err
		}
		base = field.end()
	}
	return field, nil
}

// element is one DER TLV. offset is where its tag starts in the whole input.
type element struct {
	tag     byte
	offset  int
	raw     []byte // tag, length and content
	content []byte
}

func (e element) contentOffset() int { return e.offset + len(e.raw) - len(e.content) }

func (e element) end() int { return e.offset + len(e.raw) }

// readElement reads one DER element from the start of data, whose first byte is at
// offset in the whole input, and checks its tag unless wantTag is 0. Only the
// low-tag-number form occurs in the fields read here, and DER requires definite,
// minimally encoded lengths.
func readElement(data []byte, offset int, field string, wantTag byte) (element, []byte, error) {
	if len(data) < 2 {
		return element{}, nil, parseErrorf(field, offset, "missing (truncated input)")
	}
	tag := data[0]
	if tag&0x1f == 0x1f {
		return element{}, nil, parseErrorf(field, offset,
			"high-tag-number form 0x%02x is not expected here", tag)
	}
	if wantTag != 0 && tag != wantTag {
		return element{}, nil, parseErrorf(field, offset,
			"tag is 0x%02x, expected 0x%02x", tag, wantTag)
	}

	length, header, err := readLength(data[1:])
	if err != nil {
		return element{}, nil, &ParseError{Field: field, Offset: offset, Err: err}
	}
	header++
	if length > len(data)-header {
		return element{}, nil, parseErrorf(field, offset,
			"length %d exceeds the %d bytes left (truncated input)", length, len(data)-header)
	}

	e := element{
		tag:     tag,
		offset:  offset,
		raw:     data[:header+length],
		content: data[header : header+length],
	}
	return e, data[header+length:], nil
}

// readLength decodes a DER length and returns it with the number of bytes it took.
func readLength(b []byte) (length, size int, err error) {
	first := b[0]
	if first < 0x80 {
		return int(first), 1, nil
	}
	if first == 0x80 {
		return 0, 0, errors.New("indefinite length is not allowed in DER")
	}
	n := int(first & 0x7f)
	if n > 3 {
		return 0, 0, fmt.Errorf("length of %d bytes is too large for a certificate", n)
	}
	if len(b) < 1+n {
		return 0, 0, errors.New("length bytes are truncated")
	}
	if b[1] == 0 {
		return 0, 0, errors.New("length has a leading zero byte (not DER)")
	}
	for _, v := range b[1 : 1+n] {
		length = length<<8 | int(v)
	}
	if length < 0x80 {
		return 0, 0, fmt.Errorf("length %d uses the long form (not DER)", length)
	}
	return length, 1 + n, nil
}

// checkBitString checks the unused-bits octet of a BIT STRING: at most 7, zero for
// an empty string, and the unused bits themselves zero as DER requires.
func checkBitString(e element, field string) error {
	if len(e.content) == 0 {
		return parseErrorf(field, e.offset, "BIT STRING has no unused-bits octet")
	}
	unused := e.content[0]
	if unused > 7 || (unused > 0 && len(e.content) == 1) {
		return parseErrorf(field, e.offset, "BIT STRING has invalid unused-bits count %d", unused)
	}
	last := e.content[len(e.content)-1]
	if unused > 0 && last&(1<<unused-1) != 0 {
		return parseErrorf(field, e.offset, "BIT STRING has nonzero padding bits (not DER)")
	}
	return nil
}
