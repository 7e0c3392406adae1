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
func (p *acParser) parseExtensions(ac *AttributeCertificate, seq element) error {
	ac.Extensions = make([]pkix.Extension, countElements(seq.content))
	content, offset := seq.content, seq.contentOffset()
	for i := range ac.Extensions {
		e, rest, err := expectTLV(content, offset, tagSequence)
		if err == nil {
			err = p.parseExtension(ac, &ac.Extensions[i], e)
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
		content, offset = rest, e.end()
	}
	if len(content) != 0 {
		return indexedError(trailingError(content, offset), "", len(ac.Extensions))
	}
	return nil
}

// parseExtension fills ext and the typed field of ac that the extension sets.
func (p *acParser) parseExtension(ac *AttributeCertificate, ext *pkix.Extension,
	seq element) error {
	oid, id, rest, err := parseOIDElement(seq.content, seq.contentOffset(), &p.arcs)
	if err != nil {
		return fieldError(err, "extnID")
	}
	ext.Id = oid

	end := id.end()
	if len(rest) > 0 && rest[0] == tagBoolean {
		critical, after, err := readTLV(rest, end, true)
		if err == nil {
			ext.Critical, err = parseBoolean(critical)
		}
		if err != nil {
			return fieldError(err, "critical")
		}
		rest, end = after, critical.end()
	}

	value, rest, err := expectTLV(rest, end, tagOctetString)
	if err != nil {
		return fieldError(err, "extnValue")
	}
	ext.Value = value.content
	if err := checkEnd(rest, value.end(), "extnValue"); err != nil {
		return err
	}

	if err := p.decodeExtension(ac, string(id.content), value); err != nil {
		return fieldError(err, "extnValue")
	}
	return nil
}

// decodeExtension decodes the value of the extensions that have a typed field.
func (p *acParser) decodeExtension(ac *AttributeCertificate, id string, value element) error {
	content, offset := value.content, value.contentOffset()
	switch id {
	case derAuthorityKeyID:
		return decodeAuthorityKeyID(ac, content, offset)

	case derNoRevAvail:
		null, rest, err := expectTLV(content, offset, tagNull)
		if err == nil && len(null.content) != 0 {
			err = errorAt(null.offset, "NULL has content")
		}
		if err != nil {
			return err
		}
		ac.NoRevocationAvailable = true
		return checkEnd(rest, null.end(), "NULL")

	case derAuditIdentity:
		octets, rest, err := expectTLV(content, offset, tagOctetString)
		if err != nil {
			return err
		}
		ac.AuditIdentity = octets.content
		return checkEnd(rest, octets.end(), "the audit identity")

	case derTargetInformation:
		seq, rest, err := expectTLV(content, offset, tagSequence)
		if err == nil {
			ac.Targets, err = p.parseTargetInformation(seq)
		}
		if err != nil {
			return err
		}
		return checkEnd(rest, seq.end(), "targetingInformation")
	}
	return nil
}

// decodeAuthorityKeyID reads the keyIdentifier of AuthorityKeyIdentifier ::=
// SEQUENCE { keyIdentifier [0] OCTET STRING OPTIONAL, authorityCertIssuer [1]
// GeneralNames OPTIONAL, authorityCertSerialNumber [2] INTEGER OPTIONAL }. The
// other two fields stay in Extensions.
func decodeAuthorityKeyID(ac *AttributeCertificate, content []byte, offset int) error {
	seq, rest, err := expectTLV(content, offset, tagSequence)
	if err != nil {
		return err
	}
	if err := checkEnd(rest, seq.end(), "AuthorityKeyIdentifier"); err != nil {
		return err
	}
	fields, fieldOffset := seq.content, seq.contentOffset()
	for len(fields) > 0 {
		f, after, err := readTLV(fields, fieldOffset, true)
		if err != nil {
			return err
		}
		if f.tag == classContext {
			ac.AuthorityKeyID = f.content
		}
		fields, fieldOffset = after, f.end()
	}
	return nil
}

// parseTargetInformation reads SEQUENCE SIZE (1..MAX) OF Targets, where Targets
// ::= SEQUENCE SIZE (1..MAX) OF Target. Some encoders write a single Targets
// sequence, so Target elements directly inside the outer sequence are accepted
// too; the grouping carries no meaning, as any one target suffices.
func (p *acParser) parseTargetInformation(seq element) ([]Target, error) {
	var targets []Target
	content, offset := seq.content, seq.contentOffset()
	for i := 0; len(content) > 0; i++ {
		e, rest, err := readTLV(content, offset, true)
		if err != nil {
			return nil, indexedError(err, "", i)
		}
		if e.tag != tagSequence {
			target, err := p.parseTarget(e)
			if err != nil {
				return nil, indexedError(err, "", i)
			}
			targets = append(targets, target)
			content, offset = rest, e.end()
			continue
		}

		inner, innerOffset := e.content, e.contentOffset()
		for j := 0; len(inner) > 0; j++ {
			t, after, err := readTLV(inner, innerOffset, true)
			var target Target
			if err == nil {
				target, err = p.parseTarget(t)
			}
			if err != nil {
				return nil, indexedError(indexedError(err, "", j), "", i)
			}
			targets = append(targets, target)
			inner, innerOffset = after, t.end()
		}
		content, offset = rest, e.end()
	}
	if len(targets) == 0 {
		return nil, errorAt(seq.offset, "targetingInformation lists no target")
	}
	return targets, nil
}

// parseTarget reads Target ::= CHOICE { targetName [0] GeneralName, targetGroup
// [1] GeneralName, targetCert [2] TargetCert }. The first two tags are explicit,
// because GeneralName is a CHOICE.
func (p *acParser) parseTarget(e element) (Target, error) {
	switch e.tag {
	case classContext | constructed, classContext | constructed | 1:
		target := Target{Kind: TargetKind(e.tag & 0x1f)}
		name, rest, err := readTLV(e.content, e.contentOffset(), true)
		if err == nil {
			target.Name, err = p.parseGeneralName(name)
		}
		if err == nil {
			err = checkEnd(rest, name.end(), "the GeneralName of a target")
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
func (p *acParser) parseTargetCert(seq element) (*TargetCertificate, error) {
	tc := new(TargetCertificate)
	is, rest, err := expectTLV(seq.content, seq.contentOffset(), tagSequence)
	if err != nil {
		return nil, fieldError(err, "targetCertificate")
	}
	serial, err := p.parseIssuerSerial(is)
	if err != nil {
		return nil, fieldError(err, "targetCertificate")
	}
	tc.Certificate = *serial

	end := is.end()
	if len(rest) > 0 && rest[0]&0xc0 == classContext {
		name, after, err := readTLV(rest, end, true)
		var g GeneralName
		if err == nil {
			g, err = p.parseGeneralName(name)
		}
		if err != nil {
			return nil, fieldError(err, "targetName")
		}
		tc.Name = &g
		rest, end = after, name.end()
	}
	if len(rest) > 0 {
		info, after, err := expectTLV(rest, end, tagSequence)
		if err == nil {
			tc.DigestInfo, err = p.parseObjectDigestInfo(info)
		}
		if err != nil {
			return nil, fieldError(err, "certDigestInfo")
		}
		rest, end = after, info.end()
	}
	return tc, checkEnd(rest, end, "TargetCert")
}
