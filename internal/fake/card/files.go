package card

import (
	"bytes"
)

// Application identifiers of the eID and eSign applications (btok, appendix Б).
var (
	AIDeID   = []byte{0xD1, 0x12, 0x00, 0x02, 0x00, 0x22, 0x65, 0x4F, 0x07, 0x01}
	AIDeSign = []byte{0xD1, 0x12, 0x00, 0x02, 0x00, 0x22, 0x65, 0x4F, 0x07, 0x02}
)

// Files of the eSign application for key 11, the key of terminal mode.
const (
	fileSignCertificate uint16 = 0x5211
	fileSignKeyHash     uint16 = 0x5311
)

// selectFile handles Select File: the master file (P1P2 0000), an
// application by its AID (P1 04) or an elementary file of the current
// application by its identifier (P1 02).
func (c *Card) selectFile(cmd Command) Response {
	switch {
	case cmd.P1 == 0x00 && cmd.P2 == 0x00 && len(cmd.Data) == 0:
		c.app, c.ef, c.signKeyReady = appMF, 0, false
		return status(StatusOK)
	case cmd.P1 == 0x04 && cmd.P2 == 0x0C:
		return c.selectApplication(cmd.Data)
	case cmd.P1 == 0x02 && cmd.P2 == 0x0C:
		if len(cmd.Data) != 2 {
			return status(StatusWrongLength)
		}
		return c.selectElementaryFile(uint16(cmd.Data[0])<<8 | uint16(cmd.Data[1]))
	}
	return status(StatusWrongP1P2)
}

func (c *Card) selectApplication(aid []byte) Response {
	switch {
	case c.password == 0:
		return status(StatusSecurityNotSatisfied)
	case bytes.Equal(aid, AIDeID):
		c.app = appEID
	case bytes.Equal(aid, AIDeSign):
		if c.password != PasswordPIN {
			return status(StatusSecurityNotSatisfied)
		}
		c.app = appESign
	default:
		return status(StatusFileNotFound)
	}
	c.ef, c.signKeyReady = 0, false
	return status(StatusOK)
}

// selectElementaryFile applies the access rules of btok: eID files only to
// an authenticated terminal with the right to read the data group, eSign
// files of key 11 only to a terminal with the signing right.
func (c *Card) selectElementaryFile(fid uint16) Response {
	switch c.app {
	case appEID:
		dg := int(fid) - 0x0100
		if c.rights == nil || !c.rights.EID.CanRead(dg) {
			return status(StatusSecurityNotSatisfied)
		}
		if _, ok := c.eid[fid]; !ok {
			return status(StatusFileNotFound)
		}
	case appESign:
		if c.rights == nil || !c.rights.ESign.Has(terminalSignRight) {
			return status(StatusSecurityNotSatisfied)
		}
		if _, ok := c.esign[fid]; !ok {
			return status(StatusFileNotFound)
		}
	default:
		return status(StatusFileNotFound)
	}
	c.ef = fid
	return status(StatusOK)
}

// readBinary handles Read Binary from the current elementary file at the
// offset in P1 P2. It returns up to Le bytes; fewer at the end of the file,
// with status 9000.
func (c *Card) readBinary(cmd Command) Response {
	if c.ef == 0 {
		return status(StatusNoCurrentEF)
	}
	if cmd.P1&0x80 != 0 {
		// Short file identifiers are not supported.
		return status(StatusWrongP1P2)
	}
	if cmd.Le == 0 || len(cmd.Data) != 0 {
		return status(StatusWrongLength)
	}
	file := c.eid[c.ef]
	if c.app == appESign {
		file = c.esign[c.ef]
	}
	offset := int(cmd.P1)<<8 | int(cmd.P2)
	if offset > len(file) {
		return status(StatusOffsetOutside)
	}
	end := min(offset+cmd.Le, len(file))
	return Response{Data: bytes.Clone(file[offset:end]), Status: StatusOK}
}
