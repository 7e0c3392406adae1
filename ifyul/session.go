package ifyul

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrSessionNotFound means the request carries no session, or the session
// is unknown or expired.
var ErrSessionNotFound = errors.New("ifyul: session not found")

// Session is a logged-in person on the consumer's side. It stays on the
// server; the browser holds only its ID in an HttpOnly cookie.
type Session struct {
	// ID names the session in the cookie and the store.
	ID string `json:"id"`
	// Identity is the verified person.
	Identity *Identity `json:"identity"`
	// IDToken is the raw ID token, kept for RP-initiated logout.
	IDToken string `json:"id_token"`
	// AccessToken and RefreshToken are the provider's tokens in the direct
	// flow; empty in the КПСИС flow, where the КПСИС keeps them. Like the
	// whole session they stay on the server.
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	// CreatedAt is the time of the login.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when the session ends unless the person logs out first.
	ExpiresAt time.Time `json:"expires_at"`
}

// SessionStore keeps sessions on the server.
type SessionStore interface {
	// Save stores the session until its ExpiresAt.
	Save(ctx context.Context, s *Session) error
	// Load returns the session, or an error wrapping ErrSessionNotFound.
	Load(ctx context.Context, id string, now time.Time) (*Session, error)
	// Delete removes the session; deleting an unknown ID is not an error.
	Delete(ctx context.Context, id string) error
}

// MemorySessionStore is a SessionStore in the process's memory, the default.
type MemorySessionStore struct {
	mu        sync.Mutex
	sessions  map[string]*Session
	lastSweep time.Time
}

// NewMemorySessionStore returns an empty MemorySessionStore.
func NewMemorySessionStore() *MemorySessionStore {
	return &MemorySessionStore{sessions: make(map[string]*Session)}
}

// Save implements SessionStore.
func (m *MemorySessionStore) Save(_ context.Context, s *Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.dropExpired(time.Now())
	stored := *s
	m.sessions[s.ID] = &stored
	return nil
}

// dropExpired forgets expired sessions, at most once a minute, so that
// sessions nobody loads again do not pile up.
func (m *MemorySessionStore) dropExpired(now time.Time) {
	if now.Sub(m.lastSweep) < time.Minute {
		return
	}
	m.lastSweep = now
	for id, s := range m.sessions {
		if !now.Before(s.ExpiresAt) {
			delete(m.sessions, id)
		}
	}
}

// Load implements SessionStore.
func (m *MemorySessionStore) Load(_ context.Context, id string, now time.Time) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, ErrSessionNotFound
	}
	if !now.Before(s.ExpiresAt) {
		delete(m.sessions, id)
		return nil, ErrSessionNotFound
	}
	loaded := *s
	if s.Identity != nil {
		identity := *s.Identity
		loaded.Identity = &identity
	}
	return &loaded, nil
}

// Delete implements SessionStore.
func (m *MemorySessionStore) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, id)
	return nil
}
