package bign

import (
	"crypto"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/esiful/sdk-go/internal/belt"
)

// Sign signs digest, the hash value H of a message, with priv
// (STB 34.101.45). hashOID is the DER encoding of the identifier of the
// hash algorithm that produced H, for belt-hash belt.HashOIDDER. The
// one-time key k is read from rand as 32 little-endian bytes, repeating
// until 0 < k < q. The signature is s0 || s1, 48 bytes.
func Sign(rand io.Reader, priv *PrivateKey, hashOID, digest []byte) ([]byte, error) {
	if err := checkSignArgs(priv, hashOID, digest); err != nil {
		return nil, err
	}
	k, err := randomScalar(rand)
	if err != nil {
		return nil, err
	}
	return signWithNonce(priv, hashOID, digest, &k), nil
}

// SignDeterministic signs digest like Sign but derives k from priv, hashOID,
// digest and the optional extra data t by the algorithm of STB 34.101.45,
// 6.3.3, so the same inputs give the same signature. Different t give
// different k for the same message.
func SignDeterministic(priv *PrivateKey, hashOID, digest, t []byte) ([]byte, error) {
	if err := checkSignArgs(priv, hashOID, digest); err != nil {
		return nil, err
	}
	k := deterministicNonce(priv, hashOID, digest, t)
	return signWithNonce(priv, hashOID, digest, &k), nil
}

func checkSignArgs(priv *PrivateKey, hashOID, digest []byte) error {
	if priv == nil || priv.pub == nil {
		return errors.New("bign: nil private key")
	}
	if err := checkHashOID(hashOID); err != nil {
		return err
	}
	return checkDigest(digest)
}

// signWithNonce computes R = k·G, s0 = the first 16 bytes of
// belt-hash(OID || x(R) || H) and s1 = (k - H - (s0 + 2^128)·d) mod q.
func signWithNonce(priv *PrivateKey, hashOID, digest []byte, k *scalar) []byte {
	r := scalarBaseMult(k)
	// k is in [1, q), so R is never the point at infinity.
	ra, _ := r.affine()
	x := ra.x.bytes()

	sig := make([]byte, SignatureSize)
	s0 := challenge(hashOID, &x, digest)
	copy(sig[:s0Size], s0[:])

	var h, t, s1 scalar
	h.setReducedBytes((*[32]byte)(digest))
	t[0] = binary.LittleEndian.Uint64(s0[0:])
	t[1] = binary.LittleEndian.Uint64(s0[8:])
	t[2] = 1
	t.mul(&t, &priv.d)
	s1.sub(k, &t)
	s1.sub(&s1, &h)
	s1b := s1.bytes()
	copy(sig[s0Size:], s1b[:])
	return sig
}

// challenge returns the first 16 bytes of belt-hash(hashOID || x || digest).
func challenge(hashOID []byte, x *[32]byte, digest []byte) [s0Size]byte {
	h := belt.NewHash()
	h.Write(hashOID)
	h.Write(x[:])
	h.Write(digest)
	var sum [belt.Size]byte
	h.Sum(sum[:0])
	return [s0Size]byte(sum[:s0Size])
}

// SignerOpts selects the hash algorithm for PrivateKey.Sign when the digest
// is not a belt-hash value.
type SignerOpts struct {
	// HashOID is the DER encoding of the hash algorithm's identifier.
	HashOID []byte
}

// HashFunc returns 0: the hash algorithms of bign are not crypto.Hash values.
func (*SignerOpts) HashFunc() crypto.Hash { return 0 }

// Sign implements crypto.Signer. digest must be a 32-byte belt-hash value
// unless opts is a *SignerOpts naming another hash algorithm. opts may be nil;
// any other opts must return 0 from HashFunc, since crypto.Hash has no value
// for belt-hash. The signature is the raw 48 bytes s0 || s1, not ASN.1.
func (priv *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	hashOID := hbeltOID
	if o, ok := opts.(*SignerOpts); ok && o != nil && len(o.HashOID) > 0 {
		hashOID = o.HashOID
	} else if opts != nil && opts.HashFunc() != 0 {
		return nil, fmt.Errorf("bign: hash %v is not supported, sign a belt-hash digest with crypto.Hash(0)", opts.HashFunc())
	}
	return Sign(rand, priv, hashOID, digest)
}
