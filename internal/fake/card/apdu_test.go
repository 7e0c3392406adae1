package card

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCommandCases(t *testing.T) {
	long := bytes.Repeat([]byte{0xAB}, 300)
	tests := []struct {
		name string
		apdu []byte
		want Command
	}{
		{"case 1", []byte{0, 0xA4, 0, 0}, Command{INS: 0xA4}},
		{"case 2 short", []byte{0, 0xB0, 0, 0, 0}, Command{INS: 0xB0, Le: 256}},
		{"case 2 short 16", []byte{0, 0xB0, 0, 0, 0x10}, Command{INS: 0xB0, Le: 16}},
		{"case 3 short", []byte{0, 0xA4, 2, 0x0C, 2, 1, 1},
			Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 1}}},
		{"case 4 short", []byte{0, 0x86, 0, 0, 1, 0xEE, 0},
			Command{INS: 0x86, Data: []byte{0xEE}, Le: 256}},
		{"case 2 extended", []byte{0, 0xB0, 0, 0, 0, 0, 0}, Command{INS: 0xB0, Le: 65536}},
		{"case 2 extended 300", []byte{0, 0xB0, 0, 0, 0, 1, 0x2C}, Command{INS: 0xB0, Le: 300}},
		{"case 3 extended", append([]byte{0, 0x2A, 0, 0xBE, 0, 1, 0x2C}, long...),
			Command{INS: 0x2A, P2: 0xBE, Data: long}},
		{"case 4 extended", append(append([]byte{0, 0x2A, 0, 0xBE, 0, 1, 0x2C}, long...), 0, 0),
			Command{INS: 0x2A, P2: 0xBE, Data: long, Le: 65536}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCommand(tc.apdu)
			require.NoError(t, err)
			if len(tc.want.Data) == 0 {
				assert.Empty(t, got.Data)
				got.Data, tc.want.Data = nil, nil
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.apdu, got.Encode())
		})
	}
}

func TestParseCommandMalformed(t *testing.T) {
	tests := []struct {
		name, want string
		apdu       []byte
	}{
		{"empty", "shorter than the 4-byte header", nil},
		{"three bytes", "shorter than the 4-byte header", []byte{0, 0xA4, 0}},
		{"Lc past the end", "offset 4: Lc 5 leaves -3 bytes", []byte{0, 0xA4, 0, 0, 5, 1, 2}},
		{"two bytes after data", "offset 4: Lc 1 leaves 2 bytes", []byte{0, 0xA4, 0, 0, 1, 1, 0, 0}},
		{"extended cut short", "offset 4: extended length of 2 bytes", []byte{0, 0xB0, 0, 0, 0, 1}},
		{"extended Lc zero", "offset 5: extended Lc is zero", []byte{0, 0xB0, 0, 0, 0, 0, 0, 1}},
		{"extended Lc past the end", "offset 5: extended Lc 256 leaves -254 bytes",
			[]byte{0, 0xB0, 0, 0, 0, 1, 0, 1, 2}},
		{"one byte after extended data", "offset 5: extended Lc 1 leaves 1 bytes",
			[]byte{0, 0xB0, 0, 0, 0, 0, 1, 7, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCommand(tc.apdu)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestNewCommandForms(t *testing.T) {
	short, err := NewCommand([]byte{0, 0xB0, 0, 0}, nil)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0xB0, 0, 0, 0}, short.Encode())

	long, err := NewCommand([]byte{0, 0x2A, 0, 0xBE}, make([]byte, 256))
	require.NoError(t, err)
	encoded := long.Encode()
	assert.Equal(t, []byte{0, 1, 0}, encoded[4:7])
	assert.Equal(t, []byte{0, 0}, encoded[len(encoded)-2:])

	_, err = NewCommand([]byte{0, 0xB0, 0}, nil)
	assert.ErrorContains(t, err, "header of 3 bytes")
	_, err = NewCommand([]byte{0, 0xB0, 0, 0}, make([]byte, 65536))
	assert.ErrorContains(t, err, "exceeds 65535")
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse([]byte{1, 2, 0x90, 0})
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2}, r.Data)
	assert.Equal(t, StatusOK, r.Status)

	_, err = ParseResponse([]byte{0x90})
	assert.ErrorContains(t, err, "no status word")
}

func FuzzParseCommand(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 0xA4, 0, 0},
		{0, 0xB0, 0, 0, 0},
		{0, 0xA4, 2, 0x0C, 2, 1, 1},
		{0, 0x86, 0, 0, 1, 0xEE, 0},
		{0, 0xB0, 0, 0, 0, 1, 0x2C},
		{0, 0x2A, 0, 0xBE, 0, 0, 2, 1, 2, 0, 0},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		cmd, err := ParseCommand(in)
		if err != nil {
			return
		}
		again, err := ParseCommand(cmd.Encode())
		if err != nil {
			t.Fatalf("re-encoding %X of %X does not parse: %v", cmd.Encode(), in, err)
		}
		if !bytes.Equal(again.Data, cmd.Data) || again.Le != cmd.Le ||
			again.Header() != cmd.Header() {
			t.Fatalf("round trip of %X changed the command: %+v, then %+v", in, cmd, again)
		}
	})
}
