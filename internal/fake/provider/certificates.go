package provider

import (
	"encoding/base64"
	"slices"
)

// PersonCertificates are a person's certificates as DER: public-key
// certificates and attribute certificates.
type PersonCertificates struct {
	PublicKey [][]byte
	Attribute [][]byte
}

// CertificatesScope is the scope under which the fake sends a person's
// certificates, in the claims "certificates" and "attribute_certificates",
// each an array of base64 DER. NOTE: the real scope and claim names are not
// public; these are this SDK's guess, kept in attrcert.DefaultCertificateClaims
// on the consumer's side.
const CertificatesScope = "certificates"

// addCertificateClaims adds the person's certificates when the scope grants
// them.
func (p *Provider) addCertificateClaims(claims map[string]any, personID int, scopes []string) {
	certs, ok := p.cfg.Certificates[personID]
	if !ok || !slices.Contains(scopes, CertificatesScope) {
		return
	}
	claims["certificates"] = encodeAll(certs.PublicKey)
	claims["attribute_certificates"] = encodeAll(certs.Attribute)
}

func encodeAll(ders [][]byte) []string {
	out := make([]string, 0, len(ders))
	for _, der := range ders {
		out = append(out, base64.StdEncoding.EncodeToString(der))
	}
	return out
}
