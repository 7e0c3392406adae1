package bign

import (
	"encoding/binary"
	"math/bits"
)

// scalar is an integer modulo the group order q, as four 64-bit
// little-endian limbs, always below q. All operations run in time
// independent of the values.
type scalar [4]uint64

// q = 2^256 - orderC, where orderC has 126 bits (orderC1:orderC0).
const (
	orderC0 = 0x81a54066d9c299f9
	orderC1 = 0x26a37129f204b203
)

var groupOrder = scalar{0x7e5abf99263d6607, 0xd95c8ed60dfb4dfc, 0xffffffffffffffff, 0xffffffffffffffff}

// addOrderC returns x + orderC modulo 2^256 and the carry out, which is 1
// exactly when x >= q.
func addOrderC(x *[4]uint64) ([4]uint64, uint64) {
	var r [4]uint64
	var c uint64
	r[0], c = bits.Add64(x[0], orderC0, 0)
	r[1], c = bits.Add64(x[1], orderC1, c)
	r[2], c = bits.Add64(x[2], 0, c)
	r[3], c = bits.Add64(x[3], 0, c)
	return r, c
}

// setCanonicalBytes sets z to the little-endian value of b and returns 1 if
// it is below q. On 0, z is set to zero.
func (z *scalar) setCanonicalBytes(b *[32]byte) uint64 {
	var x [4]uint64
	for i := range x {
		x[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	_, tooLarge := addOrderC(&x)
	mask := tooLarge - 1
	for i := range z {
		z[i] = x[i] & mask
	}
	return 1 ^ tooLarge
}

// setReducedBytes sets z to the little-endian value of b modulo q. Because
// q > 2^255, one subtraction of q suffices.
func (z *scalar) setReducedBytes(b *[32]byte) {
	var x [4]uint64
	for i := range x {
		x[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	z.reduceOnce(&x, 0)
}

// reduceOnce sets z to x + carry·2^256 - q if that is not negative and to x
// otherwise; the value x + carry·2^256 must be below 2q.
func (z *scalar) reduceOnce(x *[4]uint64, carry uint64) {
	r, c := addOrderC(x)
	mask := -(c | carry)
	for i := range z {
		z[i] = x[i] ^ (mask & (x[i] ^ r[i]))
	}
}

func (x *scalar) bytes() [32]byte {
	var b [32]byte
	for i, w := range x {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

// isZero returns 1 if x is zero and 0 otherwise.
func (x *scalar) isZero() uint64 {
	w := x[0] | x[1] | x[2] | x[3]
	return 1 ^ ((w | -w) >> 63)
}

func (z *scalar) add(x, y *scalar) {
	var s [4]uint64
	var c uint64
	s[0], c = bits.Add64(x[0], y[0], 0)
	s[1], c = bits.Add64(x[1], y[1], c)
	s[2], c = bits.Add64(x[2], y[2], c)
	s[3], c = bits.Add64(x[3], y[3], c)
	z.reduceOnce(&s, c)
}

func (z *scalar) sub(x, y *scalar) {
	var d [4]uint64
	var b, b2 uint64
	d[0], b = bits.Sub64(x[0], y[0], 0)
	d[1], b = bits.Sub64(x[1], y[1], b)
	d[2], b = bits.Sub64(x[2], y[2], b)
	d[3], b = bits.Sub64(x[3], y[3], b)
	// On a borrow add q, which modulo 2^256 is subtracting orderC.
	mask := -b
	z[0], b2 = bits.Sub64(d[0], orderC0&mask, 0)
	z[1], b2 = bits.Sub64(d[1], orderC1&mask, b2)
	z[2], b2 = bits.Sub64(d[2], 0, b2)
	z[3], _ = bits.Sub64(d[3], 0, b2)
}

func (z *scalar) mul(x, y *scalar) {
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

// reduceWide sets z to the 512-bit t modulo q, folding the high half with
// 2^256 ≡ orderC (mod q) twice.
func (z *scalar) reduceWide(t *[8]uint64) {
	var c uint64

	// a = t[4..7]·orderC, six limbs, below 2^382.
	var a [6]uint64
	c, a[0] = bits.Mul64(t[4], orderC0)
	c, a[1] = mulAdd(t[5], orderC0, c, 0)
	c, a[2] = mulAdd(t[6], orderC0, c, 0)
	a[4], a[3] = mulAdd(t[7], orderC0, c, 0)
	c, a[1] = mulAdd(t[4], orderC1, a[1], 0)
	c, a[2] = mulAdd(t[5], orderC1, a[2], c)
	c, a[3] = mulAdd(t[6], orderC1, a[3], c)
	a[5], a[4] = mulAdd(t[7], orderC1, a[4], c)

	// v = t[0..3] + a, below 2^383.
	var v [6]uint64
	v[0], c = bits.Add64(t[0], a[0], 0)
	v[1], c = bits.Add64(t[1], a[1], c)
	v[2], c = bits.Add64(t[2], a[2], c)
	v[3], c = bits.Add64(t[3], a[3], c)
	v[4], c = bits.Add64(a[4], 0, c)
	v[5] = a[5] + c

	// w = v[4..5]·orderC, below 2^253.
	var w [4]uint64
	var w2 uint64
	c, w[0] = bits.Mul64(v[4], orderC0)
	w2, w[1] = mulAdd(v[5], orderC0, c, 0)
	c, w[1] = mulAdd(v[4], orderC1, w[1], 0)
	w[3], w[2] = mulAdd(v[5], orderC1, w2, c)

	// r = v[0..3] + w, below 2^256 + 2^253.
	var r [4]uint64
	r[0], c = bits.Add64(v[0], w[0], 0)
	r[1], c = bits.Add64(v[1], w[1], c)
	r[2], c = bits.Add64(v[2], w[2], c)
	r[3], c = bits.Add64(v[3], w[3], c)

	// Fold the last carry; what remains is below 2^253 + orderC.
	mask := -c
	r[0], c = bits.Add64(r[0], orderC0&mask, 0)
	r[1], c = bits.Add64(r[1], orderC1&mask, c)
	r[2], c = bits.Add64(r[2], 0, c)
	r[3], _ = bits.Add64(r[3], 0, c)

	z.reduceOnce(&r, 0)
}
