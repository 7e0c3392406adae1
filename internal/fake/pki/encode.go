package pki

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
)

var (
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
)

type tbsCertificate struct {
	Version            int `asn1:"explicit,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           validity
	Subject            asn1.RawValue
	PublicKey          subjectPublicKeyInfo
	Extensions         []pkix.Extension `asn1:"explicit,tag:3"`
}

type validity struct {
	NotBefore, NotAfter time.Time
}

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type certificate struct {
	TBS                asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
}

type basicConstraints struct {
	IsCA       bool `asn1:"optional"`
	MaxPathLen int  `asn1:"optional,default:-1"`
}

type authorityKeyID struct {
	ID []byte `asn1:"optional,tag:0"`
}

// bignAlgorithm is bign-with-hbelt with NULL parameters, as ГосСУОК's
// certificates carry it.
var bignAlgorithm = pkix.AlgorithmIdentifier{
	Algorithm:  bign.SignatureOID,
	Parameters: asn1.NullRawValue,
}

// sign assembles and signs a certificate for pub with the authority's key.
func (a *Authority) sign(t Template, issuer []byte, pub *bign.PublicKey) ([]byte, error) {
	subject, err := asn1.Marshal(t.Subject.ToRDNSequence())
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	curve, err := asn1.Marshal(bign.CurveOID)
	if err != nil {
		return nil, err
	}
	extensions, err := a.extensions(t, pub)
	if err != nil {
		return nil, err
	}
	tbs, err := asn1.Marshal(tbsCertificate{
		Version:            2,
		SerialNumber:       serial.Add(serial, big.NewInt(1)),
		SignatureAlgorithm: bignAlgorithm,
		Issuer:             asn1.RawValue{FullBytes: issuer},
		Validity:           validity{t.NotBefore.UTC(), t.NotAfter.UTC()},
		Subject:            asn1.RawValue{FullBytes: subject},
		PublicKey: subjectPublicKeyInfo{
			Algorithm: pkix.AlgorithmIdentifier{Algorithm: bign.PubKeyOID,
				Parameters: asn1.RawValue{FullBytes: curve}},
			PublicKey: asn1.BitString{Bytes: pub.Bytes(), BitLength: 8 * len(pub.Bytes())},
		},
		Extensions: extensions,
	})
	if err != nil {
		return nil, err
	}
	sig, err := a.SignHbelt(tbs)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(certificate{
		TBS:                asn1.RawValue{FullBytes: tbs},
		SignatureAlgorithm: bignAlgorithm,
		Signature:          asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}

func (a *Authority) extensions(t Template, pub *bign.PublicKey) ([]pkix.Extension, error) {
	var exts []pkix.Extension
	add := func(oid asn1.ObjectIdentifier, critical bool, v any) error {
		der, err := asn1.Marshal(v)
		if err == nil {
			exts = append(exts, pkix.Extension{Id: oid, Critical: critical, Value: der})
		}
		return err
	}

	usage := t.KeyUsage
	if t.IsCA {
		usage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		if err := add(oidBasicConstraints, true,
			basicConstraints{IsCA: true, MaxPathLen: t.MaxPathLen}); err != nil {
			return nil, err
		}
	}
	if usage == 0 {
		usage = x509.KeyUsageDigitalSignature
	}
	if err := add(oidKeyUsage, true, keyUsageBits(usage)); err != nil {
		return nil, err
	}
	if len(t.ExtKeyUsage) > 0 {
		if err := add(oidExtKeyUsage, true, t.ExtKeyUsage); err != nil {
			return nil, err
		}
	}
	if err := add(oidSubjectKeyID, false, keyID(pub)); err != nil {
		return nil, err
	}
	if err := add(oidAuthorityKeyID, false, authorityKeyID{ID: a.subjectKeyID}); err != nil {
		return nil, err
	}
	return append(exts, t.ExtraExtensions...), nil
}

// keyUsageBits encodes x509.KeyUsage as the KeyUsage BIT STRING, whose bit 0
// (digitalSignature) is the most significant bit of the first byte.
func keyUsageBits(u x509.KeyUsage) asn1.BitString {
	var b [2]byte
	length := 0
	for bit := 0; bit < 9; bit++ {
		if u&(1<<bit) != 0 {
			b[bit/8] |= 0x80 >> (bit % 8)
			length = bit + 1
		}
	}
	return asn1.BitString{Bytes: b[:(length+7)/8], BitLength: length}
}
