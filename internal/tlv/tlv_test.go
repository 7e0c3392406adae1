package tlv

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		tag         Tag
		value       string
		constructed bool
	}{
		{name: "one byte tag", in: "420442594341", tag: 0x42, value: "42594341"},
		{name: "two byte tag", in: "5F290100", tag: 0x5F29, value: "00"},
		{name: "three byte tag", in: "9F8101020A0B", tag: 0x9F8101, value: "0A0B"},
		{name: "empty value", in: "0400", tag: 0x04, value: ""},
		{name: "constructed", in: "7F4C0504030102FF", tag: 0x7F4C, value: "04030102FF",
			constructed: true},
		{name: "long form one byte", in: "04818" + "0" + repeatHex("AB", 0x80), tag: 0x04,
			value: repeatHex("AB", 0x80)},
		{name: "long form two bytes", in: "0482010" + "0" + repeatHex("CD", 0x100), tag: 0x04,
			value: repeatHex("CD", 0x100)},
		{name: "tag number 31", in: "5F1F00", tag: 0x5F1F, value: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := mustHex(t, tc.in)
			e, err := Parse(in)
			require.NoError(t, err)
			assert.Equal(t, tc.tag, e.Tag)
			assert.Equal(t, mustHex(t, tc.value), e.Value)
			assert.Equal(t, in, e.Raw)
			assert.Equal(t, 0, e.Offset)
			assert.Equal(t, len(in)-len(e.Value), e.ValueOffset())
			assert.Equal(t, tc.constructed, e.Tag.Constructed())
			assert.Equal(t, in, e.Encode())
		})
	}
}

func repeatHex(b string, n int) string {
	var buf bytes.Buffer
	for range n {
		buf.WriteString(b)
	}
	return buf.String()
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{name: "empty", in: "", offset: 0, msg: "missing tag"},
		{name: "filler 00", in: "0000", offset: 0, msg: "invalid tag byte 00"},
		{name: "filler FF", in: "FF0100", offset: 0, msg: "invalid tag byte FF"},
		{name: "tag cut short", in: "5F", offset: 0, msg: "tag 5F is cut short"},
		{name: "tag continuation cut short", in: "9F81", offset: 0, msg: "tag 9F81 is cut short"},
		{name: "tag leading zero group", in: "5F801F00", offset: 0,
			msg: "tag 5F80 has a leading zero group"},
		{name: "tag fits one byte", in: "5F0500", offset: 0,
			msg: "tag 5F05 should be written in one byte"},
		{name: "tag too long", in: "5F8181810100", offset: 0, msg: "tag is longer than 4 bytes"},
		{name: "missing length", in: "7F21", offset: 2, msg: "missing length"},
		{name: "indefinite length", in: "7F2180000000", offset: 2,
			msg: "indefinite length is not allowed in DER"},
		{name: "length field too long", in: "0485000000000100", offset: 1,
			msg: "length field of 5 bytes exceeds the limit of 4"},
		{name: "length field cut short", in: "048201", offset: 1,
			msg: "length field of 2 bytes is cut short"},
		{name: "length leading zero", in: "0482008000", offset: 1,
			msg: "length has a leading zero byte"},
		{name: "long form for short length", in: "04810500000000", offset: 1,
			msg: "length 5 should use the short form"},
		{name: "length exceeds buffer", in: "5F20034142", offset: 2,
			msg: "length 3 of tag 5F20 exceeds remaining 2 bytes"},
		{name: "long length exceeds buffer", in: "7F4E82012C" + repeatHex("00", 40), offset: 2,
			msg: "length 300 of tag 7F4E exceeds remaining 40 bytes"},
		{name: "trailing bytes", in: "0401AA0000", offset: 3, msg: "2 bytes after the element"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(mustHex(t, tc.in))
			require.Error(t, err)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "error %v is not a *SyntaxError", err)
			assert.Equal(t, tc.offset, se.Offset)
			assert.Equal(t, tc.msg, se.Msg)
		})
	}
}

func TestChildrenOffsets(t *testing.T) {
	// 7F21 { 7F4E { 42 "AB" }, 5F37 {} } with one trailing byte.
	in := mustHex(t, "7F210A"+"7F4E04"+"42024142"+"5F3700"+"00")
	_, err := Parse(in)
	require.Error(t, err, "trailing byte")

	outer, err := Parse(in[:len(in)-1])
	require.NoError(t, err)
	children, err := outer.Children()
	require.NoError(t, err)
	require.Len(t, children, 2)
	assert.Equal(t, Tag(0x7F4E), children[0].Tag)
	assert.Equal(t, 3, children[0].Offset)
	assert.Equal(t, Tag(0x5F37), children[1].Tag)
	assert.Equal(t, 10, children[1].Offset)

	grandchildren, err := children[0].Children()
	require.NoError(t, err)
	require.Len(t, grandchildren, 1)
	assert.Equal(t, 6, grandchildren[0].Offset)
	assert.Equal(t, []byte("AB"), grandchildren[0].Value)

	broken := mustHex(t, "7F4E04"+"42054142"+"5F37")
	body, err := Parse(broken[:7])
	require.NoError(t, err)
	_, err = body.Children()
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 4, se.Offset, "offset counts from the outer buffer")
	assert.EqualError(t, err, "tlv: offset 4: length 5 of tag 42 exceeds remaining 2 bytes")
}

func TestChildrenOfPrimitive(t *testing.T) {
	e, err := Parse(mustHex(t, "5F20024142"))
	require.NoError(t, err)
	_, err = e.Children()
	assert.EqualError(t, err, "tlv: offset 0: tag 5F20 is primitive and has no children")
	_, err = e.ChildReader()
	assert.Error(t, err)
}

func TestChild(t *testing.T) {
	e, err := Parse(mustHex(t, "7F4C09"+"060141"+"0401AA"+"0401BB"))
	require.NoError(t, err)

	oid, err := e.Child(0x06)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x41}, oid.Value)
	assert.Equal(t, 3, oid.Offset)

	_, err = e.Child(0x04)
	assert.EqualError(t, err, "tlv: offset 0: tag 7F4C has 2 children 04")
	_, err = e.Child(0x5F20)
	assert.EqualError(t, err, "tlv: offset 0: tag 7F4C has no child 5F20")
}

func TestReader(t *testing.T) {
	r := NewReader(mustHex(t, "0101AA"+"0200"))
	require.True(t, r.More())
	peeked, err := r.Peek()
	require.NoError(t, err)
	assert.Equal(t, 0, r.Offset(), "Peek consumes nothing")
	first, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, peeked, first)
	assert.Equal(t, Tag(0x01), first.Tag)
	assert.Equal(t, 3, r.Offset())
	second, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, Tag(0x02), second.Tag)
	assert.False(t, r.More())
	_, err = r.Next()
	assert.EqualError(t, err, "tlv: offset 5: missing tag")
}

func TestParseAllEmpty(t *testing.T) {
	list, err := ParseAll(nil)
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestTag(t *testing.T) {
	tests := []struct {
		tag         Tag
		class       Class
		constructed bool
		number      uint32
		text        string
	}{
		{tag: 0x42, class: ClassApplication, number: 2, text: "42"},
		{tag: 0x7F21, class: ClassApplication, constructed: true, number: 33, text: "7F21"},
		{tag: 0x5F37, class: ClassApplication, number: 55, text: "5F37"},
		{tag: 0x04, class: ClassUniversal, number: 4, text: "04"},
		{tag: 0xA1, class: ClassContext, constructed: true, number: 1, text: "A1"},
		{tag: 0xDF8101, class: ClassPrivate, number: 129, text: "DF8101"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			assert.True(t, tc.tag.Valid())
			assert.Equal(t, tc.class, tc.tag.Class())
			assert.Equal(t, tc.constructed, tc.tag.Constructed())
			assert.Equal(t, tc.number, tc.tag.Number())
			assert.Equal(t, tc.text, tc.tag.String())
		})
	}
	for _, bad := range []Tag{0, 0x1F, 0x5F05, 0x5F80, 0x9F81, 0x3F00, 0x7F2101} {
		assert.False(t, bad.Valid(), "tag %X", uint32(bad))
	}
}

func TestEncode(t *testing.T) {
	assert.Equal(t, mustHex(t, "5F200141"), Encode(0x5F20, []byte("A")))
	assert.Equal(t, mustHex(t, "0400"), Encode(0x04, nil))

	long := bytes.Repeat([]byte{0xEE}, 0x1234)
	enc := Encode(0x04, long)
	assert.Equal(t, mustHex(t, "04821234"), enc[:4])
	e, err := Parse(enc)
	require.NoError(t, err)
	assert.Equal(t, long, e.Value)

	nested := EncodeConstructed(0x7F4C, Encode(0x06, []byte{1}), Encode(0x04, []byte{2, 3}))
	assert.Equal(t, mustHex(t, "7F4C07"+"060101"+"04020203"), nested)

	assert.Panics(t, func() { Encode(0x5F05, nil) })
	assert.Panics(t, func() { EncodeConstructed(0x04) })
}
