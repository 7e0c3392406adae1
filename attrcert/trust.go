package attrcert

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sync"
)

// ErrWrongIssuer means that a chain verified but was not issued by the CA that
// a ChainPolicy such as IssuedByRUC requires.
var ErrWrongIssuer = errors.New("attrcert: certificate is not issued by the required CA")

// TrustAnchors is a set of trusted certificates that end chains, the analogue of
// x509.CertPool. Add must not run concurrently with other methods, while
// Verify and the other methods may run concurrently with each other.
type TrustAnchors struct {
	certs     []*Certificate
	bySubject map[string][]*Certificate
}

// NewTrustAnchors returns a set that holds certs.
func NewTrustAnchors(certs ...*Certificate) *TrustAnchors {
	t := &TrustAnchors{bySubject: make(map[string][]*Certificate)}
	for _, c := range certs {
		t.Add(c)
	}
	return t
}

// Add adds c to the set. A nil certificate or one already in the set is ignored.
func (t *TrustAnchors) Add(c *Certificate) {
	if c == nil || t.Contains(c) {
		return
	}
	if t.bySubject == nil {
		t.bySubject = make(map[string][]*Certificate)
	}
	t.certs = append(t.certs, c)
	name := string(c.X509.RawSubject)
	t.bySubject[name] = append(t.bySubject[name], c)
}

// Contains reports whether a certificate with the same DER encoding as c is in
// the set.
func (t *TrustAnchors) Contains(c *Certificate) bool {
	for _, a := range t.bySubject[string(c.X509.RawSubject)] {
		if a.Equal(c) {
			return true
		}
	}
	return false
}

// Certificates returns the certificates of the set in the order they were added.
func (t *TrustAnchors) Certificates() []*Certificate {
	return append([]*Certificate(nil), t.certs...)
}

// The public certificates of ГосСУОК, the state PKI of Belarus, as distributed in
// the bcrypto/bpki repository. SHA-256 of the DER files:
//
//	kuc.cer c59f459f66ba5898625d05dfd14bd3c34359a099f5a18c2e446941ad74dc8c5b
//	ruc.cer 58c4ff5cd4fb2a471a5ebec3265c1be496b4df7083eed3c88097e84a747d5e23
var (
	//go:embed gossuok/kuc.cer
	gossuokRootDER []byte
	//go:embed gossuok/ruc.cer
	rucDER []byte
)

// The parsed embedded certificates that IssuedByRUC compares with. Callers get
// their own copies, so that changing one cannot change this policy.
var (
	gossuokRoot = sync.OnceValue(func() *Certificate { return mustParseEmbedded(gossuokRootDER) })
	ruc         = sync.OnceValue(func() *Certificate { return mustParseEmbedded(rucDER) })
)

func mustParseEmbedded(der []byte) *Certificate {
	c, err := ParseCertificate(der)
	if err != nil {
		panic(fmt.Sprintf("attrcert: embedded ГосСУОК certificate does not parse: %v", err))
	}
	return c
}

// GosSUOKRoot returns the self-signed root certificate of ГосСУОК, «Корневой
// удостоверяющий центр ГосСУОК», valid from 2014-06-30 to 2034-06-30. Each call
// parses a new copy.
func GosSUOKRoot() *Certificate { return mustParseEmbedded(gossuokRootDER) }

// RUC returns the certificate of РУЦ ГосСУОК, «Республиканский удостоверяющий
// центр ГосСУОК», issued by the root and valid to 2029-06-30. РУЦ issues the
// certificates of persons and organisations. Each call parses a new copy.
func RUC() *Certificate { return mustParseEmbedded(rucDER) }

// GosSUOKTrustAnchors returns a new set that holds the ГосСУОК root alone. Verify
// uses it when VerifyOptions.Roots is nil.
func GosSUOKTrustAnchors() *TrustAnchors { return NewTrustAnchors(GosSUOKRoot()) }

// IdentificationOptions returns the options for verifying a certificate used to
// identify a person: the ГосСУОК root as the trust anchor, РУЦ as an intermediate
// and IssuedByRUC as the policy. Set CurrentTime on the result to verify at
// another time than now.
func IdentificationOptions() VerifyOptions {
	return VerifyOptions{
		Roots:         GosSUOKTrustAnchors(),
		Intermediates: []*Certificate{RUC()},
		Policy:        IssuedByRUC,
	}
}

// IssuedByRUC is the ChainPolicy for identification, because the operator of
// ЕС ИФЮЛ allows only certificates issued by РУЦ ГосСУОК for identification. The
// leaf's issuer in the chain must have the subject and public key of РУЦ. The
// leaf's authorityKeyIdentifier must equal the subjectKeyIdentifier of РУЦ. The
// chain must end at the ГосСУОК root.
func IssuedByRUC(chain []*Certificate) error {
	return checkIssuedBy(chain, ruc(), gossuokRoot())
}

// IssuedBy returns a ChainPolicy that works as IssuedByRUC for another issuer and
// root, such as a test CA.
func IssuedBy(issuer, root *Certificate) ChainPolicy {
	return func(chain []*Certificate) error {
		return checkIssuedBy(chain, issuer, root)
	}
}

func checkIssuedBy(chain []*Certificate, issuer, root *Certificate) error {
	if len(chain) < 2 {
		return fmt.Errorf("%w: %s is a trust anchor, not a certificate issued by %s",
			ErrWrongIssuer, describe(chain[0]), describe(issuer))
	}

	leaf, parent := chain[0], chain[1]
	if !sameNameAndKey(parent, issuer) {
		return fmt.Errorf("%w: %s is issued by %s, not by %s",
			ErrWrongIssuer, describe(leaf), describe(parent), describe(issuer))
	}
	// The national PKI profile (bcrypto/bpki) makes authorityKeyIdentifier
	// mandatory in every certificate except a self-signed root, so a missing one
	// is rejected.
	ski := issuer.X509.SubjectKeyId
	if len(ski) > 0 && !bytes.Equal(leaf.X509.AuthorityKeyId, ski) {
		return fmt.Errorf("%w: authorityKeyIdentifier %x of %s differs from "+
			"subjectKeyIdentifier %x of %s", ErrWrongIssuer,
			leaf.X509.AuthorityKeyId, describe(leaf), ski, describe(issuer))
	}

	if anchor := chain[len(chain)-1]; !sameNameAndKey(anchor, root) {
		return fmt.Errorf("%w: the chain of %s ends at %s, not at %s",
			ErrWrongIssuer, describe(leaf), describe(anchor), describe(root))
	}
	return nil
}
