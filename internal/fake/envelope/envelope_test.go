package envelope_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/envelope"
)

type request struct {
	ID  string `json:"id"`
	Exp int64  `json:"exp"`
}

func newKey(t testing.TB) *envelope.ECDSAKey {
	t.Helper()
	key, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	return key
}

// rawEnvelope is the wire form of an envelope, kept separate from the
// package's own type so that the tests build hostile envelopes by hand.
type rawEnvelope struct {
	Payload     []byte `json:"payload,omitempty"`
	Algorithm   string `json:"alg,omitempty"`
	Signature   []byte `json:"sig,omitempty"`
	Certificate []byte `json:"cert,omitempty"`
}

func decodeRaw(t *testing.T, text string) rawEnvelope {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(text)
	require.NoError(t, err)
	var e rawEnvelope
	require.NoError(t, json.Unmarshal(raw, &e))
	return e
}

func encodeRaw(t *testing.T, e rawEnvelope) string {
	t.Helper()
	raw, err := json.Marshal(e)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func TestSealOpen(t *testing.T) {
	key := newKey(t)
	text, err := envelope.Seal(key, request{ID: "r-1", Exp: 42})
	require.NoError(t, err)

	var got request
	require.NoError(t, envelope.Open(key.Verifier(), text, &got))
	assert.Equal(t, request{ID: "r-1", Exp: 42}, got)

	e := decodeRaw(t, text)
	assert.Equal(t, "ES256", e.Algorithm)
	assert.Empty(t, e.Certificate)
	assert.JSONEq(t, `{"id":"r-1","exp":42}`, string(e.Payload))
}

func TestSealUnencodablePayload(t *testing.T) {
	_, err := envelope.Seal(newKey(t), map[string]any{"f": func() {}})
	assert.ErrorContains(t, err, "envelope: ")
}

func TestSealSignerFails(t *testing.T) {
	_, err := envelope.Seal(failingSigner{}, request{ID: "r"})
	require.Error(t, err)
	assert.ErrorContains(t, err, "envelope: signing")
	assert.ErrorIs(t, err, errSignerBroken)
}

var errSignerBroken = errors.New("signer broken")

type failingSigner struct{}

func (failingSigner) Algorithm() string           { return "ES256" }
func (failingSigner) Sign([]byte) ([]byte, error) { return nil, errSignerBroken }
func (failingSigner) Certificate() []byte         { return nil }

func TestOpenMalformed(t *testing.T) {
	key := newKey(t)
	b64 := base64.RawURLEncoding.EncodeToString
	valid, err := envelope.Seal(key, request{ID: "r-1"})
	require.NoError(t, err)
	tests := []struct {
		name     string
		text     string
		wantText []string
	}{
		{"empty", "", []string{"envelope: not an envelope"}},
		{"not base64", "not*base64", []string{"envelope: not base64url", "input byte 3"}},
		{"standard base64 alphabet", valid[:8] + "+/" + valid[10:], []string{"not base64url"}},
		{"padded", valid + "==", []string{"not base64url"}},
		{"truncated base64", valid[:len(valid)-1], []string{"envelope: "}},
		{"not JSON", b64([]byte("payload")), []string{"envelope: not an envelope"}},
		{"JSON list", b64([]byte(`[1,2]`)), []string{"envelope: not an envelope"}},
		{"JSON null", b64([]byte(`null`)), []string{"payload or signature missing"}},
		{"empty object", b64([]byte(`{}`)), []string{"payload or signature missing"}},
		{
			"payload missing",
			b64([]byte(`{"alg":"ES256","sig":"AQID"}`)),
			[]string{"payload or signature missing"},
		},
		{
			"signature missing",
			b64([]byte(`{"payload":"e30=","alg":"ES256"}`)),
			[]string{"payload or signature missing"},
		},
		{
			"payload not base64 inside JSON",
			b64([]byte(`{"payload":"{}","alg":"ES256","sig":"AQID"}`)),
			[]string{"envelope: not an envelope"},
		},
		{
			"algorithm not a string",
			b64([]byte(`{"payload":"e30=","alg":7,"sig":"AQID"}`)),
			[]string{"envelope: not an envelope"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out request
			err := envelope.Open(key.Verifier(), tt.text, &out)
			require.Error(t, err)
			for _, want := range tt.wantText {
				assert.Contains(t, err.Error(), want)
			}
			assert.Equal(t, request{}, out, "nothing is decoded from a rejected envelope")
		})
	}
}

func TestOpenForged(t *testing.T) {
	key := newKey(t)
	other := newKey(t)
	valid, err := envelope.Seal(key, request{ID: "r-1", Exp: 100})
	require.NoError(t, err)
	fromOther, err := envelope.Seal(other, request{ID: "r-1", Exp: 100})
	require.NoError(t, err)
	e := decodeRaw(t, valid)

	flipped := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i] ^= 0x01
		return c
	}
	with := func(change func(*rawEnvelope)) string {
		c := e
		change(&c)
		return encodeRaw(t, c)
	}
	tests := []struct {
		name string
		text string
	}{
		{"signed by another key", fromOther},
		{"payload changed", with(func(c *rawEnvelope) {
			c.Payload = []byte(`{"id":"r-1","exp":999999}`)
		})},
		{"payload bit flipped", with(func(c *rawEnvelope) { c.Payload = flipped(c.Payload, 3) })},
		{"payload with trailing space", with(func(c *rawEnvelope) {
			c.Payload = append(append([]byte(nil), c.Payload...), ' ')
		})},
		{"signature bit flipped", with(func(c *rawEnvelope) {
			c.Signature = flipped(c.Signature, len(c.Signature)-1)
		})},
		{"signature truncated", with(func(c *rawEnvelope) {
			c.Signature = c.Signature[:len(c.Signature)-1]
		})},
		{"signature garbage", with(func(c *rawEnvelope) { c.Signature = []byte{0x30, 0x00} })},
		{"signature of another envelope", with(func(c *rawEnvelope) {
			c.Signature = decodeRaw(t, fromOther).Signature
		})},
		{"algorithm none", with(func(c *rawEnvelope) { c.Algorithm = "none" })},
		{"algorithm HS256", with(func(c *rawEnvelope) { c.Algorithm = "HS256" })},
		{"algorithm lowercase", with(func(c *rawEnvelope) { c.Algorithm = "es256" })},
		{"algorithm missing", with(func(c *rawEnvelope) { c.Algorithm = "" })},
		{"algorithm bign", with(func(c *rawEnvelope) { c.Algorithm = "bign-with-hbelt" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out request
			err := envelope.Open(key.Verifier(), tt.text, &out)
			require.Error(t, err)
			assert.ErrorIs(t, err, envelope.ErrBadSignature)
			assert.Equal(t, request{}, out)
		})
	}
}

func TestOpenWrongAlgorithmNamed(t *testing.T) {
	key := newKey(t)
	valid, err := envelope.Seal(key, request{ID: "r-1"})
	require.NoError(t, err)
	e := decodeRaw(t, valid)
	e.Algorithm = "none"

	err = envelope.Open(key.Verifier(), encodeRaw(t, e), &request{})
	assert.ErrorContains(t, err, `"none"`)
}

func TestOpenCertificatePassedOn(t *testing.T) {
	v := &recordingVerifier{}
	text := encodeRaw(t, rawEnvelope{
		Payload: []byte(`{"id":"c"}`), Algorithm: "X", Signature: []byte{1},
		Certificate: []byte{0x30, 0x03, 0x02, 0x01, 0x07},
	})

	var out request
	require.NoError(t, envelope.Open(v, text, &out))
	assert.Equal(t, "c", out.ID)
	assert.Equal(t, "X", v.algorithm)
	assert.Equal(t, []byte{0x30, 0x03, 0x02, 0x01, 0x07}, v.certificate)
}

func TestOpenPayloadNotDecodable(t *testing.T) {
	tests := []struct {
		name    string
		payload string
	}{
		{"not JSON", `id=r-1`},
		{"wrong type", `{"id": 5}`},
		{"list", `[{"id":"r-1"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := encodeRaw(t, rawEnvelope{
				Payload: []byte(tt.payload), Algorithm: "X", Signature: []byte{1},
			})
			err := envelope.Open(&recordingVerifier{}, text, &request{})
			require.Error(t, err)
			assert.ErrorContains(t, err, "envelope: payload")
			assert.NotErrorIs(t, err, envelope.ErrBadSignature)
		})
	}
}

func TestOpenVerifierErrorKept(t *testing.T) {
	errRevoked := errors.New("certificate revoked")
	text := encodeRaw(t, rawEnvelope{Payload: []byte(`{}`), Algorithm: "X", Signature: []byte{1}})

	err := envelope.Open(&recordingVerifier{err: errRevoked}, text, &request{})
	assert.ErrorIs(t, err, envelope.ErrBadSignature)
	assert.ErrorIs(t, err, errRevoked)
}

// recordingVerifier accepts every signature, or none when err is set, and
// keeps what it was asked to check.
type recordingVerifier struct {
	err         error
	algorithm   string
	certificate []byte
}

func (v *recordingVerifier) Verify(algorithm string, _, _, certificate []byte) error {
	v.algorithm = algorithm
	v.certificate = certificate
	return v.err
}

func FuzzOpen(f *testing.F) {
	key := newKey(f)
	for _, seed := range []string{
		"",
		"e30",
		"bnVsbA",
		// {"payload":"e30=","alg":"ES256","sig":"AQID"}
		"eyJwYXlsb2FkIjoiZTMwPSIsImFsZyI6IkVTMjU2Iiwic2lnIjoiQVFJRCJ9",
		// {"payload":"eyJpZCI6NX0=","alg":"none","sig":"AA=="}
		"eyJwYXlsb2FkIjoiZXlKcFpDSTZOWDA9IiwiYWxnIjoibm9uZSIsInNpZyI6IkFBPT0ifQ",
	} {
		f.Add(seed)
	}
	sealed, err := envelope.Seal(key, request{ID: "seed"})
	require.NoError(f, err)
	f.Add(sealed)

	f.Fuzz(func(t *testing.T, text string) {
		var out request
		if err := envelope.Open(key.Verifier(), text, &out); err == nil {
			// The text may differ from the sealed one in ways the encoding
			// allows, but only the signed payload can come out.
			assert.Equal(t, request{ID: "seed"}, out)
		} else {
			assert.Equal(t, request{}, out)
		}

		// An accepting verifier lets the fuzzer reach the payload decoding.
		var anyOut map[string]any
		if envelope.Open(&recordingVerifier{}, text, &anyOut) != nil {
			return
		}
		raw, err := base64.RawURLEncoding.DecodeString(text)
		require.NoError(t, err)
		var e rawEnvelope
		require.NoError(t, json.Unmarshal(raw, &e))
		assert.NotEmpty(t, e.Payload)
		assert.NotEmpty(t, e.Signature)
	})
}
