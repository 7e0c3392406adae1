package belt

import "encoding/asn1"

// HashOID is the object identifier of belt-hash, 1.2.112.0.2.0.34.101.31.81
// (STB 34.101.31).
var HashOID = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 31, 81}

// HashOIDDER is the DER encoding of HashOID, as bign signing hashes it. It
// must not be modified.
var HashOIDDER = []byte{0x06, 0x09, 0x2A, 0x70, 0x00, 0x02, 0x00, 0x22, 0x65, 0x1F, 0x51}
