package tsok

import (
	"bytes"
	"encoding/asn1"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/esiful/sdk-go/internal/bign"
)

// oidNames names the algorithm, attribute and extension identifiers that
// appear in violation details.
var oidNames = map[string]string{
	bign.SignatureOID.String():      "bign-with-hbelt",
	bign.PubKeyOID.String():         "bign-pubkey",
	bign.CurveOID.String():          "bign-curve256v1",
	"1.2.112.0.2.0.34.101.45.11":    "bign-with-hspec",
	"1.2.112.0.2.0.34.101.45.13":    "bign-with-bash256",
	"1.2.112.0.2.0.34.101.45.14":    "bign-with-bash384",
	"1.2.112.0.2.0.34.101.45.15":    "bign-with-bash512",
	"1.2.112.0.2.0.34.101.45.3.2":   "bign-curve384v1",
	"1.2.112.0.2.0.34.101.45.3.3":   "bign-curve512v1",
	"1.2.840.10045.2.1":             "id-ecPublicKey",
	"1.2.840.10045.4.3.2":           "ecdsa-with-SHA256",
	"1.2.840.113549.1.1.1":          "rsaEncryption",
	"1.2.840.113549.1.1.11":         "sha256WithRSAEncryption",
	oidChallengePassword.String():   "challengePassword",
	oidExtensionRequest.String():    "extensionRequest",
	oidCertificateValidity.String(): "certificateValidity",
	oidKeyUsage.String():            "keyUsage",
	oidSubjectAltName.String():      "subjectAltName",
	oidCertificatePolicies.String(): "certificatePolicies",
	oidExtKeyUsage.String():         "extKeyUsage",
	"2.5.29.14":                     "subjectKeyIdentifier",
	"2.5.29.19":                     "basicConstraints",
	"2.5.29.35":                     "authorityKeyIdentifier",
	OIDServerAuth.String():          "id-kp-serverAuth",
	"1.3.6.1.5.5.7.3.2":             "id-kp-clientAuth",
	OIDServerTM.String():            "bpki-eku-serverTM",
	OIDClientTM.String():            "bpki-eku-clientTM",
}

// describeOID returns "name (oid)" for a known identifier, else the OID.
func describeOID(oid asn1.ObjectIdentifier) string {
	if name, ok := oidNames[oid.String()]; ok {
		return name + " (" + oid.String() + ")"
	}
	return oid.String()
}

func checkVersion(r *Request) []string {
	if r.Version != 0 {
		return []string{fmt.Sprintf("version is %d", r.Version)}
	}
	return nil
}

func checkSignatureAlgorithm(r *Request) []string {
	if !r.SignatureAlgorithm.Equal(bign.SignatureOID) {
		return []string{fmt.Sprintf("signatureAlgorithm is %s, expected %s",
			describeOID(r.SignatureAlgorithm), describeOID(bign.SignatureOID))}
	}
	if r.SignatureParameters != nil && !bytes.Equal(r.SignatureParameters, nullParameters) {
		return []string{fmt.Sprintf("signatureAlgorithm parameters are % x, expected NULL (05 00)",
			r.SignatureParameters)}
	}
	return nil
}

func checkKeyAlgorithm(r *Request) []string {
	if !r.PublicKeyAlgorithm.Equal(bign.PubKeyOID) {
		return []string{fmt.Sprintf("subjectPKInfo.algorithm is %s, expected %s",
			describeOID(r.PublicKeyAlgorithm), describeOID(bign.PubKeyOID))}
	}
	if !r.isBignCurve256Key() {
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(r.PublicKeyParameters, &curve); err == nil {
			return []string{fmt.Sprintf("key parameters name the curve %s, expected %s",
				describeOID(curve), describeOID(bign.CurveOID))}
		}
		return []string{fmt.Sprintf("key parameters are not the named curve %s",
			describeOID(bign.CurveOID))}
	}
	if r.PublicKeyUnusedBits != 0 || len(r.PublicKey) != bign.PublicKeySize {
		return []string{fmt.Sprintf(
			"public key is %d octets with %d unused bits, expected %d octets",
			len(r.PublicKey), r.PublicKeyUnusedBits, bign.PublicKeySize)}
	}
	if _, err := bign.ParsePublicKey(r.PublicKey); err != nil {
		return []string{fmt.Sprintf("public key is not valid: %v", err)}
	}
	return nil
}

func checkAttributes(r *Request) []string {
	var details []string
	seen := map[string]int{}
	for _, a := range r.Attributes {
		name := describeOID(a.Type)
		switch {
		case !a.Type.Equal(oidChallengePassword) && !a.Type.Equal(oidExtensionRequest) &&
			!a.Type.Equal(oidCertificateValidity):
			details = append(details, fmt.Sprintf("attribute %s at offset %d is not allowed",
				name, a.Offset))
			continue
		case seen[a.Type.String()] > 0:
			details = append(details, fmt.Sprintf("attribute %s at offset %d repeats", name,
				a.Offset))
		case len(a.Values) != 1:
			details = append(details, fmt.Sprintf("attribute %s at offset %d has %d values, "+
				"expected 1", name, a.Offset, len(a.Values)))
		}
		seen[a.Type.String()]++
	}
	return details
}

func checkChallengePassword(r *Request) []string {
	p := r.ChallengePassword
	if p == nil {
		return nil
	}
	var details []string
	if p.StringType != asn1.TagUTF8String {
		details = append(details, fmt.Sprintf("challengePassword at offset %d is %s, expected "+
			"UTF8String", p.Offset, stringTypeName(byte(p.StringType))))
	}
	if n := utf8.RuneCountInString(p.Value); n < 1 || n > 255 {
		details = append(details, fmt.Sprintf("challengePassword has %d characters, expected "+
			"1..255", n))
	}
	return append(details, challengePasswordParts(p.Value)...)
}

// challengePasswordParts checks the form /EPWD:<ticket>/INFO:<text>, the
// parts in either order and either one optional.
func challengePasswordParts(s string) []string {
	const epwd, info = "/EPWD:", "/INFO:"
	var details []string
	seen := map[string]bool{}
	for s != "" {
		prefix := ""
		switch {
		case strings.HasPrefix(s, epwd):
			prefix = epwd
		case strings.HasPrefix(s, info):
			prefix = info
		default:
			return append(details, fmt.Sprintf("challengePassword part %q starts with neither "+
				"%s nor %s", s, epwd, info))
		}
		rest := s[len(prefix):]
		end := len(rest)
		for _, next := range []string{epwd, info} {
			if i := strings.Index(rest, next); i >= 0 && i < end {
				end = i
			}
		}
		content := rest[:end]
		s = rest[end:]

		if seen[prefix] {
			details = append(details, fmt.Sprintf("challengePassword repeats the part %s", prefix))
		}
		seen[prefix] = true
		if prefix == epwd && !validTicket(content) {
			details = append(details, fmt.Sprintf("challengePassword ticket %s has %d characters; "+
				"expected 32, 48 or 64 characters 0-9A-F", epwd, len(content)))
		}
		if n := utf8.RuneCountInString(content); prefix == info && n > 128 {
			details = append(details, fmt.Sprintf("challengePassword part %s has %d characters, "+
				"the limit is 128", info, n))
		}
	}
	return details
}

func validTicket(s string) bool {
	if len(s) != 32 && len(s) != 48 && len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func checkCertificateValidity(r *Request) []string {
	v := r.CertificateValidity
	if v != nil && !v.NotBefore.Before(v.NotAfter) {
		return []string{fmt.Sprintf("certificateValidity notBefore %s is not before notAfter %s",
			v.NotBefore.UTC().Format("2006-01-02 15:04:05Z"),
			v.NotAfter.UTC().Format("2006-01-02 15:04:05Z"))}
	}
	return nil
}

// maxValidityYears is the recommended maximum validity of a TLS server's
// certificate at security level 128 in STB 34.101.78.
const maxValidityYears = 5

func checkValidityPeriod(r *Request) []string {
	v := r.CertificateValidity
	if v != nil && v.NotAfter.After(v.NotBefore.AddDate(maxValidityYears, 0, 0)) {
		return []string{fmt.Sprintf("certificateValidity spans %s to %s, more than %d years",
			v.NotBefore.UTC().Format("2006-01-02"), v.NotAfter.UTC().Format("2006-01-02"),
			maxValidityYears)}
	}
	return nil
}
