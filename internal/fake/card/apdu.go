package card

import (
	"encoding/binary"
	"fmt"
)

// Command is a command APDU of ISO/IEC 7816-4 as btok uses it: a header of
// four bytes, optional command data (CDF) and an optional expected response
// length (Le).
type Command struct {
	CLA, INS, P1, P2 byte
	// Data is the command data field, empty when the command has none.
	Data []byte
	// Le is the maximum length of the response data: 0 when the command
	// expects none, 1 to 256 in the short form, up to 65536 in the extended
	// form.
	Le int
}

// Header returns CLA INS P1 P2, the form of header_cmd_to_card.
func (c Command) Header() [4]byte { return [4]byte{c.CLA, c.INS, c.P1, c.P2} }

// NewCommand builds a command from a four-byte header and its data, as the
// client program does with header_cmd_to_card and cmd_to_card. It sets Le
// to the maximum of the form the command takes, because the relayed
// messages carry no Le and the card returns no more than it has.
func NewCommand(header, data []byte) (Command, error) {
	if len(header) != 4 {
		return Command{}, fmt.Errorf("card: command header of %d bytes, expected 4", len(header))
	}
	if len(data) > 65535 {
		return Command{}, fmt.Errorf("card: command data of %d bytes exceeds 65535", len(data))
	}
	le := 256
	if len(data) > 255 {
		le = 65536
	}
	return Command{CLA: header[0], INS: header[1], P1: header[2], P2: header[3],
		Data: data, Le: le}, nil
}

// Encode returns the APDU in the short form when Data and Le fit it, and in
// the extended form otherwise (btok lets Le follow the form of Lc).
func (c Command) Encode() []byte {
	out := []byte{c.CLA, c.INS, c.P1, c.P2}
	extended := len(c.Data) > 255 || c.Le > 256
	switch {
	case len(c.Data) > 0 && extended:
		out = append(out, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
	case len(c.Data) > 0:
		out = append(out, byte(len(c.Data)))
	}
	out = append(out, c.Data...)
	switch {
	case c.Le == 0:
	case extended && len(c.Data) > 0:
		out = append(out, byte(c.Le>>8), byte(c.Le))
	case extended:
		out = append(out, 0, byte(c.Le>>8), byte(c.Le))
	default:
		out = append(out, byte(c.Le))
	}
	return out
}

// ParseCommand decodes a command APDU in any of the cases of ISO/IEC
// 7816-4: header only, with Le, with data, with data and Le, each in the
// short or the extended form. Errors name the byte offset of the fault.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, fmt.Errorf("card: apdu of %d bytes is shorter than the 4-byte header",
			len(b))
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	body := b[4:]
	switch {
	case len(body) == 0:
		return c, nil
	case len(body) == 1:
		c.Le = shortLe(body[0])
		return c, nil
	case body[0] != 0:
		return parseShortBody(c, body)
	}
	return parseExtendedBody(c, body)
}

func shortLe(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

func extendedLe(b []byte) int {
	n := int(binary.BigEndian.Uint16(b))
	if n == 0 {
		return 65536
	}
	return n
}

// parseShortBody reads Lc, the data and an optional Le of one byte.
func parseShortBody(c Command, body []byte) (Command, error) {
	lc := int(body[0])
	switch rest := len(body) - 1 - lc; rest {
	case 0:
	case 1:
		c.Le = shortLe(body[len(body)-1])
	default:
		return Command{}, fmt.Errorf("card: apdu offset 4: Lc %d leaves %d bytes, expected 0 or 1",
			lc, rest)
	}
	c.Data = body[1 : 1+lc]
	return c, nil
}

// parseExtendedBody reads a body that starts with 00: either an extended Le
// alone (3 bytes) or an extended Lc, the data and an optional Le of 2 bytes.
func parseExtendedBody(c Command, body []byte) (Command, error) {
	if len(body) < 3 {
		return Command{}, fmt.Errorf("card: apdu offset 4: extended length of %d bytes, "+
			"expected 3", len(body))
	}
	if len(body) == 3 {
		c.Le = extendedLe(body[1:3])
		return c, nil
	}
	lc := int(binary.BigEndian.Uint16(body[1:3]))
	if lc == 0 {
		return Command{}, fmt.Errorf("card: apdu offset 5: extended Lc is zero")
	}
	switch rest := len(body) - 3 - lc; rest {
	case 0:
	case 2:
		c.Le = extendedLe(body[len(body)-2:])
	default:
		return Command{}, fmt.Errorf("card: apdu offset 5: extended Lc %d leaves %d bytes, "+
			"expected 0 or 2", lc, rest)
	}
	c.Data = body[3 : 3+lc]
	return c, nil
}

// Status words that the card returns (btok, appendix В, and ISO/IEC 7816-4).
const (
	StatusOK                   uint16 = 0x9000
	StatusAuthenticationFail   uint16 = 0x6300
	StatusWrongLength          uint16 = 0x6700
	StatusSecurityNotSatisfied uint16 = 0x6982
	StatusPINBlocked           uint16 = 0x6983
	StatusConditionsNotMet     uint16 = 0x6985
	StatusNoCurrentEF          uint16 = 0x6986
	StatusInvalidData          uint16 = 0x6A80
	StatusFileNotFound         uint16 = 0x6A82
	StatusWrongP1P2            uint16 = 0x6A86
	StatusReferenceNotFound    uint16 = 0x6A88
	StatusOffsetOutside        uint16 = 0x6B00
	StatusINSNotSupported      uint16 = 0x6D00
	StatusCLANotSupported      uint16 = 0x6E00
)

// Response is a response APDU: data and the status word SW1 SW2.
type Response struct {
	Data   []byte
	Status uint16
}

// Encode returns the data followed by SW1 SW2.
func (r Response) Encode() []byte {
	out := append([]byte(nil), r.Data...)
	return binary.BigEndian.AppendUint16(out, r.Status)
}

// ParseResponse splits a response APDU into its data and status word.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, fmt.Errorf("card: response of %d bytes has no status word", len(b))
	}
	n := len(b) - 2
	return Response{Data: b[:n:n], Status: binary.BigEndian.Uint16(b[n:])}, nil
}

func status(sw uint16) Response { return Response{Status: sw} }
