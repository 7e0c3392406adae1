package attrcert

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"
)

var (
	// ErrHolderMismatch means that the holder field of an attribute
	// certificate does not identify the given public-key certificate.
	ErrHolderMismatch = errors.New("attrcert: attribute certificate is issued to another holder")

	// ErrNotTargeted means that an attribute certificate has the
	// targetingInformation extension and none of its targets is the verifier.
	ErrNotTargeted = errors.New("attrcert: attribute certificate is not targeted at this verifier")
)

// AttributeVerifyOptions configures AttributeCertificate.Verify. The zero value
// accepts attribute certificates issued by РУЦ ГосСУОК, chaining to the
// ГосСУОК root, at the current time, and requires Holder.
type AttributeVerifyOptions struct {
	// Holder is the public-key certificate of the party that presents the
	// attribute certificate. Verify fails with ErrHolderMismatch unless the
	// holder field identifies it. The caller verifies Holder itself, for
	// example with IdentificationOptions.
	Holder *Certificate

	// SkipHolderCheck accepts the attribute certificate without a Holder, for
	// callers that only read its attributes.
	SkipHolderCheck bool

	// Issuers are the certificates of the attribute authorities whose
	// attribute certificates are accepted. The one whose subject the issuer
	// field names must also chain to Roots. Nil means РУЦ ГосСУОК (RUC) alone.
	Issuers []*Certificate

	// Roots are the trust anchors for the issuer's certificate. Nil means the
	// ГосСУОК root alone.
	Roots *TrustAnchors

	// Intermediates may complete the chain of the issuer's certificate.
	Intermediates []*Certificate

	// CurrentTime is the time at which validity is checked, of the attribute
	// certificate and of the issuer's chain. Zero means time.Now.
	CurrentTime time.Time

	// Targets are the names of this verifier. An attribute certificate with
	// the targetingInformation extension is accepted only if one of its
	// targetName or targetGroup entries equals one of these. targetCert
	// entries are not matched.
	Targets []GeneralName

	// KnownCriticalExtensions are critical extensions, of the attribute
	// certificate or of the issuer's chain, that the caller processes itself.
	KnownCriticalExtensions []asn1.ObjectIdentifier
}

// Extensions of attribute certificates whose criticality Verify honours:
// targetingInformation is matched against Targets, and the audit identity,
// which RFC 5755 makes critical, only carries data.
var handledAttributeExtensions = []asn1.ObjectIdentifier{
	oidTargetInformation, oidNoRevAvail, oidAuditIdentity, oidAuthorityKeyID,
}

// Verify checks that ac is a valid attribute certificate for opts.Holder and
// returns the chain of its issuer's certificate, issuer first and trust anchor
// last.
//
// The checks, in order:
//
//   - The issuer field names a certificate among opts.Issuers, by the
//     directoryName of issuerName, and by baseCertificateID and
//     objectDigestInfo when present.
//   - The signature verifies under that certificate's key: bign-with-hbelt, or
//     for test issuers ECDSA and RSA PKCS #1 v1.5 with SHA-2, and Ed25519.
//   - ac is valid at opts.CurrentTime.
//   - The holder field identifies opts.Holder.
//   - The targets, if any, include one of opts.Targets.
//   - Every critical extension is handled.
//   - The issuer's certificate verifies with Certificate.Verify against
//     opts.Roots.
//
// Errors wrap ErrUnknownIssuer, ErrBadSignature, ErrUnsupportedAlgorithm,
// ErrExpired, ErrNotYetValid, ErrHolderMismatch, ErrNotTargeted,
// ErrUnhandledCriticalExtension or the errors of Certificate.Verify.
//
// NOTE: revocation is not checked, and neither are the delegation, role
// specification and time specification extensions of STB 34.101.67 (9.5, 9.6):
// such an extension marked critical makes Verify fail.
func (ac *AttributeCertificate) Verify(opts AttributeVerifyOptions) ([]*Certificate, error) {
	issuers := opts.Issuers
	if issuers == nil {
		// A fresh copy, because the returned chain hands it to the caller.
		issuers = []*Certificate{RUC()}
	}
	now := opts.CurrentTime
	if now.IsZero() {
		now = time.Now()
	}

	issuer, err := ac.findIssuer(issuers)
	if err != nil {
		return nil, err
	}
	if err := ac.checkValidity(now); err != nil {
		return nil, err
	}
	if err := ac.checkHolder(opts); err != nil {
		return nil, err
	}
	if err := ac.checkTargets(opts.Targets); err != nil {
		return nil, err
	}
	if err := ac.checkCriticalExtensions(opts.KnownCriticalExtensions); err != nil {
		return nil, err
	}

	chain, err := issuer.Verify(VerifyOptions{
		Roots:                   opts.Roots,
		Intermediates:           opts.Intermediates,
		CurrentTime:             now,
		KnownCriticalExtensions: opts.KnownCriticalExtensions,
	})
	if err != nil {
		return nil, fmt.Errorf("%w (verifying the issuer of %s)", err, describeAC(ac))
	}
	return chain, nil
}

// findIssuer returns the first candidate issuer whose key verifies the
// signature, trying those whose subjectKeyIdentifier matches the
// authorityKeyIdentifier first.
func (ac *AttributeCertificate) findIssuer(issuers []*Certificate) (*Certificate, error) {
	var candidates []*Certificate
	for _, c := range issuers {
		if c != nil && ac.Issuer.identifies(c) {
			candidates = append(candidates, c)
		}
	}
	if len(candidates) == 0 {
		return nil, fmt.Errorf("%w: no attribute authority certificate matches the issuer %s of %s",
			ErrUnknownIssuer, describeIssuer(ac.Issuer), describeAC(ac))
	}
	slices.SortStableFunc(candidates, func(a, b *Certificate) int {
		return ac.keyIDRank(a) - ac.keyIDRank(b)
	})

	var firstErr error
	for _, c := range candidates {
		err := ac.checkSignature(c)
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func (ac *AttributeCertificate) keyIDRank(issuer *Certificate) int {
	aki, ski := ac.AuthorityKeyID, issuer.X509.SubjectKeyId
	switch {
	case len(aki) == 0 || len(ski) == 0:
		return 1
	case bytes.Equal(aki, ski):
		return 0
	default:
		return 2
	}
}

// identifies reports whether every identifying field of the issuer that is
// present matches c.
func (is AttCertIssuer) identifies(c *Certificate) bool {
	if len(is.Name) > 0 && !namesContain(is.Name, c.X509.RawSubject) {
		return false
	}
	if is.BaseCertificateID != nil && is.BaseCertificateID.identifies(c) != nil {
		return false
	}
	if is.ObjectDigestInfo != nil && is.ObjectDigestInfo.matches(c) != nil {
		return false
	}
	return true
}

func (ac *AttributeCertificate) checkValidity(now time.Time) error {
	if now.Before(ac.NotBefore) {
		return fmt.Errorf("%w: %s is valid from %s, current time is %s", ErrNotYetValid,
			describeAC(ac), formatTime(ac.NotBefore), formatTime(now))
	}
	if now.After(ac.NotAfter) {
		return fmt.Errorf("%w: %s was valid until %s, current time is %s", ErrExpired,
			describeAC(ac), formatTime(ac.NotAfter), formatTime(now))
	}
	return nil
}

func (ac *AttributeCertificate) checkTargets(mine []GeneralName) error {
	if ac.Targets == nil {
		return nil
	}
	for _, t := range ac.Targets {
		if t.Kind == TargetCert {
			continue
		}
		if slices.ContainsFunc(mine, t.Name.Equal) {
			return nil
		}
	}
	return fmt.Errorf("%w: none of the %d targets of %s is among the verifier's %d names",
		ErrNotTargeted, len(ac.Targets), describeAC(ac), len(mine))
}

func (ac *AttributeCertificate) checkCriticalExtensions(known []asn1.ObjectIdentifier) error {
	for _, ext := range ac.Extensions {
		if !ext.Critical || containsOID(handledAttributeExtensions, ext.Id) ||
			containsOID(known, ext.Id) {
			continue
		}
		return fmt.Errorf("%w: %s in %s", ErrUnhandledCriticalExtension, ext.Id, describeAC(ac))
	}
	return nil
}

// describeIssuer names the issuer field in error messages.
func describeIssuer(is AttCertIssuer) string {
	switch {
	case len(is.Name) > 0:
		return is.Name[0].String()
	case is.BaseCertificateID != nil:
		return fmt.Sprintf("certificate serial %x", is.BaseCertificateID.Serial)
	default:
		return "by object digest"
	}
}
