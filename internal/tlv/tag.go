package tlv

import "fmt"

// Tag is a BER tag held as its encoded bytes, big-endian, in the low bytes of a uint32:
// Tag(0x7F21) is the two-byte tag 7F 21 of a CV certificate and Tag(0x42) the one-byte
// tag 42. A tag never starts with a zero byte, so the value determines its length.
type Tag uint32

// Class is the class of a tag, taken from the two high bits of its first byte.
type Class uint8

// The four tag classes of X.690.
const (
	ClassUniversal   Class = 0
	ClassApplication Class = 1
	ClassContext     Class = 2
	ClassPrivate     Class = 3
)

// String returns the X.690 name of the class.
func (c Class) String() string {
	switch c {
	case ClassUniversal:
		return "universal"
	case ClassApplication:
		return "application"
	case ClassContext:
		return "context-specific"
	default:
		return "private"
	}
}

// maxTagBytes bounds a tag to what fits in Tag. ISO/IEC 7816-4 uses at most three bytes.
const maxTagBytes = 4

// Bytes returns the encoded tag.
func (t Tag) Bytes() []byte {
	n := t.size()
	b := make([]byte, n)
	for i := range n {
		b[i] = byte(t >> (8 * (n - 1 - i)))
	}
	return b
}

func (t Tag) size() int {
	n := 1
	for v := t >> 8; v != 0; v >>= 8 {
		n++
	}
	return n
}

func (t Tag) first() byte {
	return byte(t >> (8 * (t.size() - 1)))
}

// Class returns the class of the tag.
func (t Tag) Class() Class {
	return Class(t.first() >> 6)
}

// Constructed reports whether the value of an element with this tag is itself a
// sequence of elements.
func (t Tag) Constructed() bool {
	return t.first()&0x20 != 0
}

// Number returns the tag number within its class: 33 for 7F21, 2 for 42.
func (t Tag) Number() uint32 {
	if t.size() == 1 {
		return uint32(t & 0x1F)
	}
	var n uint32
	for _, b := range t.Bytes()[1:] {
		n = n<<7 | uint32(b&0x7F)
	}
	return n
}

// String returns the tag in hexadecimal, as ISO/IEC 7816 documents write it ("7F21").
func (t Tag) String() string {
	return fmt.Sprintf("%0*X", 2*t.size(), uint32(t))
}

// Valid reports whether t is the minimal encoding of one tag: a first byte other than
// 00 and FF, and for numbers of 31 and above the base-128 continuation bytes without a
// leading zero group.
func (t Tag) Valid() bool {
	b := t.Bytes()
	n, err := tagLength(b)
	return err == "" && n == len(b)
}

// tagLength returns the number of bytes of the tag at the start of b, or a description
// of what is wrong with it.
func tagLength(b []byte) (int, string) {
	if len(b) == 0 {
		return 0, "missing tag"
	}
	// ISO/IEC 7816-4 reserves 00 and FF as filler between data objects, and 00 is the
	// end-of-contents marker of the indefinite form, which this package rejects.
	if b[0] == 0x00 || b[0] == 0xFF {
		return 0, fmt.Sprintf("invalid tag byte %02X", b[0])
	}
	if b[0]&0x1F != 0x1F {
		return 1, ""
	}
	if len(b) < 2 {
		return 0, fmt.Sprintf("tag %02X is cut short", b[0])
	}
	if b[1] == 0x80 {
		return 0, fmt.Sprintf("tag %02X%02X has a leading zero group", b[0], b[1])
	}
	if b[1] < 0x1F {
		return 0, fmt.Sprintf("tag %02X%02X should be written in one byte", b[0], b[1])
	}
	for i := 1; i < len(b); i++ {
		if b[i]&0x80 == 0 {
			return i + 1, ""
		}
		if i+1 == maxTagBytes {
			return 0, fmt.Sprintf("tag is longer than %d bytes", maxTagBytes)
		}
	}
	return 0, fmt.Sprintf("tag %X is cut short", b)
}
