package attrcert

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/esiful/sdk-go/internal/bign"
)

// x509SignatureAlgorithms maps the algorithm identifiers that crypto/x509 can
// verify for test issuers. RSASSA-PSS is missing because its parameters would
// need decoding, and SHA-1 because crypto/x509 rejects it.
var x509SignatureAlgorithms = []struct {
	oid       asn1.ObjectIdentifier
	algorithm x509.SignatureAlgorithm
}{
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}, x509.ECDSAWithSHA256},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}, x509.ECDSAWithSHA384},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}, x509.ECDSAWithSHA512},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}, x509.SHA256WithRSA},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}, x509.SHA384WithRSA},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}, x509.SHA512WithRSA},
	{asn1.ObjectIdentifier{1, 3, 101, 112}, x509.PureEd25519},
}

// CheckSignatureFrom verifies that issuer's key signed ac. It checks neither
// names nor validity: Verify does.
func (ac *AttributeCertificate) CheckSignatureFrom(issuer *Certificate) error {
	return ac.checkSignature(issuer)
}

// checkSignature verifies the signature over RawAttrCertInfo: bign-with-hbelt
// itself, as Certificate.CheckSignatureFrom does, and the algorithms of
// x509SignatureAlgorithms through crypto/x509.
func (ac *AttributeCertificate) checkSignature(issuer *Certificate) error {
	if ac.SignatureAlgorithm.Equal(oidBignWithHbelt) {
		key, ok := issuer.PublicKey.(*bign.PublicKey)
		if !ok {
			return fmt.Errorf("%w: %s is signed with bign-with-hbelt, but the key of %s is %s",
				ErrBadSignature, describeAC(ac), describe(issuer), issuer.PublicKeyAlgorithm)
		}
		if n := len(ac.Signature); n != bignSignatureSize {
			return fmt.Errorf("%w: signatureValue of %s is %d octets, bign-with-hbelt needs %d",
				ErrBadSignature, describeAC(ac), n, bignSignatureSize)
		}
		if err := bign.VerifyHbelt(key, ac.RawAttrCertInfo, ac.Signature); err != nil {
			return fmt.Errorf("%w: %s under the key of %s: %v",
				ErrBadSignature, describeAC(ac), describe(issuer), err)
		}
		return nil
	}

	algorithm := x509.UnknownSignatureAlgorithm
	for _, a := range x509SignatureAlgorithms {
		if a.oid.Equal(ac.SignatureAlgorithm) {
			algorithm = a.algorithm
		}
	}
	if algorithm == x509.UnknownSignatureAlgorithm {
		return fmt.Errorf("%w: signatureAlgorithm %s of %s",
			ErrUnsupportedAlgorithm, ac.SignatureAlgorithm, describeAC(ac))
	}
	if issuer.X509.PublicKey == nil {
		return fmt.Errorf("%w: %s is signed with %v, but the key of %s is %s",
			ErrBadSignature, describeAC(ac), algorithm, describe(issuer), issuer.PublicKeyAlgorithm)
	}

	err := issuer.X509.CheckSignature(algorithm, ac.RawAttrCertInfo, ac.Signature)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, x509.ErrUnsupportedAlgorithm):
		return fmt.Errorf("%w: signatureAlgorithm %s of %s: %v",
			ErrUnsupportedAlgorithm, ac.SignatureAlgorithm, describeAC(ac), err)
	default:
		return fmt.Errorf("%w: %s under the key of %s: %v",
			ErrBadSignature, describeAC(ac), describe(issuer), err)
	}
}
