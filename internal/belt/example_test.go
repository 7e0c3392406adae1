package belt_test

import (
	"encoding/hex"
	"fmt"

	"github.com/esiful/sdk-go/internal/belt"
)

func ExampleSum256() {
	msg, _ := hex.DecodeString("B194BAC80A08F53B366D008E58")
	sum := belt.Sum256(msg)
	fmt.Printf("%X\n", sum)
	// Output: ABEF9725D4C5A83597A367D14494CC2542F20F659DDFECC961A3EC550CBA8C75
}

// ExampleNewHash hashes the message of ExampleSum256 in two writes.
func ExampleNewHash() {
	msg, _ := hex.DecodeString("B194BAC80A08F53B366D008E58")
	h := belt.NewHash()
	h.Write(msg[:5])
	h.Write(msg[5:])
	fmt.Printf("%X\n", h.Sum(nil))
	// Output: ABEF9725D4C5A83597A367D14494CC2542F20F659DDFECC961A3EC550CBA8C75
}
