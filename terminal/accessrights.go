package terminal

import (
	"fmt"
	"strings"
)

// EIDRights is the 40-bit word of access rights to the eID application of the ID card
// (the discretionaryData of the CertHAT with OID 1.2.112.0.2.0.34.101.79.6.1).
//
// Bits are numbered as btok numbers them: from the right, starting at 0, with the word
// written big-endian, so bit 0 is the lowest bit of the last byte. Under this numbering
// the word 3F3FFFFF33 of the sample root certificates grants exactly every right that
// btok defines and sets no reserved bit. The worked example in btok pairs the hex word
// 003C6F5B10 with a binary form that is 00336F7B10; this type decodes the hex as
// written, which grants reading DG19 and DG20 but not DG6, DG17 and DG18.
type EIDRights uint64

// The rights of the eID word other than reading and writing data groups.
const (
	// EIDAgeVerification allows the AgeVerification attribute (bit 0).
	EIDAgeVerification EIDRights = 1 << 0
	// EIDPlaceVerification allows the PlaceVerification attribute, the region check (bit 1).
	EIDPlaceVerification EIDRights = 1 << 1
	// EIDCANAccess allows access to the data groups with the CAN instead of the PIN (bit 4).
	EIDCANAccess EIDRights = 1 << 4
	// EIDPINManagement allows activating, deactivating, changing and unblocking the PIN
	// (bit 5).
	EIDPINManagement EIDRights = 1 << 5
)

// DataGroupCount is the number of data groups of the eID application, DG1 to DG22.
const DataGroupCount = 22

// eidDefined holds every bit to which btok assigns a right.
const eidDefined EIDRights = 0x3F_3F_FF_FF_33

// EIDRead returns the bit that allows reading data group dg: bit 8 for DG1 up to bit 29
// for DG22. It returns 0 for a dg outside 1..22.
func EIDRead(dg int) EIDRights {
	if dg < 1 || dg > DataGroupCount {
		return 0
	}
	return 1 << (7 + dg)
}

// EIDWrite returns the bit that allows writing data group dg. Only DG17 to DG22 are
// writable, numbered backwards: bit 32 for DG22 up to bit 37 for DG17. It returns 0 for
// any other dg.
func EIDWrite(dg int) EIDRights {
	if dg < 17 || dg > DataGroupCount {
		return 0
	}
	return 1 << (32 + DataGroupCount - dg)
}

// ParseEIDRights decodes the five bytes of an eID access word.
func ParseEIDRights(b []byte) (EIDRights, error) {
	if len(b) != 5 {
		return 0, fmt.Errorf("terminal: eID access word has %d bytes, expected 5", len(b))
	}
	var r EIDRights
	for _, v := range b {
		r = r<<8 | EIDRights(v)
	}
	return r, nil
}

// Bytes returns the word as the five bytes stored in a certificate.
func (r EIDRights) Bytes() []byte {
	b := make([]byte, 5)
	for i := range b {
		b[i] = byte(r >> (8 * (4 - i)))
	}
	return b
}

// Has reports whether every bit of want is set.
func (r EIDRights) Has(want EIDRights) bool { return r&want == want }

// AgeCheck reports whether the terminal may verify the holder's age.
func (r EIDRights) AgeCheck() bool { return r.Has(EIDAgeVerification) }

// RegionCheck reports whether the terminal may verify the holder's region (DG18).
func (r EIDRights) RegionCheck() bool { return r.Has(EIDPlaceVerification) }

// CANAccess reports whether the terminal may use the CAN in place of the PIN.
func (r EIDRights) CANAccess() bool { return r.Has(EIDCANAccess) }

// PINManagement reports whether the terminal may manage the PIN.
func (r EIDRights) PINManagement() bool { return r.Has(EIDPINManagement) }

// CanRead reports whether the terminal may read data group dg (1..22).
func (r EIDRights) CanRead(dg int) bool { return EIDRead(dg) != 0 && r.Has(EIDRead(dg)) }

// CanWrite reports whether the terminal may write data group dg (17..22).
func (r EIDRights) CanWrite(dg int) bool { return EIDWrite(dg) != 0 && r.Has(EIDWrite(dg)) }

// Reserved returns the set bits that btok reserves. btok requires them to be zero; they
// are kept rather than rejected, so that the AND along a chain stays exact.
func (r EIDRights) Reserved() EIDRights { return r &^ eidDefined }

// String lists the rights, for example
// "CAN access, read DG1-DG2 DG4, write DG17-DG22", or "none".
func (r EIDRights) String() string {
	var parts []string
	for _, f := range []struct {
		bit  EIDRights
		name string
	}{
		{EIDAgeVerification, "age check"},
		{EIDPlaceVerification, "region check"},
		{EIDCANAccess, "CAN access"},
		{EIDPINManagement, "PIN management"},
	} {
		if r.Has(f.bit) {
			parts = append(parts, f.name)
		}
	}
	if groups := dataGroupRanges(r.CanRead); groups != "" {
		parts = append(parts, "read "+groups)
	}
	if groups := dataGroupRanges(r.CanWrite); groups != "" {
		parts = append(parts, "write "+groups)
	}
	if res := r.Reserved(); res != 0 {
		parts = append(parts, fmt.Sprintf("reserved bits %010X", uint64(res)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// dataGroupRanges writes the data groups for which allowed is true as ranges:
// "DG1-DG2 DG4 DG9-DG12".
func dataGroupRanges(allowed func(dg int) bool) string {
	var ranges []string
	for dg := 1; dg <= DataGroupCount; dg++ {
		if !allowed(dg) {
			continue
		}
		last := dg
		for last < DataGroupCount && allowed(last+1) {
			last++
		}
		if last == dg {
			ranges = append(ranges, fmt.Sprintf("DG%d", dg))
		} else {
			ranges = append(ranges, fmt.Sprintf("DG%d-DG%d", dg, last))
		}
		dg = last
	}
	return strings.Join(ranges, " ")
}

// ESignRights is the 16-bit word of access rights to the eSign application (the
// discretionaryData of the CertHAT with OID 1.2.112.0.2.0.34.101.79.6.2, carried in the
// certificate extension id-SignAuthExt).
type ESignRights uint16

// The rights of the eSign word. Terminal mode means work through an authenticated
// terminal, and basic mode work through the client program alone.
const (
	ESignPINActivation ESignRights = 1 << 6  // activate and deactivate the PIN
	ESignPINChange     ESignRights = 1 << 7  // change the PIN
	ESignPINUnblock    ESignRights = 1 << 8  // unblock the PIN
	ESignWriteName     ESignRights = 1 << 9  // write the Name object
	ESignKeyActivation ESignRights = 1 << 10 // activate and deactivate keys
	// ESignKeyManagementTerminal allows generating and destroying keys, writing
	// certificates and reading Name.
	ESignKeyManagementTerminal ESignRights = 1 << 12
	ESignKeyManagementBasic    ESignRights = 1 << 13 // the same in basic mode
	ESignSignTerminal          ESignRights = 1 << 14 // sign, unwrap key tokens, read certificates
	ESignSignBasic             ESignRights = 1 << 15 // the same in basic mode
)

// esignDefined holds every bit to which btok assigns a right.
const esignDefined ESignRights = 0xF7C0

var esignNames = []struct {
	bit  ESignRights
	name string
}{
	{ESignPINActivation, "PIN activation"},
	{ESignPINChange, "PIN change"},
	{ESignPINUnblock, "PIN unblock"},
	{ESignWriteName, "write Name"},
	{ESignKeyActivation, "key activation"},
	{ESignKeyManagementTerminal, "key management in terminal mode"},
	{ESignKeyManagementBasic, "key management in basic mode"},
	{ESignSignTerminal, "signing in terminal mode"},
	{ESignSignBasic, "signing in basic mode"},
}

// ParseESignRights decodes the two bytes of an eSign access word.
func ParseESignRights(b []byte) (ESignRights, error) {
	if len(b) != 2 {
		return 0, fmt.Errorf("terminal: eSign access word has %d bytes, expected 2", len(b))
	}
	return ESignRights(b[0])<<8 | ESignRights(b[1]), nil
}

// Bytes returns the word as the two bytes stored in a certificate.
func (r ESignRights) Bytes() []byte { return []byte{byte(r >> 8), byte(r)} }

// Has reports whether every bit of want is set.
func (r ESignRights) Has(want ESignRights) bool { return r&want == want }

// Reserved returns the set bits that btok reserves. The sample certificates of the btok
// model set bit 5 (their word F7E0), which the table of btok leaves reserved, so
// reserved bits are reported, not rejected.
func (r ESignRights) Reserved() ESignRights { return r &^ esignDefined }

// String lists the rights, for example "write Name, signing in terminal mode", or "none".
func (r ESignRights) String() string {
	var parts []string
	for _, f := range esignNames {
		if r.Has(f.bit) {
			parts = append(parts, f.name)
		}
	}
	if res := r.Reserved(); res != 0 {
		parts = append(parts, fmt.Sprintf("reserved bits %04X", uint16(res)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// AccessRights holds both access words of a certificate or of a whole chain. A word
// whose template is absent from a certificate is zero, which is what the card makes of
// it: no rights.
type AccessRights struct {
	EID   EIDRights
	ESign ESignRights
}

// And returns the rights present in both r and other, as the card combines the words
// along a certificate chain.
func (r AccessRights) And(other AccessRights) AccessRights {
	return AccessRights{EID: r.EID & other.EID, ESign: r.ESign & other.ESign}
}

// String lists both words: "eID: ...; eSign: ...".
func (r AccessRights) String() string {
	return fmt.Sprintf("eID: %v; eSign: %v", r.EID, r.ESign)
}
