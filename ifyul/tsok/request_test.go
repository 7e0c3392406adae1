package tsok

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTemplate is a ТСОК request that keeps every rule of the profile.
func testTemplate() *RequestTemplate {
	return &RequestTemplate{
		CommonName:      "kpsis.vector.by",
		Locality:        "г. Брест",
		State:           "Брестская обл.",
		Street:          "ул. Советская, д. 1, каб. 2",
		Organization:    "ОАО «Вектор»",
		Description:     "КПСИС информационной системы «Вектор-Онлайн»",
		Email:           "admin@vector.by",
		SubjectAltNames: []string{"kpsis.vector.by", "https://vector.by/kpsis", "10.0.0.5"},
	}
}

func newTestKey(t testing.TB) crypto.Signer {
	t.Helper()
	key, err := GenerateKey(rand.Reader)
	require.NoError(t, err)
	return key
}

func TestCreateRequestRoundTrip(t *testing.T) {
	key := newTestKey(t)
	tmpl := testTemplate()
	tmpl.ChallengePassword = "/INFO:SN112358"
	notBefore := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tmpl.Validity = &Validity{NotBefore: notBefore, NotAfter: notBefore.AddDate(2, 0, 0)}
	der, err := CreateRequest(tmpl, key)
	require.NoError(t, err)

	encodings := map[string][]byte{
		"DER":    der,
		"PEM":    EncodePEM(der),
		"base64": []byte(base64.StdEncoding.EncodeToString(der) + "\n"),
	}
	for name, data := range encodings {
		t.Run(name, func(t *testing.T) {
			r, err := ParseRequest(data)
			require.NoError(t, err)
			assert.Equal(t, der, r.Raw)
			assert.NoError(t, r.CheckSignature())

			var names []string
			for _, a := range r.Subject {
				names = append(names, attributeName(a.Type)+"="+a.Value)
			}
			assert.Equal(t, []string{
				"commonName=kpsis.vector.by", "countryName=BY", "localityName=г. Брест",
				"stateOrProvinceName=Брестская обл.", "streetAddress=ул. Советская, д. 1, каб. 2",
				"organizationName=ОАО «Вектор»",
				"description=КПСИС информационной системы «Вектор-Онлайн»",
				"emailAddress=admin@vector.by",
			}, names)
			assert.Equal(t, DefaultKeyUsage, r.KeyUsage)
			assert.Equal(t, []asn1.ObjectIdentifier{OIDServerAuth}, r.ExtKeyUsage)
			require.Len(t, r.SubjectAltNames, 3)
			assert.Equal(t, GeneralName{Tag: 2, Value: "kpsis.vector.by",
				Offset: r.SubjectAltNames[0].Offset}, r.SubjectAltNames[0])
			assert.Equal(t, 6, r.SubjectAltNames[1].Tag)
			assert.Equal(t, net.IPv4(10, 0, 0, 5).To4(), r.SubjectAltNames[2].IP)
			require.NotNil(t, r.ChallengePassword)
			assert.Equal(t, "/INFO:SN112358", r.ChallengePassword.Value)
			require.NotNil(t, r.CertificateValidity)
			assert.True(t, notBefore.Equal(r.CertificateValidity.NotBefore))

			violations, err := CheckProfile(r, nil)
			assert.NoError(t, err)
			assert.Empty(t, violations)
		})
	}
}

// TestCreateRequestReadByCryptoX509 checks the encoding against an
// independent parser: crypto/x509 reads the structure, though not the
// bign key or signature.
func TestCreateRequestReadByCryptoX509(t *testing.T) {
	der, err := CreateRequest(testTemplate(), newTestKey(t))
	require.NoError(t, err)

	csr, err := x509.ParseCertificateRequest(der)
	require.NoError(t, err)
	assert.Equal(t, "kpsis.vector.by", csr.Subject.CommonName)
	assert.Equal(t, []string{"BY"}, csr.Subject.Country)
	assert.Equal(t, []string{"ОАО «Вектор»"}, csr.Subject.Organization)
	assert.Equal(t, []string{"kpsis.vector.by"}, csr.DNSNames)
	require.Len(t, csr.URIs, 1)
	assert.Equal(t, "https://vector.by/kpsis", csr.URIs[0].String())
	assert.Len(t, csr.Extensions, 3)
	assert.Equal(t, x509.UnknownPublicKeyAlgorithm, csr.PublicKeyAlgorithm)
}

func TestCreateRequestErrors(t *testing.T) {
	ecdsaLike := &fakeSigner{public: struct{}{}}
	tests := []struct {
		name   string
		tmpl   *RequestTemplate
		signer crypto.Signer
		want   string
	}{
		{"nil template", nil, newTestKey(t), "template is nil"},
		{"nil signer", testTemplate(), nil, "signer is nil"},
		{"non-bign signer", testTemplate(), ecdsaLike, "is not a bign key"},
		{"non-ASCII email", &RequestTemplate{Email: "адм@vector.by"}, newTestKey(t),
			"emailAddress"},
		{"country not printable", &RequestTemplate{Country: "B*"}, newTestKey(t), "countryName"},
		{"non-ASCII DNS name", &RequestTemplate{SubjectAltNames: []string{"вектор.бел"}},
			newTestKey(t), "SubjectAltNames[0]"},
		{"signer signs wrongly", testTemplate(), &fakeSigner{public: newTestKey(t).Public(),
			sig: make([]byte, 48)}, "does not verify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CreateRequest(tt.tmpl, tt.signer)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "tsok: "), err.Error())
		})
	}
}

// fakeSigner returns a fixed public key and signature.
type fakeSigner struct {
	public crypto.PublicKey
	sig    []byte
}

func (s *fakeSigner) Public() crypto.PublicKey { return s.public }

func (s *fakeSigner) Sign(_ io.Reader, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	if s.sig == nil {
		return nil, errors.New("no signature")
	}
	return s.sig, nil
}

func TestCheckSignature(t *testing.T) {
	der, err := CreateRequest(testTemplate(), newTestKey(t))
	require.NoError(t, err)
	r, err := ParseRequest(der)
	require.NoError(t, err)

	tests := []struct {
		name   string
		mutate func(r *Request)
		want   error
	}{
		{"intact", func(*Request) {}, nil},
		{"signed part changed", func(r *Request) {
			r.RawInfo = append([]byte(nil), r.RawInfo...)
			r.RawInfo[len(r.RawInfo)-1] ^= 1
		}, ErrBadSignature},
		{"signature changed", func(r *Request) {
			r.Signature = append([]byte(nil), r.Signature...)
			r.Signature[0] ^= 1
		}, ErrBadSignature},
		{"signature short", func(r *Request) { r.Signature = r.Signature[:47] }, ErrBadSignature},
		{"other algorithm", func(r *Request) {
			r.SignatureAlgorithm = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
		}, ErrUnsupportedAlgorithm},
		{"parameters not NULL", func(r *Request) { r.SignatureParameters = []byte{2, 1, 0} },
			ErrUnsupportedAlgorithm},
		{"no bign key", func(r *Request) { r.bignKey = nil }, ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copied := *r
			tt.mutate(&copied)
			err := copied.CheckSignature()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestCheckProfileRejectsBadSignature(t *testing.T) {
	der, err := CreateRequest(testTemplate(), newTestKey(t))
	require.NoError(t, err)
	der[len(der)-1] ^= 1
	r, err := ParseRequest(der)
	require.NoError(t, err)

	violations, err := CheckProfile(r, nil)
	assert.ErrorIs(t, err, ErrBadSignature)
	assert.Nil(t, violations)
}
