package bign

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidSignature is wrapped by every error of Verify that means the
	// signature does not verify: wrong length, s1 out of range, R at
	// infinity, or s0 mismatch.
	ErrInvalidSignature = errors.New("bign: invalid signature")

	// ErrInvalidPublicKey is wrapped by the errors of ParsePublicKey.
	ErrInvalidPublicKey = errors.New("bign: invalid public key")

	// ErrInvalidPrivateKey is wrapped by the errors of ParsePrivateKey.
	ErrInvalidPrivateKey = errors.New("bign: invalid private key")
)

// checkHashOID checks that oid is a DER-encoded OBJECT IDENTIFIER: tag 0x06,
// a short-form length matching the content, and well-formed subidentifiers.
func checkHashOID(oid []byte) error {
	switch {
	case len(oid) < 3:
		return fmt.Errorf("bign: hash OID of %d bytes is too short, want a DER OBJECT IDENTIFIER", len(oid))
	case oid[0] != 0x06:
		return fmt.Errorf("bign: hash OID tag 0x%02x at offset 0, want 0x06", oid[0])
	case oid[1] >= 0x80:
		return fmt.Errorf("bign: hash OID length byte 0x%02x at offset 1 is not a short-form length", oid[1])
	case int(oid[1]) != len(oid)-2:
		return fmt.Errorf("bign: hash OID length %d at offset 1, want %d", oid[1], len(oid)-2)
	}
	start := true
	for i := 2; i < len(oid); i++ {
		if start && oid[i] == 0x80 {
			return fmt.Errorf("bign: hash OID subidentifier at offset %d has a leading 0x80 byte", i)
		}
		start = oid[i] < 0x80
	}
	if !start {
		return fmt.Errorf("bign: hash OID ends inside a subidentifier at offset %d", len(oid)-1)
	}
	return nil
}

func checkDigest(digest []byte) error {
	if len(digest) != digestSize {
		return fmt.Errorf("bign: digest of %d bytes, want %d", len(digest), digestSize)
	}
	return nil
}
