package stack

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/pki"
	"github.com/esiful/sdk-go/terminal"
)

// TerminalRights are the access rights of the stack's terminal certificate:
// reading DG1-DG11 and DG15-DG18, and signing in terminal mode.
var TerminalRights = func() terminal.AccessRights {
	var eid terminal.EIDRights
	for _, dg := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18} {
		eid |= terminal.EIDRead(dg)
	}
	return terminal.AccessRights{EID: eid, ESign: terminal.ESignSignTerminal}
}()

// cvRootRights grant every right btok defines, so that the terminal
// certificate alone decides.
var cvRootRights = terminal.AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7C0}

// terminalSetup is the terminal side of a stack: the CV root that the cards
// trust, the КПСИС's terminal key and certificate, and a card per person.
type terminalSetup struct {
	ca    *card.CVCA
	key   *bign.PrivateKey
	cert  []byte
	cards map[int]*card.Card
}

func newTerminalSetup(set *persons.Set, ruc *pki.Authority, now time.Time) (*terminalSetup,
	error) {
	ca, err := card.NewCVCA("BYTESTCA0000", cvRootRights, now.AddDate(-1, 0, 0),
		now.AddDate(10, 0, 0))
	if err != nil {
		return nil, err
	}
	t := &terminalSetup{ca: ca, cards: make(map[int]*card.Card)}
	t.key, t.cert, err = t.issueTerminal(TerminalRights, now, now.AddDate(0, 0, 30))
	if err != nil {
		return nil, err
	}
	for _, p := range set.All() {
		if p.Document == nil {
			continue
		}
		c, err := card.New(card.Config{Person: p, CA: ca})
		if err != nil {
			return nil, err
		}
		signer, err := issueSigner(ruc, p, c.SignerPublicKey(), now)
		if err != nil {
			return nil, err
		}
		c.SetSignerCertificate(signer)
		t.cards[p.ID] = c
	}
	return t, nil
}

func (t *terminalSetup) issueTerminal(rights terminal.AccessRights, from,
	until time.Time) (*bign.PrivateKey, []byte, error) {
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	cert, err := t.ca.Issue(terminal.CVCertificate{HolderReference: "001000000001",
		Rights: rights, EffectiveDate: from, ExpirationDate: until}, key.PublicKey())
	return key, cert, err
}

// issueSigner issues the holder's public-key certificate for the card's
// signing key, as РУЦ ГосСУОК does for the eSign application.
func issueSigner(ruc *pki.Authority, p *persons.Person, pub *bign.PublicKey,
	now time.Time) ([]byte, error) {
	ru := p.Names.Russian
	return ruc.Issue(pki.Template{
		Subject: pkix.Name{
			CommonName:   fmt.Sprintf("%s %s %s", ru.Family, ru.Given, ru.Patronymic),
			SerialNumber: p.PersonalNumber,
			Country:      []string{"BY"},
		},
		NotBefore: now.Add(-24 * time.Hour),
		NotAfter:  now.AddDate(2, 0, 0),
		KeyUsage:  x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}, pub)
}

func (t *terminalSetup) kpsisConfig() *kpsis.TerminalConfig {
	return &kpsis.TerminalConfig{
		Key:         t.key,
		Certificate: t.cert,
		CardRoot:    t.ca.Certificate,
		SignerCertificate: func(holder string) []byte {
			for _, c := range t.cards {
				if c.HolderReference() == holder {
					return c.SignerCertificate()
				}
			}
			return nil
		},
	}
}

// CVRoot returns the CV root that the stack's cards trust and that issues
// the terminal's certificate.
func (s *Stack) CVRoot() *card.CVCA { return s.terminal.ca }

// ReissueTerminalCertificate gives the КПСИС a new terminal key and CV
// certificate with the rights and validity given, as the monthly re-issue
// of «СОКобл» does, and returns the certificate.
func (s *Stack) ReissueTerminalCertificate(rights terminal.AccessRights, from,
	until time.Time) ([]byte, error) {
	key, cert, err := s.terminal.issueTerminal(rights, from, until)
	if err != nil {
		return nil, err
	}
	s.KPSIS.SetTerminalCertificate(key, cert, nil)
	return cert, nil
}

// Card returns the ID card of the test person, or nil if the person has no
// document.
func (s *Stack) Card(personID int) *card.Card { return s.terminal.cards[personID] }
