package terminal

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func groups(list ...int) map[int]bool {
	m := make(map[int]bool)
	for _, dg := range list {
		m[dg] = true
	}
	return m
}

func groupRange(from, to int) []int {
	var list []int
	for dg := from; dg <= to; dg++ {
		list = append(list, dg)
	}
	return list
}

func TestEIDRightsWords(t *testing.T) {
	tests := []struct {
		name     string
		word     string
		age      bool
		region   bool
		can      bool
		pin      bool
		read     map[int]bool
		write    map[int]bool
		reserved EIDRights
		text     string
	}{
		{
			name: "CA word 3F3FFFFF33", word: "3F3FFFFF33",
			age: true, region: true, can: true, pin: true,
			read: groups(groupRange(1, 22)...), write: groups(groupRange(17, 22)...),
			text: "age check, region check, CAN access, PIN management, read DG1-DG22, " +
				"write DG17-DG22",
		},
		{
			// The word of the sample terminal certificate, as btok writes it in hex.
			name: "terminal word 003C6F5B10", word: "003C6F5B10",
			can:   true,
			read:  groups(1, 2, 4, 5, 7, 9, 10, 11, 12, 14, 15, 19, 20, 21, 22),
			write: groups(),
			text:  "CAN access, read DG1-DG2 DG4-DG5 DG7 DG9-DG12 DG14-DG15 DG19-DG22",
		},
		{
			// The binary form of the same example in btok, whose listed groups this
			// numbering reproduces: DG1, DG2, DG4-DG7, DG9-DG12, DG14, DG15, DG17, DG18,
			// DG21, DG22, with the CAN.
			name: "btok example binary 00336F7B10", word: "00336F7B10",
			can:   true,
			read:  groups(1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 17, 18, 21, 22),
			write: groups(),
			text:  "CAN access, read DG1-DG2 DG4-DG7 DG9-DG12 DG14-DG15 DG17-DG18 DG21-DG22",
		},
		{
			name: "write DG22 only", word: "0100000000",
			read: groups(), write: groups(22), text: "write DG22",
		},
		{
			name: "reserved bits", word: "C0C00000CC",
			read: groups(), write: groups(), reserved: 0xC0C00000CC,
			text: "reserved bits C0C00000CC",
		},
		{name: "none", word: "0000000000", read: groups(), write: groups(), text: "none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := hex.DecodeString(tc.word)
			require.NoError(t, err)
			r, err := ParseEIDRights(raw)
			require.NoError(t, err)

			assert.Equal(t, tc.age, r.AgeCheck(), "age check")
			assert.Equal(t, tc.region, r.RegionCheck(), "region check")
			assert.Equal(t, tc.can, r.CANAccess(), "CAN access")
			assert.Equal(t, tc.pin, r.PINManagement(), "PIN management")
			for dg := 0; dg <= DataGroupCount+1; dg++ {
				assert.Equal(t, tc.read[dg], r.CanRead(dg), "read DG%d", dg)
				assert.Equal(t, tc.write[dg], r.CanWrite(dg), "write DG%d", dg)
			}
			assert.Equal(t, tc.reserved, r.Reserved())
			assert.Equal(t, tc.text, r.String())
			assert.Equal(t, raw, r.Bytes())
		})
	}
}

func TestEIDBitPositions(t *testing.T) {
	assert.Equal(t, EIDRights(1)<<8, EIDRead(1))
	assert.Equal(t, EIDRights(1)<<29, EIDRead(22))
	assert.Equal(t, EIDRights(1)<<32, EIDWrite(22))
	assert.Equal(t, EIDRights(1)<<37, EIDWrite(17))
	for _, dg := range []int{-1, 0, 23} {
		assert.Zero(t, EIDRead(dg), "read DG%d", dg)
	}
	for _, dg := range []int{1, 16, 23} {
		assert.Zero(t, EIDWrite(dg), "write DG%d", dg)
	}
}

func TestESignRightsWords(t *testing.T) {
	tests := []struct {
		name     string
		word     string
		has      []ESignRights
		lacks    []ESignRights
		reserved ESignRights
		text     string
	}{
		{
			name: "CA word F7E0", word: "F7E0",
			has: []ESignRights{ESignPINActivation, ESignPINChange, ESignPINUnblock,
				ESignWriteName, ESignKeyActivation, ESignKeyManagementTerminal,
				ESignKeyManagementBasic, ESignSignTerminal, ESignSignBasic},
			reserved: 0x0020,
			text: "PIN activation, PIN change, PIN unblock, write Name, key activation, " +
				"key management in terminal mode, key management in basic mode, " +
				"signing in terminal mode, signing in basic mode, reserved bits 0020",
		},
		{
			name: "terminal word F200", word: "F200",
			has: []ESignRights{ESignWriteName, ESignKeyManagementTerminal,
				ESignKeyManagementBasic, ESignSignTerminal, ESignSignBasic},
			lacks: []ESignRights{ESignPINActivation, ESignPINChange, ESignPINUnblock,
				ESignKeyActivation},
			text: "write Name, key management in terminal mode, key management in basic mode, " +
				"signing in terminal mode, signing in basic mode",
		},
		{name: "none", word: "0000", lacks: []ESignRights{ESignSignTerminal}, text: "none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := hex.DecodeString(tc.word)
			require.NoError(t, err)
			r, err := ParseESignRights(raw)
			require.NoError(t, err)
			for _, bit := range tc.has {
				assert.True(t, r.Has(bit), "bit %04X", uint16(bit))
			}
			for _, bit := range tc.lacks {
				assert.False(t, r.Has(bit), "bit %04X", uint16(bit))
			}
			assert.Equal(t, tc.reserved, r.Reserved())
			assert.Equal(t, tc.text, r.String())
			assert.Equal(t, raw, r.Bytes())
		})
	}
}

func TestParseRightsWrongLength(t *testing.T) {
	_, err := ParseEIDRights([]byte{1, 2, 3, 4})
	assert.EqualError(t, err, "terminal: eID access word has 4 bytes, expected 5")
	_, err = ParseESignRights([]byte{1, 2, 3})
	assert.EqualError(t, err, "terminal: eSign access word has 3 bytes, expected 2")
}

func TestAccessRightsAnd(t *testing.T) {
	ca := AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7E0}
	narrow := AccessRights{EID: EIDRead(7) | EIDRead(18) | EIDPlaceVerification,
		ESign: ESignSignTerminal}
	other := AccessRights{EID: EIDRead(7) | EIDCANAccess, ESign: ESignSignBasic}

	assert.Equal(t, narrow, ca.And(narrow))
	assert.Equal(t, AccessRights{EID: EIDRead(7)}, narrow.And(other))
	assert.Equal(t, AccessRights{}, narrow.And(AccessRights{}))
	assert.Equal(t, "eID: region check, read DG7 DG18; eSign: signing in terminal mode",
		narrow.String())
}
