package bign

import (
	"encoding/asn1"
	"io"

	"github.com/esiful/sdk-go/internal/belt"
)

var (
	// CurveOID identifies the curve of this package, 1.2.112.0.2.0.34.101.45.3.1
	// (bign-curve256v1 in the 2013 edition of STB 34.101.45, bign-curve128v1
	// in later texts).
	CurveOID = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 3, 1}

	// PubKeyOID is bign-pubkey, 1.2.112.0.2.0.34.101.45.2.1, the algorithm of
	// a bign SubjectPublicKeyInfo.
	PubKeyOID = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 2, 1}

	// SignatureOID is bign-with-hbelt, 1.2.112.0.2.0.34.101.45.12: bign with
	// belt-hash.
	SignatureOID = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 12}
)

// hbeltOID is a private copy of belt.HashOIDDER, safe from changes to the
// exported slice.
var hbeltOID = append([]byte(nil), belt.HashOIDDER...)

// SignHbelt hashes msg with belt-hash and signs the hash with Sign, as the
// bign-with-hbelt algorithm does.
func SignHbelt(rand io.Reader, priv *PrivateKey, msg []byte) ([]byte, error) {
	h := belt.Sum256(msg)
	return Sign(rand, priv, hbeltOID, h[:])
}

// VerifyHbelt hashes msg with belt-hash and verifies sig with Verify.
func VerifyHbelt(pub *PublicKey, msg, sig []byte) error {
	h := belt.Sum256(msg)
	return Verify(pub, hbeltOID, h[:], sig)
}
