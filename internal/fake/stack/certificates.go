package stack

import (
	"fmt"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/pki"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

// personCertificates gives every person with a card their public-key
// certificate (the card's signing key, issued by the test РУЦ) and, for each
// representation, an attribute certificate of the test РУЦ held by it, as
// БД АС of РУЦ ГосСУОК holds them.
func (s *Stack) personCertificates(now time.Time) (map[int]provider.PersonCertificates, error) {
	out := make(map[int]provider.PersonCertificates)
	for _, p := range s.Persons.All() {
		c := s.terminal.cards[p.ID]
		if c == nil {
			continue
		}
		holder, err := attrcert.ParseCertificate(c.SignerCertificate())
		if err != nil {
			return nil, fmt.Errorf("stack: person %d: %w", p.ID, err)
		}
		certs := provider.PersonCertificates{PublicKey: [][]byte{c.SignerCertificate()}}
		for _, r := range p.Representations {
			der, err := s.pki.ruc.IssueAttributeCertificate(representationTemplate(r, now), holder)
			if err != nil {
				return nil, fmt.Errorf("stack: person %d: %w", p.ID, err)
			}
			certs.Attribute = append(certs.Attribute, der)
		}
		out[p.ID] = certs
	}
	return out, nil
}

func representationTemplate(r persons.Representation, now time.Time) pki.AttributeTemplate {
	t := pki.AttributeTemplate{
		NotBefore: now.Add(-24 * time.Hour),
		NotAfter:  now.AddDate(1, 0, 0),
		Attributes: []pki.Attribute{
			pki.StringAttribute(attrcert.OIDUNP, r.UNP),
			pki.StringAttribute(attrcert.OIDOrganizationName, r.Organization),
			pki.StringAttribute(attrcert.OIDTitle, r.Position),
			{Type: attrcert.OIDRole, Values: []any{attrcert.Role{
				Name: attrcert.NewURIName("urn:esiful:role:" + r.Role)}}},
		},
		NoRevocationAvailable: true,
	}
	if len(r.Permissions) > 0 {
		permissions := pki.Attribute{Type: attrcert.OIDPermission}
		for _, p := range r.Permissions {
			permissions.Values = append(permissions.Values,
				attrcert.Permission{Operation: p.Operation, Object: p.Object})
		}
		t.Attributes = append(t.Attributes, permissions)
	}
	return t
}
