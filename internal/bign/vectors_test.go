package bign

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beltH is the table H of STB 34.101.31; the test inputs of STB 34.101.45
// are pieces of it.
var beltH = mustHexBytes(
	"B194BAC80A08F53B366D008E584A5DE48504FA9D1BB6C7AC252E72C202FDCE0D" +
		"5BE3D61217B96181FE6786AD716B890B5CB0C0FF33C356B835C405AED8E07F99" +
		"E12BDC1AE28257EC703FCCF095EE8DF1C1AB76389FE678CAF7C6F860D5BB9C4F" +
		"F33C657B637C306ADD4EA7799EB23D313E98B56E27D3BCCF591E181F4C5AB793" +
		"E9DEE72C8F0C0FA62DDB49F46F73964706075316ED247A3739CBA38303A98BF6" +
		"92BD9B1CE5D141015445FBC95E4D0EF2682080AA227D642F2687F93490405511" +
		"BE32971343FC9A48A02A885F194B09A17ECDA4D01544AF8CA58450BF66D2E88A" +
		"A2D7465242A8DFB36974C551EB232921D4EFD9B43A622875911410EA776CDA1D")

const (
	vectorD = "1F66B5B84B7339674533F0329C74F21834281FED0732429E0C79235FC273E269"
	vectorQ = "BD1A5650179D79E03FCEE49D4C2BD5DDF54CE46D0CF11E4FF87BF7A890857FD0" +
		"7AC6A60361E8C8173491686D461B2826190C2EDA5909054A9AB84D2AB9D99A90"
	vectorSigG2 = "E36B7F0377AE4C524027C387FADF1B20CE72F1530B71F2B5FD3A8C584FE2E1AE" +
		"D20082E30C8AF65011F4FB54649DFD3D"
	vectorSigG3 = "47A63C8B9C936E94B5FAB3D9CBD78366290F3210E163EEC8DB4E921E8479D413" +
		"8F112CC23E6DCE65EC5FF21DF4231C28"
)

func mustHexBytes(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// testGenerator is the random number generator of the examples of
// STB 34.101.45: brng-ctr of STB 34.101.47 with key H[128..160) and initial
// value H[192..224), whose input blocks X_t run through H cyclically. Each
// 32-byte output is Y = belt-hash(key || s || X_t || r), after which s is
// incremented as a little-endian number and r ^= Y; at the start r = ¬s.
type testGenerator struct {
	key, s, r [32]byte
	offset    int
}

func newTestGenerator() *testGenerator {
	g := &testGenerator{}
	copy(g.key[:], beltH[128:160])
	copy(g.s[:], beltH[192:224])
	for i := range g.r {
		g.r[i] = ^g.s[i]
	}
	return g
}

func (g *testGenerator) Read(p []byte) (int, error) {
	if len(p)%32 != 0 {
		return 0, errors.New("test generator reads whole 32-byte blocks only")
	}
	for out := p; len(out) > 0; out = out[32:] {
		var x [32]byte
		for i := range x {
			x[i] = beltH[(g.offset+i)%len(beltH)]
		}
		g.offset = (g.offset + 32) % len(beltH)

		h := belt.NewHash()
		h.Write(g.key[:])
		h.Write(g.s[:])
		h.Write(x[:])
		h.Write(g.r[:])
		y := h.Sum(nil)
		copy(out, y)

		for i := range g.s {
			g.s[i]++
			if g.s[i] != 0 {
				break
			}
		}
		for i := range g.r {
			g.r[i] ^= y[i]
		}
	}
	return len(p), nil
}

func vectorKey(t *testing.T) *PrivateKey {
	t.Helper()
	priv, err := ParsePrivateKey(mustHexBytes(vectorD))
	require.NoError(t, err)
	return priv
}

func TestKeyPairVectorG1(t *testing.T) {
	priv := vectorKey(t)
	assert.Equal(t, vectorQ, hexUpper(priv.PublicKey().Bytes()), "Q = d·G")

	generated, err := GenerateKey(newTestGenerator())
	require.NoError(t, err)
	assert.Equal(t, vectorD, hexUpper(generated.Bytes()), "d from the test generator")
	assert.True(t, generated.Equal(priv), "Equal")

	pub, err := ParsePublicKey(mustHexBytes(vectorQ))
	require.NoError(t, err)
	assert.True(t, pub.Equal(priv.Public()), "parsed Q equals derived Q")
}

func hexUpper(b []byte) string {
	return strings.ToUpper(hex.EncodeToString(b))
}

// TestSignatureVectors reproduces Г.2 and Г.3 with the standard's test
// generator: it yields d (Г.1), then k for Г.2, then a key for the key
// transport example Г.4, then k for Г.3.
func TestSignatureVectors(t *testing.T) {
	gen := newTestGenerator()
	_, err := GenerateKey(gen)
	require.NoError(t, err)
	priv := vectorKey(t)

	h13 := belt.Sum256(beltH[:13])
	sig, err := Sign(gen, priv, belt.HashOIDDER, h13[:])
	require.NoError(t, err)
	assert.Equal(t, vectorSigG2, hexUpper(sig), "Г.2")

	var transportKey [32]byte
	_, err = gen.Read(transportKey[:])
	require.NoError(t, err)

	h48 := belt.Sum256(beltH[:48])
	sig, err = Sign(gen, priv, belt.HashOIDDER, h48[:])
	require.NoError(t, err)
	assert.Equal(t, vectorSigG3, hexUpper(sig), "Г.3")
}

func TestVerifyVectors(t *testing.T) {
	h13 := belt.Sum256(beltH[:13])
	h48 := belt.Sum256(beltH[:48])
	tests := []struct {
		name   string
		digest []byte
		sig    string
	}{
		{"Г.2", h13[:], vectorSigG2},
		{"Г.3", h48[:], vectorSigG3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParsePublicKey(mustHexBytes(vectorQ))
			require.NoError(t, err)
			sig := mustHexBytes(tt.sig)
			assert.NoError(t, Verify(pub, belt.HashOIDDER, tt.digest, sig))

			flipped := append([]byte(nil), sig...)
			flipped[0] ^= 1
			assert.ErrorIs(t, Verify(pub, belt.HashOIDDER, tt.digest, flipped), ErrInvalidSignature,
				"first bit of s0 flipped")

			flipped = append([]byte(nil), sig...)
			flipped[20] ^= 1
			assert.ErrorIs(t, Verify(pub, belt.HashOIDDER, tt.digest, flipped), ErrInvalidSignature,
				"bit of s1 flipped")

			q := mustHexBytes(vectorQ)
			q[0] ^= 1
			// Flipping a bit of Q usually leaves the curve; if not, the
			// signature must still fail.
			if pubFlipped, err := ParsePublicKey(q); err == nil {
				assert.ErrorIs(t, Verify(pubFlipped, belt.HashOIDDER, tt.digest, sig), ErrInvalidSignature)
			} else {
				assert.ErrorIs(t, err, ErrInvalidPublicKey, "Q with a bit flipped")
			}

			digest := append([]byte(nil), tt.digest...)
			digest[31] ^= 0x80
			assert.ErrorIs(t, Verify(pub, belt.HashOIDDER, digest, sig), ErrInvalidSignature,
				"digest changed")
		})
	}
}

// TestDeterministicNonceVectors checks Г.6 and Г.7. The vectors give k, which
// is recovered from a signature as k = (s1 + H + (s0 + 2^128)·d) mod q.
func TestDeterministicNonceVectors(t *testing.T) {
	h13 := belt.Sum256(beltH[:13])
	h48 := belt.Sum256(beltH[:48])
	tests := []struct {
		name   string
		digest []byte
		t      []byte
		k      string
	}{
		{"Г.6", h13[:], nil, "829614D8411DBBC4E1F2471A4004586440FD8C9553FAB6A1A45CE417AE97111E"},
		{"Г.7", h48[:], beltH[192 : 192+23], "7ADC8713283EBFA547A2AD9CDFB245AE0F7B968DF0F91CB785D1F932A3583107"},
	}
	priv := vectorKey(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := SignDeterministic(priv, belt.HashOIDDER, tt.digest, tt.t)
			require.NoError(t, err)
			assert.NoError(t, Verify(priv.PublicKey(), belt.HashOIDDER, tt.digest, sig))

			var s0, s1, h, k scalar
			var s0b [32]byte
			copy(s0b[:], sig[:16])
			s0b[16] = 1
			s0.setCanonicalBytes(&s0b)
			s1.setCanonicalBytes((*[32]byte)(sig[16:]))
			h.setReducedBytes((*[32]byte)(tt.digest))
			k.mul(&s0, &priv.d)
			k.add(&k, &s1)
			k.add(&k, &h)
			kb := k.bytes()
			assert.Equal(t, tt.k, hexUpper(kb[:]), "k")

			again, err := SignDeterministic(priv, belt.HashOIDDER, tt.digest, tt.t)
			require.NoError(t, err)
			assert.Equal(t, sig, again, "deterministic")
		})
	}
}
