package envelope

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ECDSAKey signs with ECDSA P-256 over SHA-256 ("ES256").
type ECDSAKey struct{ key *ecdsa.PrivateKey }

// NewECDSAKey generates a P-256 key.
func NewECDSAKey() (*ECDSAKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &ECDSAKey{key: key}, nil
}

// Algorithm implements Signer.
func (k *ECDSAKey) Algorithm() string { return "ES256" }

// Sign implements Signer.
func (k *ECDSAKey) Sign(message []byte) ([]byte, error) {
	digest := sha256.Sum256(message)
	return ecdsa.SignASN1(rand.Reader, k.key, digest[:])
}

// Certificate implements Signer; this key has none.
func (k *ECDSAKey) Certificate() []byte { return nil }

// Verifier returns a Verifier that accepts this key's signatures only.
func (k *ECDSAKey) Verifier() Verifier { return ecdsaVerifier{pub: &k.key.PublicKey} }

type ecdsaVerifier struct{ pub *ecdsa.PublicKey }

func (v ecdsaVerifier) Verify(algorithm string, message, sig, _ []byte) error {
	if algorithm != "ES256" {
		return fmt.Errorf("algorithm %q, expected ES256", algorithm)
	}
	digest := sha256.Sum256(message)
	if !ecdsa.VerifyASN1(v.pub, digest[:], sig) {
		return errors.New("ES256 signature does not verify")
	}
	return nil
}
