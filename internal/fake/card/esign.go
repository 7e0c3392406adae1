package card

import (
	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/tlv"
	"github.com/esiful/sdk-go/terminal"
)

// terminalSignRight is the eSign right to sign in terminal mode.
const terminalSignRight = terminal.ESignSignTerminal

// Key identifiers and hash algorithm codes of MSE:Set DST.
const (
	keyTerminalMode byte = 0x11 // security level 128, state AS
	keyBasicMode    byte = 0x01 // security level 128, state PS
	hashBeltHash    byte = 0x90
)

// setSignature handles MSE:Set DST: 84{key} 80{hash algorithm}. It
// requires the eSign application, the PIN flag and, in terminal mode, the
// terminal's right to sign.
func (c *Card) setSignature(cmd Command) Response {
	c.signKeyReady = false
	if c.app != appESign || !c.pinVerified {
		return status(StatusSecurityNotSatisfied)
	}
	if c.rights != nil && !c.rights.ESign.Has(terminalSignRight) {
		return status(StatusSecurityNotSatisfied)
	}
	objects, err := tlv.ParseAll(cmd.Data)
	if err != nil || len(objects) != 2 || objects[0].Tag != 0x84 || objects[1].Tag != 0x80 ||
		len(objects[0].Value) != 1 || len(objects[1].Value) != 1 {
		return status(StatusInvalidData)
	}
	key, hash := objects[0].Value[0], objects[1].Value[0]
	if hash != hashBeltHash {
		return status(StatusInvalidData)
	}
	// The card holds only the key of terminal mode; a key generated in one
	// state cannot be used in the other.
	switch {
	case key == keyTerminalMode && c.rights != nil:
	case key == keyBasicMode || key == keyTerminalMode:
		return status(StatusReferenceNotFound)
	default:
		return status(StatusInvalidData)
	}
	c.signKeyReady = true
	return status(StatusOK)
}

// computeSignature handles PSO:Compute Digital Signature over a belt-hash
// value of 32 bytes. Each signature uses up the PIN flag, as with N = 1 in
// BPACE.
func (c *Card) computeSignature(cmd Command) Response {
	if !c.signKeyReady {
		return status(StatusConditionsNotMet)
	}
	c.signKeyReady = false
	c.pinVerified = false
	if len(cmd.Data) != belt.Size {
		return status(StatusWrongLength)
	}
	signature, err := bign.Sign(c.rand, c.signKey, belt.HashOIDDER, cmd.Data)
	if err != nil {
		return status(0x6400)
	}
	return Response{Data: signature, Status: StatusOK}
}

// verify handles Verify with P1P2 0003: with data it checks the PIN, and
// without data it reports whether the PIN flag is set. In terminal mode the
// PIN belongs to the client program's connection, so the command is
// refused there; the client program calls VerifyPIN instead.
func (c *Card) verify(cmd Command) Response {
	if cmd.P1 != 0x00 || cmd.P2 != 0x03 {
		return status(StatusWrongP1P2)
	}
	if c.rights != nil || c.password != PasswordPIN {
		return status(StatusSecurityNotSatisfied)
	}
	if len(cmd.Data) == 0 {
		if c.pinVerified {
			return status(StatusOK)
		}
		return status(StatusSecurityNotSatisfied)
	}
	c.pinVerified = false
	if err := c.checkPIN(string(cmd.Data)); err != nil {
		return status(err.(*StatusError).Status)
	}
	c.pinVerified = true
	return status(StatusOK)
}
