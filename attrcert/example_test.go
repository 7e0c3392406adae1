package attrcert_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/esiful/sdk-go/attrcert"
)

// ExampleCertificate_Verify verifies the certificate of РУЦ ГосСУОК up to the
// built-in ГосСУОК root, which Verify uses when VerifyOptions.Roots is nil.
func ExampleCertificate_Verify() {
	der, err := os.ReadFile("testdata/ruc.cer")
	if err != nil {
		log.Fatal(err)
	}
	cert, err := attrcert.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}

	chain, err := cert.Verify(attrcert.VerifyOptions{
		CurrentTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range chain {
		fmt.Println(c.X509.Subject.CommonName)
	}
	// Output:
	// Республиканский удостоверяющий центр ГосСУОК
	// Корневой удостоверяющий центр ГосСУОК
}

// ExampleIdentificationOptions shows that a certificate must be issued by РУЦ
// ГосСУОК to identify a person: the certificate of РУЦ itself, issued by the
// root, verifies as a chain but is rejected by the IssuedByRUC policy.
func ExampleIdentificationOptions() {
	opts := attrcert.IdentificationOptions()
	opts.CurrentTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	_, err := attrcert.RUC().Verify(opts)

	fmt.Println(errors.Is(err, attrcert.ErrWrongIssuer))
	// Output: true
}
