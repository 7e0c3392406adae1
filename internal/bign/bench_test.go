package bign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"runtime"
	"testing"
	"time"

	cbcurve "github.com/deatil/go-cryptobin/elliptic/bign"
	cbbelt "github.com/deatil/go-cryptobin/hash/belt"
	cbbign "github.com/deatil/go-cryptobin/pubkey/bign"
	"github.com/esiful/sdk-go/internal/belt"
)

// benchFixture holds a key pair, a digest and a signature for each
// implementation, made once outside the timed loops.
type benchFixture struct {
	priv   *PrivateKey
	digest [32]byte
	sig    []byte

	cbPriv *cbbign.PrivateKey
	cbSig  []byte
	msg    []byte

	p256     *ecdsa.PrivateKey
	p256Hash [32]byte
	p256Sig  []byte
}

func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	f := &benchFixture{msg: []byte("a message of some thirty-two bytes")}
	var err error
	if f.priv, err = GenerateKey(rand.Reader); err != nil {
		b.Fatal(err)
	}
	f.digest = belt.Sum256(f.msg)
	if f.sig, err = Sign(rand.Reader, f.priv, belt.HashOIDDER, f.digest[:]); err != nil {
		b.Fatal(err)
	}
	d := f.priv.Bytes()
	reverse(d)
	if f.cbPriv, err = cbbign.NewPrivateKey(cbcurve.P256v1(), d); err != nil {
		b.Fatal(err)
	}
	if f.cbSig, err = cbbign.SignBytes(rand.Reader, f.cbPriv, cbbelt.New, f.msg, cryptobinAdata); err != nil {
		b.Fatal(err)
	}
	if f.p256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		b.Fatal(err)
	}
	f.p256Hash = sha256.Sum256(f.msg)
	if f.p256Sig, err = ecdsa.SignASN1(rand.Reader, f.p256, f.p256Hash[:]); err != nil {
		b.Fatal(err)
	}
	return f
}

func (f *benchFixture) sign(b *testing.B) {
	if _, err := Sign(rand.Reader, f.priv, belt.HashOIDDER, f.digest[:]); err != nil {
		b.Fatal(err)
	}
}

func (f *benchFixture) verify(b *testing.B) {
	if err := Verify(f.priv.pub, belt.HashOIDDER, f.digest[:], f.sig); err != nil {
		b.Fatal(err)
	}
}

func (f *benchFixture) signP256(b *testing.B) {
	if _, err := ecdsa.SignASN1(rand.Reader, f.p256, f.p256Hash[:]); err != nil {
		b.Fatal(err)
	}
}

func (f *benchFixture) verifyP256(b *testing.B) {
	if !ecdsa.VerifyASN1(&f.p256.PublicKey, f.p256Hash[:], f.p256Sig) {
		b.Fatal("P-256 signature does not verify")
	}
}

// signCryptobin hashes the message as part of signing, which go-cryptobin's
// API requires; belt-hash of 34 bytes is under 1% of a signature.
func (f *benchFixture) signCryptobin(b *testing.B) {
	if _, err := cbbign.SignBytes(rand.Reader, f.cbPriv, cbbelt.New, f.msg, cryptobinAdata); err != nil {
		b.Fatal(err)
	}
}

func (f *benchFixture) verifyCryptobin(b *testing.B) {
	if !cbbign.VerifyBytes(&f.cbPriv.PublicKey, cbbelt.New, f.msg, cryptobinAdata, f.cbSig) {
		b.Fatal("go-cryptobin signature does not verify")
	}
}

func BenchmarkSign(b *testing.B) {
	f := newBenchFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.sign(b)
	}
}

func BenchmarkVerify(b *testing.B) {
	f := newBenchFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.verify(b)
	}
}

func BenchmarkGenerateKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GenerateKey(rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

// compare runs ours and base alternately in one loop and reports our time
// divided by the base time under unit, so lower is better, and the time per
// operation of each. Times are CPU times of the benchmark thread, so other
// load on the machine affects both sides alike.
func compare(b *testing.B, unit string, ours, base func(*testing.B)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var tOurs, tBase time.Duration
	for b.Loop() {
		t0 := threadCPUTime()
		ours(b)
		t1 := threadCPUTime()
		base(b)
		tOurs += t1 - t0
		tBase += threadCPUTime() - t1
	}
	n := float64(b.N)
	b.ReportMetric(tOurs.Seconds()/tBase.Seconds(), unit)
	b.ReportMetric(float64(tOurs.Nanoseconds())/n, "ns/op-ours")
	b.ReportMetric(float64(tBase.Nanoseconds())/n, "ns/op-base")
}

// BenchmarkCompareVerify reports our verification time as a multiple of the
// time of crypto/ecdsa P-256 verification (x-vs-p256, goal at most 2) and
// of go-cryptobin's bign verification (x-vs-cryptobin).
func BenchmarkCompareVerify(b *testing.B) {
	f := newBenchFixture(b)
	b.Run("P256", func(b *testing.B) { compare(b, "x-vs-p256", f.verify, f.verifyP256) })
	b.Run("Cryptobin", func(b *testing.B) { compare(b, "x-vs-cryptobin", f.verify, f.verifyCryptobin) })
}

// BenchmarkCompareSign reports our signing time as a multiple of the time of
// crypto/ecdsa P-256 signing (x-vs-p256, goal at most 1.5) and of
// go-cryptobin's bign signing (x-vs-cryptobin).
func BenchmarkCompareSign(b *testing.B) {
	f := newBenchFixture(b)
	b.Run("P256", func(b *testing.B) { compare(b, "x-vs-p256", f.sign, f.signP256) })
	b.Run("Cryptobin", func(b *testing.B) { compare(b, "x-vs-cryptobin", f.sign, f.signCryptobin) })
}
