package kpsis

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esiful/sdk-go/internal/fake/provider"
)

func TestLoginCallbackErrorZeroNotSuccess(t *testing.T) {
	s := newTestStack(t)
	data := encodeData(t, provider.CallbackData{Error: "0", State: "state-k", Issuer: s.providerURL})

	answer := s.callback(t, data, "v")
	assert.NotEqual(t, "0", answer["err"], "data from the browser must not yield success")
}

func TestLoginCallbackErrorChecksIssuer(t *testing.T) {
	s := newTestStack(t)
	data := encodeData(t, provider.CallbackData{
		Error: "access_suspended", State: "state-k", Issuer: "https://evil.example",
	})

	answer := s.callback(t, data, "v")
	assert.Equal(t, "invalid_request", answer["err"])
}

func TestDecodeCallbackDataNamesOffset(t *testing.T) {
	_, err := decodeCallbackData("eyJjb2RlIjogfQ") // {"code": }
	assert.ErrorContains(t, err, "offset")
}
