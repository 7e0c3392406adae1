package bign

import (
	"encoding/binary"

	"github.com/esiful/sdk-go/internal/belt"
)

// deterministicNonce derives the one-time key k of STB 34.101.45, 6.3.3:
// θ = belt-hash(OID || d || t), then r = H is encrypted with the wide-block
// cipher belt-wblock of STB 34.101.31 under θ until r, read as a
// little-endian number, lies in [1, q).
//
// The belt cipher looks up tables with secret indices, so this derivation
// is not constant-time against cache-timing attacks; see the package
// documentation. The repeat happens with probability below 2^-125.
func deterministicNonce(priv *PrivateKey, hashOID, digest, t []byte) scalar {
	d := priv.d.bytes()
	h := belt.NewHash()
	h.Write(hashOID)
	h.Write(d[:])
	h.Write(t)
	theta := h.Sum(nil)
	block, err := belt.NewCipher(theta)
	if err != nil {
		panic("bign: belt-hash output is not a belt key: " + err.Error())
	}

	var r [32]byte
	copy(r[:], digest)
	for {
		wideBlockEncrypt2(block, &r)
		var k scalar
		if k.setCanonicalBytes(&r)&(1^k.isZero()) == 1 {
			return k
		}
	}
}

// wideBlockEncrypt2 is belt-wblock encryption of a 32-byte r = r1 || r2
// (n = 2 blocks): 2n = 4 rounds of s = r1, r1 = belt-block(s) ⊕ r2 ⊕ <i>,
// r2 = s, where <i> is the round number as a 128-bit little-endian block.
func wideBlockEncrypt2(block interface{ Encrypt(dst, src []byte) }, r *[32]byte) {
	var s, e [16]byte
	for i := uint64(1); i <= 4; i++ {
		copy(s[:], r[:16])
		block.Encrypt(e[:], s[:])
		for j := range e {
			r[j] = e[j] ^ r[16+j]
		}
		binary.LittleEndian.PutUint64(r[:8], binary.LittleEndian.Uint64(r[:8])^i)
		copy(r[16:], s[:])
	}
}
