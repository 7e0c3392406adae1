package bign

import (
	"crypto/subtle"
	"errors"
	"fmt"
)

// Verify checks the signature sig = s0 || s1 of digest under pub
// (STB 34.101.45). hashOID is the DER encoding of the identifier of the
// hash algorithm that produced digest. A signature that does not verify
// gives an error that wraps ErrInvalidSignature and names the failed check.
// Invalid arguments (nil pub, malformed hashOID, digest not 32 bytes) give
// errors that do not wrap it.
func Verify(pub *PublicKey, hashOID, digest, sig []byte) error {
	if pub == nil {
		return errors.New("bign: nil public key")
	}
	if err := checkHashOID(hashOID); err != nil {
		return err
	}
	if err := checkDigest(digest); err != nil {
		return err
	}
	if len(sig) != SignatureSize {
		return fmt.Errorf("%w: length %d, want %d", ErrInvalidSignature, len(sig), SignatureSize)
	}

	var s1, h, u1, u2 scalar
	if s1.setCanonicalBytes((*[32]byte)(sig[s0Size:])) == 0 {
		return fmt.Errorf("%w: s1 at offset %d is not less than the group order q",
			ErrInvalidSignature, s0Size)
	}
	h.setReducedBytes((*[32]byte)(digest))
	u1.add(&s1, &h)
	// u2 = s0 + 2^128 < q needs no reduction.
	var s0 [32]byte
	copy(s0[:], sig[:s0Size])
	s0[s0Size] = 1
	u2.setCanonicalBytes(&s0)

	r := doubleScalarMult(&u1, &u2, &pub.point)
	x, ok := r.affineX()
	if !ok {
		return fmt.Errorf("%w: R is the point at infinity", ErrInvalidSignature)
	}
	xb := x.bytes()
	t := challenge(hashOID, &xb, digest)
	if subtle.ConstantTimeCompare(t[:], sig[:s0Size]) != 1 {
		return fmt.Errorf("%w: s0 does not match the hash of R", ErrInvalidSignature)
	}
	return nil
}
