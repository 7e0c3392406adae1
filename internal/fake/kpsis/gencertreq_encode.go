package kpsis

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"

	"github.com/esiful/sdk-go/internal/bign"
)

// Identifiers of the request the fake writes.
var (
	oidPKCS9ExtensionRequest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 14}
	oidPKCS9EmailAddress     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	oidExtKeyUsage           = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidKeyUsage              = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidSubjectAltName        = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidServerAuth            = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
)

type csrAttributeValue struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

type csrPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type csrAttribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type csr struct {
	Info      asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
}

// encodeCertificateRequest writes a PKCS #10 request for the key, signed
// with bign-with-hbelt, with the subject of cert_info in the order of the
// ТСОК profile and keyUsage, extKeyUsage and subjectAltName requested.
func encodeCertificateRequest(info certInfo, key *bign.PrivateKey) ([]byte, error) {
	utf8 := func(s string) asn1.RawValue {
		return asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(s)}
	}
	subject := []csrAttributeValue{
		{asn1.ObjectIdentifier{2, 5, 4, 3}, utf8(info.CommonName)},
		{asn1.ObjectIdentifier{2, 5, 4, 6}, asn1.RawValue{Tag: asn1.TagPrintableString,
			Bytes: []byte("BY")}},
		{asn1.ObjectIdentifier{2, 5, 4, 7}, utf8(info.Locality)},
		{asn1.ObjectIdentifier{2, 5, 4, 8}, utf8(info.State)},
		{asn1.ObjectIdentifier{2, 5, 4, 9}, utf8(info.Street)},
		{asn1.ObjectIdentifier{2, 5, 4, 10}, utf8(info.Organization)},
		{asn1.ObjectIdentifier{2, 5, 4, 13}, utf8(info.Description)},
		{oidPKCS9EmailAddress, asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte(info.Email)}},
	}
	var rdns []asn1.RawValue
	for _, atv := range subject {
		if len(atv.Value.Bytes) == 0 {
			continue
		}
		der, err := asn1.Marshal([]csrAttributeValue{atv})
		if err != nil {
			return nil, err
		}
		der[0] = 0x31 // the RDN is a SET OF, not a SEQUENCE OF
		rdns = append(rdns, asn1.RawValue{FullBytes: der})
	}
	subjectDER, err := asn1.Marshal(rdns)
	if err != nil {
		return nil, err
	}

	extensions, err := requestExtensions(info.SubjectAltName)
	if err != nil {
		return nil, err
	}
	curve, err := asn1.Marshal(bign.CurveOID)
	if err != nil {
		return nil, err
	}
	infoDER, err := asn1.Marshal(struct {
		Version    int
		Subject    asn1.RawValue
		PublicKey  csrPublicKeyInfo
		Attributes []csrAttribute `asn1:"tag:0,set"`
	}{
		Subject: asn1.RawValue{FullBytes: subjectDER},
		PublicKey: csrPublicKeyInfo{
			Algorithm: pkix.AlgorithmIdentifier{Algorithm: bign.PubKeyOID,
				Parameters: asn1.RawValue{FullBytes: curve}},
			PublicKey: asn1.BitString{Bytes: key.PublicKey().Bytes(), BitLength: 512},
		},
		Attributes: []csrAttribute{{Type: oidPKCS9ExtensionRequest,
			Values: []asn1.RawValue{{FullBytes: extensions}}}},
	})
	if err != nil {
		return nil, err
	}

	sig, err := bign.SignHbelt(rand.Reader, key, infoDER)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(csr{
		Info: asn1.RawValue{FullBytes: infoDER},
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: bign.SignatureOID,
			Parameters: asn1.NullRawValue},
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}

// requestExtensions encodes the Extensions of extensionRequest: keyUsage
// digitalSignature and keyEncipherment, extKeyUsage id-kp-serverAuth, and
// subjectAltName with each name as an iPAddress if it parses as one and a
// dNSName otherwise.
func requestExtensions(names []string) ([]byte, error) {
	keyUsage, err := asn1.Marshal(asn1.BitString{Bytes: []byte{0xa0}, BitLength: 3})
	if err != nil {
		return nil, err
	}
	extKeyUsage, err := asn1.Marshal([]asn1.ObjectIdentifier{oidServerAuth})
	if err != nil {
		return nil, err
	}
	exts := []pkix.Extension{
		{Id: oidKeyUsage, Critical: true, Value: keyUsage},
		{Id: oidExtKeyUsage, Critical: true, Value: extKeyUsage},
	}
	if len(names) > 0 {
		var entries []asn1.RawValue
		for _, n := range names {
			entry := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(n)}
			if ip := net.ParseIP(n); ip != nil {
				if v4 := ip.To4(); v4 != nil {
					ip = v4
				}
				entry = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 7, Bytes: ip}
			}
			entries = append(entries, entry)
		}
		san, err := asn1.Marshal(entries)
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidSubjectAltName, Value: san})
	}
	return asn1.Marshal(exts)
}
