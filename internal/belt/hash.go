package belt

import (
	"encoding/binary"
	"hash"
)

// Size is the size of a belt-hash checksum in bytes.
const Size = 32

// HashBlockSize is the block size of belt-hash in bytes.
const HashBlockSize = 32

// initialState is the first 32 bytes of H, the initial value of the hash
// state h in belt-hash.
var initialState = [8]uint32{
	0xC8BA94B1, 0x3BF5080A, 0x8E006D36, 0xE45D4A58,
	0x9DFA0485, 0xACC7B61B, 0xC2722E25, 0x0DCEFD02,
}

// digest is the state of belt-hash: the chaining value h, the running sum s
// of the first outputs of the compression function, and the message length.
type digest struct {
	h      [8]uint32
	s      [4]uint32
	length uint64 // bytes written so far
	buf    [HashBlockSize]byte
	nbuf   int
}

// NewHash returns a hash.Hash computing belt-hash of STB 34.101.31. The
// returned value also implements hash.Cloner.
func NewHash() hash.Hash {
	d := new(digest)
	d.Reset()
	return d
}

// Sum256 returns the belt-hash checksum of data.
func Sum256(data []byte) [Size]byte {
	var d digest
	d.Reset()
	d.Write(data)
	return d.checkSum()
}

func (d *digest) Reset() {
	d.h = initialState
	d.s = [4]uint32{}
	d.length = 0
	d.nbuf = 0
}

func (d *digest) Size() int { return Size }

func (d *digest) BlockSize() int { return HashBlockSize }

// Clone returns an independent copy of the current state.
func (d *digest) Clone() (hash.Cloner, error) {
	c := *d
	return &c, nil
}

func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	d.length += uint64(n)
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], p)
		d.nbuf += k
		p = p[k:]
		if d.nbuf < HashBlockSize {
			return n, nil
		}
		d.blocks(d.buf[:])
		d.nbuf = 0
	}
	if full := len(p) &^ (HashBlockSize - 1); full > 0 {
		d.blocks(p[:full])
		p = p[full:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

func (d *digest) Sum(in []byte) []byte {
	c := *d
	sum := c.checkSum()
	return append(in, sum[:]...)
}

// checkSum pads the last block with zeros and applies the final compression
// to the bit length of the message, s and h. It changes d.
func (d *digest) checkSum() [Size]byte {
	if d.nbuf > 0 {
		clear(d.buf[d.nbuf:])
		d.blocks(d.buf[:])
	}
	var lenBlock [8]uint32
	// The bit length is a 128-bit little-endian number; 64 bits of byte
	// count give 67 bits of bit count.
	bitsLo := d.length << 3
	bitsHi := d.length >> 61
	lenBlock[0], lenBlock[1] = uint32(bitsLo), uint32(bitsLo>>32)
	lenBlock[2], lenBlock[3] = uint32(bitsHi), 0
	copy(lenBlock[4:], d.s[:])
	var s [4]uint32
	compress(&d.h, &s, &lenBlock)

	var out [Size]byte
	for i, w := range d.h {
		binary.LittleEndian.PutUint32(out[4*i:], w)
	}
	return out
}

// blocks runs the compression function on each 32-byte block of p, whose
// length is a multiple of HashBlockSize.
func (d *digest) blocks(p []byte) {
	var m [8]uint32
	for len(p) >= HashBlockSize {
		m[0] = binary.LittleEndian.Uint32(p[0:])
		m[1] = binary.LittleEndian.Uint32(p[4:])
		m[2] = binary.LittleEndian.Uint32(p[8:])
		m[3] = binary.LittleEndian.Uint32(p[12:])
		m[4] = binary.LittleEndian.Uint32(p[16:])
		m[5] = binary.LittleEndian.Uint32(p[20:])
		m[6] = binary.LittleEndian.Uint32(p[24:])
		m[7] = binary.LittleEndian.Uint32(p[28:])
		compress(&d.h, &d.s, &m)
		p = p[HashBlockSize:]
	}
}
