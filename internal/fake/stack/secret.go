package stack

import (
	"crypto/rand"
	"encoding/base64"
)

func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
