package attrcert

import (
	"slices"
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

// BenchmarkGosSUOKSignature compares verifying РУЦ under the root with one
// bign.Verify of the same precomputed digest, the cost floor. VerifyHbelt adds
// the belt-hash of tbsCertificate, which the certificate checks cannot avoid.
// Each iteration times the baseline and the operation back to back, so that load
// from other processes affects both alike. ns/op is the median time of the
// operation, and x-bign-verify is that divided by the baseline's median:
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

	b.Run("VerifyHbelt", func(b *testing.B) {
		benchmarkAgainst(b, baseline, func() error {
			return bign.VerifyHbelt(key, ruc.X509.RawTBSCertificate, signature)
		})
	})
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
	var baselineTimes, operationTimes []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := baseline(); err != nil {
			b.Fatal(err)
		}
		middle := time.Now()
		if err := operation(); err != nil {
			b.Fatal(err)
		}
		operationTimes = append(operationTimes, time.Since(middle))
		baselineTimes = append(baselineTimes, middle.Sub(start))
	}
	b.ReportMetric(float64(median(operationTimes).Nanoseconds()), "ns/op")
	b.ReportMetric(float64(median(operationTimes))/float64(median(baselineTimes)), "x-bign-verify")
}

// median is robust to the iterations in which another process took the CPU.
func median(times []time.Duration) time.Duration {
	slices.Sort(times)
	return times[len(times)/2]
}
