package attrcert

import (
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

// BenchmarkGosSUOKSignature compares verifying РУЦ under the root with one
// bign.Verify of the same precomputed digest, the cost floor. Each iteration
// times the baseline and the operation back to back, so that load from other
// processes affects both alike. ns/op is the operation alone, and x-bign-verify
// is its time divided by the baseline's:
//
//	go test -run '^$' -bench GosSUOKSignature ./attrcert
func BenchmarkGosSUOKSignature(b *testing.B) {
	kuc, _ := readTestCertificate(b, "kuc.cer")
	ruc, _ := readTestCertificate(b, "ruc.cer")
	key := kuc.PublicKey.(*bign.PublicKey)
	digest := belt.Sum256(ruc.X509.RawTBSCertificate)
	signature := ruc.X509.Signature
	baseline := func() error { return bign.Verify(key, belt.HashOIDDER, digest[:], signature) }
	opts := VerifyOptions{Roots: NewTrustAnchors(kuc), CurrentTime: gosSUOKTime}

	b.Run("CheckSignatureFrom", func(b *testing.B) {
		benchmarkAgainst(b, baseline, func() error { return ruc.CheckSignatureFrom(kuc) })
	})
	b.Run("Verify", func(b *testing.B) {
		benchmarkAgainst(b, baseline, func() error {
			_, err := ruc.Verify(opts)
			return err
		})
	})
}

func benchmarkAgainst(b *testing.B, baseline, operation func() error) {
	var baselineTime, operationTime time.Duration
	for b.Loop() {
		start := time.Now()
		if err := baseline(); err != nil {
			b.Fatal(err)
		}
		middle := time.Now()
		if err := operation(); err != nil {
			b.Fatal(err)
		}
		operationTime += time.Since(middle)
		baselineTime += middle.Sub(start)
	}
	b.ReportMetric(float64(operationTime.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(operationTime)/float64(baselineTime), "x-bign-verify")
}
