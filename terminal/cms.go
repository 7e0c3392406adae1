package terminal

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/tlv"
)

// Object identifiers of CMS SignedData with bign.
var (
	oidCMSSignedData     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidCMSData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidBeltHash          = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 31, 81}
	oidBignWithHbelt     = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 12}
)

// Tags of CMS elements.
const (
	tagSet        tlv.Tag = 0x31
	tagInteger    tlv.Tag = 0x02
	tagNull       tlv.Tag = 0x05
	tagContext0   tlv.Tag = 0xA0
	tagContext1   tlv.Tag = 0xA1
	tagContext0ID tlv.Tag = 0x80
)

// parseCMS reads the CMS form described at ParseSignature. Errors are
// *ParseError values naming the component and its offset.
func parseCMS(der []byte) (*Signature, error) {
	p := &fieldParser{object: "CMS signature"}
	ci, err := p.single(der, tagSequence, "ContentInfo")
	if err != nil {
		return nil, err
	}
	r, err := p.children(ci, "ContentInfo")
	if err != nil {
		return nil, err
	}
	if err := p.oid(r, oidCMSSignedData, "contentType"); err != nil {
		return nil, err
	}

	explicit, err := p.next(r, tagContext0, "content")
	if err != nil {
		return nil, err
	}
	if err := p.end(r, "ContentInfo"); err != nil {
		return nil, err
	}
	er, err := p.children(explicit, "content")
	if err != nil {
		return nil, err
	}
	sd, err := p.next(er, tagSequence, "SignedData")
	if err != nil {
		return nil, err
	}
	if err := p.end(er, "content"); err != nil {
		return nil, err
	}

	s := &Signature{Format: SignatureCMS, Raw: der}
	if err := p.parseSignedData(s, sd); err != nil {
		return nil, err
	}
	return s, nil
}

func (p *fieldParser) parseSignedData(s *Signature, sd tlv.TLV) error {
	r, err := p.children(sd, "SignedData")
	if err != nil {
		return err
	}
	if _, err := p.smallInt(r, "version", 1, 5); err != nil {
		return err
	}

	algorithms, err := p.next(r, tagSet, "digestAlgorithms")
	if err != nil {
		return err
	}
	ar, err := p.children(algorithms, "digestAlgorithms")
	if err != nil {
		return err
	}
	for ar.More() {
		if err := p.algorithm(ar, oidBeltHash, "digestAlgorithms"); err != nil {
			return err
		}
	}

	if err := p.parseEncapContent(s, r); err != nil {
		return err
	}
	if s.Certificates, err = p.optionalSet(r, tagContext0, "certificates"); err != nil {
		return err
	}
	if _, err := p.optionalSet(r, tagContext1, "crls"); err != nil {
		return err
	}

	infos, err := p.next(r, tagSet, "signerInfos")
	if err != nil {
		return err
	}
	if err := p.end(r, "SignedData"); err != nil {
		return err
	}
	ir, err := p.children(infos, "signerInfos")
	if err != nil {
		return err
	}
	info, err := p.next(ir, tagSequence, "signerInfos")
	if err != nil {
		return err
	}
	if ir.More() {
		return p.fail(ir.Offset(), "signerInfos", "more than one SignerInfo")
	}
	return p.parseSignerInfo(s, info)
}

func (p *fieldParser) parseEncapContent(s *Signature, r *tlv.Reader) error {
	const field = "encapContentInfo"
	encap, err := p.next(r, tagSequence, field)
	if err != nil {
		return err
	}
	er, err := p.children(encap, field)
	if err != nil {
		return err
	}
	if err := p.oid(er, oidCMSData, field+".eContentType"); err != nil {
		return err
	}
	if er.More() {
		explicit, err := p.next(er, tagContext0, field+".eContent")
		if err != nil {
			return err
		}
		cr, err := p.children(explicit, field+".eContent")
		if err != nil {
			return err
		}
		content, err := p.next(cr, tagOctetString, field+".eContent")
		if err != nil {
			return err
		}
		if err := p.end(cr, field+".eContent"); err != nil {
			return err
		}
		s.content = append([]byte{}, content.Value...)
	}
	return p.end(er, field)
}

func (p *fieldParser) parseSignerInfo(s *Signature, info tlv.TLV) error {
	r, err := p.children(info, "SignerInfo")
	if err != nil {
		return err
	}
	if _, err := p.smallInt(r, "SignerInfo.version", 1, 3); err != nil {
		return err
	}
	if err := p.parseSignerID(s, r); err != nil {
		return err
	}
	if err := p.algorithm(r, oidBeltHash, "SignerInfo.digestAlgorithm"); err != nil {
		return err
	}

	if next, err := r.Peek(); err == nil && next.Tag == tagContext0 {
		attrs, _ := r.Next()
		if err := p.parseSignedAttributes(s, attrs); err != nil {
			return err
		}
	}

	if err := p.algorithm(r, oidBignWithHbelt, "SignerInfo.signatureAlgorithm"); err != nil {
		return err
	}
	sig, err := p.next(r, tagOctetString, "SignerInfo.signature")
	if err != nil {
		return err
	}
	if len(sig.Value) != bign.SignatureSize {
		return p.fail(sig.Offset, "SignerInfo.signature", "%d bytes, expected %d",
			len(sig.Value), bign.SignatureSize)
	}
	s.Value = sig.Value

	if next, err := r.Peek(); err == nil && next.Tag == tagContext1 {
		_, _ = r.Next()
	}
	return p.end(r, "SignerInfo")
}

func (p *fieldParser) parseSignerID(s *Signature, r *tlv.Reader) error {
	const field = "SignerInfo.sid"
	if !r.More() {
		return p.fail(r.Offset(), field, "missing")
	}
	sid, err := r.Next()
	if err != nil {
		return p.wrap(err)
	}
	switch sid.Tag {
	case tagContext0ID:
		if len(sid.Value) == 0 {
			return p.fail(sid.Offset, field, "empty subject key identifier")
		}
		s.signer.keyID = sid.Value
		return nil
	case tagSequence:
	default:
		return p.fail(sid.Offset, field, "tag %v, expected 30 or 80", sid.Tag)
	}

	sr, err := p.children(sid, field)
	if err != nil {
		return err
	}
	issuer, err := p.next(sr, tagSequence, field+".issuer")
	if err != nil {
		return err
	}
	serial, err := p.next(sr, tagInteger, field+".serialNumber")
	if err != nil {
		return err
	}
	if len(serial.Value) == 0 || serial.Value[0]&0x80 != 0 {
		return p.fail(serial.Offset, field+".serialNumber", "not a positive integer")
	}
	s.signer.issuer, s.signer.serial = issuer.Raw, new(big.Int).SetBytes(serial.Value)
	return p.end(sr, field)
}

// parseSignedAttributes keeps the attributes as the signature covers them:
// re-tagged as SET OF, and requires contentType id-data and messageDigest.
func (p *fieldParser) parseSignedAttributes(s *Signature, attrs tlv.TLV) error {
	const field = "SignerInfo.signedAttrs"
	r, err := p.children(attrs, field)
	if err != nil {
		return err
	}
	var contentType bool
	for r.More() {
		attr, err := p.next(r, tagSequence, field)
		if err != nil {
			return err
		}
		ar, err := p.children(attr, field)
		if err != nil {
			return err
		}
		oidElement, err := p.next(ar, tagOID, field+".attrType")
		if err != nil {
			return err
		}
		var oid asn1.ObjectIdentifier
		if rest, err := asn1.Unmarshal(oidElement.Raw, &oid); err != nil || len(rest) > 0 {
			return p.fail(oidElement.Offset, field+".attrType", "malformed object identifier")
		}
		values, err := p.next(ar, tagSet, field+".attrValues")
		if err != nil {
			return err
		}
		if err := p.end(ar, field); err != nil {
			return err
		}
		switch {
		case oid.Equal(oidAttrContentType):
			vr, _ := values.ChildReader()
			if err := p.oid(vr, oidCMSData, field+".contentType"); err != nil {
				return err
			}
			contentType = true
		case oid.Equal(oidAttrMessageDigest):
			vr, _ := values.ChildReader()
			digest, err := p.next(vr, tagOctetString, field+".messageDigest")
			if err != nil {
				return err
			}
			s.messageDigest = digest.Value
		}
	}
	if !contentType || s.messageDigest == nil {
		return p.fail(attrs.Offset, field, "contentType or messageDigest is missing")
	}
	s.signedAttrs = tlv.Encode(tagSet, attrs.Value)
	return nil
}

// algorithm reads an AlgorithmIdentifier, which must name want with absent
// or NULL parameters.
func (p *fieldParser) algorithm(r *tlv.Reader, want asn1.ObjectIdentifier, field string) error {
	alg, err := p.next(r, tagSequence, field)
	if err != nil {
		return err
	}
	ar, err := p.children(alg, field)
	if err != nil {
		return err
	}
	if err := p.oid(ar, want, field); err != nil {
		return err
	}
	if ar.More() {
		null, err := p.next(ar, tagNull, field+".parameters")
		if err != nil {
			return err
		}
		if len(null.Value) != 0 {
			return p.fail(null.Offset, field+".parameters", "NULL with content")
		}
	}
	return p.end(ar, field)
}

// smallInt reads an INTEGER between lo and hi.
func (p *fieldParser) smallInt(r *tlv.Reader, field string, lo, hi int) (int, error) {
	e, err := p.next(r, tagInteger, field)
	if err != nil {
		return 0, err
	}
	if len(e.Value) != 1 || int(e.Value[0]) < lo || int(e.Value[0]) > hi {
		return 0, p.fail(e.Offset, field, "value %X, expected %d to %d", e.Value, lo, hi)
	}
	return int(e.Value[0]), nil
}

// optionalSet reads an optional [n] IMPLICIT SET OF and returns its
// elements, DER each.
func (p *fieldParser) optionalSet(r *tlv.Reader, tag tlv.Tag, field string) ([][]byte, error) {
	if next, err := r.Peek(); err != nil || next.Tag != tag {
		return nil, nil
	}
	e, _ := r.Next()
	children, err := e.Children()
	if err != nil {
		return nil, p.wrap(err)
	}
	out := make([][]byte, 0, len(children))
	for _, c := range children {
		out = append(out, append([]byte{}, c.Raw...))
	}
	return out, nil
}

// CMS returns the signature as CMS SignedData in the form that
// ParseSignature describes: detached content, signer's certificate,
// issuer and serial number, no signed attributes. A signature already in
// CMS is returned as it came. Cert must be the signer's certificate.
func (s *Signature) CMS(cert *attrcert.Certificate) ([]byte, error) {
	if s.Format == SignatureCMS {
		return append([]byte{}, s.Raw...), nil
	}
	if cert == nil {
		return nil, errors.New("terminal: CMS needs the signer's certificate")
	}
	type signerInfo struct {
		Version int
		SID     struct {
			Issuer asn1.RawValue
			Serial *big.Int
		}
		DigestAlgorithm    pkix.AlgorithmIdentifier
		SignatureAlgorithm pkix.AlgorithmIdentifier
		Signature          []byte
	}
	info := signerInfo{Version: 1, Signature: s.Value,
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidBeltHash},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidBignWithHbelt}}
	info.SID.Issuer = asn1.RawValue{FullBytes: cert.X509.RawIssuer}
	info.SID.Serial = cert.X509.SerialNumber
	sd := struct {
		Version          int
		DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
		EncapContentInfo struct{ EContentType asn1.ObjectIdentifier }
		Certificates     []asn1.RawValue `asn1:"optional,set,tag:0"`
		SignerInfos      []signerInfo    `asn1:"set"`
	}{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidBeltHash}},
		Certificates:     []asn1.RawValue{{FullBytes: cert.X509.Raw}},
		SignerInfos:      []signerInfo{info},
	}
	sd.EncapContentInfo.EContentType = oidCMSData
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidCMSSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0,
		IsCompound: true, Bytes: inner}})
}
