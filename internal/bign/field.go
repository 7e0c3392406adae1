package bign

import (
	"encoding/binary"
	"math/bits"
)

// fieldElement is an element of GF(p), p = 2^256 - 189, as four 64-bit
// little-endian limbs. Values are kept below 2^256 but not always below p:
// 2^256 ≡ 189 (mod p), so every operation folds its carry back in by adding
// 189 and only fieldElement.bytes and fieldElement.isZero bring the value
// into [0, p). All operations run in time independent of the values.
type fieldElement [4]uint64

// pMinus is 2^256 - p.
const pMinus = 189

var fieldP = fieldElement{
	0xFFFFFFFFFFFFFF43, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF,
}

// curveB is the coefficient b of y^2 = x^3 - 3x + b.
var curveB = fieldElement{
	0xb22e7d6bd69c03f1, 0x4cf55069978b9253, 0xd2c13aabe4d8fbbe, 0x77ce6c1515f3a8ed,
}

var fieldOne = fieldElement{1, 0, 0, 0}

// setBytes sets z to the little-endian value of b and reports whether it was
// below p. On false, z holds the value as read, not reduced.
func (z *fieldElement) setBytes(b *[32]byte) bool {
	for i := range z {
		z[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	// z < p exactly when z + 189 does not overflow 2^256.
	_, c := bits.Add64(z[0], pMinus, 0)
	_, c = bits.Add64(z[1], 0, c)
	_, c = bits.Add64(z[2], 0, c)
	_, c = bits.Add64(z[3], 0, c)
	return c == 0
}

// bytes returns the canonical little-endian encoding of x.
func (x *fieldElement) bytes() [32]byte {
	var r fieldElement
	r.reduce(x)
	var b [32]byte
	for i, w := range r {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

// reduce sets z to x mod p, the unique representative in [0, p).
func (z *fieldElement) reduce(x *fieldElement) {
	// If x >= p then x + 189 overflows and its low 256 bits are x - p.
	var t fieldElement
	var c uint64
	t[0], c = bits.Add64(x[0], pMinus, 0)
	t[1], c = bits.Add64(x[1], 0, c)
	t[2], c = bits.Add64(x[2], 0, c)
	t[3], c = bits.Add64(x[3], 0, c)
	z.select2(&t, x, c)
}

// select2 sets z to a if bit is 1 and to b if bit is 0.
func (z *fieldElement) select2(a, b *fieldElement, bit uint64) {
	mask := -bit
	z[0] = b[0] ^ (mask & (a[0] ^ b[0]))
	z[1] = b[1] ^ (mask & (a[1] ^ b[1]))
	z[2] = b[2] ^ (mask & (a[2] ^ b[2]))
	z[3] = b[3] ^ (mask & (a[3] ^ b[3]))
}

// isZero returns 1 if x ≡ 0 (mod p) and 0 otherwise.
func (x *fieldElement) isZero() uint64 {
	var r fieldElement
	r.reduce(x)
	w := r[0] | r[1] | r[2] | r[3]
	return 1 ^ ((w | -w) >> 63)
}

// equal returns 1 if x ≡ y (mod p) and 0 otherwise.
func (x *fieldElement) equal(y *fieldElement) uint64 {
	var d fieldElement
	d.sub(x, y)
	return d.isZero()
}

func (z *fieldElement) add(x, y *fieldElement) {
	var c, c2 uint64
	z0, c := bits.Add64(x[0], y[0], 0)
	z1, c := bits.Add64(x[1], y[1], c)
	z2, c := bits.Add64(x[2], y[2], c)
	z3, c := bits.Add64(x[3], y[3], c)
	// Fold the carry 2^256 ≡ 189. A second carry leaves a value below 189,
	// so the third addition cannot overflow.
	z0, c2 = bits.Add64(z0, pMinus&-c, 0)
	z1, c2 = bits.Add64(z1, 0, c2)
	z2, c2 = bits.Add64(z2, 0, c2)
	z3, c2 = bits.Add64(z3, 0, c2)
	z[0] = z0 + pMinus&-c2
	z[1], z[2], z[3] = z1, z2, z3
}

func (z *fieldElement) sub(x, y *fieldElement) {
	var b, b2 uint64
	z0, b := bits.Sub64(x[0], y[0], 0)
	z1, b := bits.Sub64(x[1], y[1], b)
	z2, b := bits.Sub64(x[2], y[2], b)
	z3, b := bits.Sub64(x[3], y[3], b)
	// A borrow means the result wrapped by 2^256; adding p back is
	// subtracting 189. A second borrow leaves a value near 2^256, so the
	// third subtraction cannot wrap.
	z0, b2 = bits.Sub64(z0, pMinus&-b, 0)
	z1, b2 = bits.Sub64(z1, 0, b2)
	z2, b2 = bits.Sub64(z2, 0, b2)
	z3, b2 = bits.Sub64(z3, 0, b2)
	z[0] = z0 - pMinus&-b2
	z[1], z[2], z[3] = z1, z2, z3
}

// neg sets z to -x.
func (z *fieldElement) neg(x *fieldElement) {
	var zero fieldElement
	z.sub(&zero, x)
}

// mulAdd returns a*b + c + d as a 128-bit value hi:lo, which cannot overflow.
func mulAdd(a, b, c, d uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(a, b)
	var cc uint64
	lo, cc = bits.Add64(lo, c, 0)
	hi += cc
	lo, cc = bits.Add64(lo, d, 0)
	hi += cc
	return hi, lo
}

func (z *fieldElement) mul(x, y *fieldElement) {
	var t [8]uint64
	var c uint64

	c, t[0] = bits.Mul64(x[0], y[0])
	c, t[1] = mulAdd(x[0], y[1], c, 0)
	c, t[2] = mulAdd(x[0], y[2], c, 0)
	t[4], t[3] = mulAdd(x[0], y[3], c, 0)

	c, t[1] = mulAdd(x[1], y[0], t[1], 0)
	c, t[2] = mulAdd(x[1], y[1], t[2], c)
	c, t[3] = mulAdd(x[1], y[2], t[3], c)
	t[5], t[4] = mulAdd(x[1], y[3], t[4], c)

	c, t[2] = mulAdd(x[2], y[0], t[2], 0)
	c, t[3] = mulAdd(x[2], y[1], t[3], c)
	c, t[4] = mulAdd(x[2], y[2], t[4], c)
	t[6], t[5] = mulAdd(x[2], y[3], t[5], c)

	c, t[3] = mulAdd(x[3], y[0], t[3], 0)
	c, t[4] = mulAdd(x[3], y[1], t[4], c)
	c, t[5] = mulAdd(x[3], y[2], t[5], c)
	t[7], t[6] = mulAdd(x[3], y[3], t[6], c)

	z.reduceWide(&t)
}

func (z *fieldElement) square(x *fieldElement) {
	var t [8]uint64
	var c uint64

	// The off-diagonal products x[i]*x[j], i < j, once.
	c, t[1] = bits.Mul64(x[0], x[1])
	c, t[2] = mulAdd(x[0], x[2], c, 0)
	t[4], t[3] = mulAdd(x[0], x[3], c, 0)
	c, t[3] = mulAdd(x[1], x[2], t[3], 0)
	t[5], t[4] = mulAdd(x[1], x[3], t[4], c)
	t[6], t[5] = mulAdd(x[2], x[3], t[5], 0)

	// Double them.
	t[7] = t[6] >> 63
	t[6] = t[6]<<1 | t[5]>>63
	t[5] = t[5]<<1 | t[4]>>63
	t[4] = t[4]<<1 | t[3]>>63
	t[3] = t[3]<<1 | t[2]>>63
	t[2] = t[2]<<1 | t[1]>>63
	t[1] <<= 1

	// Add the squares x[i]^2 on the diagonal.
	var h, l uint64
	h, t[0] = bits.Mul64(x[0], x[0])
	t[1], c = bits.Add64(t[1], h, 0)
	h, l = bits.Mul64(x[1], x[1])
	t[2], c = bits.Add64(t[2], l, c)
	t[3], c = bits.Add64(t[3], h, c)
	h, l = bits.Mul64(x[2], x[2])
	t[4], c = bits.Add64(t[4], l, c)
	t[5], c = bits.Add64(t[5], h, c)
	h, l = bits.Mul64(x[3], x[3])
	t[6], c = bits.Add64(t[6], l, c)
	t[7], _ = bits.Add64(t[7], h, c)

	z.reduceWide(&t)
}

// reduceWide sets z to a value below 2^256 congruent to the 512-bit t,
// using t = lo + 2^256·hi ≡ lo + 189·hi (mod p).
func (z *fieldElement) reduceWide(t *[8]uint64) {
	var c uint64
	// u = 189·hi, five limbs, the top one below 189.
	h0, u0 := bits.Mul64(t[4], pMinus)
	h1, u1 := mulAdd(t[5], pMinus, h0, 0)
	h2, u2 := mulAdd(t[6], pMinus, h1, 0)
	u4, u3 := mulAdd(t[7], pMinus, h2, 0)

	z0, c := bits.Add64(t[0], u0, 0)
	z1, c := bits.Add64(t[1], u1, c)
	z2, c := bits.Add64(t[2], u2, c)
	z3, c := bits.Add64(t[3], u3, c)
	top := u4 + c

	// Fold top·2^256 again; top·189 < 2^16. A final carry leaves a value
	// below 2^16, so adding 189 once more cannot overflow.
	z0, c = bits.Add64(z0, top*pMinus, 0)
	z1, c = bits.Add64(z1, 0, c)
	z2, c = bits.Add64(z2, 0, c)
	z3, c = bits.Add64(z3, 0, c)
	z[0] = z0 + pMinus&-c
	z[1], z[2], z[3] = z1, z2, z3
}

// squareN sets z to x^(2^n).
func (z *fieldElement) squareN(x *fieldElement, n int) {
	z.square(x)
	for i := 1; i < n; i++ {
		z.square(z)
	}
}

// invert sets z to 1/x by Fermat's little theorem, x^(p-2); 0 maps to 0.
// p - 2 = 2^256 - 191 is 248 one bits followed by 0b01000001.
func (z *fieldElement) invert(x *fieldElement) {
	var x2, x3, x6, x12, x24, x48, x96, x192, x240, x8, t fieldElement
	// xk stands for x^(2^k - 1), k one bits.
	x2.square(x)
	x2.mul(&x2, x)
	x3.square(&x2)
	x3.mul(&x3, x)
	x6.squareN(&x3, 3)
	x6.mul(&x6, &x3)
	x8.squareN(&x6, 2)
	x8.mul(&x8, &x2)
	x12.squareN(&x6, 6)
	x12.mul(&x12, &x6)
	x24.squareN(&x12, 12)
	x24.mul(&x24, &x12)
	x48.squareN(&x24, 24)
	x48.mul(&x48, &x24)
	x96.squareN(&x48, 48)
	x96.mul(&x96, &x48)
	x192.squareN(&x96, 96)
	x192.mul(&x192, &x96)
	x240.squareN(&x192, 48)
	x240.mul(&x240, &x48)
	t.squareN(&x240, 8)
	t.mul(&t, &x8)
	// Append the bits 01 and then 000001.
	t.squareN(&t, 2)
	t.mul(&t, x)
	t.squareN(&t, 6)
	z.mul(&t, x)
}
