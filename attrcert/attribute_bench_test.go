package attrcert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

// BenchmarkParseAttributeCertificate compares parsing the attribute certificate
// of testdata/attribute (820 bytes, seven attributes) with crypto/x509 parsing a
// public-key certificate of similar size: kuc.cer (1002 bytes, the ГосСУОК
// root) and the holder's certificate of testdata/attribute (541 bytes). Both
// baselines carry bign keys, which crypto/x509 does not decode, so it does less
// work than for an ECDSA certificate. Each iteration times the baseline and the
// parse back to back, and x-x509-parse is the ratio of their medians.
// x-x509-allocs is the ratio of their allocations:
//
//	go test -run '^$' -bench 'ParseAttributeCertificate|AttributeVerify' ./attrcert
func BenchmarkParseAttributeCertificate(b *testing.B) {
	acDER := readBenchFile(b, "attribute/holder-ac.der")
	parse := func() error {
		_, err := ParseAttributeCertificate(acDER)
		return err
	}
	for _, baseline := range []string{"kuc.cer", "attribute/holder.cer"} {
		certDER := readBenchFile(b, baseline)
		parseX509 := func() error {
			_, err := x509.ParseCertificate(certDER)
			return err
		}
		b.Run("vs "+baseline, func(b *testing.B) {
			benchmarkRatio(b, parseX509, parse, "x-x509-parse")
			b.ReportMetric(allocs(parse)/allocs(parseX509), "x-x509-allocs")
			b.ReportMetric(allocs(parse), "allocs/parse")
		})
	}
}

// BenchmarkAttributeVerify compares verifying the attribute certificate of
// testdata/attribute with one bign.Verify of a precomputed digest. Verify checks
// two bign signatures, the attribute certificate's and that of its issuer's
// certificate under the root, so its ratio is about 2. With the issuer as the
// trust anchor it checks one, and CheckSignatureFrom checks one.
func BenchmarkAttributeVerify(b *testing.B) {
	ac, err := ParseAttributeCertificate(readBenchFile(b, "attribute/holder-ac.der"))
	if err != nil {
		b.Fatal(err)
	}
	holder := parseBenchCertificate(b, "attribute/holder.cer")
	ruc := parseBenchCertificate(b, "attribute/ruc.cer")
	root := parseBenchCertificate(b, "attribute/root.cer")
	key := ruc.PublicKey.(*bign.PublicKey)
	digest := belt.Sum256(ac.RawAttrCertInfo)
	baseline := func() error { return bign.Verify(key, belt.HashOIDDER, digest[:], ac.Signature) }
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := AttributeVerifyOptions{Holder: holder, Issuers: []*Certificate{ruc},
		Roots: NewTrustAnchors(root), CurrentTime: now}
	issuerAnchor := opts
	issuerAnchor.Roots = NewTrustAnchors(ruc)

	b.Run("CheckSignatureFrom", func(b *testing.B) {
		benchmarkRatio(b, baseline, func() error { return ac.CheckSignatureFrom(ruc) },
			"x-bign-verify")
	})
	b.Run("Verify issuer as anchor", func(b *testing.B) {
		benchmarkRatio(b, baseline, func() error {
			_, err := ac.Verify(issuerAnchor)
			return err
		}, "x-bign-verify")
	})
	b.Run("Verify", func(b *testing.B) {
		benchmarkRatio(b, baseline, func() error {
			_, err := ac.Verify(opts)
			return err
		}, "x-bign-verify")
	})
}

// benchmarkRatio works as benchmarkAgainst, reporting the ratio of the medians
// under the name unit.
func benchmarkRatio(b *testing.B, baseline, operation func() error, unit string) {
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
	b.ReportMetric(float64(median(operationTimes))/float64(median(baselineTimes)), unit)
}

func allocs(f func() error) float64 { return testing.AllocsPerRun(200, func() { _ = f() }) }

func readBenchFile(b *testing.B, name string) []byte {
	der, err := readFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return der
}

func parseBenchCertificate(b *testing.B, name string) *Certificate {
	c, err := ParseCertificate(readBenchFile(b, name))
	if err != nil {
		b.Fatal(err)
	}
	return c
}
