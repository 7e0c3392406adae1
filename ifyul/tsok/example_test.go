package tsok_test

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

func ExampleCreateRequest() {
	key, err := tsok.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	der, err := tsok.CreateRequest(&tsok.RequestTemplate{
		CommonName:      "kpsis.vector.by",
		Locality:        "г. Минск",
		Street:          "ул. Сурганова, д. 2",
		Organization:    "ОАО «Вектор»",
		Description:     "КПСИС системы «Вектор-Онлайн»",
		Email:           "admin@vector.by",
		SubjectAltNames: []string{"kpsis.vector.by"},
	}, key)
	if err != nil {
		panic(err)
	}

	request, err := tsok.ParseRequest(tsok.EncodePEM(der))
	if err != nil {
		panic(err)
	}
	violations, err := tsok.CheckProfile(request, nil)
	fmt.Println(len(violations), err)
	// Output: 0 <nil>
}

func ExampleCheckProfile() {
	key, _ := tsok.GenerateKey(rand.Reader)
	der, _ := tsok.CreateRequest(&tsok.RequestTemplate{
		CommonName:   "kpsis.vector.by",
		Country:      "RU",
		Organization: "ОАО «Вектор»",
	}, key)
	request, _ := tsok.ParseRequest(der)

	_, err := tsok.CheckProfile(request, nil)
	var profileErr *tsok.ProfileError
	if errors.As(err, &profileErr) {
		fmt.Println(profileErr.RuleIDs())
	}
	// Output: [subject.required subject.country ext.subject-alt-name]
}

func ExampleKeygenClient_GenerateRequest() {
	// A fake КПСИС replaces the real one at http://<host>:9999.
	server := httptest.NewServer(kpsis.NewKeygen(kpsis.KeygenConfig{}))
	defer server.Close()

	client := &tsok.KeygenClient{URL: server.URL}
	generated, err := client.GenerateRequest(context.Background(), tsok.KeygenRequest{
		KeyParam: tsok.KeyParam{Passwords: []string{"p1-…", "p2-…", "p3-…", "p4-…", "p5-…"}},
		CertReqParam: tsok.CertReqParam{CertInfo: tsok.CertInfo{
			CommonName:     "kpsis.vector.by",
			Description:    "КПСИС системы «Вектор-Онлайн»",
			Organization:   "ОАО «Вектор»",
			Locality:       "г. Минск",
			Street:         "ул. Сурганова, д. 2",
			Email:          "admin@vector.by",
			SubjectAltName: []string{"kpsis.vector.by"},
		}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(generated.Field, generated.Request.Subject[0].Value)
	// Output: cert_req kpsis.vector.by
}

func ExampleStatus() {
	cert, err := tsok.ReadCertificate(exampleCertificate())
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	status := tsok.Status(cert, now, tsok.DefaultWarnBefore)
	fmt.Println(status.State, status.DaysLeft)
	fmt.Println(status.Message().Ru)
	// Output:
	// renewal_due 21
	// ТСОК истекает 2026-05-31 12:00 UTC (дней: 21): подготовьте новый запрос на издание ТСОК.
}

// exampleCertificate issues a ТСОК valid until 2026-05-31 12:00 UTC from a
// fake РУЦ.
func exampleCertificate() []byte {
	notBefore := time.Date(2025, 5, 31, 12, 0, 0, 0, time.UTC)
	notAfter := time.Date(2026, 5, 31, 12, 0, 0, 0, time.UTC)
	root, err := pki.NewRoot(pkix.Name{CommonName: "Тестовый корневой УЦ"}, notBefore,
		notAfter.AddDate(5, 0, 0))
	if err != nil {
		panic(err)
	}
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	der, err := root.Issue(pki.Template{Subject: pkix.Name{CommonName: "kpsis.vector.by"},
		NotBefore: notBefore, NotAfter: notAfter}, key.PublicKey())
	if err != nil {
		panic(err)
	}
	return der
}
