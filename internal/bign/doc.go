// Package bign implements the digital signature algorithm of STB 34.101.45
// (bign) on the standard curve 1.2.112.0.2.0.34.101.45.3.1: y^2 = x^3 - 3x + b
// over GF(p), p = 2^256 - 189, of prime order q, with G = (0, yG).
//
// Encodings follow the standard and are little-endian: a private key d is
// 32 bytes, a public key Q = x || y 64 bytes, a signature s0 || s1 48 bytes.
// Signing hashes belt-hash(OID || x(R) || H), where OID is the DER encoding
// of the identifier of the hash algorithm that produced H (for belt-hash,
// belt.HashOIDDER) and R = k·G.
//
//	priv, err := bign.GenerateKey(rand.Reader)
//	sig, err := bign.SignHbelt(rand.Reader, priv, msg)
//	err = bign.VerifyHbelt(priv.PublicKey(), msg, sig)
//
// # Side channels
//
// Field and scalar arithmetic work on four 64-bit limbs with no branches or
// memory indices that depend on values. The multiplications by secrets, d·G
// in key generation and k·G in signing, add entries of a precomputed table of
// multiples of G (52 windows of signed 5-bit digits) with complete addition
// formulas. They read every table entry of a window and select with masks,
// so they are constant-time in d and k. The computation of s1 is
// constant-time as well.
//
// The following are not constant-time:
//   - Verify, ParsePublicKey and the double-scalar multiplication they use
//     work on public data only and branch freely for speed.
//   - SignDeterministic derives k with the belt cipher under the secret key
//     θ = belt-hash(OID || d || t). belt uses S-box tables indexed by secret
//     bytes (like table-based AES), which can leak to a cache-timing attacker
//     on the same machine. Sign with a random k has no such step.
//   - Rejection sampling of d and k, and the deterministic derivation, repeat
//     a step with probability below 2^-125, and the number of repeats shows.
//   - ParsePrivateKey reports whether d is zero or too large, which only
//     concerns keys that are invalid anyway.
//
// Go cannot guarantee that secrets do not remain in memory after use; this
// package does not try to clear them.
package bign
