package belt

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"strconv"
)

// BlockSize is the belt block size in bytes.
const BlockSize = 16

// KeySize is the size in bytes of the keys that NewCipher accepts.
const KeySize = 32

// KeySizeError is returned by NewCipher for a key of the wrong length.
type KeySizeError int

func (k KeySizeError) Error() string {
	return "belt: invalid key size " + strconv.Itoa(int(k)) + ", want 32"
}

type blockCipher struct {
	key [8]uint32
}

// NewCipher returns the belt block cipher of STB 34.101.31 with a
// 256-bit key. The shorter keys of the standard are expanded to 256 bits by
// the caller's mode of operation and are not accepted here.
func NewCipher(key []byte) (cipher.Block, error) {
	if len(key) != KeySize {
		return nil, KeySizeError(len(key))
	}
	c := new(blockCipher)
	loadKey(&c.key, key)
	return c, nil
}

func loadKey(k *[8]uint32, key []byte) {
	_ = key[31]
	for i := range k {
		k[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
}

func (c *blockCipher) BlockSize() int { return BlockSize }

func (c *blockCipher) Encrypt(dst, src []byte) {
	checkBlock(dst, src)
	a, b, cc, d := loadBlock(src)
	a, b, cc, d = encryptWords(a, b, cc, d, &c.key, rot)
	storeBlock(dst, a, b, cc, d)
}

func (c *blockCipher) Decrypt(dst, src []byte) {
	checkBlock(dst, src)
	a, b, cc, d := loadBlock(src)
	a, b, cc, d = decryptWords(a, b, cc, d, &c.key, rot)
	storeBlock(dst, a, b, cc, d)
}

// checkBlock panics like the ciphers of the standard library do: a short
// buffer is a programming error, not a property of the input data.
func checkBlock(dst, src []byte) {
	if len(src) < BlockSize {
		panic(fmt.Sprintf("belt: input block of %d bytes, want %d", len(src), BlockSize))
	}
	if len(dst) < BlockSize {
		panic(fmt.Sprintf("belt: output block of %d bytes, want %d", len(dst), BlockSize))
	}
}

func loadBlock(b []byte) (uint32, uint32, uint32, uint32) {
	_ = b[15]
	return binary.LittleEndian.Uint32(b[0:]), binary.LittleEndian.Uint32(b[4:]),
		binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint32(b[12:])
}

func storeBlock(b []byte, w0, w1, w2, w3 uint32) {
	_ = b[15]
	binary.LittleEndian.PutUint32(b[0:], w0)
	binary.LittleEndian.PutUint32(b[4:], w1)
	binary.LittleEndian.PutUint32(b[8:], w2)
	binary.LittleEndian.PutUint32(b[12:], w3)
}
