package bign

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePublicKeyMalformed(t *testing.T) {
	valid := mustHexBytes(vectorQ)
	withX := func(x []byte) []byte { return append(append([]byte(nil), x...), valid[32:]...) }
	withY := func(y []byte) []byte { return append(append([]byte(nil), valid[:32]...), y...) }
	pBytes := fieldP.bytesRaw()
	allOnes := bytes.Repeat([]byte{0xFF}, 32)
	offCurve := append([]byte(nil), valid...)
	offCurve[63] ^= 0x01
	tests := []struct {
		name    string
		input   []byte
		message string
	}{
		{"empty", nil, "length 0, want 64"},
		{"short", valid[:63], "length 63, want 64"},
		{"long", append(append([]byte(nil), valid...), 0), "length 65, want 64"},
		{"uncompressed SEC1 form", append([]byte{0x04}, valid...), "length 65, want 64"},
		{"x equal to p", withX(pBytes[:]), "x at offset 0 is not less than p"},
		{"x all ones", withX(allOnes), "x at offset 0 is not less than p"},
		{"y equal to p", withY(pBytes[:]), "y at offset 32 is not less than p"},
		{"y flipped bit", offCurve, "point is not on the curve"},
		{"all zeros", make([]byte, 64), "point is not on the curve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParsePublicKey(tt.input)
			assert.Nil(t, pub)
			require.ErrorIs(t, err, ErrInvalidPublicKey)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

// bytesRaw encodes x as it is, without reducing it modulo p.
func (x *fieldElement) bytesRaw() [32]byte {
	var b [32]byte
	for i, w := range x {
		for j := range 8 {
			b[8*i+j] = byte(w >> (8 * j))
		}
	}
	return b
}

func TestParsePrivateKeyMalformed(t *testing.T) {
	q := (*scalar)(&groupOrder).bytes()
	qPlus1 := q
	qPlus1[0]++
	tests := []struct {
		name    string
		input   []byte
		message string
	}{
		{"empty", nil, "length 0, want 32"},
		{"short", make([]byte, 31), "length 31, want 32"},
		{"long", make([]byte, 33), "length 33, want 32"},
		{"zero", make([]byte, 32), "d is zero"},
		{"q", q[:], "d is not less than the group order q"},
		{"q+1", qPlus1[:], "d is not less than the group order q"},
		{"all ones", bytes.Repeat([]byte{0xFF}, 32), "d is not less than the group order q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			priv, err := ParsePrivateKey(tt.input)
			assert.Nil(t, priv)
			require.ErrorIs(t, err, ErrInvalidPrivateKey)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestPrivateKeyRoundTrip(t *testing.T) {
	priv, err := GenerateKey(rand.Reader)
	require.NoError(t, err)
	parsed, err := ParsePrivateKey(priv.Bytes())
	require.NoError(t, err)
	assert.True(t, parsed.Equal(priv))
	assert.True(t, parsed.PublicKey().Equal(priv.PublicKey()))

	other, err := GenerateKey(rand.Reader)
	require.NoError(t, err)
	assert.False(t, other.Equal(priv), "different keys")
	assert.False(t, other.PublicKey().Equal(priv.PublicKey()), "different public keys")
	assert.False(t, priv.PublicKey().Equal(nil), "nil")
	assert.False(t, priv.Equal(nil), "nil private key")

	b := priv.PublicKey().Bytes()
	b[0] ^= 1
	assert.Equal(t, b[0]^1, priv.PublicKey().Bytes()[0], "Bytes returns a copy")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

type constantReader byte

func (c constantReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func TestGenerateKeyBadRandom(t *testing.T) {
	tests := []struct {
		name    string
		rand    interface{ Read([]byte) (int, error) }
		message string
	}{
		{"failing reader", failingReader{}, "entropy exhausted"},
		{"always zero", constantReader(0), "no value in [1, q)"},
		{"always 0xFF", constantReader(0xFF), "no value in [1, q)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := GenerateKey(tt.rand)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)

			priv := vectorKey(t)
			_, err = Sign(tt.rand, priv, belt.HashOIDDER, make([]byte, 32))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message, "Sign")
		})
	}
	_, err := GenerateKey(nil)
	assert.ErrorContains(t, err, "nil random source")
}

func TestSignerInterface(t *testing.T) {
	priv := vectorKey(t)
	var signer crypto.Signer = priv
	msg := []byte("signed through crypto.Signer")
	digest := belt.Sum256(msg)

	sig, err := signer.Sign(rand.Reader, digest[:], nil)
	require.NoError(t, err)
	assert.NoError(t, VerifyHbelt(priv.PublicKey(), msg, sig), "nil opts")

	sig, err = signer.Sign(rand.Reader, digest[:], crypto.Hash(0))
	require.NoError(t, err)
	assert.NoError(t, VerifyHbelt(priv.PublicKey(), msg, sig), "crypto.Hash(0)")

	_, err = signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	assert.ErrorContains(t, err, "not supported")

	// bash256's identifier 1.2.112.0.2.0.34.101.77.11 in DER.
	bashOID := []byte{0x06, 0x09, 0x2A, 0x70, 0x00, 0x02, 0x00, 0x22, 0x65, 0x4D, 0x0B}
	sig, err = signer.Sign(rand.Reader, digest[:], &SignerOpts{HashOID: bashOID})
	require.NoError(t, err)
	assert.NoError(t, Verify(priv.PublicKey(), bashOID, digest[:], sig), "SignerOpts")
	assert.ErrorIs(t, Verify(priv.PublicKey(), belt.HashOIDDER, digest[:], sig), ErrInvalidSignature,
		"the hash OID is part of the signature")

	assert.Equal(t, priv.PublicKey(), signer.Public())
}

func TestOIDs(t *testing.T) {
	assert.Equal(t, "1.2.112.0.2.0.34.101.45.3.1", CurveOID.String())
	assert.Equal(t, "1.2.112.0.2.0.34.101.45.2.1", PubKeyOID.String())
	assert.Equal(t, "1.2.112.0.2.0.34.101.45.12", SignatureOID.String())
}
