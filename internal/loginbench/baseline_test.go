package loginbench

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sync"
)

// The baselines do by hand what a relying party written without the SDK
// would do. They keep the attempt's secrets on the server under a random ID,
// check them at the callback, verify the ID token with go-oidc and read the
// person's claims into a struct. They keep no sessions and count nothing,
// which the SDK does, so that work counts as part of the SDK's cost.

// person is what a baseline login yields: the userinfo claims that the
// fake provider is seen to send.
type person struct {
	Subject        string          `json:"sub"`
	PersonalNumber string          `json:"serialNumber"`
	Surname        string          `json:"surname"`
	Name           string          `json:"name"`
	Patronymic     string          `json:"givenName"`
	ResidencePlace json.RawMessage `json:"residence_place"`
}

// attempt holds the secrets of one baseline login.
type attempt struct {
	state        string
	nonce        string
	codeVerifier string
}

var errUnknownAttempt = errors.New("loginbench: unknown login attempt")

// attemptMap stores attempts for single use.
type attemptMap struct {
	mu       sync.Mutex
	attempts map[string]attempt
}

func (m *attemptMap) put(id string, a attempt) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.attempts == nil {
		m.attempts = make(map[string]attempt)
	}
	m.attempts[id] = a
}

func (m *attemptMap) take(id string) (attempt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.attempts[id]
	if !ok {
		return attempt{}, errUnknownAttempt
	}
	delete(m.attempts, id)
	return a, nil
}

// randomToken returns 256 random bits, base64url-encoded, as the SDK's
// attempt IDs, states and nonces are.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
