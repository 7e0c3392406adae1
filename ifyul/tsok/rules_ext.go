package tsok

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"net/url"
	"strings"
)

// NOTE: STB 34.101.78 lists subjectAltName, extKeyUsage and
// certificatePolicies for the extensionRequest of a request to a CA such
// as РУЦ. keyUsage is accepted too because common request generators add
// it, and the CA sets the certificate's keyUsage from the profile anyway.
var allowedRequestExtensions = []asn1.ObjectIdentifier{
	oidSubjectAltName, oidExtKeyUsage, oidCertificatePolicies, oidKeyUsage,
}

func checkExtensionsAllowed(r *Request) []string {
	var details []string
	for _, ext := range r.Extensions {
		allowed := false
		for _, id := range allowedRequestExtensions {
			allowed = allowed || ext.ID.Equal(id)
		}
		if !allowed {
			details = append(details, fmt.Sprintf("extension %s at offset %d is not allowed",
				describeOID(ext.ID), ext.Offset))
		}
	}
	return details
}

func checkExtensionsUnique(r *Request) []string {
	var details []string
	for i, ext := range r.Extensions {
		for _, earlier := range r.Extensions[:i] {
			if earlier.ID.Equal(ext.ID) {
				details = append(details, fmt.Sprintf("extension %s at offset %d repeats the one "+
					"at offset %d", describeOID(ext.ID), ext.Offset, earlier.Offset))
				break
			}
		}
	}
	return details
}

// keyUsageNames names the flags of x509.KeyUsage by bit.
var keyUsageNames = []string{"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly",
	"decipherOnly"}

// The keyUsage flags of the profile: a TLS server has digitalSignature and
// keyEncipherment, an identification service (СИ) nonRepudiation as well.
const (
	requiredKeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	allowedKeyUsage  = requiredKeyUsage | x509.KeyUsageContentCommitment
)

func checkKeyUsage(r *Request) []string {
	if r.Extension(oidKeyUsage) == nil {
		return nil
	}
	var details []string
	if missing := requiredKeyUsage &^ r.KeyUsage; missing != 0 {
		details = append(details, "keyUsage lacks "+keyUsageList(missing))
	}
	if extra := r.KeyUsage &^ allowedKeyUsage; extra != 0 {
		details = append(details, "keyUsage has "+keyUsageList(extra))
	}
	return details
}

func keyUsageList(u x509.KeyUsage) string {
	var names []string
	for bit, name := range keyUsageNames {
		if u&(1<<bit) != 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

func checkExtKeyUsage(r *Request) []string {
	var details []string
	for _, id := range r.ExtKeyUsage {
		if !id.Equal(OIDServerAuth) && !id.Equal(OIDServerTM) && !id.Equal(OIDClientTM) {
			details = append(details, fmt.Sprintf("extKeyUsage has %s", describeOID(id)))
		}
	}
	return details
}

func checkServerAuth(r *Request) []string {
	for _, id := range r.ExtKeyUsage {
		if id.Equal(OIDServerAuth) {
			return nil
		}
	}
	return []string{"extKeyUsage does not request id-kp-serverAuth (1.3.6.1.5.5.7.3.1)"}
}

// maxSubjectAltNames is the limit of STB 34.101.78 on subjectAltName.
const maxSubjectAltNames = 100

// generalNameForms names the GeneralName choices by tag number.
var generalNameForms = []string{"otherName", "rfc822Name", "dNSName", "x400Address",
	"directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"}

func checkSubjectAltName(r *Request) []string {
	if r.Extension(oidSubjectAltName) == nil {
		return []string{"subjectAltName is missing: a TLS server lists its DNS names there"}
	}
	var details []string
	switch n := len(r.SubjectAltNames); {
	case n == 0:
		details = append(details, "subjectAltName has no entries")
	case n > maxSubjectAltNames:
		details = append(details, fmt.Sprintf("subjectAltName has %d entries, the limit is %d",
			n, maxSubjectAltNames))
	}
	for _, name := range r.SubjectAltNames {
		if problem := generalNameProblem(name); problem != "" {
			details = append(details, fmt.Sprintf("subjectAltName entry at offset %d %s",
				name.Offset, problem))
		}
	}
	return details
}

// generalNameProblem describes what is wrong with a subjectAltName entry,
// or returns "".
func generalNameProblem(name GeneralName) string {
	switch name.Tag {
	case 1:
		if !validEmail(name.Value) {
			return fmt.Sprintf("rfc822Name %q is not an address of the form name@domain",
				name.Value)
		}
	case 2:
		if !validDNSName(name.Value) {
			return fmt.Sprintf("dNSName %q is not a DNS name", name.Value)
		}
	case 6:
		u, err := url.Parse(name.Value)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Sprintf("uniformResourceIdentifier %q is not an absolute URI with a host",
				name.Value)
		}
	case 7:
		if name.IP == nil {
			return "iPAddress is not 4 or 16 octets"
		}
	default:
		form := fmt.Sprintf("tag [%d]", name.Tag)
		if name.Tag < len(generalNameForms) {
			form = generalNameForms[name.Tag]
		}
		return fmt.Sprintf("is a %s, expected rfc822Name, dNSName, "+
			"uniformResourceIdentifier or iPAddress", form)
	}
	return ""
}

// validDNSName reports whether s is a host name of letters, digits and
// hyphens (RFC 1123), optionally with a wildcard "*." first label, as STB
// 34.101.78 allows for TLS servers.
func validDNSName(s string) bool {
	s = strings.TrimPrefix(s, "*.")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validEmail reports whether s is local@domain with a local part of
// printable ASCII other than spaces and "@", and a DNS-name domain.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.HasPrefix(domain, "*.") {
		return false
	}
	for _, c := range []byte(local) {
		if c <= ' ' || c >= 0x7f || c == '@' || c == '<' || c == '>' {
			return false
		}
	}
	return validDNSName(domain)
}
