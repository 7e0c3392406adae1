package attrcert

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

// Identifiers of the extensions of attribute certificates that are decoded, as
// the content octets of their OBJECT IDENTIFIER.
const (
	derAuthorityKeyID    = "\x55\x1d\x23"                     // 2.5.29.35
	derTargetInformation = "\x55\x1d\x37"                     // 2.5.29.55
	derNoRevAvail        = "\x55\x1d\x38"                     // 2.5.29.56
	derAuditIdentity     = "\x2b\x06\x01\x05\x05\x07\x01\x04" // 1.3.6.1.5.5.7.1.4
)

var (
	oidTargetInformation = asn1.ObjectIdentifier{2, 5, 29, 55}
	oidNoRevAvail        = asn1.ObjectIdentifier{2, 5, 29, 56}
	oidAuditIdentity     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 4}
	oidAuthorityKeyID    = asn1.ObjectIdentifier{2, 5, 29, 35}
)

// parseExtensions reads Extensions ::= SEQUENCE OF Extension, where Extension ::=
// SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue
// OCTET STRING }. An extension may appear once (RFC 5280, 4.2).
func (p *acParser) parseExtensions(ac *AttributeCertificate, seq *element) error {
	r := contentReader(seq)
	ac.Extensions = make([]pkix.Extension, r.count())
	var e element
	for i := range ac.Extensions {
		err := r.expect(&e, tagSequence)
		if err == nil {
			err = p.parseExtension(ac, &ac.Extensions[i], &e)
		}
		if err == nil {
			for _, seen := range ac.Extensions[:i] {
				if seen.Id.Equal(ac.Extensions[i].Id) {
					err = errorAt(e.offset, "extension %s appears twice", seen.Id)
				}
			}
		}
		if err != nil {
			return indexedError(err, "", i)
		}
	}
	if !r.empty() {
		return indexedError(r.malformed(), "", len(ac.Extensions))
	}
	return nil
}

// parseExtension fills ext and the typed field of ac that the extension sets.
func (p *acParser) parseExtension(ac *AttributeCertificate, ext *pkix.Extension,
	seq *element) error {
	r := contentReader(seq)
	var e element
	err := r.expect(&e, tagOID)
	if err == nil {
		ext.Id, err = parseOID(&e, &p.arcs)
	}
	if err != nil {
		return fieldError(err, "extnID")
	}
	id := string(e.content)

	if r.peek() == tagBoolean {
		err := r.next(&e)
		if err == nil {
			ext.Critical, err = parseBoolean(&e)
		}
		if err != nil {
			return fieldError(err, "critical")
		}
	}

	if err := r.expect(&e, tagOctetString); err != nil {
		return fieldError(err, "extnValue")
	}
	ext.Value = e.content
	if err := r.finish("extnValue"); err != nil {
		return err
	}
	return fieldError(p.decodeExtension(ac, id, &e), "extnValue")
}

// decodeExtension decodes the value of the extensions that have a typed field.
func (p *acParser) decodeExtension(ac *AttributeCertificate, id string, value *element) error {
	r := contentReader(value)
	var e element
	switch id {
	case derAuthorityKeyID:
		if err := r.expect(&e, tagSequence); err != nil {
			return err
		}
		if err := r.finish("AuthorityKeyIdentifier"); err != nil {
			return err
		}
		fields := contentReader(&e)
		var f element
		for !fields.empty() {
			if err := fields.next(&f); err != nil {
				return err
			}
			if f.tag == classContext {
				ac.AuthorityKeyID = f.content
			}
		}
		return nil

	case derNoRevAvail:
		err := r.expect(&e, tagNull)
		if err == nil && len(e.content) != 0 {
			err = errorAt(e.offset, "NULL has content")
		}
		if err != nil {
			return err
		}
		ac.NoRevocationAvailable = true
		return r.finish("NULL")

	case derAuditIdentity:
		if err := r.expect(&e, tagOctetString); err != nil {
			return err
		}
		ac.AuditIdentity = e.content
		return r.finish("the audit identity")

	case derTargetInformation:
		err := r.expect(&e, tagSequence)
		if err == nil {
			ac.Targets, err = p.parseTargetInformation(&e)
		}
		if err != nil {
			return err
		}
		return r.finish("targetingInformation")
	}
	return nil
}

// parseTargetInformation reads SEQUENCE SIZE (1..MAX) OF Targets, where Targets
// ::= SEQUENCE SIZE (1..MAX) OF Target. Some encoders write a single Targets
// sequence, so Target elements directly inside the outer sequence are accepted
// too. The grouping carries no meaning, because any one target suffices.
func (p *acParser) parseTargetInformation(seq *element) ([]Target, error) {
	var targets []Target
	r := contentReader(seq)
	var e, t element
	for i := 0; !r.empty(); i++ {
		if err := r.next(&e); err != nil {
			return nil, indexedError(err, "", i)
		}
		if e.tag != tagSequence {
			target, err := p.parseTarget(&e)
			if err != nil {
				return nil, indexedError(err, "", i)
			}
			targets = append(targets, target)
			continue
		}

		inner := contentReader(&e)
		for j := 0; !inner.empty(); j++ {
			err := inner.next(&t)
			var target Target
			if err == nil {
				target, err = p.parseTarget(&t)
			}
			if err != nil {
				return nil, indexedError(indexedError(err, "", j), "", i)
			}
			targets = append(targets, target)
		}
	}
	if len(targets) == 0 {
		return nil, errorAt(seq.offset, "targetingInformation lists no target")
	}
	return targets, nil
}

// parseTarget reads Target ::= CHOICE { targetName [0] GeneralName, targetGroup
// [1] GeneralName, targetCert [2] TargetCert }. The first two tags are explicit,
// because GeneralName is a CHOICE.
func (p *acParser) parseTarget(e *element) (Target, error) {
	switch e.tag {
	case classContext | constructed, classContext | constructed | 1:
		target := Target{Kind: TargetKind(e.tag & 0x1f)}
		r := contentReader(e)
		var name element
		err := r.next(&name)
		if err == nil {
			err = p.parseGeneralName(&target.Name, &name)
		}
		if err == nil {
			err = r.finish("the GeneralName of a target")
		}
		return target, err

	case classContext | constructed | 2:
		cert, err := p.parseTargetCert(e)
		return Target{Kind: TargetCert, Cert: cert}, err
	}
	return Target{}, errorAt(e.offset, "tag 0x%02x is not a Target", e.tag)
}

// parseTargetCert reads TargetCert ::= SEQUENCE { targetCertificate
// IssuerSerial, targetName GeneralName OPTIONAL, certDigestInfo
// ObjectDigestInfo OPTIONAL }.
func (p *acParser) parseTargetCert(seq *element) (*TargetCertificate, error) {
	tc := new(TargetCertificate)
	r := contentReader(seq)
	var e element
	if err := r.expect(&e, tagSequence); err != nil {
		return nil, fieldError(err, "targetCertificate")
	}
	serial, err := p.parseIssuerSerial(&e)
	if err != nil {
		return nil, fieldError(err, "targetCertificate")
	}
	tc.Certificate = *serial

	if r.peek()&0xc0 == classContext {
		tc.Name = new(GeneralName)
		err := r.next(&e)
		if err == nil {
			err = p.parseGeneralName(tc.Name, &e)
		}
		if err != nil {
			return nil, fieldError(err, "targetName")
		}
	}
	if !r.empty() {
		err := r.expect(&e, tagSequence)
		if err == nil {
			tc.DigestInfo, err = p.parseObjectDigestInfo(&e)
		}
		if err != nil {
			return nil, fieldError(err, "certDigestInfo")
		}
	}
	return tc, r.finish("TargetCert")
}
