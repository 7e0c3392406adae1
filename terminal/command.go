package terminal

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// cardCommand is a command of the КПСИС for the card, relayed by the client
// program: header_cmd_to_card is CLA INS P1 P2 and cmd_to_card the command
// data, both in base64.
type cardCommand struct {
	header [4]byte
	data   []byte
}

// maxCommandData is the largest command data field of ISO/IEC 7816-4.
const maxCommandData = 65535

// decodeBase64 reads standard base64 with or without padding, and names
// the field and the offset of the first bad character in its error.
func decodeBase64(field, s string) ([]byte, error) {
	trimmed := strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(trimmed)
	if err != nil {
		if ce, ok := err.(base64.CorruptInputError); ok {
			return nil, fmt.Errorf("%s is not base64: invalid character at offset %d", field,
				int64(ce))
		}
		return nil, fmt.Errorf("%s is not base64: %v", field, err)
	}
	if pad := len(s) - len(trimmed); pad > 0 && (len(trimmed)+pad)%4 != 0 {
		return nil, fmt.Errorf("%s is not base64: %d padding characters at offset %d",
			field, pad, len(trimmed))
	}
	return b, nil
}

// decodeCommand checks the command fields of a КПСИС response.
func decodeCommand(header, data string) (cardCommand, error) {
	var c cardCommand
	if header == "" {
		return c, fmt.Errorf("response has no header_cmd_to_card")
	}
	h, err := decodeBase64("header_cmd_to_card", header)
	if err != nil {
		return c, err
	}
	if len(h) != 4 {
		return c, fmt.Errorf("header_cmd_to_card has %d bytes, expected 4 (CLA INS P1 P2)",
			len(h))
	}
	copy(c.header[:], h)
	if c.data, err = decodeBase64("cmd_to_card", data); err != nil {
		return c, err
	}
	if len(c.data) > maxCommandData {
		return c, fmt.Errorf("cmd_to_card has %d bytes, more than %d", len(c.data),
			maxCommandData)
	}
	return c, nil
}

func (c cardCommand) encodeHeader() string { return base64.StdEncoding.EncodeToString(c.header[:]) }
func (c cardCommand) encodeData() string   { return base64.StdEncoding.EncodeToString(c.data) }

// dataGroup returns the data group whose file the command selects (Select
// File, P1P2 020C, with a file identifier 0101 to 0116), or 0. A КПСИС that
// uses secure messaging hides the file, and then this returns 0.
func (c cardCommand) dataGroup() int {
	if c.header != [4]byte{0x00, 0xA4, 0x02, 0x0C} || len(c.data) != 2 || c.data[0] != 0x01 {
		return 0
	}
	if dg := int(c.data[1]); dg >= 1 && dg <= DataGroupCount {
		return dg
	}
	return 0
}
