package attrcert_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
)

func TestCertificatesFromClaimsShapes(t *testing.T) {
	cases := []struct {
		name   string
		claims string
		want   string
	}{
		{"object instead of array", `{"certificates": {"der": "MA=="}}`,
			`claim "certificates": expected an array of base64 DER strings, got an object`},
		{"array of numbers", `{"attribute_certificates": [1, 2]}`,
			`claim "attribute_certificates": expected an array of base64 DER strings, got an array of something other than strings`},
		{"string instead of array", `{"certificates": "MIIB"}`,
			`expected an array of base64 DER strings, got a string`},
		{"not base64", `{"certificates": ["***"]}`, `claim "certificates", item 0: not base64`},
		{"not a certificate", `{"certificates": ["AAAA"]}`, `claim "certificates", item 0: attrcert:`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var claims map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(tc.claims), &claims))
			_, err := attrcert.CertificatesFromClaims(claims, attrcert.DefaultCertificateClaims)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestCertificatesFromClaimsAbsent(t *testing.T) {
	pc, err := attrcert.CertificatesFromClaims(map[string]json.RawMessage{
		"certificates": json.RawMessage(`null`),
	}, attrcert.DefaultCertificateClaims)
	require.NoError(t, err)
	assert.Empty(t, pc.PublicKey)
	assert.Empty(t, pc.Attribute)
}
