package tsok

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// ParseError describes malformed request DER: which field is wrong and
// where that field starts in the DER input.
type ParseError struct {
	// Field is the ASN.1 path of the field, such as
	// "certificationRequestInfo.subject" or "signatureAlgorithm.algorithm".
	Field string
	// Offset is the byte offset of the field's tag in the DER encoding.
	Offset int
	// Err is the reason.
	Err error
}

// Error returns the field, offset and reason.
func (e *ParseError) Error() string {
	return fmt.Sprintf("tsok: request %s at offset %d: %v", e.Field, e.Offset, e.Err)
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Err }

func parseErrorf(field string, offset int, format string, args ...any) *ParseError {
	return &ParseError{Field: field, Offset: offset, Err: fmt.Errorf(format, args...)}
}

// Universal and context-specific DER tags read by the parser.
const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagBitString   = 0x03
	tagOctetString = 0x04
	tagNull        = 0x05
	tagOID         = 0x06
	tagUTF8String  = 0x0c
	tagPrintable   = 0x13
	tagTeletex     = 0x14
	tagIA5String   = 0x16
	tagUTCTime     = 0x17
	tagGeneralized = 0x18
	tagUniversal   = 0x1c
	tagBMPString   = 0x1e
	tagSequence    = 0x30
	tagSet         = 0x31
	tagContext0    = 0xa0
)

// element is one DER TLV. offset is where its tag starts in the whole input.
type element struct {
	tag     byte
	offset  int
	raw     []byte // tag, length and content
	content []byte
}

func (e element) contentOffset() int { return e.offset + len(e.raw) - len(e.content) }

func (e element) end() int { return e.offset + len(e.raw) }

// readElement reads one DER element from the start of data, whose first
// byte is at offset in the whole input, and checks its tag unless wantTag
// is 0. Requests use only low tag numbers, and DER requires definite,
// minimally encoded lengths.
func readElement(data []byte, offset int, field string, wantTag byte) (element, []byte, error) {
	if len(data) < 2 {
		return element{}, nil, parseErrorf(field, offset, "missing (truncated input)")
	}
	tag := data[0]
	if tag&0x1f == 0x1f {
		return element{}, nil, parseErrorf(field, offset,
			"high-tag-number form 0x%02x is not expected here", tag)
	}
	if wantTag != 0 && tag != wantTag {
		return element{}, nil, parseErrorf(field, offset,
			"tag is 0x%02x, expected 0x%02x", tag, wantTag)
	}

	length, size, err := readLength(data[1:])
	if err != nil {
		return element{}, nil, &ParseError{Field: field, Offset: offset, Err: err}
	}
	header := 1 + size
	if length > len(data)-header {
		return element{}, nil, parseErrorf(field, offset,
			"length %d exceeds the %d bytes left (truncated input)", length, len(data)-header)
	}
	e := element{
		tag:     tag,
		offset:  offset,
		raw:     data[:header+length],
		content: data[header : header+length],
	}
	return e, data[header+length:], nil
}

// readLength decodes a DER length and returns it with the number of bytes
// it took.
func readLength(b []byte) (length, size int, err error) {
	first := b[0]
	if first < 0x80 {
		return int(first), 1, nil
	}
	if first == 0x80 {
		return 0, 0, errors.New("indefinite length is not allowed in DER")
	}
	n := int(first & 0x7f)
	if n > 3 {
		return 0, 0, fmt.Errorf("length of %d bytes is too large for a request", n)
	}
	if len(b) < 1+n {
		return 0, 0, errors.New("length bytes are truncated")
	}
	if b[1] == 0 {
		return 0, 0, errors.New("length has a leading zero byte (not DER)")
	}
	for _, v := range b[1 : 1+n] {
		length = length<<8 | int(v)
	}
	if length < 0x80 {
		return 0, 0, fmt.Errorf("length %d uses the long form (not DER)", length)
	}
	return length, 1 + n, nil
}

// readChildren splits the content of a constructed element into its
// elements, naming each field[i] in errors.
func readChildren(parent element, field string) ([]element, error) {
	var children []element
	rest, offset := parent.content, parent.contentOffset()
	for i := 0; len(rest) > 0; i++ {
		child, next, err := readElement(rest, offset, fmt.Sprintf("%s[%d]", field, i), 0)
		if err != nil {
			return nil, err
		}
		children = append(children, child)
		rest, offset = next, child.end()
	}
	return children, nil
}

// readOID decodes an OBJECT IDENTIFIER element.
func readOID(e element, field string) (asn1.ObjectIdentifier, error) {
	if e.tag != tagOID {
		return nil, parseErrorf(field, e.offset,
			"tag is 0x%02x, expected 0x%02x (OBJECT IDENTIFIER)", e.tag, tagOID)
	}
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(e.raw, &oid)
	if err != nil {
		return nil, &ParseError{Field: field, Offset: e.offset, Err: err}
	}
	if len(rest) != 0 {
		return nil, parseErrorf(field, e.offset, "trailing bytes after the OBJECT IDENTIFIER")
	}
	return oid, nil
}

// bitStringBytes checks a BIT STRING element and returns its octets and
// the number of unused bits in the last octet. DER requires the unused
// bits to be zero.
func bitStringBytes(e element, field string) ([]byte, int, error) {
	if len(e.content) == 0 {
		return nil, 0, parseErrorf(field, e.offset, "BIT STRING has no unused-bits octet")
	}
	unused := int(e.content[0])
	if unused > 7 || (unused > 0 && len(e.content) == 1) {
		return nil, 0, parseErrorf(field, e.offset,
			"BIT STRING has invalid unused-bits count %d", unused)
	}
	last := e.content[len(e.content)-1]
	if unused > 0 && last&(1<<unused-1) != 0 {
		return nil, 0, parseErrorf(field, e.offset, "BIT STRING has nonzero padding bits (not DER)")
	}
	return e.content[1:], unused, nil
}
