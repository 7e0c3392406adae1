package attrcert_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/esiful/sdk-go/attrcert"
)

func readCertificate(name string) *attrcert.Certificate {
	der, err := os.ReadFile("testdata/attribute/" + name)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := attrcert.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	return cert
}

// ExampleParseAttributeCertificate reads the attributes of a legal
// representative's attribute certificate with their readable names.
func ExampleParseAttributeCertificate() {
	der, err := os.ReadFile("testdata/attribute/holder-ac.der")
	if err != nil {
		log.Fatal(err)
	}
	ac, err := attrcert.ParseAttributeCertificate(der)
	if err != nil {
		log.Fatal(err)
	}

	for _, a := range ac.Attributes {
		for _, v := range a.Values {
			switch value := v.Value.(type) {
			case string:
				fmt.Printf("%s: %s\n", attrcert.AttributeNameRussian(a.Type), value)
			case attrcert.Role:
				fmt.Printf("%s: %s\n", attrcert.AttributeName(a.Type), value.Name)
			case attrcert.Permission:
				fmt.Printf("%s: %s / %s\n", attrcert.AttributeName(a.Type),
					value.Operation, value.Object)
			default:
				fmt.Printf("%s: %d bytes of DER\n", attrcert.AttributeName(a.Type), len(v.Raw))
			}
		}
	}
	// Output:
	// Учётный номер плательщика (УНП): 190000001
	// Название организации: ООО «Тестовая организация»
	// Должность: Директор
	// Личный (идентификационный) номер: 3150385A001PB6
	// Role: URI:urn:esiful:role:head
	// Permission: подписание / договоры
	// Permission: чтение / отчёты
	// 1.2.112.0.2.0.99.1: 6 bytes of DER
}

// ExampleAttributeCertificate_Verify checks an attribute certificate issued by a
// test РУЦ: the signature, the validity, that it belongs to the holder's
// certificate and that the test РУЦ chains to the test root. Without Issuers and
// Roots, Verify accepts only attribute certificates of РУЦ ГосСУОК.
func ExampleAttributeCertificate_Verify() {
	der, err := os.ReadFile("testdata/attribute/holder-ac.der")
	if err != nil {
		log.Fatal(err)
	}
	ac, err := attrcert.ParseAttributeCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	holder := readCertificate("holder.cer")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	chain, err := ac.Verify(attrcert.AttributeVerifyOptions{
		Holder:      holder,
		Issuers:     []*attrcert.Certificate{readCertificate("ruc.cer")},
		Roots:       attrcert.NewTrustAnchors(readCertificate("root.cer")),
		CurrentTime: now,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issued by", chain[0].X509.Subject.CommonName)

	_, err = ac.Verify(attrcert.AttributeVerifyOptions{Holder: holder, CurrentTime: now})
	fmt.Println(errors.Is(err, attrcert.ErrUnknownIssuer))
	// Output:
	// issued by Тестовый РУЦ
	// true
}
