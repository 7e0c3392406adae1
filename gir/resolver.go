package gir

import (
	"context"
	"fmt"
	"slices"
)

// Resolver looks up an address in the address register by its unique
// identifier. Implementations return an error wrapping ErrAddressNotFound
// when the register has no such address, and one wrapping
// ErrServiceUnavailable when the register cannot be reached.
type Resolver interface {
	Resolve(ctx context.Context, id AddressID) (*Address, error)
}

// MapResolver is a Resolver over addresses held in memory, for tests and the
// fake ЕС ИФЮЛ. It is safe for concurrent use while the map is not
// modified.
type MapResolver map[AddressID]Address

// Resolve returns a copy of the address stored under id, with ID set to id.
func (m MapResolver) Resolve(ctx context.Context, id AddressID) (*Address, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrAddressNotFound, id)
	}
	a.ID = id
	a.Unparsed = slices.Clone(a.Unparsed)
	return &a, nil
}
