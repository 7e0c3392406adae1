package tsok

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/esiful/sdk-go/internal/bign"
)

var (
	// ErrBadSignature means that the request's signature does not verify
	// under its own public key, so it does not prove possession of the
	// private key (STB 34.101.17 requires that proof).
	ErrBadSignature = errors.New("tsok: request signature is not valid")

	// ErrUnsupportedAlgorithm means that the request is not signed with
	// bign-with-hbelt under a bign key on bign-curve256v1, so this package
	// cannot verify it. The ТСОК profile rejects such a request anyway.
	ErrUnsupportedAlgorithm = errors.New("tsok: unsupported request algorithm")
)

// nullParameters is the DER of NULL, the parameters of bign-with-hbelt
// that ГосСУОК's certificates carry.
var nullParameters = []byte{tagNull, 0}

// CheckSignature verifies the request's self-signature: bign-with-hbelt
// over certificationRequestInfo under the request's bign public key. It
// returns an error wrapping ErrUnsupportedAlgorithm for any other
// algorithm or an invalid key, and one wrapping ErrBadSignature when the
// signature does not verify.
func (r *Request) CheckSignature() error {
	if !r.SignatureAlgorithm.Equal(bign.SignatureOID) {
		return fmt.Errorf("%w: signatureAlgorithm %s is not bign-with-hbelt (%s)",
			ErrUnsupportedAlgorithm, r.SignatureAlgorithm, bign.SignatureOID)
	}
	if r.SignatureParameters != nil && !bytes.Equal(r.SignatureParameters, nullParameters) {
		return fmt.Errorf("%w: bign-with-hbelt parameters must be NULL or absent",
			ErrUnsupportedAlgorithm)
	}
	if r.bignKey == nil {
		return fmt.Errorf("%w: subjectPKInfo is not a valid bign-pubkey key on bign-curve256v1",
			ErrUnsupportedAlgorithm)
	}
	if r.SignatureUnusedBits != 0 || len(r.Signature) != bign.SignatureSize {
		return fmt.Errorf("%w: signature is %d octets with %d unused bits, bign-with-hbelt has %d",
			ErrBadSignature, len(r.Signature), r.SignatureUnusedBits, bign.SignatureSize)
	}
	if err := bign.VerifyHbelt(r.bignKey, r.RawInfo, r.Signature); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return nil
}
