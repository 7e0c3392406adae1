package card

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/terminal"
)

// CVCA is a certification authority of CV certificates, the lightweight
// PKI of btok: the root that ID cards trust, issuing the certificates of
// terminals («СОКобл») and of the cards themselves.
type CVCA struct {
	// Certificate is the CA's self-signed CV certificate and DER its encoding.
	Certificate *terminal.CVCertificate
	DER         []byte

	key *bign.PrivateKey
}

// NewCVCA creates a root CA with a new bign key. Its access words bound
// every certificate it issues, since the card grants the AND of the words
// along the chain.
func NewCVCA(holder string, rights terminal.AccessRights, from, until time.Time) (*CVCA, error) {
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	ca := &CVCA{key: key}
	der, err := ca.sign(&terminal.CVCertificate{
		AuthorityReference: holder,
		HolderReference:    holder,
		PublicKey:          key.PublicKey().Bytes(),
		Rights:             rights,
		EffectiveDate:      from,
		ExpirationDate:     until,
	})
	if err != nil {
		return nil, err
	}
	if ca.Certificate, err = terminal.ParseCVCertificate(der); err != nil {
		return nil, err
	}
	ca.DER = der
	return ca, nil
}

// Issue signs a CV certificate for pub with the holder, rights and dates of
// template. The issuer reference is the CA's.
func (ca *CVCA) Issue(template terminal.CVCertificate, pub *bign.PublicKey) ([]byte, error) {
	template.AuthorityReference = ca.Certificate.HolderReference
	template.PublicKey = pub.Bytes()
	return ca.sign(&template)
}

func (ca *CVCA) sign(template *terminal.CVCertificate) ([]byte, error) {
	der, err := terminal.CreateCVCertificate(template, func(body []byte) ([]byte, error) {
		return bign.SignHbelt(rand.Reader, ca.key, body)
	})
	if err != nil {
		return nil, fmt.Errorf("card: issuing cv certificate %s: %w", template.HolderReference, err)
	}
	return der, nil
}

// NewSubordinate creates an intermediate CA with a new key, certified by
// ca. Its rights narrow those of the certificates it issues, because the
// card grants the AND of the words along the chain.
func (ca *CVCA) NewSubordinate(holder string, rights terminal.AccessRights, from,
	until time.Time) (*CVCA, error) {
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := ca.Issue(terminal.CVCertificate{HolderReference: holder, Rights: rights,
		EffectiveDate: from, ExpirationDate: until}, key.PublicKey())
	if err != nil {
		return nil, err
	}
	cert, err := terminal.ParseCVCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CVCA{Certificate: cert, DER: der, key: key}, nil
}
