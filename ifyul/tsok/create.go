package tsok

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
)

// Extended key usage identifiers a ТСОК request may carry.
var (
	// OIDServerAuth is id-kp-serverAuth of STB 34.101.19, required in the
	// certificates of TLS servers and identification services (СИ).
	OIDServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	// OIDServerTM is bpki-eku-serverTM of STB 34.101.78: the server of
	// terminal mode.
	OIDServerTM = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 78, 3, 1}
	// OIDClientTM is bpki-eku-clientTM of STB 34.101.78: the client of
	// terminal mode.
	OIDClientTM = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 78, 3, 2}
)

// DefaultKeyUsage is the keyUsage CreateRequest requests by default: the
// flags of a TLS server's certificate in STB 34.101.78.
const DefaultKeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment

// RequestTemplate describes the ТСОК to request. Its subject fields are
// the cert_info fields of the КПСИС key-generation API.
type RequestTemplate struct {
	// CommonName is the system's common name, for a TLS server its DNS
	// name (common_name).
	CommonName string
	// Country is the country code; default "BY".
	Country string
	// Locality, State and Street are the organisation's legal address:
	// the settlement («г. Минск»), the region and district (left empty for
	// a regional centre) and the street, house and office.
	Locality, State, Street string
	// Organization is the organisation's short name.
	Organization string
	// Description describes the system (description).
	Description string
	// Email is the contact address (emailAddress).
	Email string
	// SubjectAltNames are the system's names for subjectAltName: each
	// becomes a uniformResourceIdentifier if it contains "://", an
	// iPAddress if it parses as one, an rfc822Name if it contains "@",
	// and a dNSName otherwise. Internationalised domain names must be
	// given in their ASCII (punycode) form.
	SubjectAltNames []string
	// KeyUsage is requested in keyUsage; default DefaultKeyUsage.
	KeyUsage x509.KeyUsage
	// ExtKeyUsage is requested in extKeyUsage; default OIDServerAuth.
	ExtKeyUsage []asn1.ObjectIdentifier
	// ChallengePassword, when set, is sent in the challengePassword
	// attribute, in the form "/EPWD:<hex>/INFO:<text>" of STB 34.101.78.
	ChallengePassword string
	// Validity, when set, suggests the certificate's validity in the
	// certificateValidity attribute; the CA may ignore it.
	Validity *Validity
	// ExtraExtensions are added to extensionRequest as given.
	ExtraExtensions []pkix.Extension
}

// CreateRequest builds a certificate request («запрос на сертификат») for
// the signer's bign key and signs it with bign-with-hbelt, returning DER.
// crypto/x509.CreateCertificateRequest cannot sign with bign, so the
// request is assembled here.
//
// The signer's Public method must return a bign public key on
// bign-curve256v1, as the keys of GenerateKey do, or any value whose Bytes
// method returns the 64 octets x‖y. Its Sign method receives the 32-octet
// belt-hash of certificationRequestInfo with crypto.Hash(0) and must
// return the 48 octets of a bign signature; CreateRequest verifies it.
//
// The subject is written in the order of the ТСОК profile with empty
// fields left out; CreateRequest does not check that the required ones are
// there. Run CheckProfile on the result before sending it.
func CreateRequest(template *RequestTemplate, signer crypto.Signer) ([]byte, error) {
	if template == nil {
		return nil, fmt.Errorf("tsok: request template is nil")
	}
	spec, err := template.spec()
	if err != nil {
		return nil, err
	}
	return buildRequest(spec, signer)
}

func (t *RequestTemplate) spec() (requestSpec, error) {
	spec := requestSpec{version: 0, signatureAlgorithm: bignWithHbelt, subject: t.subject()}

	extensions, err := t.extensions()
	if err != nil {
		return spec, err
	}
	extensionsDER, err := asn1.Marshal(extensions)
	if err != nil {
		return spec, fmt.Errorf("tsok: encoding extensionRequest: %w", err)
	}
	spec.attributes = append(spec.attributes,
		specRequestAttribute{oid: oidExtensionRequest, values: [][]byte{extensionsDER}})

	if t.ChallengePassword != "" {
		value, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagUTF8String,
			Bytes: []byte(t.ChallengePassword)})
		if err != nil {
			return spec, err
		}
		spec.attributes = append(spec.attributes,
			specRequestAttribute{oid: oidChallengePassword, values: [][]byte{value}})
	}
	if v := t.Validity; v != nil {
		value, err := asn1.Marshal(struct{ NotBefore, NotAfter time.Time }{
			v.NotBefore.UTC(), v.NotAfter.UTC()})
		if err != nil {
			return spec, fmt.Errorf("tsok: encoding certificateValidity: %w", err)
		}
		spec.attributes = append(spec.attributes,
			specRequestAttribute{oid: oidCertificateValidity, values: [][]byte{value}})
	}
	return spec, nil
}

// subject lists the template's attributes in the profile's order.
func (t *RequestTemplate) subject() []specAttribute {
	country := t.Country
	if country == "" {
		country = "BY"
	}
	values := map[string]string{
		"commonName": t.CommonName, "countryName": country, "localityName": t.Locality,
		"stateOrProvinceName": t.State, "streetAddress": t.Street,
		"organizationName": t.Organization, "description": t.Description,
		"emailAddress": t.Email,
	}
	var attrs []specAttribute
	for _, a := range subjectAttributes {
		if v := values[a.name]; v != "" && a.allowed {
			attrs = append(attrs, specAttribute{oid: a.oid, tag: a.stringType, value: v})
		}
	}
	return attrs
}

func (t *RequestTemplate) extensions() ([]pkix.Extension, error) {
	usage := t.KeyUsage
	if usage == 0 {
		usage = DefaultKeyUsage
	}
	keyUsage, err := asn1.Marshal(keyUsageBits(usage))
	if err != nil {
		return nil, err
	}
	purposes := t.ExtKeyUsage
	if len(purposes) == 0 {
		purposes = []asn1.ObjectIdentifier{OIDServerAuth}
	}
	extKeyUsage, err := asn1.Marshal(purposes)
	if err != nil {
		return nil, err
	}
	exts := []pkix.Extension{
		{Id: oidKeyUsage, Critical: true, Value: keyUsage},
		{Id: oidExtKeyUsage, Critical: true, Value: extKeyUsage},
	}

	if len(t.SubjectAltNames) > 0 {
		san, err := encodeSubjectAltNames(t.SubjectAltNames)
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidSubjectAltName, Value: san})
	}
	return append(exts, t.ExtraExtensions...), nil
}

// encodeSubjectAltNames encodes GeneralNames, choosing each entry's form
// as RequestTemplate.SubjectAltNames describes.
func encodeSubjectAltNames(names []string) ([]byte, error) {
	var entries []asn1.RawValue
	for i, name := range names {
		tag, value := 2, []byte(name) // dNSName
		switch {
		case strings.Contains(name, "://"):
			tag = 6 // uniformResourceIdentifier
		case net.ParseIP(name) != nil:
			tag, value = 7, net.ParseIP(name) // iPAddress
			if v4 := net.ParseIP(name).To4(); v4 != nil {
				value = v4
			}
		case strings.Contains(name, "@"):
			tag = 1 // rfc822Name
		}
		if tag != 7 {
			for _, r := range name {
				if r >= 0x80 {
					return nil, fmt.Errorf("tsok: SubjectAltNames[%d] %q has non-ASCII "+
						"character %q: give domain names in punycode", i, name, r)
				}
			}
		}
		entries = append(entries, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag,
			Bytes: value})
	}
	return asn1.Marshal(entries)
}

// keyUsageBits encodes x509.KeyUsage as the KeyUsage BIT STRING, whose bit
// 0 (digitalSignature) is the most significant bit of the first octet.
func keyUsageBits(u x509.KeyUsage) asn1.BitString {
	var b [2]byte
	length := 0
	for bit := range 9 {
		if u&(1<<bit) != 0 {
			b[bit/8] |= 0x80 >> (bit % 8)
			length = bit + 1
		}
	}
	return asn1.BitString{Bytes: b[:(length+7)/8], BitLength: length}
}

// GenerateKey generates a bign key pair on bign-curve256v1 (security level
// 128) for CreateRequest, reading randomness from rand. The private key
// stays in memory: storing it safely is the caller's job.
func GenerateKey(rand io.Reader) (crypto.Signer, error) {
	key, err := bign.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("tsok: generating a bign key: %w", err)
	}
	return key, nil
}

// EncodePEM returns the request DER as a PEM block of type
// "CERTIFICATE REQUEST", the usual form of a request file.
func EncodePEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: PEMType, Bytes: der})
}
