package terminal

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeCommand(t *testing.T) {
	c, err := decodeCommand("AKQCDA==", "AQY=")
	require.NoError(t, err)
	assert.Equal(t, [4]byte{0x00, 0xA4, 0x02, 0x0C}, c.header)
	assert.Equal(t, []byte{0x01, 0x06}, c.data)
	assert.Equal(t, 6, c.dataGroup())
	assert.Equal(t, "AKQCDA==", c.encodeHeader())
	assert.Equal(t, "AQY=", c.encodeData())

	unpadded, err := decodeCommand("ALAAAA", "")
	require.NoError(t, err)
	assert.Equal(t, [4]byte{0x00, 0xB0, 0, 0}, unpadded.header)
	assert.Empty(t, unpadded.data)
	assert.Zero(t, unpadded.dataGroup())
}

func TestDecodeCommandMalformed(t *testing.T) {
	tests := []struct {
		name, header, data, want string
	}{
		{"no header", "", "", "no header_cmd_to_card"},
		{"three bytes", "AKQC", "", "has 3 bytes, expected 4"},
		{"five bytes", "AKQCDAE=", "", "has 5 bytes, expected 4"},
		{"bad character", "AKQ*DA==", "", "header_cmd_to_card is not base64: invalid character at offset 3"},
		{"bad data", "AKQCDA==", "AQ!=", "cmd_to_card is not base64: invalid character at offset 2"},
		{"extra padding", "AKQCDA===", "", "3 padding characters at offset 6"},
		{"data too long", "AKQCDA==", strings.Repeat("A", 87384), "more than 65535"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeCommand(tc.header, tc.data)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestCommandDataGroup(t *testing.T) {
	tests := []struct {
		name   string
		header [4]byte
		data   []byte
		want   int
	}{
		{"DG1", [4]byte{0, 0xA4, 2, 0x0C}, []byte{1, 1}, 1},
		{"DG22", [4]byte{0, 0xA4, 2, 0x0C}, []byte{1, 0x16}, 22},
		{"beyond DG22", [4]byte{0, 0xA4, 2, 0x0C}, []byte{1, 0x17}, 0},
		{"eSign file", [4]byte{0, 0xA4, 2, 0x0C}, []byte{0x52, 0x11}, 0},
		{"application", [4]byte{0, 0xA4, 4, 0x0C}, []byte{1, 1}, 0},
		{"secure messaging", [4]byte{0x0C, 0xA4, 2, 0x0C}, []byte{1, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, cardCommand{tc.header, tc.data}.dataGroup())
		})
	}
}

func FuzzDecodeCommand(f *testing.F) {
	f.Add("AKQCDA==", "AQY=")
	f.Add("ALAAAA", "")
	f.Add("AKQ*DA==", "")
	f.Add("AKQCDA===", "A")
	f.Fuzz(func(t *testing.T, header, data string) {
		c, err := decodeCommand(header, data)
		if err != nil {
			return
		}
		again, err := decodeCommand(c.encodeHeader(), c.encodeData())
		if err != nil {
			t.Fatalf("re-encoded command does not decode: %v", err)
		}
		if again.header != c.header || string(again.data) != string(c.data) {
			t.Fatalf("round trip changed the command")
		}
		if dg := c.dataGroup(); dg < 0 || dg > DataGroupCount {
			t.Fatalf("data group %d out of range", dg)
		}
	})
}
