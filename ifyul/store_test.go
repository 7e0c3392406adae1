package ifyul

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestAttempt(id string, expiresAt time.Time) *Attempt {
	return &Attempt{
		ID:           id,
		State:        "state-" + id,
		Nonce:        "nonce-" + id,
		CodeVerifier: "verifier-" + id,
		ReturnTo:     "/me",
		ExpiresAt:    expiresAt,
	}
}

func TestMemoryAttemptStoreTakeOnce(t *testing.T) {
	ctx := t.Context()
	now := time.Now()
	store := NewMemoryAttemptStore()
	want := newTestAttempt("a1", now.Add(time.Minute))
	require.NoError(t, store.Put(ctx, want))

	got, err := store.Take(ctx, "a1", now)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	again, err := store.Take(ctx, "a1", now)
	assert.ErrorIs(t, err, ErrReplayedCallback)
	assert.Nil(t, again)
}

func TestMemoryAttemptStoreUnknownID(t *testing.T) {
	store := NewMemoryAttemptStore()
	require.NoError(t, store.Put(t.Context(), newTestAttempt("a1", time.Now().Add(time.Minute))))

	got, err := store.Take(t.Context(), "a2", time.Now())
	assert.ErrorIs(t, err, ErrAttemptNotFound)
	assert.Nil(t, got)
}

func TestMemoryAttemptStoreExpiry(t *testing.T) {
	expiresAt := time.Now().Add(10 * time.Minute)
	cases := []struct {
		name string
		now  time.Time
		want error
	}{
		{"before expiry", expiresAt.Add(-time.Nanosecond), nil},
		{"at expiry", expiresAt, ErrAttemptExpired},
		{"after expiry", expiresAt.Add(time.Hour), ErrAttemptExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := NewMemoryAttemptStore()
			require.NoError(t, store.Put(t.Context(), newTestAttempt("a1", expiresAt)))

			got, err := store.Take(t.Context(), "a1", tc.now)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "a1", got.ID)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, got)

			_, err = store.Take(t.Context(), "a1", tc.now)
			assert.ErrorIs(t, err, ErrAttemptNotFound, "an expired attempt is forgotten")
		})
	}
}

func TestMemoryAttemptStoreKeepsCopy(t *testing.T) {
	store := NewMemoryAttemptStore()
	a := newTestAttempt("a1", time.Now().Add(time.Minute))
	require.NoError(t, store.Put(t.Context(), a))
	a.State = "changed after Put"

	got, err := store.Take(t.Context(), "a1", time.Now())
	require.NoError(t, err)
	assert.Equal(t, "state-a1", got.State)
}

func TestMemoryAttemptStoreConcurrentTake(t *testing.T) {
	const takers = 50
	store := NewMemoryAttemptStore()
	now := time.Now()
	require.NoError(t, store.Put(t.Context(), newTestAttempt("a1", now.Add(time.Minute))))

	start := make(chan struct{})
	errs := make([]error, takers)
	var wg sync.WaitGroup
	for i := range takers {
		wg.Go(func() {
			<-start
			_, errs[i] = store.Take(t.Context(), "a1", now)
		})
	}
	close(start)
	wg.Wait()

	successes := 0
	for _, err := range errs {
		if err == nil {
			successes++
			continue
		}
		assert.ErrorIs(t, err, ErrReplayedCallback)
	}
	assert.Equal(t, 1, successes)
}

func TestMemoryAttemptStoreSweepsTombstones(t *testing.T) {
	ctx := t.Context()
	now := time.Now()
	store := NewMemoryAttemptStore()
	for _, id := range []string{"old", "recent"} {
		require.NoError(t, store.Put(ctx, newTestAttempt(id, now.Add(time.Minute))))
		_, err := store.Take(ctx, id, now)
		require.NoError(t, err)
	}

	// The tombstone of "old" expired more than tombstoneTTL ago, but the one
	// of "recent" did not. Put sweeps, because the last sweep is long past.
	store.attempts["old"].expiresAt = now.Add(-tombstoneTTL - time.Minute)
	store.attempts["recent"].expiresAt = now.Add(-tombstoneTTL + time.Minute)
	store.lastSweep = time.Time{}
	require.NoError(t, store.Put(ctx, newTestAttempt("new", now.Add(time.Minute))))

	_, err := store.Take(ctx, "old", now)
	assert.ErrorIs(t, err, ErrAttemptNotFound)
	_, err = store.Take(ctx, "recent", now)
	assert.ErrorIs(t, err, ErrReplayedCallback)
	_, err = store.Take(ctx, "new", now)
	assert.NoError(t, err)
}

func newTestSession(id string, expiresAt time.Time) *Session {
	return &Session{
		ID:        id,
		Identity:  &Identity{Subject: "person-" + id},
		IDToken:   "token-" + id,
		CreatedAt: expiresAt.Add(-time.Hour),
		ExpiresAt: expiresAt,
	}
}

func TestMemorySessionStoreSaveLoad(t *testing.T) {
	ctx := t.Context()
	now := time.Now()
	store := NewMemorySessionStore()
	want := newTestSession("s1", now.Add(time.Hour))
	require.NoError(t, store.Save(ctx, want))

	got, err := store.Load(ctx, "s1", now)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	again, err := store.Load(ctx, "s1", now)
	require.NoError(t, err, "a session is loaded any number of times")
	assert.Equal(t, want, again)
}

func TestMemorySessionStoreUnknownID(t *testing.T) {
	got, err := NewMemorySessionStore().Load(t.Context(), "s1", time.Now())
	assert.ErrorIs(t, err, ErrSessionNotFound)
	assert.Nil(t, got)
}

func TestMemorySessionStoreExpiry(t *testing.T) {
	expiresAt := time.Now().Add(time.Hour)
	cases := []struct {
		name  string
		now   time.Time
		found bool
	}{
		{"before expiry", expiresAt.Add(-time.Nanosecond), true},
		{"at expiry", expiresAt, false},
		{"after expiry", expiresAt.Add(time.Minute), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := NewMemorySessionStore()
			require.NoError(t, store.Save(t.Context(), newTestSession("s1", expiresAt)))

			got, err := store.Load(t.Context(), "s1", tc.now)
			if tc.found {
				require.NoError(t, err)
				assert.Equal(t, "s1", got.ID)
				return
			}
			assert.ErrorIs(t, err, ErrSessionNotFound)
			assert.Nil(t, got)

			_, err = store.Load(t.Context(), "s1", expiresAt.Add(-time.Minute))
			assert.ErrorIs(t, err, ErrSessionNotFound, "an expired session is deleted")
		})
	}
}

func TestMemorySessionStoreDelete(t *testing.T) {
	ctx := t.Context()
	now := time.Now()
	store := NewMemorySessionStore()
	require.NoError(t, store.Save(ctx, newTestSession("s1", now.Add(time.Hour))))
	require.NoError(t, store.Save(ctx, newTestSession("s2", now.Add(time.Hour))))

	require.NoError(t, store.Delete(ctx, "s1"))
	_, err := store.Load(ctx, "s1", now)
	assert.ErrorIs(t, err, ErrSessionNotFound)
	_, err = store.Load(ctx, "s2", now)
	assert.NoError(t, err, "other sessions stay")

	assert.NoError(t, store.Delete(ctx, "s1"), "deleting twice is not an error")
	assert.NoError(t, store.Delete(ctx, "unknown"))
}

func TestMemorySessionStoreKeepsCopy(t *testing.T) {
	store := NewMemorySessionStore()
	s := newTestSession("s1", time.Now().Add(time.Hour))
	require.NoError(t, store.Save(t.Context(), s))
	s.IDToken = "changed after Save"

	got, err := store.Load(t.Context(), "s1", time.Now())
	require.NoError(t, err)
	assert.Equal(t, "token-s1", got.IDToken)
	got.IDToken = "changed after Load"

	again, err := store.Load(t.Context(), "s1", time.Now())
	require.NoError(t, err)
	assert.Equal(t, "token-s1", again.IDToken)
}

func TestMemorySessionStoreConcurrentUse(t *testing.T) {
	store := NewMemorySessionStore()
	now := time.Now()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			id := string(rune('a' + i))
			assert.NoError(t, store.Save(t.Context(), newTestSession(id, now.Add(time.Hour))))
			_, err := store.Load(t.Context(), id, now)
			assert.NoError(t, err)
			assert.NoError(t, store.Delete(t.Context(), id))
		})
	}
	wg.Wait()
}
