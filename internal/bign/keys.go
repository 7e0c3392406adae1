package bign

import (
	"crypto"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
)

const (
	// PublicKeySize is the size of an encoded public key, x || y.
	PublicKeySize = 64
	// PrivateKeySize is the size of an encoded private key d.
	PrivateKeySize = 32
	// SignatureSize is the size of a signature s0 || s1.
	SignatureSize = 48

	digestSize = 32
	s0Size     = 16

	// maxRandomAttempts bounds the rejection sampling of scalars. A valid
	// reader is rejected with probability below 2^-125 per attempt, so
	// reaching the bound means the reader is broken.
	maxRandomAttempts = 64
)

// PublicKey is a bign public key Q on the curve 1.2.112.0.2.0.34.101.45.3.1.
type PublicKey struct {
	point   affinePoint
	encoded [PublicKeySize]byte
}

// ParsePublicKey decodes the 64-byte form x || y of STB 34.101.45, each
// coordinate little-endian. It checks that both coordinates are below p and
// that the point is on the curve. Because the curve has prime order, these
// checks make Q a valid public key.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	if len(b) != PublicKeySize {
		return nil, fmt.Errorf("%w: length %d, want %d", ErrInvalidPublicKey, len(b), PublicKeySize)
	}
	pub := new(PublicKey)
	copy(pub.encoded[:], b)
	if !pub.point.x.setBytes((*[32]byte)(b[:32])) {
		return nil, fmt.Errorf("%w: x at offset 0 is not less than p", ErrInvalidPublicKey)
	}
	if !pub.point.y.setBytes((*[32]byte)(b[32:])) {
		return nil, fmt.Errorf("%w: y at offset 32 is not less than p", ErrInvalidPublicKey)
	}
	if !pub.point.isOnCurve() {
		return nil, fmt.Errorf("%w: point is not on the curve", ErrInvalidPublicKey)
	}
	return pub, nil
}

func newPublicKey(a *affinePoint) *PublicKey {
	pub := &PublicKey{point: *a}
	x, y := a.x.bytes(), a.y.bytes()
	copy(pub.encoded[:32], x[:])
	copy(pub.encoded[32:], y[:])
	return pub
}

// Bytes returns the 64-byte encoding x || y.
func (pub *PublicKey) Bytes() []byte {
	b := pub.encoded
	return b[:]
}

// Equal reports whether x is a *PublicKey with the same point.
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	other, ok := x.(*PublicKey)
	if !ok || pub == nil || other == nil {
		return false
	}
	return subtle.ConstantTimeCompare(pub.encoded[:], other.encoded[:]) == 1
}

// PrivateKey is a bign private key d with its public key Q = d·G. It
// implements crypto.Signer.
type PrivateKey struct {
	d   scalar
	pub *PublicKey
}

// ParsePrivateKey decodes a 32-byte little-endian private key d and computes
// its public key. It requires 0 < d < q.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) != PrivateKeySize {
		return nil, fmt.Errorf("%w: length %d, want %d", ErrInvalidPrivateKey, len(b), PrivateKeySize)
	}
	var d scalar
	if d.setCanonicalBytes((*[32]byte)(b)) == 0 {
		return nil, fmt.Errorf("%w: d is not less than the group order q", ErrInvalidPrivateKey)
	}
	if d.isZero() == 1 {
		return nil, fmt.Errorf("%w: d is zero", ErrInvalidPrivateKey)
	}
	return newPrivateKey(&d), nil
}

func newPrivateKey(d *scalar) *PrivateKey {
	p := scalarBaseMult(d)
	// d is in [1, q), so d·G is never the point at infinity.
	a, _ := p.affine()
	return &PrivateKey{d: *d, pub: newPublicKey(&a)}
}

// GenerateKey returns a new key pair. It reads 32 bytes at a time from rand
// as a little-endian d until 0 < d < q, as the key generation of the
// standard does with its random number generator.
func GenerateKey(rand io.Reader) (*PrivateKey, error) {
	d, err := randomScalar(rand)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(&d), nil
}

// randomScalar reads a uniformly random scalar in [1, q) from rand by
// rejection sampling.
func randomScalar(rand io.Reader) (scalar, error) {
	if rand == nil {
		return scalar{}, errors.New("bign: nil random source")
	}
	var b [32]byte
	for range maxRandomAttempts {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return scalar{}, fmt.Errorf("bign: reading random bytes: %w", err)
		}
		var k scalar
		if k.setCanonicalBytes(&b)&(1^k.isZero()) == 1 {
			return k, nil
		}
	}
	return scalar{}, fmt.Errorf("bign: random source gave no value in [1, q) in %d attempts", maxRandomAttempts)
}

// Bytes returns the 32-byte little-endian encoding of d.
func (priv *PrivateKey) Bytes() []byte {
	b := priv.d.bytes()
	return b[:]
}

// PublicKey returns the public key Q = d·G.
func (priv *PrivateKey) PublicKey() *PublicKey {
	return priv.pub
}

// Public returns the public key as a crypto.PublicKey (a *PublicKey).
func (priv *PrivateKey) Public() crypto.PublicKey {
	return priv.pub
}

// Equal reports whether x is a *PrivateKey with the same d, in constant time.
func (priv *PrivateKey) Equal(x crypto.PrivateKey) bool {
	other, ok := x.(*PrivateKey)
	if !ok || priv == nil || other == nil {
		return false
	}
	a, b := priv.d.bytes(), other.d.bytes()
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
