// Package tlv reads and writes the BER-TLV data objects of ISO/IEC 7816-4 as STB
// 34.101.79 (btok) uses them on the ID card: CV certificates, data groups and command
// data.
//
// Tags may span several bytes (7F21, 5F37, 7F4E) and are kept as their encoded bytes,
// so Tag(0x5F20) reads as the documents write it. Lengths use the short form or the
// definite long form with up to four length bytes.
//
// The reader accepts only the distinguished encoding (DER), because btok requires it for
// certificates and for data groups stored on the card, and because it makes the
// encoding unique, so the bytes a signature covers can be rebuilt. It therefore rejects
// the indefinite length, lengths and tags that are longer than needed, lengths running
// past the buffer, the filler bytes 00 and FF in place of a tag, and trailing bytes
// after a single element. It checks the structure only. String types and integer or
// boolean forms are checked by the parser of each schema.
//
// Every error is a *SyntaxError carrying the byte offset of the fault, counted from the
// start of the outermost buffer, also inside nested elements:
//
//	tlv: offset 12: length 300 of tag 5F20 exceeds remaining 40 bytes
package tlv
