package attrcert

import "fmt"

// NOTE: bign signature verification is not built in yet. Certificates with bign
// keys parse, keeping the 64 raw key octets, and their signatures fail with
// ErrUnsupportedAlgorithm.

func parseBignPublicKey(raw []byte) (any, error) {
	return append([]byte(nil), raw...), nil
}

func verifyBignHbelt(_ any, _, _ []byte) error {
	return fmt.Errorf("bign-with-hbelt verification is not available: %w", ErrUnsupportedAlgorithm)
}
