package bign

import (
	"crypto/rand"
	"math/big"
	"testing"

	cbcurve "github.com/deatil/go-cryptobin/elliptic/bign"
	cbbelt "github.com/deatil/go-cryptobin/hash/belt"
	cbbign "github.com/deatil/go-cryptobin/pubkey/bign"
	"github.com/esiful/sdk-go/internal/belt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cryptobinAdata is go-cryptobin's "additional data" for bign: the hash OID
// in DER, with no extra data t.
var cryptobinAdata = cbbign.MakeAdata(belt.HashOIDDER, nil)

// toCryptobin converts a key of this package to go-cryptobin's, whose
// coordinates and d are big-endian big.Ints.
func toCryptobin(t *testing.T, priv *PrivateKey) *cbbign.PrivateKey {
	t.Helper()
	d := priv.Bytes()
	reverse(d)
	cb, err := cbbign.NewPrivateKey(cbcurve.P256v1(), d)
	require.NoError(t, err)
	return cb
}

func fromCryptobinPublic(t *testing.T, pub *cbbign.PublicKey) *PublicKey {
	t.Helper()
	var b [64]byte
	pub.X.FillBytes(b[:32])
	pub.Y.FillBytes(b[32:])
	reverse(b[:32])
	reverse(b[32:])
	ours, err := ParsePublicKey(b[:])
	require.NoError(t, err)
	return ours
}

func randomMessage(t *testing.T, n int) []byte {
	t.Helper()
	msg := make([]byte, n)
	_, err := rand.Read(msg)
	require.NoError(t, err)
	return msg
}

func TestCrossCheckCryptobin(t *testing.T) {
	for i := range 20 {
		priv, err := GenerateKey(rand.Reader)
		require.NoError(t, err)
		cbPriv := toCryptobin(t, priv)
		assert.True(t, priv.PublicKey().Equal(fromCryptobinPublic(t, &cbPriv.PublicKey)),
			"same public key, case %d", i)

		msg := randomMessage(t, i*13)
		digest := belt.Sum256(msg)
		assert.Equal(t, cbbelt.Sum(msg), digest, "belt-hash, case %d", i)

		ours, err := SignHbelt(rand.Reader, priv, msg)
		require.NoError(t, err)
		assert.True(t, cbbign.VerifyBytes(&cbPriv.PublicKey, cbbelt.New, msg, cryptobinAdata, ours),
			"go-cryptobin verifies our signature, case %d", i)

		theirs, err := cbbign.SignBytes(rand.Reader, cbPriv, cbbelt.New, msg, cryptobinAdata)
		require.NoError(t, err)
		assert.NoError(t, VerifyHbelt(priv.PublicKey(), msg, theirs),
			"we verify go-cryptobin's signature, case %d", i)

		// With no random source go-cryptobin derives k by the standard's
		// deterministic algorithm with t empty, so the signatures match.
		theirsDet, err := cbbign.SignBytes(nil, cbPriv, cbbelt.New, msg, cryptobinAdata)
		require.NoError(t, err)
		oursDet, err := SignDeterministic(priv, belt.HashOIDDER, digest[:], nil)
		require.NoError(t, err)
		assert.Equal(t, theirsDet, oursDet, "deterministic signatures, case %d", i)
	}
}

// TestScalarBaseMultMatchesCryptobin compares k·G for edge scalars, whose
// signed digits are all extreme, and random ones.
func TestScalarBaseMultMatchesCryptobin(t *testing.T) {
	curve := cbcurve.P256v1()
	q := limbsToBig(bigQ)
	ks := []*big.Int{
		big.NewInt(1), big.NewInt(2), big.NewInt(16), big.NewInt(17), big.NewInt(31),
		new(big.Int).Sub(q, big.NewInt(1)), new(big.Int).Sub(q, big.NewInt(16)),
		new(big.Int).Lsh(big.NewInt(1), 255), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(1)),
		new(big.Int).Lsh(big.NewInt(1), 128),
	}
	for range 30 {
		k, err := rand.Int(rand.Reader, q)
		require.NoError(t, err)
		ks = append(ks, k)
	}
	for _, k := range ks {
		if k.Sign() == 0 {
			continue
		}
		var b [32]byte
		k.FillBytes(b[:])
		wantX, wantY := curve.ScalarBaseMult(b[:])
		reverse(b[:])
		var s scalar
		require.Equal(t, uint64(1), s.setCanonicalBytes(&b))
		p := scalarBaseMult(&s)
		a, ok := p.affine()
		require.Equal(t, uint64(1), ok, "k = %x", k)
		assert.Equal(t, wantX.Text(16), a.x.toBig().Text(16), "x of k·G, k = %x", k)
		assert.Equal(t, wantY.Text(16), a.y.toBig().Text(16), "y of k·G, k = %x", k)
	}
}
