package attrcert

import (
	"encoding/asn1"
	"os"
)

func asn1OID(arcs ...int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier(arcs) }

func readFile(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }
