package attrcert

import (
	"unicode/utf16"
	"unicode/utf8"
)

// isStringTag reports whether tag is one of the character string types that
// DirectoryString and the names of certificates use.
func isStringTag(tag byte) bool {
	switch tag {
	case tagUTF8String, tagPrintableString, tagTeletexString, tagIA5String,
		tagVisibleString, tagNumericString, tagBMPString, tagUniversalString:
		return true
	}
	return false
}

// decodeString decodes a character string element to UTF-8.
//
// PrintableString, IA5String, VisibleString and NumericString are not checked
// against their alphabets, because issuers put characters such as '@', '_' or
// '&' into PrintableString of otherwise valid certificates. Their
// bytes must still be valid UTF-8. TeletexString is read as Latin-1, as other
// X.509 libraries do.
func decodeString(e *element) (string, error) {
	b := e.content
	switch e.tag {
	case tagUTF8String, tagPrintableString, tagIA5String, tagVisibleString, tagNumericString:
		if !utf8.Valid(b) {
			return "", errorAt(e.offset, "string of tag 0x%02x is not valid UTF-8", e.tag)
		}
		return string(b), nil

	case tagTeletexString:
		runes := make([]rune, len(b))
		for i, c := range b {
			runes[i] = rune(c)
		}
		return string(runes), nil

	case tagBMPString:
		if len(b)%2 != 0 {
			return "", errorAt(e.offset, "BMPString has an odd length %d", len(b))
		}
		units := make([]uint16, len(b)/2)
		for i := range units {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(units)), nil

	case tagUniversalString:
		if len(b)%4 != 0 {
			return "", errorAt(e.offset, "UniversalString length %d is not a multiple of 4", len(b))
		}
		runes := make([]rune, len(b)/4)
		for i := range runes {
			r := rune(b[4*i])<<24 | rune(b[4*i+1])<<16 | rune(b[4*i+2])<<8 | rune(b[4*i+3])
			if !utf8.ValidRune(r) {
				return "", errorAt(e.offset, "UniversalString has invalid code point %#x", r)
			}
			runes[i] = r
		}
		return string(runes), nil
	}
	return "", errorAt(e.offset, "tag 0x%02x is not a character string type", e.tag)
}

// parseDirectoryString reads the next element of r, which must be a character
// string.
func parseDirectoryString(r *derReader) (string, error) {
	var e element
	if err := r.next(&e); err != nil {
		return "", err
	}
	return decodeString(&e)
}
