package bign

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyMalformedSignature(t *testing.T) {
	pub, err := ParsePublicKey(mustHexBytes(vectorQ))
	require.NoError(t, err)
	digest := belt.Sum256(beltH[:13])
	valid := mustHexBytes(vectorSigG2)
	q := (*scalar)(&groupOrder).bytes()
	withS1 := func(s1 []byte) []byte { return append(append([]byte(nil), valid[:16]...), s1...) }
	tests := []struct {
		name    string
		sig     []byte
		message string
	}{
		{"empty", nil, "length 0, want 48"},
		{"short", valid[:47], "length 47, want 48"},
		{"long", append(append([]byte(nil), valid...), 0), "length 49, want 48"},
		{"ASN.1 form", append([]byte{0x30, 0x2E}, valid...), "length 50, want 48"},
		{"s1 equal to q", withS1(q[:]), "s1 at offset 16 is not less than the group order q"},
		{"s1 all ones", withS1(bytes.Repeat([]byte{0xFF}, 32)), "s1 at offset 16 is not less"},
		{"all zeros", make([]byte, 48), "s0 does not match"},
		{"s0 changed", append([]byte{valid[0] ^ 0x80}, valid[1:]...), "s0 does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(pub, belt.HashOIDDER, digest[:], tt.sig)
			require.ErrorIs(t, err, ErrInvalidSignature)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestVerifyInvalidArguments(t *testing.T) {
	pub, err := ParsePublicKey(mustHexBytes(vectorQ))
	require.NoError(t, err)
	digest := belt.Sum256(beltH[:13])
	sig := mustHexBytes(vectorSigG2)
	tests := []struct {
		name    string
		pub     *PublicKey
		oid     []byte
		digest  []byte
		message string
	}{
		{"nil key", nil, belt.HashOIDDER, digest[:], "nil public key"},
		{"short digest", pub, belt.HashOIDDER, digest[:31], "digest of 31 bytes, want 32"},
		{"empty OID", pub, nil, digest[:], "hash OID of 0 bytes is too short"},
		{"OID wrong tag", pub, []byte{0x04, 0x01, 0x2A}, digest[:], "tag 0x04 at offset 0"},
		{"OID long length", pub, []byte{0x06, 0x81, 0x01, 0x2A}, digest[:], "not a short-form length"},
		{"OID length mismatch", pub, []byte{0x06, 0x05, 0x2A}, digest[:], "length 5 at offset 1, want 1"},
		{"OID leading 0x80", pub, []byte{0x06, 0x02, 0x80, 0x01}, digest[:], "leading 0x80 byte"},
		{"OID truncated", pub, []byte{0x06, 0x02, 0x2A, 0x81}, digest[:], "ends inside a subidentifier at offset 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.pub, tt.oid, tt.digest, sig)
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrInvalidSignature)
			assert.Contains(t, err.Error(), tt.message)

			if tt.pub != nil {
				_, err = Sign(rand.Reader, vectorKey(t), tt.oid, tt.digest)
				assert.ErrorContains(t, err, tt.message, "Sign")
			}
		})
	}
}

// TestVerifyPointAtInfinity builds a signature for which R = u1·G + u2·Q is
// the point at infinity: with Q = G, s1 + H ≡ -(s0 + 2^128) (mod q).
func TestVerifyPointAtInfinity(t *testing.T) {
	gx, gy := generator.x.bytesRaw(), generator.y.bytesRaw()
	pub, err := ParsePublicKey(append(gx[:], gy[:]...))
	require.NoError(t, err)

	var digest [32]byte
	digest[0] = 7
	var h, u2, s1 scalar
	h.setReducedBytes(&digest)
	var s0 [32]byte
	s0[0], s0[16] = 0x42, 1
	u2.setCanonicalBytes(&s0)
	s1.sub(&s1, &u2)
	s1.sub(&s1, &h)

	sig := make([]byte, 48)
	copy(sig, s0[:16])
	s1b := s1.bytes()
	copy(sig[16:], s1b[:])
	err = Verify(pub, belt.HashOIDDER, digest[:], sig)
	require.ErrorIs(t, err, ErrInvalidSignature)
	assert.Contains(t, err.Error(), "R is the point at infinity")
}

// TestDoubleScalarMultEdgeCases compares u1·G + u2·Q with the constant-time
// (u1 + u2·log Q)·G for Q = G and Q = 2G, including sums that pass through
// doubling inside the addition formulas.
func TestDoubleScalarMultEdgeCases(t *testing.T) {
	var two scalar
	two[0] = 2
	twoG := scalarBaseMult(&two)
	twoGAffine, _ := twoG.affine()
	bases := []struct {
		name string
		q    affinePoint
		log  scalar
	}{
		{"G", generator, scalar{1}},
		{"2G", twoGAffine, two},
	}
	u2s := []scalar{{1}, {0, 0, 1}, {5, 0, 1}, {^uint64(0), ^uint64(0), 1}}
	for _, base := range bases {
		for _, u2 := range u2s {
			var u2log scalar
			u2log.mul(&u2, &base.log)
			for _, u1 := range []scalar{{}, {1}, u2log, {3, 1, 4, 1}} {
				var want scalar
				want.add(&u1, &u2log)
				r := doubleScalarMult(&u1, &u2, &base.q)
				wp := scalarBaseMult(&want)
				wa, _ := wp.affine()
				x, ok := r.affineX()
				require.True(t, ok, "Q = %s, u1 = %x, u2 = %x", base.name, u1, u2)
				assert.Equal(t, wa.x, x, "Q = %s, u1 = %x, u2 = %x", base.name, u1, u2)
			}
		}
	}
}

func TestJacobianExceptionalCases(t *testing.T) {
	var g, twoG, sum, negG jacobianPoint
	g.setAffine(&generator)
	twoG.double(&g)
	wantX, ok := twoG.affineX()
	require.True(t, ok)
	negG.neg(&g)
	negAffine := affinePoint{x: generator.x}
	negAffine.y.neg(&generator.y)

	sum.addAffine(&g, &generator)
	x, ok := sum.affineX()
	require.True(t, ok, "G + G by addAffine")
	assert.Equal(t, wantX, x, "G + G by addAffine")

	sum.add(&g, &g)
	x, ok = sum.affineX()
	require.True(t, ok, "G + G by add")
	assert.Equal(t, wantX, x, "G + G by add")

	sum.addAffine(&g, &negAffine)
	assert.True(t, sum.infinity, "G - G by addAffine")
	sum.add(&g, &negG)
	assert.True(t, sum.infinity, "G - G by add")

	var inf jacobianPoint
	inf.infinity = true
	sum.add(&inf, &g)
	assert.Equal(t, g, sum, "O + G")
	sum.add(&g, &inf)
	assert.Equal(t, g, sum, "G + O")
	sum.addAffine(&inf, &generator)
	assert.Equal(t, g, sum, "O + G by addAffine")
	sum.double(&inf)
	assert.True(t, sum.infinity, "2·O")
}

func TestSignVerifyRandom(t *testing.T) {
	for i := range 30 {
		priv, err := GenerateKey(rand.Reader)
		require.NoError(t, err)
		msg := make([]byte, i*7)
		_, err = rand.Read(msg)
		require.NoError(t, err)

		sig, err := SignHbelt(rand.Reader, priv, msg)
		require.NoError(t, err)
		require.Len(t, sig, SignatureSize)
		assert.NoError(t, VerifyHbelt(priv.PublicKey(), msg, sig), "case %d", i)

		other := append([]byte{1}, msg...)
		assert.ErrorIs(t, VerifyHbelt(priv.PublicKey(), other, sig), ErrInvalidSignature,
			"other message, case %d", i)
	}
}

// TestConcurrentUse signs and verifies from several goroutines at once, which
// also races the lazy construction of the base table under -race.
func TestConcurrentUse(t *testing.T) {
	priv := vectorKey(t)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			msg := []byte{byte(i)}
			sig, err := SignHbelt(rand.Reader, priv, msg)
			if err == nil {
				err = VerifyHbelt(priv.PublicKey(), msg, sig)
			}
			errs <- err
		}()
	}
	for range 8 {
		assert.NoError(t, <-errs)
	}
}
