package tlv

import "fmt"

// maxLengthBytes bounds the long form of a length to four bytes, enough for any data
// object a card holds and small enough that the length fits an int on every platform Go
// supports.
const maxLengthBytes = 4

// SyntaxError describes malformed TLV data. Offset counts bytes from the start of the
// outermost buffer given to Parse, ParseAll or NewReader, also for nested elements.
type SyntaxError struct {
	Offset int
	// Field names the schema component being read, as passed to Reader.Expect and
	// Reader.End; it is empty for faults found outside them.
	Field string
	Msg   string
}

func (e *SyntaxError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("tlv: offset %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("tlv: offset %d: %s: %s", e.Offset, e.Field, e.Msg)
}

func syntaxError(offset int, format string, args ...any) error {
	return &SyntaxError{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

// TLV is one parsed data object. Value and Raw share memory with the parsed buffer.
type TLV struct {
	Tag Tag
	// Value contains the content bytes, without tag and length.
	Value []byte
	// Raw contains the whole element: tag, length and value.
	Raw []byte
	// Offset is the position of the first tag byte in the outermost parsed buffer.
	Offset int
}

// ValueOffset returns the position of the first value byte in the outermost buffer.
func (t TLV) ValueOffset() int {
	return t.Offset + len(t.Raw) - len(t.Value)
}

// Children parses the value of a constructed element as a sequence of elements.
func (t TLV) Children() ([]TLV, error) {
	if !t.Tag.Constructed() {
		return nil, syntaxError(t.Offset, "tag %v is primitive and has no children", t.Tag)
	}
	return parseAll(t.Value, t.ValueOffset())
}

// Child returns the only child of t with the given tag. It fails if t is primitive, its
// value is malformed, or the tag occurs zero or several times.
func (t TLV) Child(tag Tag) (TLV, error) {
	children, err := t.Children()
	if err != nil {
		return TLV{}, err
	}
	found, count := Find(children, tag)
	switch count {
	case 0:
		return TLV{}, syntaxError(t.Offset, "tag %v has no child %v", t.Tag, tag)
	case 1:
		return found, nil
	default:
		return TLV{}, syntaxError(t.Offset, "tag %v has %d children %v", t.Tag, count, tag)
	}
}

// Find returns the first element of list with the given tag and the number of such
// elements.
func Find(list []TLV, tag Tag) (TLV, int) {
	var found TLV
	count := 0
	for _, e := range list {
		if e.Tag == tag {
			if count == 0 {
				found = e
			}
			count++
		}
	}
	return found, count
}

// Parse parses b as exactly one element. Only the distinguished encoding is accepted,
// because btok stores certificates and data groups in DER: minimal tags and lengths,
// definite lengths only. The value of a constructed element is not parsed; call
// Children for that.
func Parse(b []byte) (TLV, error) {
	r := NewReader(b)
	e, err := r.Next()
	if err != nil {
		return TLV{}, err
	}
	if r.More() {
		return TLV{}, syntaxError(r.Offset(), "%d bytes after the element", len(b)-r.pos)
	}
	return e, nil
}

// ParseAll parses b as a sequence of zero or more elements.
func ParseAll(b []byte) ([]TLV, error) {
	return parseAll(b, 0)
}

func parseAll(b []byte, base int) ([]TLV, error) {
	r := &Reader{buf: b, base: base}
	var list []TLV
	for r.More() {
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, nil
}

// Reader reads consecutive elements from a buffer, one at a time, so a parser can
// check each element before reading the next.
type Reader struct {
	buf  []byte
	pos  int
	base int
}

// NewReader returns a Reader over b. Offsets in its elements and errors count from the
// start of b.
func NewReader(b []byte) *Reader {
	return &Reader{buf: b}
}

// ChildReader returns a Reader over the value of a constructed element, with offsets
// counted in the same buffer as t.Offset.
func (t TLV) ChildReader() (*Reader, error) {
	if !t.Tag.Constructed() {
		return nil, syntaxError(t.Offset, "tag %v is primitive and has no children", t.Tag)
	}
	return &Reader{buf: t.Value, base: t.ValueOffset()}, nil
}

// More reports whether bytes remain.
func (r *Reader) More() bool {
	return r.pos < len(r.buf)
}

// Offset returns the position of the next unread byte in the outermost buffer.
func (r *Reader) Offset() int {
	return r.base + r.pos
}

// Peek parses the next element without consuming it, for optional fields.
func (r *Reader) Peek() (TLV, error) {
	saved := r.pos
	e, err := r.Next()
	r.pos = saved
	return e, err
}

// Next parses the next element. At the end of the buffer it returns a SyntaxError
// saying that the tag is missing.
func (r *Reader) Next() (TLV, error) {
	start := r.pos
	rest := r.buf[start:]

	tagLen, msg := tagLength(rest)
	if msg != "" {
		return TLV{}, syntaxError(r.base+start, "%s", msg)
	}
	var tag Tag
	for _, b := range rest[:tagLen] {
		tag = tag<<8 | Tag(b)
	}

	valueLen, lenLen, err := parseLength(rest[tagLen:], r.base+start+tagLen)
	if err != nil {
		return TLV{}, err
	}
	header := tagLen + lenLen
	if remaining := len(rest) - header; valueLen > remaining {
		return TLV{}, syntaxError(r.base+start+tagLen,
			"length %d of tag %v exceeds remaining %d bytes", valueLen, tag, remaining)
	}

	end := header + valueLen
	r.pos += end
	return TLV{
		Tag:    tag,
		Value:  rest[header:end:end],
		Raw:    rest[:end:end],
		Offset: r.base + start,
	}, nil
}

// parseLength returns the value length and the size of the length field at the start
// of b. Offset is the position of b, for error messages.
func parseLength(b []byte, offset int) (int, int, error) {
	if len(b) == 0 {
		return 0, 0, syntaxError(offset, "missing length")
	}
	first := b[0]
	if first < 0x80 {
		return int(first), 1, nil
	}
	if first == 0x80 {
		return 0, 0, syntaxError(offset, "indefinite length is not allowed in DER")
	}
	n := int(first & 0x7F)
	if n > maxLengthBytes {
		return 0, 0, syntaxError(offset, "length field of %d bytes exceeds the limit of %d",
			n, maxLengthBytes)
	}
	if len(b) < 1+n {
		return 0, 0, syntaxError(offset, "length field of %d bytes is cut short", n)
	}
	if b[1] == 0 {
		return 0, 0, syntaxError(offset, "length has a leading zero byte")
	}
	length := 0
	for _, v := range b[1 : 1+n] {
		length = length<<8 | int(v)
	}
	if length < 0x80 {
		return 0, 0, syntaxError(offset, "length %d should use the short form", length)
	}
	return length, 1 + n, nil
}
