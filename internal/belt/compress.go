package belt

// compress is the compression function belt-compress of STB 34.101.31
// applied to X = m || h. It adds the first output σ1 into s and replaces h by
// the second output σ2.
func compress(h *[8]uint32, s *[4]uint32, m *[8]uint32) {
	// σ1 = belt-block(X3 ⊕ X4, X1 || X2) ⊕ X3 ⊕ X4.
	u0, u1, u2, u3 := h[0]^h[4], h[1]^h[5], h[2]^h[6], h[3]^h[7]
	s0, s1, s2, s3 := encryptWords(u0, u1, u2, u3, m, rot)
	s0, s1, s2, s3 = s0^u0, s1^u1, s2^u2, s3^u3
	s[0] ^= s0
	s[1] ^= s1
	s[2] ^= s2
	s[3] ^= s3

	// σ2 = (belt-block(X1, σ1 || X4) ⊕ X1) || (belt-block(X2, ¬σ1 || X3) ⊕ X2).
	k1 := [8]uint32{s0, s1, s2, s3, h[4], h[5], h[6], h[7]}
	k2 := [8]uint32{^s0, ^s1, ^s2, ^s3, h[0], h[1], h[2], h[3]}
	y0, y1, y2, y3, y4, y5, y6, y7 := encryptWords2(
		m[0], m[1], m[2], m[3], &k1, m[4], m[5], m[6], m[7], &k2, rot)
	h[0], h[1], h[2], h[3] = y0^m[0], y1^m[1], y2^m[2], y3^m[3]
	h[4], h[5], h[6], h[7] = y4^m[4], y5^m[5], y6^m[6], y7^m[7]
}
