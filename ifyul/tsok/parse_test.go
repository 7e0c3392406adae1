package tsok

import (
	"bytes"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
)

// tlv encodes one DER element with a short or long length.
func tlv(tag byte, content ...[]byte) []byte {
	body := bytes.Join(content, nil)
	n := len(body)
	switch {
	case n < 0x80:
		return append([]byte{tag, byte(n)}, body...)
	case n < 0x100:
		return append([]byte{tag, 0x81, byte(n)}, body...)
	default:
		return append([]byte{tag, 0x82, byte(n >> 8), byte(n)}, body...)
	}
}

func mustOID(t testing.TB, oid asn1.ObjectIdentifier) []byte {
	t.Helper()
	der, err := asn1.Marshal(oid)
	require.NoError(t, err)
	return der
}

// malformedParts are the pieces of a structurally valid request, for
// tests to replace one at a time.
type malformedParts struct {
	version, subject, spki, attributes, algorithm, signature []byte
}

func validParts(t testing.TB) malformedParts {
	return malformedParts{
		version: tlv(tagInteger, []byte{0}),
		subject: tlv(tagSequence, tlv(tagSet, tlv(tagSequence,
			mustOID(t, oidCommonName), tlv(tagUTF8String, []byte("kpsis.vector.by"))))),
		spki: tlv(tagSequence,
			tlv(tagSequence, mustOID(t, bign.PubKeyOID), mustOID(t, bign.CurveOID)),
			tlv(tagBitString, []byte{0}, bytes.Repeat([]byte{7}, 64))),
		attributes: tlv(tagContext0),
		algorithm:  tlv(tagSequence, mustOID(t, bign.SignatureOID), []byte{tagNull, 0}),
		signature:  tlv(tagBitString, []byte{0}, bytes.Repeat([]byte{9}, 48)),
	}
}

func (p malformedParts) encode() []byte {
	info := tlv(tagSequence, p.version, p.subject, p.spki, p.attributes)
	return tlv(tagSequence, info, p.algorithm, p.signature)
}

// extensionRequest wraps extensions in the attributes [0] element.
func extensionRequest(t testing.TB, extensions ...[]byte) []byte {
	return tlv(tagContext0, tlv(tagSequence, mustOID(t, oidExtensionRequest),
		tlv(tagSet, tlv(tagSequence, extensions...))))
}

func extension(t testing.TB, id asn1.ObjectIdentifier, value []byte) []byte {
	return tlv(tagSequence, mustOID(t, id), tlv(tagOctetString, value))
}

func TestParseRequestMalformed(t *testing.T) {
	valid := validParts(t).encode()
	_, err := ParseRequest(valid)
	require.NoError(t, err, "the base of the malformed cases must parse")

	with := func(change func(*malformedParts)) []byte {
		p := validParts(t)
		change(&p)
		return p.encode()
	}
	badName := func(value []byte) []byte {
		return with(func(p *malformedParts) {
			p.subject = tlv(tagSequence, tlv(tagSet, tlv(tagSequence, mustOID(t, oidCommonName),
				value)))
		})
	}
	badAttribute := func(attr []byte) []byte {
		return with(func(p *malformedParts) { p.attributes = tlv(tagContext0, attr) })
	}
	badExtension := func(ext []byte) []byte {
		return with(func(p *malformedParts) { p.attributes = extensionRequest(t, ext) })
	}

	tests := []struct {
		name  string
		input []byte
		field string // "" for errors before the DER is reached
		part  []byte // the first occurrence of the element the error points at
		want  string
	}{
		{"empty", nil, "", nil, "neither PEM"},
		{"text", []byte("hello"), "", nil, "neither PEM"},
		{"PEM of a certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
			Bytes: valid}), "", nil, "no PEM block of type CERTIFICATE REQUEST"},
		{"too large", append([]byte{0x30}, make([]byte, maxRequestSize)...), "", nil,
			"exceeds the limit"},
		{"truncated", valid[:len(valid)-1], "certificationRequest", nil, "truncated"},
		{"trailing data", append(append([]byte(nil), valid...), 0), "certificationRequest",
			valid, "trailing data"},
		{"indefinite length", []byte{0x30, 0x80, 0, 0}, "certificationRequest", nil,
			"indefinite"},
		{"long form of a short length", []byte{0x30, 0x81, 0x01, 0x05}, "certificationRequest",
			nil, "long form"},
		{"high tag number", []byte{0x30, 0x03, 0x1f, 0x81, 0x00}, "certificationRequest[0]",
			[]byte{0x1f, 0x81}, "high-tag-number"},
		{"two elements", tlv(tagSequence, tlv(tagSequence), tlv(tagSequence)),
			"certificationRequest", nil, "has 2 elements"},
		{"version not INTEGER", with(func(p *malformedParts) {
			p.version = tlv(tagOctetString, []byte{0})
		}), "certificationRequestInfo.version", tlv(tagOctetString, []byte{0}), "expected 0x02"},
		{"attributes missing", with(func(p *malformedParts) { p.attributes = nil }),
			"certificationRequestInfo", tlv(tagSequence, validParts(t).version,
				validParts(t).subject, validParts(t).spki), "has 3 elements"},
		{"RDN not a SET", with(func(p *malformedParts) {
			p.subject = tlv(tagSequence, tlv(tagSequence, tlv(tagSequence)))
		}), "certificationRequestInfo.subject[0]", []byte{0x30, 0x02, 0x30, 0x00}, "SET"},
		{"RDN empty", with(func(p *malformedParts) {
			p.subject = tlv(tagSequence, tlv(tagSet))
		}), "certificationRequestInfo.subject[0]", tlv(tagSet), "empty"},
		{"value not a string", badName(tlv(tagInteger, []byte{1})),
			"certificationRequestInfo.subject[0][0].value", tlv(tagInteger, []byte{1}),
			"not a character string"},
		{"invalid UTF-8", badName(tlv(tagUTF8String, []byte{0xff, 0xfe})),
			"certificationRequestInfo.subject[0][0].value", []byte{0x0c, 2, 0xff}, "UTF-8"},
		{"PrintableString with *", badName(tlv(tagPrintable, []byte("B*"))),
			"certificationRequestInfo.subject[0][0].value", tlv(tagPrintable, []byte("B*")),
			"character 0x2a"},
		{"BMPString of odd length", badName(tlv(tagBMPString, []byte{0, 'a', 0})),
			"certificationRequestInfo.subject[0][0].value", tlv(tagBMPString, []byte{0, 'a', 0}),
			"odd length"},
		{"key unused bits 8", with(func(p *malformedParts) {
			p.spki = tlv(tagSequence, tlv(tagSequence, mustOID(t, bign.PubKeyOID)),
				tlv(tagBitString, []byte{8, 0}))
		}), "certificationRequestInfo.subjectPKInfo.subjectPublicKey",
			tlv(tagBitString, []byte{8, 0}), "unused-bits count 8"},
		{"key padding bits set", with(func(p *malformedParts) {
			p.spki = tlv(tagSequence, tlv(tagSequence, mustOID(t, bign.PubKeyOID)),
				tlv(tagBitString, []byte{1, 1}))
		}), "certificationRequestInfo.subjectPKInfo.subjectPublicKey",
			tlv(tagBitString, []byte{1, 1}), "nonzero padding"},
		{"algorithm empty", with(func(p *malformedParts) { p.algorithm = tlv(tagSequence) }),
			"signatureAlgorithm", []byte{0x30, 0x00, 0x03, 0x31}, "has 0 elements"},
		{"attribute values not a SET", badAttribute(tlv(tagSequence,
			mustOID(t, oidChallengePassword), tlv(tagSequence))),
			"certificationRequestInfo.attributes[0].values",
			append(mustOID(t, oidChallengePassword), 0x30, 0x00), "SET"},
		{"challengePassword not a string", badAttribute(tlv(tagSequence,
			mustOID(t, oidChallengePassword), tlv(tagSet, tlv(tagInteger, []byte{7})))),
			"certificationRequestInfo.attributes[0].values[0]", tlv(tagInteger, []byte{7}),
			"not a character string"},
		{"certificateValidity not a Validity", badAttribute(tlv(tagSequence,
			mustOID(t, oidCertificateValidity), tlv(tagSet, tlv(tagSequence,
				tlv(tagInteger, []byte{5}))))),
			"certificationRequestInfo.attributes[0].values[0]",
			tlv(tagSequence, tlv(tagInteger, []byte{5})), "asn1"},
		{"Extensions not a SEQUENCE", badAttribute(tlv(tagSequence,
			mustOID(t, oidExtensionRequest), tlv(tagSet, tlv(tagSet)))),
			"certificationRequestInfo.attributes[0].values[0]", tlv(tagSet), "Extensions"},
		{"critical FALSE written", badExtension(tlv(tagSequence, mustOID(t, oidKeyUsage),
			tlv(tagBoolean, []byte{0}), tlv(tagOctetString))),
			"certificationRequestInfo.attributes[0].values[0][0].critical",
			tlv(tagBoolean, []byte{0}), "must be omitted"},
		{"extnValue not OCTET STRING", badExtension(tlv(tagSequence, mustOID(t, oidKeyUsage),
			tlv(tagBitString, []byte{0}))),
			"certificationRequestInfo.attributes[0].values[0][0].extnValue",
			tlv(tagBitString, []byte{0}), "OCTET STRING"},
		{"keyUsage without flags", badExtension(extension(t, oidKeyUsage,
			tlv(tagBitString, []byte{0}))), "extensionRequest.keyUsage",
			tlv(tagBitString, []byte{0}), "no flag"},
		{"extKeyUsage empty", badExtension(extension(t, oidExtKeyUsage, tlv(tagSequence))),
			"extensionRequest.extKeyUsage", tlv(tagOctetString, tlv(tagSequence))[2:],
			"empty"},
		{"subjectAltName entry universal", badExtension(extension(t, oidSubjectAltName,
			tlv(tagSequence, tlv(tagIA5String, []byte("a.by"))))),
			"extensionRequest.subjectAltName[0]", tlv(tagIA5String, []byte("a.by")),
			"not a context-specific"},
		{"subjectAltName non-ASCII", badExtension(extension(t, oidSubjectAltName,
			tlv(tagSequence, tlv(0x82, []byte{'a', 0xd0, 0xb1})))),
			"extensionRequest.subjectAltName[0]", tlv(0x82, []byte{'a', 0xd0, 0xb1}),
			"non-ASCII byte 0xd0"},
	}
	// skips are added to the offset of a part that must be longer than the
	// element at fault to be unique in the input.
	skips := map[string]int{
		"trailing data":              len(valid),
		"attribute values not a SET": len(mustOID(t, oidChallengePassword)),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRequest(tt.input)
			require.Error(t, err)
			assert.Nil(t, r)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "tsok: ")

			var pe *ParseError
			if tt.field == "" {
				assert.False(t, errors.As(err, &pe), "no field to name: %v", err)
				return
			}
			require.True(t, errors.As(err, &pe), "want a *ParseError, got %v", err)
			assert.Equal(t, tt.field, pe.Field)
			wantOffset := 0
			if tt.part != nil {
				wantOffset = bytes.Index(tt.input, tt.part)
				require.GreaterOrEqual(t, wantOffset, 0, "the part must occur in the input")
				wantOffset += skips[tt.name]
			}
			assert.Equal(t, wantOffset, pe.Offset)
		})
	}
}
