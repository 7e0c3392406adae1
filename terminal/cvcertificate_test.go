package terminal

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/tlv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readCert(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func loadCert(t testing.TB, name string) *CVCertificate {
	t.Helper()
	c, err := ParseCVCertificate(readCert(t, name))
	require.NoError(t, err, name)
	return c
}

func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

func TestParseCVCertificateSamples(t *testing.T) {
	tests := []struct {
		file   string
		holder string
		issuer string
		from   time.Time
		until  time.Time
		eID    EIDRights
		eSign  ESignRights
	}{
		{"ca0000.cert", "BYCA0000", "BYCA0000", date(2025, 1, 15), date(2030, 1, 14),
			0x3F3FFFFF33, 0xF7E0},
		{"ca1000.cert", "BYCA1000", "BYCA0000", date(2025, 2, 1), date(2025, 7, 31),
			0x3F3FFFFF33, 0xF7E0},
		{"term.cert", "001123456789", "BYCA1000", date(2025, 7, 1), date(2025, 7, 3),
			0x003C6F5B10, 0xF200},
		{"ct.cert", "000123456789", "BYCA0000", date(2025, 3, 22), date(2035, 3, 21), 0, 0},
		{"ca0001.cert", "BYCA0001", "BYCA0001", date(2030, 1, 1), date(2034, 12, 31),
			0x3F3FFFFF33, 0xF7E0},
		{"ca0001.link", "BYCA0001", "BYCA0000", date(2030, 1, 1), date(2034, 12, 31),
			0x3F3FFFFF33, 0xF7E0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			der := readCert(t, tc.file)
			c, err := ParseCVCertificate(der)
			require.NoError(t, err)
			assert.Equal(t, tc.holder, c.HolderReference)
			assert.Equal(t, tc.issuer, c.AuthorityReference)
			assert.Equal(t, tc.from, c.EffectiveDate)
			assert.Equal(t, tc.until, c.ExpirationDate)
			assert.Equal(t, tc.eID, c.Rights.EID)
			assert.Equal(t, tc.eSign, c.Rights.ESign)
			assert.Len(t, c.PublicKey, 64)
			assert.Len(t, c.Signature, 48)
			assert.Equal(t, der, c.Raw)
			assert.Equal(t, []byte{0x7F, 0x4E}, c.RawBody[:2])
			assert.True(t, bytes.Contains(der, c.RawBody))
			assert.Equal(t, der[len(der)-48:], c.Signature)

			body, err := encodeCVBody(c)
			require.NoError(t, err)
			assert.Equal(t, c.RawBody, body, "the body re-encodes to the same bytes")
		})
	}
}

func TestParseCVCertificateDoesNotAlias(t *testing.T) {
	der := readCert(t, "term.cert")
	c, err := ParseCVCertificate(der)
	require.NoError(t, err)
	holder := c.HolderReference
	for i := range der {
		der[i] = 0
	}
	assert.Equal(t, holder, c.HolderReference)
	assert.NotEqual(t, der, c.Raw)
}

// certFields are the encoded components of a certificate body, in order, so a test can
// replace or drop one and re-encode.
type certFields struct {
	profile, issuer, key, holder, hat, from, until, ext, sig []byte
}

func termFields(t *testing.T) certFields {
	t.Helper()
	c := loadCert(t, "term.cert")
	hat, err := encodeCertHAT(oidEIDAccess, c.Rights.EID.Bytes())
	require.NoError(t, err)
	ext, err := encodeESignExtension(c.Rights.ESign)
	require.NoError(t, err)
	from, _ := encodeCVDate(c.EffectiveDate)
	until, _ := encodeCVDate(c.ExpirationDate)
	return certFields{
		profile: tlv.Encode(tagProfileIdentifier, []byte{0}),
		issuer:  tlv.Encode(tagAuthorityReference, []byte(c.AuthorityReference)),
		key:     encodePublicKey(c.PublicKey),
		holder:  tlv.Encode(tagHolderReference, []byte(c.HolderReference)),
		hat:     hat,
		from:    tlv.Encode(tagEffectiveDate, from),
		until:   tlv.Encode(tagExpirationDate, until),
		ext:     ext,
		sig:     tlv.Encode(tagSignature, c.Signature),
	}
}

func (f certFields) encode() []byte {
	body := tlv.EncodeConstructed(tagCertificateBody, f.profile, f.issuer, f.key, f.holder,
		f.hat, f.from, f.until, f.ext)
	return tlv.EncodeConstructed(tagCVCertificate, body, f.sig)
}

func TestTermFieldsRebuildSample(t *testing.T) {
	assert.Equal(t, readCert(t, "term.cert"), termFields(t).encode())
}

func TestParseCVCertificateMalformed(t *testing.T) {
	bignKey := func(n int) []byte {
		return tlv.EncodeConstructed(tagPublicKey,
			mustMarshalOID(t, oidBignPubKey), tlv.Encode(tagBitString, make([]byte, n)))
	}
	tests := []struct {
		name   string
		modify func(f *certFields)
		offset func(der []byte, f certFields) int
		field  string
		msg    string
	}{
		{
			name:   "profile v2",
			modify: func(f *certFields) { f.profile = tlv.Encode(tagProfileIdentifier, []byte{1}) },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.profile) },
			field:  "certProfileIdentifier", msg: "unsupported profile 01, expected 00 (v1)",
		},
		{
			name:   "profile missing",
			modify: func(f *certFields) { f.profile = nil },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.issuer) },
			field:  "certProfileIdentifier", msg: "tag 42, expected 5F29",
		},
		{
			name: "issuer too short",
			modify: func(f *certFields) {
				f.issuer = tlv.Encode(tagAuthorityReference, []byte("BYCA1"))
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.issuer) },
			field:  "certAuthorityReference", msg: "length 5, expected 8 to 12 characters",
		},
		{
			name: "holder not printable",
			modify: func(f *certFields) {
				f.holder = tlv.Encode(tagHolderReference, []byte("00112345*789"))
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.holder) },
			field:  "certHolderReference",
			msg:    "byte 2A at index 8 is not a PrintableString character",
		},
		{
			name: "key with wrong oid",
			modify: func(f *certFields) {
				f.key = tlv.EncodeConstructed(tagPublicKey, mustMarshalOID(t, oidEIDAccess),
					tlv.Encode(tagBitString, make([]byte, 65)))
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.key) + 3 },
			field:  "publicKey",
			msg: "object identifier 1.2.112.0.2.0.34.101.79.6.1, " +
				"expected 1.2.112.0.2.0.34.101.45.2.1",
		},
		{
			name:   "key of 63 bytes",
			modify: func(f *certFields) { f.key = bignKey(64) },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.key) + 15 },
			field:  "publicKey", msg: "key of 63 bytes, expected 64, 96 or 128",
		},
		{
			name: "key with unused bits",
			modify: func(f *certFields) {
				f.key = bytes.Clone(f.key)
				f.key[17] = 1
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.key) + 15 },
			field:  "publicKey", msg: "bit string must start with 0 unused bits",
		},
		{
			name: "eID word of 4 bytes",
			modify: func(f *certFields) {
				f.hat, _ = encodeCertHAT(oidEIDAccess, []byte{1, 2, 3, 4})
			},
			offset: func(der []byte, f certFields) int {
				return bytes.Index(der, f.hat[len(f.hat)-6:])
			},
			field: "certHolderAuthorizationTemplate", msg: "access word of 4 bytes, expected 5",
		},
		{
			name:   "eSign template in place of eID",
			modify: func(f *certFields) { f.hat, _ = encodeCertHAT(oidESignAccess, []byte{1, 2}) },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.hat[3:]) },
			field:  "certHolderAuthorizationTemplate",
			msg: "object identifier 1.2.112.0.2.0.34.101.79.6.2, " +
				"expected 1.2.112.0.2.0.34.101.79.6.1",
		},
		{
			name: "date digit out of range",
			modify: func(f *certFields) {
				f.from = tlv.Encode(tagEffectiveDate, []byte{2, 5, 0, 7, 0, 0x0A})
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.from) },
			field:  "certEffectiveDate", msg: "byte 0A is not a digit 00..09",
		},
		{
			name: "February 30",
			modify: func(f *certFields) {
				f.until = tlv.Encode(tagExpirationDate, []byte{2, 5, 0, 2, 3, 0})
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.until) },
			field:  "certExpirationDate", msg: "020500020300 is not a valid date",
		},
		{
			name: "expiry before effective date",
			modify: func(f *certFields) {
				f.until = tlv.Encode(tagExpirationDate, []byte{2, 5, 0, 6, 3, 0})
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.until) },
			field:  "certExpirationDate",
			msg:    "2025-06-30 is before the effective date 2025-07-01",
		},
		{
			name: "date of 5 bytes",
			modify: func(f *certFields) {
				f.from = tlv.Encode(tagEffectiveDate, []byte{2, 5, 0, 7, 0})
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.from) },
			field:  "certEffectiveDate", msg: "length 5, expected 6 bytes",
		},
		{
			name:   "expiration date missing",
			modify: func(f *certFields) { f.until = nil },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.ext) },
			field:  "certExpirationDate", msg: "tag 65, expected 5F24",
		},
		{
			name: "unknown extension",
			modify: func(f *certFields) {
				f.ext = tlv.EncodeConstructed(tagExtensions,
					tlv.EncodeConstructed(tagDiscretionaryData, mustMarshalOID(t, oidEIDAccess)))
			},
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.ext) + 4 },
			field:  "certExtensions",
			msg: "object identifier 1.2.112.0.2.0.34.101.79.6.1, " +
				"expected 1.2.112.0.2.0.34.101.79.8.1",
		},
		{
			name: "two extensions",
			modify: func(f *certFields) {
				children, err := tlv.Parse(f.ext)
				require.NoError(t, err)
				f.ext = tlv.EncodeConstructed(tagExtensions, children.Value, children.Value)
			},
			offset: func(der []byte, f certFields) int {
				return bytes.Index(der, f.ext) + 2 + (len(f.ext)-2)/2
			},
			field: "certExtensions", msg: "unexpected tag 73 after the last component",
		},
		{
			name:   "element after extensions",
			modify: func(f *certFields) { f.ext = append(bytes.Clone(f.ext), 0x53, 0x00) },
			offset: func(der []byte, f certFields) int {
				return bytes.Index(der, []byte{0x53, 0x00, 0x5F, 0x37})
			},
			field: "certificateBody", msg: "unexpected tag 53 after the last component",
		},
		{
			name:   "signature of 47 bytes",
			modify: func(f *certFields) { f.sig = tlv.Encode(tagSignature, make([]byte, 47)) },
			offset: func(der []byte, f certFields) int { return bytes.Index(der, f.sig) },
			field:  "signature", msg: "length 47, expected 48, 72 or 96 bytes",
		},
		{
			name:   "signature missing",
			modify: func(f *certFields) { f.sig = nil },
			offset: func(der []byte, _ certFields) int { return len(der) },
			field:  "signature", msg: "missing, expected tag 5F37",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := termFields(t)
			tc.modify(&f)
			der := f.encode()

			_, err := ParseCVCertificate(der)
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "error %v is not a *ParseError", err)
			assert.Equal(t, "cv certificate", pe.Object)
			assert.Equal(t, tc.field, pe.Field)
			assert.Equal(t, tc.msg, pe.Msg)
			assert.Equal(t, tc.offset(der, f), pe.Offset, "offset in %X", der)
		})
	}
}

func TestParseCVCertificateTruncated(t *testing.T) {
	der := readCert(t, "term.cert")
	for n := 0; n < len(der); n++ {
		_, err := ParseCVCertificate(der[:n])
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "prefix of %d bytes", n)
		assert.LessOrEqual(t, pe.Offset, n, "prefix of %d bytes", n)
	}
}

func TestParseCVCertificateOuterErrors(t *testing.T) {
	der := readCert(t, "term.cert")
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"trailing byte", append(bytes.Clone(der), 0),
			"terminal: cv certificate: offset 245: CVCertificate: 1 bytes after the element"},
		{"wrong outer tag", append([]byte{0x7F, 0x22}, der[2:]...),
			"terminal: cv certificate: offset 0: CVCertificate: tag 7F22, expected 7F21"},
		{"length past the end", append([]byte{0x7F, 0x21, 0x81, 0xF2}, der[4:]...),
			"terminal: cv certificate: offset 2: CVCertificate: " +
				"length 242 of tag 7F21 exceeds remaining 241 bytes"},
		{"indefinite length", append([]byte{0x7F, 0x21, 0x80}, der[4:]...),
			"terminal: cv certificate: offset 2: CVCertificate: " +
				"indefinite length is not allowed in DER"},
		{"body tag wrong", append(bytes.Clone(der[:4]), append([]byte{0x7F, 0x4F}, der[6:]...)...),
			"terminal: cv certificate: offset 4: certificateBody: tag 7F4F, expected 7F4E"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCVCertificate(tc.in)
			assert.EqualError(t, err, tc.err)
			var se *tlv.SyntaxError
			if errors.As(err, &se) {
				assert.NotEmpty(t, se.Msg)
			}
		})
	}
}

func mustMarshalOID(t *testing.T, oid []int) []byte {
	t.Helper()
	b, err := asn1.Marshal(asn1.ObjectIdentifier(oid))
	require.NoError(t, err)
	return b
}

func FuzzParseCVCertificate(f *testing.F) {
	for _, name := range []string{"ca0000.cert", "ca1000.cert", "term.cert", "ct.cert",
		"ca0001.link"} {
		f.Add(readCert(f, name))
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := ParseCVCertificate(der)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Offset < 0 || pe.Offset > len(der) {
				t.Fatalf("offset %d outside input of %d bytes", pe.Offset, len(der))
			}
			return
		}
		if !bytes.Equal(c.Raw, der) {
			t.Fatalf("Raw differs from the input")
		}
		// Verification must accept any parsed key and signature without panicking.
		_ = c.CheckSignatureFrom(c)

		// Re-encoding gives the same certificate, byte for byte unless a template with an
		// all-zero word was present, which the encoder leaves out.
		body, err := encodeCVBody(c)
		if err != nil {
			t.Fatalf("encoding a parsed certificate: %v", err)
		}
		if c.Rights.EID != 0 && c.Rights.ESign != 0 && !bytes.Equal(body, c.RawBody) {
			t.Fatalf("body re-encodes differently:\n in %X\nout %X", c.RawBody, body)
		}
		again, err := ParseCVCertificate(tlv.EncodeConstructed(tagCVCertificate, body,
			tlv.Encode(tagSignature, c.Signature)))
		if err != nil {
			t.Fatalf("parsing the re-encoded certificate: %v", err)
		}
		again.Raw, again.RawBody, c.Raw, c.RawBody = nil, nil, nil, nil
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("fields differ after re-encoding:\n%+v\n%+v", c, again)
		}
	})
}

func ExampleParseCVCertificate() {
	der, err := os.ReadFile("testdata/term.cert")
	if err != nil {
		panic(err)
	}
	cert, err := ParseCVCertificate(der)
	if err != nil {
		panic(err)
	}
	fmt.Println("holder:", cert.HolderReference)
	fmt.Println("issuer:", cert.AuthorityReference)
	fmt.Println("valid:", cert.EffectiveDate.Format(time.DateOnly), "to",
		cert.ExpirationDate.Format(time.DateOnly))
	fmt.Println("may read DG7:", cert.Rights.EID.CanRead(7))
	fmt.Println(cert.Rights)
	// Output:
	// holder: 001123456789
	// issuer: BYCA1000
	// valid: 2025-07-01 to 2025-07-03
	// may read DG7: true
	// eID: CAN access, read DG1-DG2 DG4-DG5 DG7 DG9-DG12 DG14-DG15 DG19-DG22; eSign: write Name, key management in terminal mode, key management in basic mode, signing in terminal mode, signing in basic mode
}
