package bign

import "sync"

// The fixed-base multiplication splits a scalar into 52 signed 5-bit digits
// d_i in [-16, 16] (Booth recoding), k = Σ d_i·2^(5i), and adds ±|d_i|·2^(5i)·G
// from a table for each i. This needs no doublings: 52 additions in all.
const (
	baseWindows      = 52
	baseWindowSize   = 5
	baseTableEntries = 1 << (baseWindowSize - 1)
)

// baseTable holds j·2^(5i)·G for window i and j = 1..16 at [i][j-1], in
// affine coordinates (53 KiB). It is computed on first use.
type baseTable [baseWindows][baseTableEntries]affinePoint

var baseTableOnce = sync.OnceValue(computeBaseTable)

func computeBaseTable() *baseTable {
	var points [baseWindows * baseTableEntries]projectivePoint
	var window projectivePoint // 2^(5i)·G
	window.setAffine(&generator)
	for i := range baseWindows {
		row := points[i*baseTableEntries:]
		row[0] = window
		for j := 1; j < baseTableEntries; j++ {
			row[j].add(&row[j-1], &window)
		}
		// 16·2^(5i)·G doubled is 2^(5(i+1))·G.
		window.add(&row[baseTableEntries-1], &row[baseTableEntries-1])
	}

	// Convert to affine with one inversion (Montgomery's trick): prefix[i]
	// is the product of the first i+1 values of Z.
	var prefix [len(points)]fieldElement
	prefix[0] = points[0].z
	for i := 1; i < len(points); i++ {
		prefix[i].mul(&prefix[i-1], &points[i].z)
	}
	var inv fieldElement
	inv.invert(&prefix[len(points)-1])

	t := new(baseTable)
	for i := len(points) - 1; i >= 0; i-- {
		zInv := inv
		if i > 0 {
			zInv.mul(&inv, &prefix[i-1])
			inv.mul(&inv, &points[i].z)
		}
		a := &t[i/baseTableEntries][i%baseTableEntries]
		a.x.mul(&points[i].x, &zInv)
		a.y.mul(&points[i].y, &zInv)
		a.x.reduce(&a.x)
		a.y.reduce(&a.y)
	}
	return t
}

// lookup sets a to entry |digit| of row without a table index depending on
// the digit: every entry is read and masked. For digit 0 it sets a to zeros.
func (a *affinePoint) lookup(row *[baseTableEntries]affinePoint, digit uint64) {
	*a = affinePoint{}
	for j := range row {
		// eq is 1 when j+1 == digit, computed without branches.
		diff := uint64(j+1) ^ digit
		eq := ((diff | -diff) >> 63) ^ 1
		mask := -eq
		a.x[0] |= row[j].x[0] & mask
		a.x[1] |= row[j].x[1] & mask
		a.x[2] |= row[j].x[2] & mask
		a.x[3] |= row[j].x[3] & mask
		a.y[0] |= row[j].y[0] & mask
		a.y[1] |= row[j].y[1] & mask
		a.y[2] |= row[j].y[2] & mask
		a.y[3] |= row[j].y[3] & mask
	}
}

// boothDigit returns the magnitude and sign (1 for negative) of the signed
// digit of window i of k. The window covers bits 5i-1 .. 5i+4; its digit is
// b(5i-1) + b(5i) + 2b(5i+1) + 4b(5i+2) + 8b(5i+3) - 16b(5i+4).
func boothDigit(k *scalar, i int) (magnitude, negative uint64) {
	w := window6(k, baseWindowSize*i-1)
	negative = w >> 5
	// For a negative digit, 63 - w gives the magnitude by the same rounding.
	mask := -negative
	w = (w &^ mask) | ((63 - w) & mask)
	return (w >> 1) + (w & 1), negative
}

// window6 returns the 6 bits of k starting at bit offset off, which may be
// -1 (bit -1 is 0) and may reach past bit 255 (those bits are 0). The offset
// is public, so the branches here depend on no secret.
func window6(k *scalar, off int) uint64 {
	if off < 0 {
		return (k[0] << 1) & 63
	}
	limb, shift := off/64, uint(off%64)
	w := k[limb] >> shift
	if shift > 58 && limb < 3 {
		w |= k[limb+1] << (64 - shift)
	}
	return w & 63
}

// scalarBaseMult returns k·G in constant time with respect to k.
func scalarBaseMult(k *scalar) projectivePoint {
	table := baseTableOnce()
	var acc, sum projectivePoint
	acc.setIdentity()
	var a affinePoint
	var negY fieldElement
	for i := range baseWindows {
		magnitude, negative := boothDigit(k, i)
		a.lookup(&table[i], magnitude)
		negY.neg(&a.y)
		a.y.select2(&negY, &a.y, negative)
		sum.addAffine(&acc, &a)
		// The formula is wrong for the all-zero "point" of digit 0, so its
		// result is discarded then.
		nonZero := (magnitude | -magnitude) >> 63
		acc.select2(&sum, &acc, nonZero)
	}
	return acc
}
