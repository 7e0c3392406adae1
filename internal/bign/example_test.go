package bign_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

func ExampleSignHbelt() {
	priv, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	msg := []byte("Заявление на выдачу сертификата")
	sig, err := bign.SignHbelt(rand.Reader, priv, msg)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(sig), bign.VerifyHbelt(priv.PublicKey(), msg, sig))
	// Output: 48 <nil>
}

// ExampleVerify checks the signature of example Г.2 of STB 34.101.45.
func ExampleVerify() {
	q, _ := hex.DecodeString("BD1A5650179D79E03FCEE49D4C2BD5DDF54CE46D0CF11E4FF87BF7A890857FD0" +
		"7AC6A60361E8C8173491686D461B2826190C2EDA5909054A9AB84D2AB9D99A90")
	sig, _ := hex.DecodeString("E36B7F0377AE4C524027C387FADF1B20CE72F1530B71F2B5FD3A8C584FE2E1AE" +
		"D20082E30C8AF65011F4FB54649DFD3D")
	msg, _ := hex.DecodeString("B194BAC80A08F53B366D008E58")
	pub, err := bign.ParsePublicKey(q)
	if err != nil {
		panic(err)
	}
	digest := belt.Sum256(msg)
	fmt.Println(bign.Verify(pub, belt.HashOIDDER, digest[:], sig))

	sig[0] ^= 1
	fmt.Println(bign.Verify(pub, belt.HashOIDDER, digest[:], sig))
	// Output:
	// <nil>
	// bign: invalid signature: s0 does not match the hash of R
}
