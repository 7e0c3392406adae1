package bign

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	cbcurve "github.com/deatil/go-cryptobin/elliptic/bign"
	"github.com/esiful/sdk-go/internal/belt"
)

// FuzzParsePublicKey checks that ParsePublicKey never panics, that it
// accepts exactly the 64-byte inputs whose coordinates are below p and lie
// on the curve (as go-cryptobin's curve decides), and that Bytes gives the
// input back.
func FuzzParsePublicKey(f *testing.F) {
	f.Add(mustHexBytes(vectorQ))
	f.Add(make([]byte, 64))
	f.Add(bytes.Repeat([]byte{0xFF}, 64))
	f.Add(mustHexBytes(vectorQ)[:63])
	gx, gy := generator.x.bytesRaw(), generator.y.bytesRaw()
	f.Add(append(gx[:], gy[:]...))
	curve := cbcurve.P256v1()
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := ParsePublicKey(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidPublicKey) {
				t.Fatalf("error %q does not wrap ErrInvalidPublicKey", err)
			}
		} else if !bytes.Equal(pub.Bytes(), b) {
			t.Fatalf("Bytes() = %x, input %x", pub.Bytes(), b)
		}
		if len(b) != PublicKeySize {
			return
		}
		x := new(big.Int).SetBytes(reversed(b[:32]))
		y := new(big.Int).SetBytes(reversed(b[32:]))
		p := curve.Params().P
		want := x.Cmp(p) < 0 && y.Cmp(p) < 0 && curve.IsOnCurve(x, y)
		if want != (err == nil) {
			t.Fatalf("ParsePublicKey(%x) error %v, go-cryptobin on curve: %v", b, err, want)
		}
	})
}

func reversed(b []byte) []byte {
	r := bytes.Clone(b)
	reverse(r)
	return r
}

// FuzzVerify checks that Verify never panics on arbitrary keys, digests and
// signatures, that its errors carry the package prefix, and that it accepts
// a fuzzed signature only if it is the valid one it started from.
func FuzzVerify(f *testing.F) {
	h13 := belt.Sum256(beltH[:13])
	q := mustHexBytes(vectorQ)
	f.Add(q, h13[:], mustHexBytes(vectorSigG2))
	f.Add(q, h13[:], make([]byte, 48))
	f.Add(q, h13[:], bytes.Repeat([]byte{0xFF}, 48))
	f.Add(make([]byte, 64), make([]byte, 32), make([]byte, 48))
	f.Add(q, h13[:31], mustHexBytes(vectorSigG2)[:47])
	f.Fuzz(func(t *testing.T, pubBytes, digest, sig []byte) {
		pub, err := ParsePublicKey(pubBytes)
		if err != nil {
			return
		}
		err = Verify(pub, belt.HashOIDDER, digest, sig)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bign: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		// A forgery found by the fuzzer would be news; a valid signature
		// can only be the seed.
		if !bytes.Equal(pubBytes, q) || !bytes.Equal(digest, h13[:]) ||
			!bytes.Equal(sig, mustHexBytes(vectorSigG2)) {
			t.Fatalf("Verify accepted pub %x digest %x sig %x", pubBytes, digest, sig)
		}
	})
}

// FuzzParsePrivateKey checks that ParsePrivateKey never panics and that
// accepted keys encode back to the input.
func FuzzParsePrivateKey(f *testing.F) {
	f.Add(mustHexBytes(vectorD))
	f.Add(make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xFF}, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		priv, err := ParsePrivateKey(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidPrivateKey) {
				t.Fatalf("error %q does not wrap ErrInvalidPrivateKey", err)
			}
			return
		}
		if !bytes.Equal(priv.Bytes(), b) {
			t.Fatalf("Bytes() = %x, input %x", priv.Bytes(), b)
		}
	})
}
