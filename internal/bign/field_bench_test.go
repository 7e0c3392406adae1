package bign

import "testing"

func BenchmarkFieldMul(b *testing.B) {
	x := generator.y
	y := curveB
	for b.Loop() {
		x.mul(&x, &y)
	}
}

func BenchmarkFieldSquare(b *testing.B) {
	x := generator.y
	for b.Loop() {
		x.square(&x)
	}
}

func BenchmarkFieldInvert(b *testing.B) {
	x := generator.y
	for b.Loop() {
		x.invert(&x)
	}
}

func BenchmarkScalarBaseMult(b *testing.B) {
	k := scalar{1, 2, 3, 4}
	for b.Loop() {
		scalarBaseMult(&k)
	}
}

func BenchmarkDoubleScalarMult(b *testing.B) {
	u1 := scalar{0x1234567890abcdef, 0xfedcba0987654321, 0x1111111111111111, 0x7fffffffffffffff}
	u2 := scalar{0x1234567890abcdef, 0xfedcba0987654321, 1, 0}
	for b.Loop() {
		doubleScalarMult(&u1, &u2, &generator)
	}
}
