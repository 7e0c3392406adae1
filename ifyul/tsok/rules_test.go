package tsok

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
)

// ruleCase is a request that breaks one rule of the profile.
type ruleCase struct {
	name   string
	rule   string
	detail string // a part of the violation's detail
	change func(t *testing.T, spec *requestSpec)
	// der replaces the spec when the request cannot be built from one.
	der func(t *testing.T) []byte
}

func baseSpec(t *testing.T) requestSpec {
	t.Helper()
	spec, err := testTemplate().spec()
	require.NoError(t, err)
	return spec
}

func setSubject(spec *requestSpec, name, value string) {
	for i, a := range spec.subject {
		if attributeName(a.oid) == name {
			spec.subject[i].value = value
		}
	}
}

func setStringType(spec *requestSpec, name string, tag int) {
	for i, a := range spec.subject {
		if attributeName(a.oid) == name {
			spec.subject[i].tag = tag
		}
	}
}

func removeSubject(spec *requestSpec, name string) {
	spec.subject = slices.DeleteFunc(spec.subject, func(a specAttribute) bool {
		return attributeName(a.oid) == name
	})
}

// setExtensions replaces the extensionRequest attribute.
func setExtensions(t *testing.T, spec *requestSpec, exts ...pkix.Extension) {
	der, err := asn1.Marshal(exts)
	require.NoError(t, err)
	spec.attributes = slices.DeleteFunc(spec.attributes, func(a specRequestAttribute) bool {
		return a.oid.Equal(oidExtensionRequest)
	})
	spec.attributes = append(spec.attributes,
		specRequestAttribute{oid: oidExtensionRequest, values: [][]byte{der}})
}

// standardExtensions returns the template's extensions, for cases that
// change one of them.
func standardExtensions(t *testing.T) []pkix.Extension {
	exts, err := testTemplate().extensions()
	require.NoError(t, err)
	return exts
}

func replaceExtension(t *testing.T, spec *requestSpec, id asn1.ObjectIdentifier, value []byte) {
	exts := slices.DeleteFunc(standardExtensions(t), func(e pkix.Extension) bool {
		return e.Id.Equal(id)
	})
	if value != nil {
		exts = append(exts, pkix.Extension{Id: id, Value: value})
	}
	setExtensions(t, spec, exts...)
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	der, err := asn1.Marshal(v)
	require.NoError(t, err)
	return der
}

func sanEntries(t *testing.T, entries ...asn1.RawValue) []byte {
	return mustMarshal(t, entries)
}

func dnsName(name string) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(name)}
}

func addAttribute(t *testing.T, spec *requestSpec, oid asn1.ObjectIdentifier, values ...any) {
	var encoded [][]byte
	for _, v := range values {
		encoded = append(encoded, mustMarshal(t, v))
	}
	spec.attributes = append(spec.attributes, specRequestAttribute{oid: oid, values: encoded})
}

func utf8Value(s string) asn1.RawValue {
	return asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(s)}
}

func validity(from time.Time, years int) struct{ NotBefore, NotAfter time.Time } {
	return struct{ NotBefore, NotAfter time.Time }{from, from.AddDate(years, 0, 0)}
}

var ruleCases = []ruleCase{
	{name: "version 1", rule: "csr.version", detail: "version is 1",
		change: func(_ *testing.T, s *requestSpec) { s.version = 1 }},
	{name: "bign-with-hspec", rule: "csr.signature-algorithm", detail: "bign-with-hspec",
		change: func(_ *testing.T, s *requestSpec) {
			s.signatureAlgorithm.Algorithm = asn1.ObjectIdentifier{
				1, 2, 112, 0, 2, 0, 34, 101, 45, 11}
		}},
	{name: "signature parameters", rule: "csr.signature-algorithm", detail: "expected NULL",
		change: func(t *testing.T, s *requestSpec) {
			s.signatureAlgorithm.Parameters = asn1.RawValue{FullBytes: mustOID(t, bign.CurveOID)}
		}},
	{name: "ECDSA request", rule: "csr.key-algorithm", detail: "id-ecPublicKey",
		der: ecdsaRequest},
	{name: "ECDSA signature", rule: "csr.signature-algorithm", detail: "ecdsa-with-SHA256",
		der: ecdsaRequest},
	{name: "curve 384", rule: "csr.key-algorithm", detail: "bign-curve384v1",
		change: func(t *testing.T, s *requestSpec) {
			s.keyParameters = mustOID(t, asn1.ObjectIdentifier{
				1, 2, 112, 0, 2, 0, 34, 101, 45, 3, 2})
		}},
	{name: "curve parameters not an OID", rule: "csr.key-algorithm", detail: "not the named curve",
		change: func(_ *testing.T, s *requestSpec) { s.keyParameters = []byte{tagNull, 0} }},
	{name: "unknown attribute", rule: "csr.attributes", detail: "1.2.840.113549.1.9.2",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 2}, utf8Value("x"))
		}},
	{name: "challengePassword twice", rule: "csr.attributes", detail: "repeats",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/INFO:a"))
			addAttribute(t, s, oidChallengePassword, utf8Value("/INFO:b"))
		}},
	{name: "attribute with two values", rule: "csr.attributes", detail: "has 2 values",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/INFO:a"), utf8Value("/INFO:b"))
		}},
	{name: "ticket too short", rule: "csr.challenge-password", detail: "has 3 characters",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/EPWD:ABC"))
		}},
	{name: "ticket lowercase", rule: "csr.challenge-password", detail: "0-9A-F",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/EPWD:"+strings.Repeat("ab", 16)))
		}},
	{name: "no prefix", rule: "csr.challenge-password", detail: "starts with neither",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("secret"))
		}},
	{name: "INFO twice", rule: "csr.challenge-password", detail: "repeats the part /INFO:",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/INFO:a/INFO:b"))
		}},
	{name: "INFO too long", rule: "csr.challenge-password", detail: "the limit is 128",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword, utf8Value("/INFO:"+strings.Repeat("я", 129)))
		}},
	{name: "challengePassword PrintableString", rule: "csr.challenge-password",
		detail: "expected UTF8String", change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidChallengePassword,
				asn1.RawValue{Tag: asn1.TagPrintableString, Bytes: []byte("/INFO:a")})
		}},
	{name: "validity reversed", rule: "csr.certificate-validity", detail: "is not before",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidCertificateValidity, validity(time.Now().UTC(), -1))
		}},
	{name: "validity six years", rule: "csr.validity-period", detail: "more than 5 years",
		change: func(t *testing.T, s *requestSpec) {
			addAttribute(t, s, oidCertificateValidity, validity(time.Now().UTC(), 6))
		}},

	{name: "no locality", rule: "subject.required", detail: "localityName (2.5.4.7) is missing",
		change: func(_ *testing.T, s *requestSpec) { removeSubject(s, "localityName") }},
	{name: "no email", rule: "subject.required", detail: "emailAddress",
		change: func(_ *testing.T, s *requestSpec) { removeSubject(s, "emailAddress") }},
	{name: "serial number", rule: "subject.allowed", detail: "serialNumber (2.5.4.5)",
		change: func(_ *testing.T, s *requestSpec) {
			s.subject = append(s.subject, specAttribute{oid: asn1.ObjectIdentifier{2, 5, 4, 5},
				tag: asn1.TagPrintableString, value: "PNOBY-3150385A001PB6"})
		}},
	{name: "unknown subject type", rule: "subject.unknown-type", detail: "1.2.112.9.9",
		change: func(_ *testing.T, s *requestSpec) {
			s.subject = append(s.subject, specAttribute{oid: asn1.ObjectIdentifier{1, 2, 112, 9, 9},
				tag: asn1.TagUTF8String, value: "ГИС-1"})
		}},
	{name: "common name twice", rule: "subject.unique", detail: "commonName at offset",
		change: func(_ *testing.T, s *requestSpec) {
			s.subject = append(s.subject, s.subject[0])
		}},
	{name: "organisation first", rule: "subject.order",
		detail: "comes after organizationName", change: func(_ *testing.T, s *requestSpec) {
			org := slices.IndexFunc(s.subject, func(a specAttribute) bool {
				return attributeName(a.oid) == "organizationName"
			})
			s.subject[0], s.subject[org] = s.subject[org], s.subject[0]
		}},
	{name: "common name PrintableString", rule: "subject.string-type",
		detail: "commonName at offset", change: func(_ *testing.T, s *requestSpec) {
			setStringType(s, "commonName", asn1.TagPrintableString)
		}},
	{name: "country UTF8String", rule: "subject.string-type", detail: "expected PrintableString",
		change: func(_ *testing.T, s *requestSpec) {
			setStringType(s, "countryName", asn1.TagUTF8String)
		}},
	{name: "email UTF8String", rule: "subject.string-type", detail: "expected IA5String",
		change: func(_ *testing.T, s *requestSpec) {
			setStringType(s, "emailAddress", asn1.TagUTF8String)
		}},
	{name: "leading space", rule: "subject.value", detail: "starts with a space",
		change: func(_ *testing.T, s *requestSpec) { setSubject(s, "organizationName", " ОАО") }},
	{name: "two spaces", rule: "subject.value", detail: "two spaces in a row",
		change: func(_ *testing.T, s *requestSpec) {
			setSubject(s, "streetAddress", "ул. Советская,  д. 1")
		}},
	{name: "empty description", rule: "subject.value", detail: "is empty",
		change: func(_ *testing.T, s *requestSpec) { setSubject(s, "description", "") }},
	{name: "country RU", rule: "subject.country", detail: `"RU"`,
		change: func(_ *testing.T, s *requestSpec) { setSubject(s, "countryName", "RU") }},
	{name: "long street", rule: "subject.length", detail: "70 characters, the limit is 64",
		change: func(_ *testing.T, s *requestSpec) {
			setSubject(s, "streetAddress", strings.Repeat("д", 70))
		}},
	{name: "email without @", rule: "subject.email", detail: "admin.vector.by",
		change: func(_ *testing.T, s *requestSpec) {
			setSubject(s, "emailAddress", "admin.vector.by")
		}},
	{name: "common name in Cyrillic", rule: "subject.common-name", detail: "is not a DNS name",
		change: func(_ *testing.T, s *requestSpec) { setSubject(s, "commonName", "КПСИС Вектор") }},
	{name: "common name not in SAN", rule: "subject.common-name", detail: "not among",
		change: func(_ *testing.T, s *requestSpec) {
			setSubject(s, "commonName", "other.vector.by")
		}},

	{name: "basicConstraints", rule: "ext.allowed", detail: "basicConstraints",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, asn1.ObjectIdentifier{2, 5, 29, 19}, []byte{0x30, 0})
		}},
	{name: "SAN twice", rule: "ext.unique", detail: "subjectAltName (2.5.29.17) at offset",
		change: func(t *testing.T, s *requestSpec) {
			exts := standardExtensions(t)
			setExtensions(t, s, append(exts, exts[len(exts)-1])...)
		}},
	{name: "keyCertSign", rule: "ext.key-usage", detail: "keyUsage has keyCertSign",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidKeyUsage, mustMarshal(t,
				keyUsageBits(DefaultKeyUsage|x509.KeyUsageCertSign)))
		}},
	{name: "digitalSignature only", rule: "ext.key-usage", detail: "lacks keyEncipherment",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidKeyUsage, mustMarshal(t,
				keyUsageBits(x509.KeyUsageDigitalSignature)))
		}},
	{name: "clientAuth", rule: "ext.extended-key-usage", detail: "id-kp-clientAuth",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidExtKeyUsage, mustMarshal(t, []asn1.ObjectIdentifier{
				OIDServerAuth, {1, 3, 6, 1, 5, 5, 7, 3, 2}}))
		}},
	{name: "serverTM only", rule: "ext.server-auth", detail: "does not request id-kp-serverAuth",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidExtKeyUsage,
				mustMarshal(t, []asn1.ObjectIdentifier{OIDServerTM}))
		}},
	{name: "no extKeyUsage", rule: "ext.server-auth", detail: "id-kp-serverAuth",
		change: func(t *testing.T, s *requestSpec) { replaceExtension(t, s, oidExtKeyUsage, nil) }},
	{name: "no SAN", rule: "ext.subject-alt-name", detail: "subjectAltName is missing",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, nil)
		}},
	{name: "SAN empty", rule: "ext.subject-alt-name", detail: "has no entries",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, []byte{0x30, 0})
		}},
	{name: "SAN directoryName", rule: "ext.subject-alt-name", detail: "is a directoryName",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, dnsName("kpsis.vector.by"),
				asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true,
					Bytes: []byte{0x30, 0}}))
		}},
	{name: "SAN bad DNS name", rule: "ext.subject-alt-name", detail: `dNSName "-bad-.by"`,
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, dnsName("kpsis.vector.by"),
				dnsName("-bad-.by")))
		}},
	{name: "SAN relative URI", rule: "ext.subject-alt-name", detail: "not an absolute URI",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, dnsName("kpsis.vector.by"),
				asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte("kpsis")}))
		}},
	{name: "SAN IP of 5 octets", rule: "ext.subject-alt-name", detail: "not 4 or 16 octets",
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, dnsName("kpsis.vector.by"),
				asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 7, Bytes: make([]byte, 5)}))
		}},
	{name: "SAN bad email", rule: "ext.subject-alt-name", detail: `rfc822Name "a@"`,
		change: func(t *testing.T, s *requestSpec) {
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, dnsName("kpsis.vector.by"),
				asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, Bytes: []byte("a@")}))
		}},
	{name: "SAN of 101 entries", rule: "ext.subject-alt-name", detail: "101 entries",
		change: func(t *testing.T, s *requestSpec) {
			entries := []asn1.RawValue{dnsName("kpsis.vector.by")}
			for i := range 100 {
				entries = append(entries, dnsName(fmt.Sprintf("n%d.vector.by", i)))
			}
			replaceExtension(t, s, oidSubjectAltName, sanEntries(t, entries...))
		}},
}

// ecdsaRequest is a request an ordinary tool would make: a P-256 key
// signed with ECDSA, which the ТСОК profile rejects.
func ecdsaRequest(t *testing.T) []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: "kpsis.vector.by", Country: []string{"BY"}},
		DNSNames: []string{"kpsis.vector.by"},
	}, key)
	require.NoError(t, err)
	return der
}

func TestCheckProfileRules(t *testing.T) {
	key := newTestKey(t)
	rules := map[string]Rule{}
	for _, r := range DefaultRules() {
		rules[r.ID] = r
	}

	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			rule, ok := rules[tc.rule]
			require.True(t, ok, "rule %s is not in the table", tc.rule)
			der := buildCase(t, tc, key)
			r, err := ParseRequest(der)
			require.NoError(t, err)

			violations, err := CheckProfile(r, nil)
			var details []string
			for _, v := range violations {
				if v.RuleID == tc.rule {
					details = append(details, v.Detail)
					assert.Equal(t, rule.Severity, v.Severity)
					assert.Equal(t, rule.Source, v.Source)
				}
			}
			require.NotEmpty(t, details, "violations: %v", violations)
			assert.Contains(t, strings.Join(details, "\n"), tc.detail)

			var pe *ProfileError
			if rule.Severity == SeverityError {
				require.True(t, errors.As(err, &pe), "a broken error rule must reject: %v", err)
				assert.Contains(t, pe.RuleIDs(), tc.rule)
				assert.Contains(t, err.Error(), tc.rule)
				assert.ErrorIs(t, err, ErrProfile)
			} else if err != nil {
				require.True(t, errors.As(err, &pe))
				assert.NotContains(t, pe.RuleIDs(), tc.rule, "warnings do not reject")
			}
		})
	}
}

func buildCase(t *testing.T, tc ruleCase, key crypto.Signer) []byte {
	t.Helper()
	if tc.der != nil {
		return tc.der(t)
	}
	spec := baseSpec(t)
	tc.change(t, &spec)
	der, err := buildRequest(spec, key)
	require.NoError(t, err)
	return der
}

func TestRuleTableCoveredByCases(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases {
		covered[tc.rule] = true
	}
	ids := map[string]bool{}
	for _, r := range DefaultRules() {
		assert.False(t, ids[r.ID], "rule %s appears twice", r.ID)
		ids[r.ID] = true
		assert.True(t, covered[r.ID], "rule %s has no test case", r.ID)
		assert.NotEmpty(t, r.Source, r.ID)
		assert.NotEmpty(t, r.Message.Ru, r.ID)
		assert.NotEmpty(t, r.Message.En, r.ID)
		assert.NotNil(t, r.Check, r.ID)
	}
}

func TestCheckProfileReplacedTable(t *testing.T) {
	spec := baseSpec(t)
	removeSubject(&spec, "localityName")
	spec.subject = append(spec.subject, spec.subject[0]) // commonName again
	der, err := buildRequest(spec, newTestKey(t))
	require.NoError(t, err)
	r, err := ParseRequest(der)
	require.NoError(t, err)

	rules := slices.DeleteFunc(DefaultRules(), func(r Rule) bool {
		return r.ID == "subject.required"
	})
	rules = append(rules, Rule{ID: "operator.organisation", Severity: SeverityWarning,
		Source: "operator's policy", Message: Message{Ru: "…", En: "…"},
		Check: func(r *Request) []string { return []string{"custom"} }})

	violations, err := CheckProfile(r, rules)
	var pe *ProfileError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, []string{"subject.unique"}, pe.RuleIDs())
	var ids []string
	for _, v := range violations {
		ids = append(ids, v.RuleID)
	}
	assert.Contains(t, ids, "operator.organisation")
	assert.NotContains(t, ids, "subject.required")
	wantPrefix := "tsok: request breaks the ТСОК profile: subject.unique (commonName at offset "
	assert.True(t, strings.HasPrefix(err.Error(), wantPrefix), err.Error())
}
