package attrcert

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// The attribute certificate parser walks the DER by hand instead of using
// encoding/asn1, whose reflection costs several times the parse itself. The
// parse functions return a *ParseError whose Offset is set and whose Field is
// relative. The callers prefix the field on the way out, so that field names
// are only built when something fails.

// Universal tags met inside an attribute certificate.
const (
	tagBoolean         = 0x01
	tagOctetString     = 0x04
	tagEnumerated      = 0x0a
	tagUTF8String      = 0x0c
	tagSet             = 0x31
	tagNumericString   = 0x12
	tagPrintableString = 0x13
	tagTeletexString   = 0x14
	tagIA5String       = 0x16
	tagUTCTime         = 0x17
	tagGeneralizedTime = 0x18
	tagVisibleString   = 0x1a
	tagUniversalString = 0x1c
	tagBMPString       = 0x1e
)

// Context-specific tags: classContext|n for primitive, classContext|constructed|n
// for constructed encodings.
const (
	classContext = 0x80
	constructed  = 0x20
)

// derReader walks the elements of a constructed value. Its methods fill an
// element in place, because returning elements by value costs more than the
// rest of the parse.
type derReader struct {
	data   []byte
	offset int // of data[0] in the whole input
}

// contentReader reads the elements inside e.
func contentReader(e *element) derReader {
	return derReader{data: e.content, offset: e.offset + len(e.raw) - len(e.content)}
}

func (r *derReader) empty() bool { return len(r.data) == 0 }

// peek returns the tag of the next element, or 0 at the end.
func (r *derReader) peek() byte {
	if len(r.data) == 0 {
		return 0
	}
	return r.data[0]
}

// next reads the next element into e. It accepts definite lengths that DER
// forbids (long form for short lengths, leading zero octets), which some issuers
// write inside otherwise DER certificates. The indefinite length is rejected,
// because the signed bytes must be one definite element.
func (r *derReader) next(e *element) error {
	d := r.data
	if len(d) >= 2 && d[1] < 0x80 && d[0]&0x1f != 0x1f && int(d[1]) <= len(d)-2 {
		end := 2 + int(d[1])
		e.tag, e.offset, e.raw, e.content = d[0], r.offset, d[:end:end], d[2:end:end]
		r.data, r.offset = d[end:], r.offset+end
		return nil
	}
	return r.nextLong(e)
}

// nextLong handles what next's fast path does not: long-form lengths and
// malformed elements.
func (r *derReader) nextLong(e *element) error {
	d := r.data
	if len(d) < 2 {
		return errorAt(r.offset, "missing (truncated input)")
	}
	if d[0]&0x1f == 0x1f {
		return errorAt(r.offset, "high-tag-number form 0x%02x is not expected here", d[0])
	}
	length, header := int(d[1]), 2
	if length >= 0x80 {
		var err error
		if length, header, err = readLongLength(d); err != nil {
			return &ParseError{Offset: r.offset, Err: err}
		}
	}
	if length > len(d)-header {
		return errorAt(r.offset, "length %d exceeds the %d bytes left (truncated input)",
			length, len(d)-header)
	}
	end := header + length
	e.tag, e.offset, e.raw, e.content = d[0], r.offset, d[:end:end], d[header:end:end]
	r.data, r.offset = d[end:], r.offset+end
	return nil
}

// readLongLength decodes the long form of a length that starts at data[1].
func readLongLength(data []byte) (length, header int, err error) {
	n := int(data[1] & 0x7f)
	switch {
	case n == 0:
		return 0, 0, errors.New("indefinite length is not allowed")
	case n > 4:
		return 0, 0, fmt.Errorf("length of %d bytes is too large for a certificate", n)
	case len(data) < 2+n:
		return 0, 0, errors.New("length bytes are truncated")
	}
	for _, b := range data[2 : 2+n] {
		length = length<<8 | int(b)
	}
	if length < 0 {
		return 0, 0, fmt.Errorf("length of %d bytes is too large for a certificate", n)
	}
	return length, 2 + n, nil
}

// expect reads the next element into e and checks its tag.
func (r *derReader) expect(e *element, tag byte) error {
	if err := r.next(e); err != nil {
		return err
	}
	if e.tag != tag {
		return errorAt(e.offset, "tag is 0x%02x, expected 0x%02x", e.tag, tag)
	}
	return nil
}

// finish rejects data left after the last expected element.
func (r *derReader) finish(after string) error {
	if len(r.data) != 0 {
		return errorAt(r.offset, "unexpected element after %s", after)
	}
	return nil
}

// malformed returns the error of the element at which count stopped.
func (r *derReader) malformed() error {
	var e element
	if err := r.next(&e); err != nil {
		return err
	}
	return errorAt(e.offset, "unexpected element")
}

// count returns the number of elements left, so that a slice of the right size
// can be allocated before parsing them. It stops at the first malformed
// element, which the parse that follows reports.
func (r derReader) count() int {
	n := 0
	var e element
	for len(r.data) > 0 && r.next(&e) == nil {
		n++
	}
	return n
}

// fieldError returns err with prefix joined in front of its field name. err must
// be nil or a *ParseError.
func fieldError(err error, prefix string) error {
	if err == nil {
		return nil
	}
	pe := err.(*ParseError)
	switch {
	case pe.Field == "":
		pe.Field = prefix
	case strings.HasPrefix(pe.Field, "["):
		pe.Field = prefix + pe.Field
	default:
		pe.Field = prefix + "." + pe.Field
	}
	return pe
}

// indexedError names element i of a list field.
func indexedError(err error, field string, i int) error {
	return fieldError(err, fmt.Sprintf("%s[%d]", field, i))
}

func errorAt(offset int, format string, args ...any) error {
	return &ParseError{Offset: offset, Err: fmt.Errorf(format, args...)}
}

// arena hands out slices carved from shared blocks, so that a certificate's many
// small slices cost a few allocations. The slices are capped, so appending to one
// copies it instead of overwriting its neighbour.
type arena[T any] struct{ block []T }

func (a *arena[T]) take(n int, minBlock int) []T {
	if n > cap(a.block)-len(a.block) {
		a.block = make([]T, 0, max(n, minBlock))
	}
	start := len(a.block)
	a.block = a.block[:start+n]
	return a.block[start : start+n : start+n]
}

// parseOID decodes the content of an OBJECT IDENTIFIER into arcs taken from
// arcs. Arcs must be minimally encoded and fit in 31 bits.
func parseOID(e *element, arcs *arena[int]) (asn1.ObjectIdentifier, error) {
	content := e.content
	if len(content) == 0 || content[len(content)-1]&0x80 != 0 {
		return nil, errorAt(e.offset, "OBJECT IDENTIFIER is empty or truncated")
	}
	n := 1
	for _, b := range content {
		if b&0x80 == 0 {
			n++
		}
	}
	oid := arcs.take(n, 64)

	i := 0
	value := 0
	for j, b := range content {
		if value == 0 && b == 0x80 {
			return nil, errorAt(e.offset, "OBJECT IDENTIFIER arc at byte %d is not minimally encoded", j)
		}
		if value > 1<<24 {
			return nil, errorAt(e.offset, "OBJECT IDENTIFIER arc at byte %d is too large", j)
		}
		value = value<<7 | int(b&0x7f)
		if b&0x80 != 0 {
			continue
		}
		if i == 0 {
			first := min(value/40, 2)
			oid[0], oid[1] = first, value-40*first
			i = 2
		} else {
			oid[i] = value
			i++
		}
		value = 0
	}
	return oid, nil
}

// parseInteger decodes an INTEGER of any size. Negative values and non-minimal
// encodings are accepted, because serial numbers with either occur in
// certificates issued in practice.
func parseInteger(e *element) (*big.Int, error) {
	b := e.content
	if len(b) == 0 {
		return nil, errorAt(e.offset, "INTEGER is empty")
	}
	n := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		// Two's complement: subtract 2^(8·len).
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n, nil
}

// parseSmallInt decodes an INTEGER or ENUMERATED that must fit in 31 bits.
func parseSmallInt(e *element) (int, error) {
	b := e.content
	if len(b) == 0 || len(b) > 4 {
		return 0, errorAt(e.offset, "integer of %d bytes is out of range", len(b))
	}
	v := int(int8(b[0]))
	for _, x := range b[1:] {
		v = v<<8 | int(x)
	}
	return v, nil
}

// parseBitString returns the bytes of a BIT STRING and its number of unused
// bits, which must be 0 to 7 and 0 for an empty string.
func parseBitString(e *element) (asn1.BitString, error) {
	if len(e.content) == 0 {
		return asn1.BitString{}, errorAt(e.offset, "BIT STRING has no unused-bits octet")
	}
	unused := int(e.content[0])
	if unused > 7 || (unused > 0 && len(e.content) == 1) {
		return asn1.BitString{}, errorAt(e.offset,
			"BIT STRING has invalid unused-bits count %d", unused)
	}
	data := e.content[1:]
	return asn1.BitString{Bytes: data, BitLength: 8*len(data) - unused}, nil
}

// parseBoolean accepts any non-zero octet as TRUE, as BER does.
func parseBoolean(e *element) (bool, error) {
	if len(e.content) != 1 {
		return false, errorAt(e.offset, "BOOLEAN has %d content bytes, expected 1", len(e.content))
	}
	return e.content[0] != 0, nil
}
