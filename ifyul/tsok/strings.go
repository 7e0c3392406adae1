package tsok

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// stringTypeNames names the ASN.1 string types a name attribute may carry.
var stringTypeNames = map[byte]string{
	tagUTF8String: "UTF8String",
	tagPrintable:  "PrintableString",
	tagTeletex:    "TeletexString",
	tagIA5String:  "IA5String",
	tagUniversal:  "UniversalString",
	tagBMPString:  "BMPString",
}

// stringTypeName returns the ASN.1 name of a string tag, or the tag in hex.
func stringTypeName(tag byte) string {
	if name, ok := stringTypeNames[tag]; ok {
		return name
	}
	return fmt.Sprintf("tag 0x%02x", tag)
}

// decodeString decodes an ASN.1 character string of one of the types in
// stringTypeNames, checking that its content is valid for the type.
func decodeString(e element, field string) (string, error) {
	b := e.content
	switch e.tag {
	case tagUTF8String:
		if !utf8.Valid(b) {
			return "", parseErrorf(field, e.offset, "UTF8String is not valid UTF-8")
		}
		return string(b), nil

	case tagPrintable:
		for i, c := range b {
			if !isPrintableStringChar(c) {
				return "", parseErrorf(field, e.offset,
					"PrintableString has character 0x%02x at position %d", c, i)
			}
		}
		return string(b), nil

	case tagIA5String:
		for i, c := range b {
			if c >= 0x80 {
				return "", parseErrorf(field, e.offset,
					"IA5String has non-ASCII byte 0x%02x at position %d", c, i)
			}
		}
		return string(b), nil

	case tagTeletex:
		// T.61 is read as Latin-1, as most software does; the profile
		// rejects the type anyway, and the value only shows in messages.
		runes := make([]rune, len(b))
		for i, c := range b {
			runes[i] = rune(c)
		}
		return string(runes), nil

	case tagBMPString:
		return decodeBMPString(e, field)

	case tagUniversal:
		return decodeUniversalString(e, field)
	}
	return "", parseErrorf(field, e.offset, "tag 0x%02x is not a character string type", e.tag)
}

// decodeBMPString decodes UCS-2 big-endian, as ГосСУОК's certificates use
// for Cyrillic names.
func decodeBMPString(e element, field string) (string, error) {
	b := e.content
	if len(b)%2 != 0 {
		return "", parseErrorf(field, e.offset, "BMPString has odd length %d", len(b))
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = binary.BigEndian.Uint16(b[2*i:])
		if utf16.IsSurrogate(rune(units[i])) {
			return "", parseErrorf(field, e.offset,
				"BMPString has surrogate 0x%04x at position %d", units[i], 2*i)
		}
	}
	return string(utf16.Decode(units)), nil
}

func decodeUniversalString(e element, field string) (string, error) {
	b := e.content
	if len(b)%4 != 0 {
		return "", parseErrorf(field, e.offset,
			"UniversalString has length %d, not a multiple of 4", len(b))
	}
	runes := make([]rune, len(b)/4)
	for i := range runes {
		r := rune(binary.BigEndian.Uint32(b[4*i:]))
		if !utf8.ValidRune(r) {
			return "", parseErrorf(field, e.offset,
				"UniversalString has invalid code point 0x%x at position %d", r, 4*i)
		}
		runes[i] = r
	}
	return string(runes), nil
}

// isPrintableStringChar reports whether c is in the PrintableString
// alphabet of X.680: letters, digits, space and ' ( ) + , - . / : = ?.
func isPrintableStringChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case ' ', '\'', '(', ')', '+', ',', '-', '.', '/', ':', '=', '?':
		return true
	}
	return false
}
