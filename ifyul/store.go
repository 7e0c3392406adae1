package ifyul

import (
	"context"
	"sync"
	"time"
)

// Attempt is one login attempt: the secrets that must survive from the start
// of a login to its callback. It never leaves the server; the browser holds
// only its ID in a cookie.
type Attempt struct {
	// ID names the attempt in the browser's cookie and in the store.
	ID string
	// State is the OAuth state sent with the authorization request.
	State string
	// Nonce is the OpenID Connect nonce the ID token must carry. It is empty
	// in the КПСИС flow when the КПСИС does not report it.
	Nonce string
	// CodeVerifier is the PKCE verifier of the authorization code.
	CodeVerifier string
	// ReturnTo is the local path to send the browser to after the login.
	ReturnTo string
	// ExpiresAt is when the attempt stops being accepted.
	ExpiresAt time.Time
}

// AttemptStore keeps login attempts on the server. Implementations must make
// Take atomic: of two concurrent Take calls for one ID, at most one returns
// the attempt, also across a fleet of instances sharing the store.
type AttemptStore interface {
	// Put stores a new attempt until its ExpiresAt.
	Put(ctx context.Context, a *Attempt) error
	// Take removes the attempt and returns it. It returns an error wrapping
	// ErrReplayedCallback when the attempt was already taken,
	// ErrAttemptExpired when its time ran out, and ErrAttemptNotFound when
	// the ID is unknown.
	Take(ctx context.Context, id string, now time.Time) (*Attempt, error)
}

// MemoryAttemptStore is an AttemptStore in the process's memory, the
// default. It suits a single instance; a fleet needs a shared store.
type MemoryAttemptStore struct {
	mu sync.Mutex
	// attempts holds live attempts; a taken attempt stays as a tombstone
	// (nil) until its expiry, so that a replay is told apart from an
	// unknown ID.
	attempts  map[string]*memoryAttempt
	lastSweep time.Time
}

type memoryAttempt struct {
	attempt   *Attempt
	expiresAt time.Time
}

// NewMemoryAttemptStore returns an empty MemoryAttemptStore.
func NewMemoryAttemptStore() *MemoryAttemptStore {
	return &MemoryAttemptStore{attempts: make(map[string]*memoryAttempt)}
}

// Put implements AttemptStore.
func (s *MemoryAttemptStore) Put(_ context.Context, a *Attempt) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropExpired(time.Now())
	stored := *a
	s.attempts[a.ID] = &memoryAttempt{attempt: &stored, expiresAt: a.ExpiresAt}
	return nil
}

// Take implements AttemptStore.
func (s *MemoryAttemptStore) Take(_ context.Context, id string, now time.Time) (*Attempt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	entry, ok := s.attempts[id]
	switch {
	case !ok:
		return nil, ErrAttemptNotFound
	case entry.attempt == nil:
		return nil, ErrReplayedCallback
	case !now.Before(entry.expiresAt):
		delete(s.attempts, id)
		return nil, ErrAttemptExpired
	}
	a := entry.attempt
	entry.attempt = nil
	return a, nil
}

// tombstoneTTL is how long an attempt is remembered after its expiry, so
// that a late or replayed callback is reported as such rather than as an
// unknown attempt.
const tombstoneTTL = time.Hour

// dropExpired forgets attempts whose tombstone time has passed. It sweeps at
// most once a minute, so that Put stays cheap.
func (s *MemoryAttemptStore) dropExpired(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for id, entry := range s.attempts {
		if now.After(entry.expiresAt.Add(tombstoneTTL)) {
			delete(s.attempts, id)
		}
	}
}
