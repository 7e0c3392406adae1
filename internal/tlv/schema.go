package tlv

import "errors"

// Expect reads the next element, which must carry tag. Field names the schema component
// in errors ("certHolderReference"), so a fault reads as
// "tlv: offset 12: certHolderReference: tag 42, expected 5F20".
func (r *Reader) Expect(tag Tag, field string) (TLV, error) {
	if !r.More() {
		return TLV{}, &SyntaxError{Offset: r.Offset(), Field: field,
			Msg: "missing, expected tag " + tag.String()}
	}
	e, err := r.Next()
	if err != nil {
		return TLV{}, withField(err, field)
	}
	return checkTag(e, tag, field)
}

// End checks that no bytes remain after the last component of field.
func (r *Reader) End(field string) error {
	if !r.More() {
		return nil
	}
	msg := "unexpected bytes after the last component"
	if e, err := r.Peek(); err == nil {
		msg = "unexpected tag " + e.Tag.String() + " after the last component"
	}
	return &SyntaxError{Offset: r.Offset(), Field: field, Msg: msg}
}

// ParseTagged parses b as exactly one element, which must carry tag.
func ParseTagged(b []byte, tag Tag, field string) (TLV, error) {
	e, err := Parse(b)
	if err != nil {
		return TLV{}, withField(err, field)
	}
	return checkTag(e, tag, field)
}

// FieldReader returns a Reader over the children of t. An error names field.
func (t TLV) FieldReader(field string) (*Reader, error) {
	r, err := t.ChildReader()
	return r, withField(err, field)
}

func checkTag(e TLV, tag Tag, field string) (TLV, error) {
	if e.Tag != tag {
		return TLV{}, &SyntaxError{Offset: e.Offset, Field: field,
			Msg: "tag " + e.Tag.String() + ", expected " + tag.String()}
	}
	return e, nil
}

func withField(err error, field string) error {
	var se *SyntaxError
	if errors.As(err, &se) && se.Field == "" {
		se.Field = field
	}
	return err
}
