package attrcert

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The attribute certificates of these tests are assembled field by field, so
// that a test can replace the DER of any one field with a malformed one and
// compute where that field starts.

// acFieldNames are the fields of attrCertInfo in their order.
var acFieldNames = []string{"version", "holder", "issuer", "signature", "serialNumber",
	"attrCertValidityPeriod", "attributes", "issuerUniqueID", "extensions"}

// acParts is the DER of each field of an attribute certificate. A nil field is
// left out.
type acParts struct {
	fields map[string][]byte
	// tbs replaces the assembled attrCertInfo when set.
	tbs []byte
	// algorithm is the outer signatureAlgorithm.
	algorithm []byte
	// signature is the signatureValue element; nil means a signature by signer.
	signature []byte
	signer    testSigner
}

// newACParts returns a valid attribute certificate issued by issuer to holder,
// with the attributes and extensions the tests look at.
func newACParts(t testing.TB, issuer, holder *testCert) acParts {
	t.Helper()
	algorithm := mustMarshal(t, issuer.key.signatureAlgorithm())
	directoryName := func(raw []byte) []byte { return NewDirectoryName(raw).Raw }

	p := acParts{fields: map[string][]byte{}, algorithm: algorithm, signer: issuer.key}
	p.fields["version"] = []byte{tagInteger, 1, 1}
	p.fields["holder"] = wrap(tagSequence, wrap(0xa0,
		wrap(tagSequence, directoryName(holder.cert.X509.RawIssuer)),
		mustMarshal(t, holder.cert.X509.SerialNumber)))
	p.fields["issuer"] = wrap(0xa0, wrap(tagSequence, directoryName(issuer.cert.X509.RawSubject)))
	p.fields["signature"] = algorithm
	p.fields["serialNumber"] = mustMarshal(t, big.NewInt(0x4242))
	p.fields["attrCertValidityPeriod"] = wrap(tagSequence,
		generalizedTime(testNow.AddDate(0, -1, 0)), generalizedTime(testNow.AddDate(0, 1, 0)))
	p.fields["attributes"] = wrap(tagSequence,
		attributeDER(t, OIDUNP, utf8String("190000001")),
		attributeDER(t, OIDTitle, utf8String("Директор")),
		attributeDER(t, OIDRole, roleDER(NewURIName("urn:test:role"))),
		attributeDER(t, OIDPermission, permissionDER("read", "registry")))
	p.fields["extensions"] = wrap(tagSequence,
		extensionDER(t, oidAuthorityKeyID, false,
			mustMarshal(t, authorityKeyIdentifier{ID: issuer.spec.subjectKeyID})),
		extensionDER(t, oidNoRevAvail, false, []byte{tagNull, 0}))
	return p
}

// with returns a copy of p with field replaced; nil removes the field.
func (p acParts) with(field string, der []byte) acParts {
	fields := make(map[string][]byte, len(p.fields))
	for k, v := range p.fields {
		fields[k] = v
	}
	fields[field] = der
	p.fields = fields
	return p
}

func (p acParts) attrCertInfo() []byte {
	if p.tbs != nil {
		return p.tbs
	}
	var parts [][]byte
	for _, name := range acFieldNames {
		parts = append(parts, p.fields[name])
	}
	return wrap(tagSequence, parts...)
}

func (p acParts) build(t testing.TB) []byte {
	t.Helper()
	tbs := p.attrCertInfo()
	signature := p.signature
	if signature == nil {
		sig := p.signer.sign(t, tbs)
		signature = wrap(tagBitString, []byte{0}, sig)
	}
	return wrap(tagSequence, tbs, p.algorithm, signature)
}

// start returns the offset of field in der, the certificate that p built.
func (p acParts) start(der []byte, field string) int {
	offset := derHeaderLength(der) + derHeaderLength(p.attrCertInfo())
	for _, name := range acFieldNames {
		if name == field {
			return offset
		}
		offset += len(p.fields[name])
	}
	panic("unknown field " + field)
}

// derHeaderLength is the size of the tag and length at the start of b.
func derHeaderLength(b []byte) int {
	if b[1] < 0x80 {
		return 2
	}
	return 2 + int(b[1]&0x7f)
}

func generalizedTime(t time.Time) []byte {
	return wrap(tagGeneralizedTime, []byte(t.UTC().Format("20060102150405Z")))
}

func utf8String(s string) []byte { return wrap(tagUTF8String, []byte(s)) }

func attributeDER(t testing.TB, oid asn1.ObjectIdentifier, values ...[]byte) []byte {
	t.Helper()
	return wrap(tagSequence, mustMarshal(t, oid), wrap(tagSet, values...))
}

func roleDER(name GeneralName) []byte { return wrap(tagSequence, wrap(0xa1, name.Raw)) }

func permissionDER(operation, object string) []byte {
	return wrap(tagSequence, wrap(0xa0, utf8String(operation)), wrap(0xa1, utf8String(object)))
}

func extensionDER(t testing.TB, oid asn1.ObjectIdentifier, critical bool, value []byte) []byte {
	t.Helper()
	return mustMarshal(t, pkix.Extension{Id: oid, Critical: critical, Value: value})
}

// acFixture is a test PKI with an attribute certificate issued by its
// intermediate CA to its leaf.
type acFixture struct {
	pki   testPKI
	parts acParts
	der   []byte
	ac    *AttributeCertificate
}

func newACFixture(t testing.TB, newKey keyGenerator) acFixture {
	t.Helper()
	p := newTestPKI(t, newKey)
	parts := newACParts(t, p.intermediate, p.leaf)
	der := parts.build(t)
	ac, err := ParseAttributeCertificate(der)
	require.NoError(t, err)
	return acFixture{pki: p, parts: parts, der: der, ac: ac}
}

func (f acFixture) options() AttributeVerifyOptions {
	return AttributeVerifyOptions{
		Holder:      f.pki.leaf.cert,
		Issuers:     []*Certificate{f.pki.intermediate.cert},
		Roots:       NewTrustAnchors(f.pki.root.cert),
		CurrentTime: testNow,
	}
}

// replaceAll returns der with every occurrence of old replaced by new.
func replaceAll(der, old, new []byte) []byte { return bytes.ReplaceAll(der, old, new) }
