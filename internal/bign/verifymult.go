package bign

// wnafWidth is the window of the wNAF of the public-key scalar: digits are
// odd and in [-15, 15], and 8 odd multiples of the key are precomputed.
const wnafWidth = 5

// wnaf returns the width-5 non-adjacent form of k, least significant digit
// first: k = Σ naf[i]·2^i, at most one non-zero digit in any 5 consecutive.
// It runs in variable time and is for public scalars only.
func wnaf(k *scalar) []int8 {
	var x [5]uint64
	copy(x[:], k[:])
	naf := make([]int8, 0, 258)
	for x[0]|x[1]|x[2]|x[3]|x[4] != 0 {
		var d int64
		if x[0]&1 == 1 {
			d = int64(x[0] & (1<<wnafWidth - 1))
			if d >= 1<<(wnafWidth-1) {
				d -= 1 << wnafWidth
			}
			subSmall(&x, d)
		}
		naf = append(naf, int8(d))
		for i := range 4 {
			x[i] = x[i]>>1 | x[i+1]<<63
		}
		x[4] >>= 1
	}
	return naf
}

// subSmall sets x = x - d for a small signed d; x - d is never negative here
// because d < 0 only adds, and d > 0 only clears the low bits of x.
func subSmall(x *[5]uint64, d int64) {
	if d >= 0 {
		var borrow uint64
		x[0], borrow = sub64(x[0], uint64(d))
		for i := 1; borrow != 0 && i < 5; i++ {
			x[i], borrow = sub64(x[i], 1)
		}
		return
	}
	var carry uint64
	x[0], carry = add64(x[0], uint64(-d))
	for i := 1; carry != 0 && i < 5; i++ {
		x[i], carry = add64(x[i], 1)
	}
}

func add64(a, b uint64) (uint64, uint64) {
	s := a + b
	if s < a {
		return s, 1
	}
	return s, 0
}

func sub64(a, b uint64) (uint64, uint64) {
	if a < b {
		return a - b, 1
	}
	return a - b, 0
}

// doubleScalarMult returns u1·G + u2·Q in variable time. u2·Q is computed by
// double-and-add over the wNAF of u2; the multiples of G come from the
// fixed-base table afterwards, since they need no doublings.
func doubleScalarMult(u1, u2 *scalar, q *affinePoint) jacobianPoint {
	// odd[i] = (2i+1)·Q.
	var odd [1 << (wnafWidth - 2)]jacobianPoint
	odd[0].setAffine(q)
	var twoQ jacobianPoint
	twoQ.double(&odd[0])
	for i := 1; i < len(odd); i++ {
		odd[i].add(&odd[i-1], &twoQ)
	}

	var acc, neg jacobianPoint
	acc.infinity = true
	naf := wnaf(u2)
	for i := len(naf) - 1; i >= 0; i-- {
		acc.double(&acc)
		switch d := naf[i]; {
		case d > 0:
			acc.add(&acc, &odd[d/2])
		case d < 0:
			neg.neg(&odd[(-d)/2])
			acc.add(&acc, &neg)
		}
	}

	table := baseTableOnce()
	var a affinePoint
	for i := range baseWindows {
		magnitude, negative := boothDigit(u1, i)
		if magnitude == 0 {
			continue
		}
		a = table[i][magnitude-1]
		if negative == 1 {
			a.y.neg(&a.y)
		}
		acc.addAffine(&acc, &a)
	}
	return acc
}
