package tlv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpect(t *testing.T) {
	outer, err := ParseTagged(mustHex(t, "7F4E08"+"5F290100"+"42024142"), 0x7F4E, "body")
	require.NoError(t, err)
	r, err := outer.FieldReader("body")
	require.NoError(t, err)

	profile, err := r.Expect(0x5F29, "profile")
	require.NoError(t, err)
	assert.Equal(t, []byte{0}, profile.Value)

	_, err = r.Expect(0x5F20, "holder")
	assert.EqualError(t, err, "tlv: offset 7: holder: tag 42, expected 5F20")
	// A failed Expect consumes the element, so the next component is missing.
	_, err = r.Expect(0x7F49, "key")
	assert.EqualError(t, err, "tlv: offset 11: key: missing, expected tag 7F49")
	assert.NoError(t, r.End("body"))
}

func TestEnd(t *testing.T) {
	r := NewReader(mustHex(t, "0100"))
	assert.EqualError(t, r.End("list"),
		"tlv: offset 0: list: unexpected tag 01 after the last component")
	r = NewReader(mustHex(t, "00"))
	assert.EqualError(t, r.End("list"),
		"tlv: offset 0: list: unexpected bytes after the last component")
}

func TestExpectNamesFieldOfSyntaxError(t *testing.T) {
	r := NewReader(mustHex(t, "420541"))
	_, err := r.Expect(0x42, "issuer")
	assert.EqualError(t, err, "tlv: offset 1: issuer: length 5 of tag 42 exceeds remaining 1 bytes")
}

func TestParseTagged(t *testing.T) {
	_, err := ParseTagged(mustHex(t, "420141"), 0x5F20, "holder")
	assert.EqualError(t, err, "tlv: offset 0: holder: tag 42, expected 5F20")
	_, err = ParseTagged(mustHex(t, "42014100"), 0x42, "issuer")
	assert.EqualError(t, err, "tlv: offset 3: issuer: 1 bytes after the element")
	e, err := ParseTagged(mustHex(t, "420141"), 0x42, "issuer")
	require.NoError(t, err)
	_, err = e.FieldReader("issuer")
	assert.EqualError(t, err, "tlv: offset 0: issuer: tag 42 is primitive and has no children")
}
