// Package attrcert parses and verifies the certificates used with ЕС ИФЮЛ: X.509
// public-key certificates of ГосСУОК, the state PKI of Belarus.
//
// ГосСУОК certificates are signed with bign-with-hbelt (STB 34.101.45 with the
// belt-hash of STB 34.101.31) and carry bign public keys on bign-curve256v1.
// crypto/x509 parses them but cannot verify them, so ParseCertificate wraps its
// result in a Certificate that also holds the bign key and the algorithm
// identifiers, and Certificate.Verify builds and checks chains itself. ECDSA, RSA
// and Ed25519 certificates verify too, through crypto/x509, which lets tests use
// ordinary test CAs next to bign ones.
//
// The operator of ЕС ИФЮЛ allows only certificates issued by РУЦ ГосСУОК
// («Республиканский удостоверяющий центр») to identify a person. The root
// (GosSUOKRoot) and РУЦ (RUC) are built into the package, and
// IdentificationOptions sets up that check:
//
//	cert, err := attrcert.ParseCertificate(der)
//	if err != nil {
//		return err
//	}
//	chain, err := cert.Verify(attrcert.IdentificationOptions())
//	if errors.Is(err, attrcert.ErrExpired) {
//		// ask the person for a current certificate
//	}
//
// Verify reports why a chain failed with sentinel errors (ErrUnknownIssuer,
// ErrExpired, ErrNotYetValid, ErrNotCA, ErrBadSignature, ErrUnsupportedAlgorithm
// and others) wrapped with the subject of the certificate concerned. Parse errors
// are *ParseError values that name the field and its byte offset.
//
// ParseAttributeCertificate and AttributeCertificate.Verify handle the attribute
// certificates of STB 34.101.67 (RFC 5755), which bind a role, permissions or an
// organisation's УНП to the holder of a public-key certificate.
//
// Revocation is not checked: the package reads no CRL and queries no OCSP server.
package attrcert
