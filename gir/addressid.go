package gir

import (
	"fmt"
	"strings"
)

// Limits of ParseAddressID on the number of digits.
//
// NOTE: the format of the address register's unique identifier is not
// public. The limits are a guess, wide enough for a register of a few
// million addresses and for a 64-bit integer. The fake ЕС ИФЮЛ uses 16 digits.
const (
	MinAddressIDDigits = 5
	MaxAddressIDDigits = 20
)

// AddressID is the unique address identifier («уникальный идентификатор
// адреса») of the address register, in which the operator says a place of
// residence or stay may be delivered. It is kept as text, so leading zeros
// and numbers wider than 64 bits survive.
type AddressID string

// ParseAddressID checks that s, with surrounding white space removed, is
// MinAddressIDDigits to MaxAddressIDDigits ASCII digits. Errors wrap
// ErrInvalidAddressID and name the first character that is not a digit, with
// its byte offset.
func ParseAddressID(s string) (AddressID, error) {
	s = strings.TrimSpace(s)
	for i, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("%w: character %q at byte %d is not a digit",
				ErrInvalidAddressID, r, i)
		}
	}
	if len(s) < MinAddressIDDigits || len(s) > MaxAddressIDDigits {
		return "", fmt.Errorf("%w: %d digits, expected %d to %d",
			ErrInvalidAddressID, len(s), MinAddressIDDigits, MaxAddressIDDigits)
	}
	return AddressID(s), nil
}

// String returns the digits.
func (id AddressID) String() string { return string(id) }
