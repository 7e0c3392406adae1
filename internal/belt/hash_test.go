package belt

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"hash"
	"testing"

	cbbelt "github.com/deatil/go-cryptobin/hash/belt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashMatchesCryptobin(t *testing.T) {
	for _, size := range []int{0, 1, 31, 32, 33, 63, 64, 65, 100, 1000, 4096 + 7} {
		msg := make([]byte, size)
		_, err := rand.Read(msg)
		require.NoError(t, err)
		want := cbbelt.Sum(msg)
		got := Sum256(msg)
		assert.Equal(t, want, got, "message of %d bytes", size)
	}
}

func TestHashInterface(t *testing.T) {
	h := NewHash()
	assert.Equal(t, Size, h.Size())
	assert.Equal(t, HashBlockSize, h.BlockSize())

	h.Write(sbox[:20])
	first := h.Sum(nil)
	assert.Equal(t, first, h.Sum(nil), "Sum must not change the state")

	prefix := []byte("prefix")
	assert.Equal(t, append(prefix, first...), h.Sum(bytes.Clone(prefix)), "Sum appends")

	h.Reset()
	empty := Sum256(nil)
	assert.Equal(t, empty[:], h.Sum(nil), "Reset returns to the empty state")
}

func TestHashClone(t *testing.T) {
	h := NewHash()
	h.Write(sbox[:40])
	cloner, ok := h.(hash.Cloner)
	require.True(t, ok, "digest implements hash.Cloner")
	c, err := cloner.Clone()
	require.NoError(t, err)

	h.Write(sbox[40:100])
	c.Write(sbox[40:100])
	want := Sum256(sbox[:100])
	assert.Equal(t, want[:], h.Sum(nil), "original")
	assert.Equal(t, want[:], c.Sum(nil), "clone")
}

func TestHashWriteDoesNotAllocate(t *testing.T) {
	h := NewHash()
	msg := sbox[:77]
	sum := make([]byte, 0, Size)
	allocs := testing.AllocsPerRun(100, func() {
		h.Reset()
		h.Write(msg)
		h.Sum(sum)
	})
	assert.Zero(t, allocs)
}

func TestHashOID(t *testing.T) {
	der, err := asn1.Marshal(HashOID)
	require.NoError(t, err)
	assert.Equal(t, HashOIDDER, der)
	assert.Equal(t, "1.2.112.0.2.0.34.101.31.81", HashOID.String())
}

func TestNewCipherKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		_, err := NewCipher(make([]byte, n))
		var kse KeySizeError
		require.ErrorAs(t, err, &kse, "key of %d bytes", n)
		assert.Equal(t, n, int(kse))
	}
}

// FuzzHashStreaming checks that writing a message in arbitrary pieces gives
// the same checksum as hashing it in one call. The first byte of the input
// seeds the piece lengths.
func FuzzHashStreaming(f *testing.F) {
	f.Add([]byte{})
	f.Add(sbox[:13])
	f.Add(sbox[:])
	f.Add(bytes.Repeat([]byte{31}, 200))
	f.Fuzz(func(t *testing.T, data []byte) {
		want := Sum256(data)
		h := NewHash()
		step := 1
		if len(data) > 0 {
			step = int(data[0])%67 + 1
		}
		for rest := data; len(rest) > 0; {
			n := min(step, len(rest))
			h.Write(rest[:n])
			rest = rest[n:]
			step = step*7%67 + 1
		}
		if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
			t.Fatalf("streamed %x, one-shot %x", got, want)
		}
	})
}
