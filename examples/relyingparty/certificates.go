package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul"
)

// certificateView is a public-key certificate as the person page shows it.
type certificateView struct {
	Subject  string
	Issuer   string
	Serial   string
	NotAfter time.Time
	Status   string
}

// attributeCertificateView is an attribute certificate as the page shows it.
type attributeCertificateView struct {
	Attributes []attributeView
	NotAfter   time.Time
	Status     string
}

type attributeView struct {
	Name   string
	Values []string
}

// certificatesView is the person's certificates as the page shows them,
// each with the result of its check.
type certificatesView struct {
	PublicKey []certificateView
	Attribute []attributeCertificateView
	Problem   string
}

// certificates reads and verifies the person's certificates from the
// login's claims. With the embedded fake, they are checked against the
// fake's test root; otherwise against the ГосСУОК root, as the operator
// requires.
func (d *Demo) certificates(ctx context.Context, id *ifyul.Identity) certificatesView {
	var view certificatesView
	pc, err := attrcert.CertificatesOf(id, attrcert.DefaultCertificateClaims)
	if err != nil {
		d.logger.WarnContext(ctx, "demo: certificates not readable", "error", err)
		view.Problem = "сертификаты не прочитаны"
		return view
	}
	keyOpts, attrOpts := d.trust()
	for _, c := range pc.PublicKey {
		status := "действителен, выдан РУЦ"
		if _, err := c.Verify(keyOpts); err != nil {
			status = "не прошёл проверку: " + err.Error()
		}
		view.PublicKey = append(view.PublicKey, certificateView{
			Subject:  c.X509.Subject.CommonName,
			Issuer:   c.X509.Issuer.CommonName,
			Serial:   fmt.Sprintf("%X", c.X509.SerialNumber),
			NotAfter: c.X509.NotAfter,
			Status:   status,
		})
	}
	for _, ac := range pc.Attribute {
		status := "не прошёл проверку: нет сертификата владельца"
		for _, holder := range pc.PublicKey {
			opts := attrOpts
			opts.Holder = holder
			_, err := ac.Verify(opts)
			if err == nil {
				status = "действителен, выдан РУЦ, владелец совпадает"
				break
			}
			status = "не прошёл проверку: " + err.Error()
		}
		view.Attribute = append(view.Attribute, attributeCertificateView{
			Attributes: attributeViews(ac.Attributes),
			NotAfter:   ac.NotAfter,
			Status:     status,
		})
	}
	return view
}

// trust returns the verification options: the embedded fake's test root and
// РУЦ, or the real ГосСУОК ones.
func (d *Demo) trust() (attrcert.VerifyOptions, attrcert.AttributeVerifyOptions) {
	if d.fake == nil {
		return attrcert.IdentificationOptions(), attrcert.AttributeVerifyOptions{}
	}
	root, err := attrcert.ParseCertificate(d.fake.TrustRoot())
	if err != nil {
		panic("demo: the fake's root does not parse: " + err.Error())
	}
	ruc, err := attrcert.ParseCertificate(d.fake.RUC())
	if err != nil {
		panic("demo: the fake's РУЦ does not parse: " + err.Error())
	}
	roots := attrcert.NewTrustAnchors(root)
	keyOpts := attrcert.VerifyOptions{Roots: roots, Intermediates: []*attrcert.Certificate{ruc},
		Policy: attrcert.IssuedBy(ruc, root)}
	attrOpts := attrcert.AttributeVerifyOptions{Issuers: []*attrcert.Certificate{ruc},
		Roots: roots}
	return keyOpts, attrOpts
}

func attributeViews(attrs []attrcert.Attribute) []attributeView {
	var views []attributeView
	for _, a := range attrs {
		view := attributeView{Name: attrcert.AttributeNameRussian(a.Type)}
		for _, v := range a.Values {
			switch value := v.Value.(type) {
			case string:
				view.Values = append(view.Values, value)
			case attrcert.Role:
				view.Values = append(view.Values, roleName(value))
			case attrcert.Permission:
				view.Values = append(view.Values, value.Operation+": "+value.Object)
			default:
				view.Values = append(view.Values, fmt.Sprintf("%X", v.Raw))
			}
		}
		views = append(views, view)
	}
	return views
}

// roleName shows a role's name: the fake writes roles as URIs
// urn:esiful:role:<code>.
func roleName(r attrcert.Role) string {
	if r.Name.Text != "" {
		return strings.TrimPrefix(r.Name.Text, "urn:esiful:role:")
	}
	return fmt.Sprintf("%X", r.Name.Raw)
}
