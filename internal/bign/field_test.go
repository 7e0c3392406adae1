package bign

import (
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var bigP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(pMinus))

func (x *fieldElement) toBig() *big.Int {
	b := new(big.Int)
	for i := 3; i >= 0; i-- {
		b.Lsh(b, 64)
		b.Or(b, new(big.Int).SetUint64(x[i]))
	}
	return b
}

// fieldSamples returns edge values (0, 1, p-1, p, 2^256-1 and others just
// below 2^256, which the loose representation allows) and random ones.
func fieldSamples(t *testing.T) []fieldElement {
	t.Helper()
	max := ^uint64(0)
	s := []fieldElement{
		{}, fieldOne, {2, 0, 0, 0},
		{fieldP[0] - 1, max, max, max}, fieldP, {fieldP[0] + 1, max, max, max},
		{max, max, max, max}, {max - 100, max, max, max}, {0, 0, 0, 1 << 63},
		{max, 0, max, 0}, {188, 0, 0, 0}, {189, 0, 0, 0},
	}
	for range 200 {
		var b [32]byte
		_, err := rand.Read(b[:])
		require.NoError(t, err)
		var x fieldElement
		x.setBytes(&b)
		s = append(s, x)
	}
	return s
}

func TestFieldArithmeticMatchesBig(t *testing.T) {
	samples := fieldSamples(t)
	// Compare residues as text, since equal big.Ints may differ inside.
	mod := func(b *big.Int) string { return b.Mod(b, bigP).Text(16) }
	for i := range samples {
		x := &samples[i]
		y := &samples[(i*7+3)%len(samples)]
		bx, by := x.toBig(), y.toBig()

		var z fieldElement
		z.add(x, y)
		assert.Equal(t, mod(new(big.Int).Add(bx, by)), mod(z.toBig()), "add %d", i)
		z.sub(x, y)
		assert.Equal(t, mod(new(big.Int).Sub(bx, by)), mod(z.toBig()), "sub %d", i)
		z.mul(x, y)
		assert.Equal(t, mod(new(big.Int).Mul(bx, by)), mod(z.toBig()), "mul %d", i)
		z.square(x)
		assert.Equal(t, mod(new(big.Int).Mul(bx, bx)), mod(z.toBig()), "square %d", i)
		z.neg(x)
		assert.Equal(t, mod(new(big.Int).Neg(bx)), mod(z.toBig()), "neg %d", i)

		b := x.bytes()
		var back fieldElement
		assert.True(t, back.setBytes(&b), "bytes are canonical %d", i)
		assert.Equal(t, mod(new(big.Int).Set(bx)), back.toBig().Text(16), "bytes %d", i)

		wantZero := uint64(0)
		if mod(new(big.Int).Set(bx)) == "0" {
			wantZero = 1
		}
		assert.Equal(t, wantZero, x.isZero(), "isZero %d", i)

		if wantZero == 0 {
			z.invert(x)
			z.mul(&z, x)
			assert.Equal(t, uint64(1), z.equal(&fieldOne), "invert %d", i)
		}
	}
}

func TestFieldSetBytesRange(t *testing.T) {
	tests := []struct {
		name string
		x    *big.Int
		ok   bool
	}{
		{"zero", big.NewInt(0), true},
		{"p-1", new(big.Int).Sub(bigP, big.NewInt(1)), true},
		{"p", new(big.Int).Set(bigP), false},
		{"2^256-1", new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b [32]byte
			tt.x.FillBytes(b[:])
			reverse(b[:])
			var z fieldElement
			assert.Equal(t, tt.ok, z.setBytes(&b))
		})
	}
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}
