package stack

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

// testPKI is the fake state PKI of a stack: a test root, a test РУЦ, and the
// КПСИС's technological certificate (ТСОК) issued by that РУЦ.
type testPKI struct {
	root *pki.Authority
	ruc  *pki.Authority
	// tsok is the КПСИС's certificate (DER) and tsokKey its bign key.
	tsok    []byte
	tsokKey *bign.PrivateKey
}

func newTestPKI(clientID string, now time.Time) (*testPKI, error) {
	root, err := pki.NewRoot(pkix.Name{
		CommonName:   "Тестовый корневой удостоверяющий центр",
		Organization: []string{"Тестовый стенд ЕС ИФЮЛ"},
		Country:      []string{"BY"},
	}, now.Add(-24*time.Hour), now.AddDate(10, 0, 0))
	if err != nil {
		return nil, err
	}
	ruc, err := root.NewAuthority(pkix.Name{
		CommonName:   "Тестовый республиканский удостоверяющий центр",
		Organization: []string{"Тестовый стенд ЕС ИФЮЛ"},
		Country:      []string{"BY"},
	}, now.Add(-24*time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		return nil, err
	}
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	tsok, err := ruc.Issue(pki.Template{
		Subject: pkix.Name{
			CommonName:   kpsisCommonName(clientID),
			Organization: []string{"Тестовая информационная система"},
			Country:      []string{"BY"},
		},
		NotBefore: now.Add(-24 * time.Hour),
		NotAfter:  now.AddDate(1, 0, 0),
	}, key.PublicKey())
	if err != nil {
		return nil, err
	}
	return &testPKI{root: root, ruc: ruc, tsok: tsok, tsokKey: key}, nil
}

func kpsisCommonName(clientID string) string { return "КПСИС " + clientID }

// kpsisSigner signs the КПСИС's requests with the ТСОК key.
func (p *testPKI) kpsisSigner() envelope.Signer {
	return envelope.NewBignSigner(p.tsokKey, p.tsok)
}

// kpsisVerifier accepts requests signed under a ТСОК that the test РУЦ
// issued to the КПСИС of clientID.
func (p *testPKI) kpsisVerifier(clientID string) envelope.Verifier {
	return &envelope.CertificateVerifier{
		Options: attrcert.VerifyOptions{
			Roots:         attrcert.NewTrustAnchors(p.root.Certificate),
			Intermediates: []*attrcert.Certificate{p.ruc.Certificate},
			Policy:        attrcert.IssuedBy(p.ruc.Certificate, p.root.Certificate),
		},
		Subject: kpsisCommonName(clientID),
	}
}
