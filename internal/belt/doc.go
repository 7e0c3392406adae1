// Package belt implements the belt block cipher and the belt-hash hash
// function of STB 34.101.31 (Belarusian state standard "Information
// technology and security. Data encryption and integrity algorithms").
//
// Words and blocks are little-endian, as the standard defines them. The
// S-box lookups use tables indexed by secret bytes, like table-based AES, so
// encryption under a secret key is not constant-time with respect to cache
// timing. belt-hash of public data (certificates, signed documents) is not
// affected. The bign package in this module uses the cipher with a secret key
// only in the deterministic nonce generation of STB 34.101.45.
//
// The unrolled rounds in block_unrolled.go are written by gen_block.go:
//
//	go run gen_block.go
package belt
