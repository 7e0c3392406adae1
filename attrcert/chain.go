package attrcert

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Errors of chain verification. Verify wraps them with the subject of the
// certificate concerned, so callers test them with errors.Is.
var (
	// ErrUnknownIssuer means that no trust anchor or intermediate certificate has
	// the issuer name of a certificate in the chain.
	ErrUnknownIssuer = errors.New("attrcert: certificate signed by unknown authority")
	// ErrExpired means that the current time is after a certificate's notAfter.
	ErrExpired = errors.New("attrcert: certificate has expired")
	// ErrNotYetValid means that the current time is before a certificate's notBefore.
	ErrNotYetValid = errors.New("attrcert: certificate is not yet valid")
	// ErrNotCA means that an issuer may not sign certificates: its basicConstraints
	// lack cA, or its keyUsage lacks keyCertSign.
	ErrNotCA = errors.New("attrcert: issuer is not allowed to sign certificates")
	// ErrPathLenConstraint means that a CA has more intermediate certificates below
	// it than its basicConstraints pathLenConstraint allows.
	ErrPathLenConstraint = errors.New("attrcert: path length constraint exceeded")
	// ErrChainTooLong means that chain building hit VerifyOptions.MaxChainLength or
	// the limit on signature checks.
	ErrChainTooLong = errors.New("attrcert: certificate chain too long")
	// ErrUnhandledCriticalExtension means that a certificate has a critical
	// extension that Verify does not process.
	ErrUnhandledCriticalExtension = errors.New("attrcert: unhandled critical extension")
)

const (
	// DefaultMaxChainLength is the chain length limit, leaf and trust anchor
	// included, used when VerifyOptions.MaxChainLength is zero. ГосСУОК chains have
	// three certificates: the root, РУЦ and the leaf.
	DefaultMaxChainLength = 8

	// maxSignatureChecks bounds the work on crafted sets of intermediates whose
	// names and keys form many paths.
	maxSignatureChecks = 100
)

// ChainPolicy is an extra check of a chain that passed path validation, leaf
// first and trust anchor last. A non-nil error rejects the chain.
type ChainPolicy func(chain []*Certificate) error

// VerifyOptions configures Verify. The zero value verifies against the ГосСУОК
// root at the current time.
type VerifyOptions struct {
	// Roots are the trust anchors. Nil means the ГосСУОК root alone.
	Roots *TrustAnchors

	// Intermediates are untrusted certificates that may complete a chain.
	Intermediates []*Certificate

	// CurrentTime is the time at which validity is checked. Zero means time.Now.
	CurrentTime time.Time

	// MaxChainLength limits the number of certificates in a chain, leaf and trust
	// anchor included. Zero means DefaultMaxChainLength.
	MaxChainLength int

	// KnownCriticalExtensions are critical extensions that the caller processes
	// itself. Verify handles keyUsage, extKeyUsage, basicConstraints,
	// subjectAltName, subjectKeyIdentifier and authorityKeyIdentifier and rejects
	// other critical extensions unless listed here.
	KnownCriticalExtensions []asn1.ObjectIdentifier

	// Policy, when set, must accept the chain. IssuedByRUC is the policy for
	// certificates used to identify a person.
	Policy ChainPolicy
}

// Extensions whose criticality Verify honours. extKeyUsage is in the list because
// the national PKI profile (bcrypto/bpki) marks it critical in every end-entity
// certificate. Verify does not check the purposes it lists, so the caller must.
var handledExtensions = []asn1.ObjectIdentifier{
	{2, 5, 29, 15}, // keyUsage
	{2, 5, 29, 37}, // extKeyUsage
	{2, 5, 29, 19}, // basicConstraints
	{2, 5, 29, 17}, // subjectAltName
	{2, 5, 29, 14}, // subjectKeyIdentifier
	{2, 5, 29, 35}, // authorityKeyIdentifier
}

var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

// Verify builds a chain from c through opts.Intermediates to one of opts.Roots
// and returns it, leaf first and trust anchor last.
//
// Issuers are found by name: the issuer field of each certificate must equal,
// byte for byte, the subject of the next. Candidates whose subjectKeyIdentifier
// matches the authorityKeyIdentifier are tried first, but a mismatch does not
// exclude a candidate, because STB 34.101.19 (6.2.1.2) forbids checking key
// identifiers during path validation. The signature decides.
//
// Each certificate must be valid at opts.CurrentTime, trust anchors included.
// Each issuer must have basicConstraints cA, keyCertSign when keyUsage is
// present, and a pathLenConstraint, if any, that the chain respects. Every
// signature is checked with CheckSignatureFrom's algorithms. A certificate that
// is itself a trust anchor verifies as a chain of one.
//
// NOTE: revocation (CRL, OCSP), name constraints and certificate policies are not
// checked. A CA with critical nameConstraints or policyConstraints is rejected
// with ErrUnhandledCriticalExtension rather than accepted unchecked.
func (c *Certificate) Verify(opts VerifyOptions) ([]*Certificate, error) {
	v := newVerifier(opts)
	if err := v.checkCertificate(c); err != nil {
		return nil, err
	}

	if v.roots.Contains(c) {
		chain := []*Certificate{c}
		if err := v.checkPolicy(chain); err != nil {
			return nil, err
		}
		return chain, nil
	}
	return v.build([]*Certificate{c})
}

type verifier struct {
	roots           *TrustAnchors
	intermediates   map[string][]*Certificate
	now             time.Time
	maxLength       int
	known           []asn1.ObjectIdentifier
	policy          ChainPolicy
	signatureChecks int
}

// errGaveUp marks the end of the signature-check budget so that the search
// stops instead of trying further candidates.
var errGaveUp = errors.New("gave up")

func newVerifier(opts VerifyOptions) *verifier {
	v := &verifier{
		roots:         opts.Roots,
		intermediates: make(map[string][]*Certificate),
		now:           opts.CurrentTime,
		maxLength:     opts.MaxChainLength,
		known:         opts.KnownCriticalExtensions,
		policy:        opts.Policy,
	}
	if v.roots == nil {
		v.roots = GosSUOKTrustAnchors()
	}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	if v.maxLength <= 0 {
		v.maxLength = DefaultMaxChainLength
	}
	for _, ic := range opts.Intermediates {
		if ic == nil {
			continue
		}
		name := string(ic.X509.RawSubject)
		v.intermediates[name] = append(v.intermediates[name], ic)
	}
	return v
}

// build extends chain by depth-first search and returns the first complete chain
// or, when none exists, the first error met.
func (v *verifier) build(chain []*Certificate) ([]*Certificate, error) {
	child := chain[len(chain)-1]
	if len(chain) >= v.maxLength {
		return nil, fmt.Errorf("%w: no trust anchor within %d certificates of %s",
			ErrChainTooLong, v.maxLength, describe(chain[0]))
	}

	candidates := v.candidates(child)
	if len(candidates) == 0 {
		return nil, fmt.Errorf("%w: no trust anchor or intermediate has the issuer name %q of %s",
			ErrUnknownIssuer, child.X509.Issuer.String(), describe(child))
	}

	var firstErr error
	for _, cand := range candidates {
		found, err := v.extend(chain, cand)
		if err == nil {
			return found, nil
		}
		if errors.Is(err, errGaveUp) {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// extend adds cand to chain and, unless cand is a trust anchor, continues the
// search from it.
func (v *verifier) extend(chain []*Certificate, cand candidate) ([]*Certificate, error) {
	if err := v.checkLink(chain, cand.cert); err != nil {
		return nil, err
	}
	next := append(slices.Clip(chain), cand.cert)
	if !cand.anchor {
		return v.build(next)
	}
	if err := v.checkPolicy(next); err != nil {
		return nil, err
	}
	return next, nil
}

type candidate struct {
	cert   *Certificate
	anchor bool
}

// candidates lists the possible issuers of child, which have its issuer name:
// trust anchors before intermediates, and matching key identifiers first.
func (v *verifier) candidates(child *Certificate) []candidate {
	name := string(child.X509.RawIssuer)
	var list []candidate
	for _, a := range v.roots.bySubject[name] {
		list = append(list, candidate{cert: a, anchor: true})
	}
	for _, ic := range v.intermediates[name] {
		list = append(list, candidate{cert: ic})
	}
	slices.SortStableFunc(list, func(a, b candidate) int {
		return keyIDRank(child, a.cert) - keyIDRank(child, b.cert)
	})
	return list
}

// keyIDRank orders issuer candidates: 0 when the key identifiers match, 1 when
// one of them is missing, 2 when they differ.
func keyIDRank(child, issuer *Certificate) int {
	aki, ski := child.X509.AuthorityKeyId, issuer.X509.SubjectKeyId
	switch {
	case len(aki) == 0 || len(ski) == 0:
		return 1
	case bytes.Equal(aki, ski):
		return 0
	default:
		return 2
	}
}

// checkLink checks that issuer can extend chain: it is not in the chain yet, it
// may sign certificates, it is valid, and it signed the last certificate.
func (v *verifier) checkLink(chain []*Certificate, issuer *Certificate) error {
	child := chain[len(chain)-1]
	for _, c := range chain {
		if sameNameAndKey(c, issuer) {
			return fmt.Errorf("%w: %s would appear twice in the chain (a loop)",
				ErrUnknownIssuer, describe(issuer))
		}
	}

	if err := checkIssuer(issuer, child); err != nil {
		return err
	}
	if err := v.checkCertificate(issuer); err != nil {
		return err
	}
	if err := checkPathLength(chain, issuer); err != nil {
		return err
	}

	v.signatureChecks++
	if v.signatureChecks > maxSignatureChecks {
		return fmt.Errorf("%w: %w after %d signature checks while verifying %s",
			ErrChainTooLong, errGaveUp, maxSignatureChecks, describe(chain[0]))
	}
	return child.checkSignature(issuer)
}

// checkCertificate checks what applies to every certificate on its own: validity
// at the current time and critical extensions.
func (v *verifier) checkCertificate(c *Certificate) error {
	if v.now.Before(c.X509.NotBefore) {
		return fmt.Errorf("%w: %s is valid from %s, current time is %s", ErrNotYetValid,
			describe(c), formatTime(c.X509.NotBefore), formatTime(v.now))
	}
	if v.now.After(c.X509.NotAfter) {
		return fmt.Errorf("%w: %s was valid until %s, current time is %s", ErrExpired,
			describe(c), formatTime(c.X509.NotAfter), formatTime(v.now))
	}

	for _, ext := range c.X509.Extensions {
		handled := containsOID(handledExtensions, ext.Id) || containsOID(v.known, ext.Id)
		if !ext.Critical || handled {
			continue
		}
		return fmt.Errorf("%w: %s in %s", ErrUnhandledCriticalExtension, ext.Id, describe(c))
	}
	return nil
}

func (v *verifier) checkPolicy(chain []*Certificate) error {
	if v.policy == nil {
		return nil
	}
	return v.policy(chain)
}

// checkIssuer checks that parent may sign certificates such as child.
func checkIssuer(parent, child *Certificate) error {
	if !parent.X509.BasicConstraintsValid || !parent.X509.IsCA {
		return fmt.Errorf("%w: %s, the issuer of %s, has no basicConstraints with cA set",
			ErrNotCA, describe(parent), describe(child))
	}
	if hasExtension(parent, oidKeyUsage) && parent.X509.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fmt.Errorf("%w: keyUsage of %s, the issuer of %s, lacks keyCertSign",
			ErrNotCA, describe(parent), describe(child))
	}
	return nil
}

// checkPathLength applies the pathLenConstraint of issuer: it counts the
// intermediate certificates below issuer, excluding the leaf and self-issued
// certificates as RFC 5280 (6.1.4) does.
func checkPathLength(chain []*Certificate, issuer *Certificate) error {
	limit := issuer.X509.MaxPathLen
	if limit < 0 {
		return nil
	}
	count := 0
	for _, c := range chain[1:] {
		if !bytes.Equal(c.X509.RawSubject, c.X509.RawIssuer) {
			count++
		}
	}
	if count > limit {
		return fmt.Errorf("%w: %s allows %d intermediate certificates below it, the chain has %d",
			ErrPathLenConstraint, describe(issuer), limit, count)
	}
	return nil
}

func sameNameAndKey(a, b *Certificate) bool {
	return bytes.Equal(a.X509.RawSubject, b.X509.RawSubject) &&
		bytes.Equal(a.X509.RawSubjectPublicKeyInfo, b.X509.RawSubjectPublicKeyInfo)
}

func hasExtension(c *Certificate, oid asn1.ObjectIdentifier) bool {
	for _, ext := range c.X509.Extensions {
		if ext.Id.Equal(oid) {
			return true
		}
	}
	return false
}

func containsOID(list []asn1.ObjectIdentifier, oid asn1.ObjectIdentifier) bool {
	return slices.ContainsFunc(list, oid.Equal)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// describe names a certificate in error messages by its common name, or its whole
// subject when there is none, and its serial number.
func describe(c *Certificate) string {
	name := c.X509.Subject.CommonName
	if name == "" {
		name = c.X509.Subject.String()
	}
	return fmt.Sprintf("%q (serial %x)", name, c.X509.SerialNumber)
}
