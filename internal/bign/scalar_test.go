package bign

import (
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var bigQ = (*[4]uint64)(&groupOrder)

func limbsToBig(x *[4]uint64) *big.Int {
	b := new(big.Int)
	for i := 3; i >= 0; i-- {
		b.Lsh(b, 64)
		b.Or(b, new(big.Int).SetUint64(x[i]))
	}
	return b
}

func scalarSamples(t *testing.T) []scalar {
	t.Helper()
	q := groupOrder
	qMinus1 := q
	qMinus1[0]--
	s := []scalar{{}, {1, 0, 0, 0}, qMinus1, {0, 0, 0, 1 << 63}, {^uint64(0), 0, 0, 0}}
	for range 200 {
		var b [32]byte
		_, err := rand.Read(b[:])
		require.NoError(t, err)
		var x scalar
		x.setReducedBytes(&b)
		s = append(s, x)
	}
	return s
}

func TestScalarArithmeticMatchesBig(t *testing.T) {
	q := limbsToBig(bigQ)
	mod := func(b *big.Int) string { return b.Mod(b, q).Text(16) }
	samples := scalarSamples(t)
	for i := range samples {
		x := &samples[i]
		y := &samples[(i*5+2)%len(samples)]
		bx, by := limbsToBig((*[4]uint64)(x)), limbsToBig((*[4]uint64)(y))

		var z scalar
		z.add(x, y)
		assert.Equal(t, mod(new(big.Int).Add(bx, by)), limbsToBig((*[4]uint64)(&z)).Text(16), "add %d", i)
		z.sub(x, y)
		assert.Equal(t, mod(new(big.Int).Sub(bx, by)), limbsToBig((*[4]uint64)(&z)).Text(16), "sub %d", i)
		z.mul(x, y)
		assert.Equal(t, mod(new(big.Int).Mul(bx, by)), limbsToBig((*[4]uint64)(&z)).Text(16), "mul %d", i)
	}
}

func TestScalarFromBytes(t *testing.T) {
	q := limbsToBig(bigQ)
	max256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	tests := []struct {
		name      string
		x         *big.Int
		canonical bool
	}{
		{"zero", big.NewInt(0), true},
		{"q-1", new(big.Int).Sub(q, big.NewInt(1)), true},
		{"q", new(big.Int).Set(q), false},
		{"q+1", new(big.Int).Add(q, big.NewInt(1)), false},
		{"2^256-1", max256, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b [32]byte
			tt.x.FillBytes(b[:])
			reverse(b[:])

			var z scalar
			ok := z.setCanonicalBytes(&b)
			assert.Equal(t, tt.canonical, ok == 1, "canonical")
			if !tt.canonical {
				assert.Equal(t, uint64(1), z.isZero(), "rejected value is cleared")
			}

			z.setReducedBytes(&b)
			want := new(big.Int).Mod(tt.x, q)
			assert.Equal(t, want.Text(16), limbsToBig((*[4]uint64)(&z)).Text(16), "reduced")
		})
	}
}
