package attrcert

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"

	"github.com/esiful/sdk-go/internal/belt"
)

// checkHolder applies the rules of STB 34.101.67 (6.1). When baseCertificateID
// is present, it must name the holder's certificate, and entityName is only a
// hint. Otherwise entityName must contain one of the certificate's names. When
// objectDigestInfo is present, it must match as well.
func (ac *AttributeCertificate) checkHolder(opts AttributeVerifyOptions) error {
	if opts.Holder == nil {
		if opts.SkipHolderCheck {
			return nil
		}
		return fmt.Errorf("%w: no holder certificate given for %s "+
			"(set AttributeVerifyOptions.Holder or SkipHolderCheck)", ErrHolderMismatch, describeAC(ac))
	}

	h, cert := ac.Holder, opts.Holder
	var err error
	switch {
	case h.BaseCertificateID != nil:
		err = h.BaseCertificateID.identifies(cert)
	case len(h.EntityName) > 0:
		if !entityNameMatches(h.EntityName, cert) {
			err = errors.New("entityName lists neither its subject nor a subjectAltName of it")
		}
	}
	if err == nil && h.ObjectDigestInfo != nil {
		err = h.ObjectDigestInfo.matches(cert)
	}
	if err != nil {
		return fmt.Errorf("%w: %s does not identify %s: %w",
			ErrHolderMismatch, describeAC(ac), describe(cert), err)
	}
	return nil
}

// identifies reports why is does not name c, or nil when it does.
func (is *IssuerSerial) identifies(c *Certificate) error {
	if !namesContain(is.Issuer, c.X509.RawIssuer) {
		return errors.New("baseCertificateID names another issuer")
	}
	if is.Serial.Cmp(c.X509.SerialNumber) != 0 {
		return fmt.Errorf("baseCertificateID has serial %x, the certificate %x",
			is.Serial, c.X509.SerialNumber)
	}
	if is.IssuerUID.BitLength == 0 {
		return nil
	}
	uid, err := issuerUniqueID(c)
	if err != nil {
		return err
	}
	if uid.BitLength != is.IssuerUID.BitLength || !bytes.Equal(uid.Bytes, is.IssuerUID.Bytes) {
		return errors.New("baseCertificateID has another issuerUID")
	}
	return nil
}

// namesContain reports whether names has a directoryName equal, byte for byte,
// to the DER name rawName, which is how Certificate.Verify matches names too.
func namesContain(names []GeneralName, rawName []byte) bool {
	for _, n := range names {
		if n.Kind == DirectoryName && bytes.Equal(n.DirectoryName, rawName) {
			return true
		}
	}
	return false
}

// entityNameMatches compares directory names with the subject and other kinds
// with the subjectAltName entries of cert.
func entityNameMatches(names []GeneralName, cert *Certificate) bool {
	if namesContain(names, cert.X509.RawSubject) {
		return true
	}
	for _, n := range names {
		var alternatives []string
		switch n.Kind {
		case RFC822Name:
			alternatives = cert.X509.EmailAddresses
		case DNSName:
			alternatives = cert.X509.DNSNames
		case URIName:
			for _, u := range cert.X509.URIs {
				if u.String() == n.Text {
					return true
				}
			}
		case IPAddressName:
			for _, ip := range cert.X509.IPAddresses {
				if ip.Equal(n.IPAddress) {
					return true
				}
			}
		}
		for _, a := range alternatives {
			if strings.EqualFold(a, n.Text) {
				return true
			}
		}
	}
	return false
}

// Digest algorithms of ObjectDigestInfo that matches computes.
var (
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// matches reports why the digest does not cover c, or nil when it does. A
// digest of a public key covers the DER of SubjectPublicKeyInfo, a digest of a
// certificate the whole certificate (STB 34.101.67, 6.1).
func (info *ObjectDigestInfo) matches(c *Certificate) error {
	var object []byte
	switch info.Type {
	case DigestedPublicKey:
		object = c.X509.RawSubjectPublicKeyInfo
	case DigestedPublicKeyCert:
		object = c.X509.Raw
	default:
		return errors.New("objectDigestInfo covers another type of object than a certificate")
	}

	var digest []byte
	switch {
	case info.DigestAlgorithm.Equal(belt.HashOID):
		sum := belt.Sum256(object)
		digest = sum[:]
	case info.DigestAlgorithm.Equal(oidSHA256):
		sum := sha256.Sum256(object)
		digest = sum[:]
	case info.DigestAlgorithm.Equal(oidSHA384):
		sum := sha512.Sum384(object)
		digest = sum[:]
	case info.DigestAlgorithm.Equal(oidSHA512):
		sum := sha512.Sum512(object)
		digest = sum[:]
	default:
		return fmt.Errorf("%w: objectDigestInfo digest algorithm %s",
			ErrUnsupportedAlgorithm, info.DigestAlgorithm)
	}
	if !bytes.Equal(digest, info.Digest) {
		return errors.New("objectDigestInfo digest differs")
	}
	return nil
}

// issuerUniqueID reads the optional issuerUniqueID [1] IMPLICIT BIT STRING of
// c, which crypto/x509 does not expose. It follows subjectPublicKeyInfo.
func issuerUniqueID(c *Certificate) (asn1.BitString, error) {
	tbs, _, err := readElement(c.X509.RawTBSCertificate, 0, "tbsCertificate", tagSequence)
	if err != nil {
		return asn1.BitString{}, err
	}
	spki, err := findSubjectPublicKeyInfo(tbs)
	if err != nil {
		return asn1.BitString{}, err
	}
	r := derReader{data: tbs.content[spki.end()-tbs.contentOffset():], offset: spki.end()}
	if r.peek() != classContext|1 {
		return asn1.BitString{}, errors.New("baseCertificateID has an issuerUID, " +
			"the certificate has no issuerUniqueID")
	}
	var uid element
	if err := r.next(&uid); err != nil {
		return asn1.BitString{}, err
	}
	return parseBitString(&uid)
}
