package tlv

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"420442594341",
		"7F210A7F4E04420241425F3700",
		"7F4C13060A2A7000020022654F060104053F3FFFFF33",
		"0481800000",
		"7F2180000000",
		"5F801F00",
		"9F8101020A0B",
	} {
		f.Add(mustHex(f, seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		list, err := ParseAll(in)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			if se.Offset < 0 || se.Offset > len(in) {
				t.Fatalf("offset %d outside input of %d bytes", se.Offset, len(in))
			}
			return
		}
		checkRoundTrip(t, in, list, 0)
	})
}

// checkRoundTrip re-encodes every element, descending into constructed values that parse,
// and compares with the input: DER has exactly one encoding of each tree.
func checkRoundTrip(t *testing.T, in []byte, list []TLV, depth int) {
	var out []byte
	for _, e := range list {
		if !e.Tag.Valid() {
			t.Fatalf("parsed tag %X is not valid", uint32(e.Tag))
		}
		if !bytes.Equal(in[e.Offset:e.Offset+len(e.Raw)], e.Raw) {
			t.Fatalf("offset %d does not point at the element", e.Offset)
		}
		out = append(out, e.Encode()...)
		if e.Tag.Constructed() && depth < 16 {
			if children, err := e.Children(); err == nil {
				checkRoundTrip(t, in, children, depth+1)
			}
		}
	}
	if depth == 0 && !bytes.Equal(out, in) {
		t.Fatalf("re-encoding differs:\n in %X\nout %X", in, out)
	}
}
