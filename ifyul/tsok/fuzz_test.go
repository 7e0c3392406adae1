package tsok

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzParseRequest feeds arbitrary bytes to ParseRequest and, when they
// parse, to the signature check and every rule of the profile: none may
// panic, and errors must carry the package prefix.
func FuzzParseRequest(f *testing.F) {
	tmpl := testTemplate()
	tmpl.ChallengePassword = "/EPWD:" + strings.Repeat("0A", 16) + "/INFO:SN1"
	der, err := CreateRequest(tmpl, newTestKey(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(der)
	f.Add(EncodePEM(der))
	f.Add([]byte(base64.StdEncoding.EncodeToString(der)))
	f.Add(validParts(f).encode())
	f.Add(der[:len(der)/2])
	f.Add([]byte{0x30, 0x80})
	f.Add([]byte("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRequest(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "tsok: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		_ = r.CheckSignature()
		_, _ = CheckProfile(r, nil)

		again, err := ParseRequest(r.Raw)
		if err != nil {
			t.Fatalf("the DER of a parsed request does not parse again: %v", err)
		}
		if !bytes.Equal(again.RawInfo, r.RawInfo) {
			t.Fatal("a second parse gives another certificationRequestInfo")
		}
	})
}
