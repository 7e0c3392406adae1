package tlv

import "fmt"

// Append appends the DER encoding of one element to dst. It panics if tag is not Valid,
// because tags come from constants in the calling code, never from input.
func Append(dst []byte, tag Tag, value []byte) []byte {
	if !tag.Valid() {
		panic(fmt.Sprintf("tlv: invalid tag %X", uint32(tag)))
	}
	dst = append(dst, tag.Bytes()...)
	dst = appendLength(dst, len(value))
	return append(dst, value...)
}

// Encode returns the DER encoding of one element. It panics if tag is not Valid.
func Encode(tag Tag, value []byte) []byte {
	return Append(make([]byte, 0, tag.size()+1+maxLengthBytes+len(value)), tag, value)
}

// EncodeConstructed returns the element whose value is the concatenation of the already
// encoded children. It panics if tag is not Valid or not constructed.
func EncodeConstructed(tag Tag, children ...[]byte) []byte {
	if !tag.Constructed() {
		panic(fmt.Sprintf("tlv: tag %v is primitive", tag))
	}
	size := 0
	for _, c := range children {
		size += len(c)
	}
	value := make([]byte, 0, size)
	for _, c := range children {
		value = append(value, c...)
	}
	return Encode(tag, value)
}

// Encode returns the DER encoding of t built from Tag and Value. For an element that
// Parse accepted, it equals Raw.
func (t TLV) Encode() []byte {
	return Encode(t.Tag, t.Value)
}

func appendLength(dst []byte, n int) []byte {
	if n < 0x80 {
		return append(dst, byte(n))
	}
	size := 0
	for v := n; v != 0; v >>= 8 {
		size++
	}
	if size > maxLengthBytes {
		panic(fmt.Sprintf("tlv: value of %d bytes is too long to encode", n))
	}
	dst = append(dst, 0x80|byte(size))
	for i := size - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	return dst
}
