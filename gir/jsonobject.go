package gir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonMember is one member of a JSON object with the byte offset of its value.
type jsonMember struct {
	raw    json.RawMessage
	offset int64
}

// jsonObject is a decoded JSON object whose members are read one by one with
// type checks. Members never read end up in extra, in no particular order.
type jsonObject struct {
	object  string
	members map[string]jsonMember
	used    map[string]bool
}

// readObject decodes data, which must be one JSON object, without decoding its
// member values. base is the offset of data within the caller's input, so
// that errors of nested objects count from the start of the outer text.
func readObject(object string, data []byte, base int64) (*jsonObject, error) {
	if err := checkJSON(object, data, base); err != nil {
		return nil, err
	}
	start := skipSpace(data, 0)
	if start >= len(data) || data[start] != '{' {
		return nil, &FieldError{Object: object, Offset: base + int64(start),
			Reason: "expected an object, got " + jsonKind(data[start:])}
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(object, err, base, len(data))
	}
	o := &jsonObject{object: object, members: map[string]jsonMember{}, used: map[string]bool{}}
	for dec.More() {
		keyStart := skipSpace(data, int(dec.InputOffset()))
		if keyStart < len(data) && data[keyStart] == ',' {
			keyStart = skipSpace(data, keyStart+1)
		}
		token, err := dec.Token()
		if err != nil {
			return nil, syntaxError(object, err, base, len(data))
		}
		key, _ := token.(string)
		valueStart := skipSpace(data, int(dec.InputOffset()))
		if valueStart < len(data) && data[valueStart] == ':' {
			valueStart = skipSpace(data, valueStart+1)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxError(object, err, base, len(data))
		}
		if _, dup := o.members[key]; dup {
			return nil, &FieldError{Object: object, Field: key, Offset: base + int64(keyStart),
				Reason: "duplicate member"}
		}
		o.members[key] = jsonMember{raw: raw, offset: base + int64(valueStart)}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(object, err, base, len(data))
	}
	return o, nil
}

// checkJSON checks that data is UTF-8 and exactly one JSON value, because
// encoding/json would silently replace invalid UTF-8 and the decoder above
// would not notice text after the value.
func checkJSON(object string, data []byte, base int64) error {
	if !utf8.Valid(data) {
		offset := 0
		for offset < len(data) {
			r, size := utf8.DecodeRune(data[offset:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			offset += size
		}
		return &FieldError{Object: object, Offset: base + int64(offset),
			Reason: "invalid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var value json.RawMessage
	if err := dec.Decode(&value); err != nil {
		return syntaxError(object, err, base, len(data))
	}
	if end := skipSpace(data, int(dec.InputOffset())); end < len(data) {
		return &FieldError{Object: object, Offset: base + int64(end),
			Reason: "unexpected data after the JSON value"}
	}
	return nil
}

// syntaxError turns a decoding error into a *FieldError. size is the length
// of the input, where an unexpected end is reported.
func syntaxError(object string, err error, base int64, size int) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		// SyntaxError.Offset counts the bytes read, including the bad one.
		offset := max(syntax.Offset-1, 0)
		return &FieldError{Object: object, Offset: base + offset,
			Reason: "invalid JSON: " + strings.TrimPrefix(syntax.Error(), "json: ")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FieldError{Object: object, Offset: base + int64(size),
			Reason: "invalid JSON: unexpected end"}
	}
	return &FieldError{Object: object, Offset: base, Reason: "invalid JSON: " + err.Error()}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// jsonKind names the kind of the JSON value that starts data.
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// member returns the member stored under one of names and marks it read. A
// member whose value is null counts as absent.
func (o *jsonObject) member(names FieldNames) (string, jsonMember, bool, error) {
	found := ""
	var m jsonMember
	for _, name := range names {
		candidate, ok := o.members[name]
		if !ok {
			continue
		}
		o.used[name] = true
		if found != "" {
			return "", jsonMember{}, false, o.fail(name, candidate.offset,
				fmt.Sprintf("both %q and %q are present", found, name))
		}
		found, m = name, candidate
	}
	if found == "" || isNull(m.raw) {
		return found, jsonMember{}, false, nil
	}
	return found, m, true, nil
}

func (o *jsonObject) fail(field string, offset int64, reason string) error {
	return &FieldError{Object: o.object, Field: field, Offset: offset, Reason: reason}
}

func (o *jsonObject) expected(field string, m jsonMember, kind string) error {
	return o.fail(field, m.offset, "expected "+kind+", got "+jsonKind(m.raw))
}

// string reads a JSON string with surrounding white space trimmed.
func (o *jsonObject) string(names FieldNames) (string, error) {
	name, m, ok, err := o.member(names)
	if !ok || err != nil {
		return "", err
	}
	var s string
	if m.raw[0] != '"' || json.Unmarshal(m.raw, &s) != nil {
		return "", o.expected(name, m, "a string")
	}
	return strings.TrimSpace(s), nil
}

// dateLayouts are the date forms accepted: ISO 8601, the YYYYMMDD of the
// terminal module, and the DD.MM.YYYY of Belarusian documents.
var dateLayouts = []string{time.DateOnly, "20060102", "02.01.2006"}

// date reads a date string as midnight UTC.
func (o *jsonObject) date(names FieldNames) (time.Time, error) {
	name, m, ok, err := o.member(names)
	if !ok || err != nil {
		return time.Time{}, err
	}
	var s string
	if m.raw[0] != '"' || json.Unmarshal(m.raw, &s) != nil {
		return time.Time{}, o.expected(name, m, "a date string")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, o.fail(name, m.offset,
		fmt.Sprintf("%q is not a date in the form YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY", s))
}

// boolean reads a JSON boolean.
func (o *jsonObject) boolean(names FieldNames) (bool, error) {
	name, m, ok, err := o.member(names)
	if !ok || err != nil {
		return false, err
	}
	var b bool
	if json.Unmarshal(m.raw, &b) != nil {
		return false, o.expected(name, m, "a boolean")
	}
	return b, nil
}

// extra returns the members never read, or nil when there are none.
func (o *jsonObject) extra() map[string]json.RawMessage {
	var extra map[string]json.RawMessage
	for name, m := range o.members {
		if o.used[name] {
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[name] = m.raw
	}
	return extra
}

// quoteNames lists every name of every field, for errors about a value of an
// unexpected shape.
func quoteNames(lists ...FieldNames) string {
	var quoted []string
	for _, names := range lists {
		for _, name := range names {
			quoted = append(quoted, fmt.Sprintf("%q", name))
		}
	}
	return strings.Join(quoted, ", ")
}
