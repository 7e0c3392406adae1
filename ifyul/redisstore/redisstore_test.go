package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/redisstore"
	"github.com/esiful/sdk-go/internal/redistest"
)

func newStore(t *testing.T, srv *redistest.Server) *redisstore.Store {
	return redisstore.New(srv.Client(t), "test")
}

func TestAttemptSingleUseAcrossInstances(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, srv).Attempts(), newStore(t, srv).Attempts()
	ctx := context.Background()
	now := time.Now()

	require.NoError(t, a.Put(ctx, &ifyul.Attempt{ID: "x", State: "s", ExpiresAt: now.Add(time.Minute)}))
	got, err := b.Take(ctx, "x", now)
	require.NoError(t, err)
	assert.Equal(t, "s", got.State)

	_, err = a.Take(ctx, "x", now)
	assert.ErrorIs(t, err, ifyul.ErrReplayedCallback)
	_, err = b.Take(ctx, "x", now)
	assert.ErrorIs(t, err, ifyul.ErrReplayedCallback)
	_, err = b.Take(ctx, "unknown", now)
	assert.ErrorIs(t, err, ifyul.ErrAttemptNotFound)
}

func TestAttemptExpired(t *testing.T) {
	srv := redistest.Start(t)
	store := newStore(t, srv).Attempts()
	ctx := context.Background()
	now := time.Now()

	require.NoError(t, store.Put(ctx, &ifyul.Attempt{ID: "x", ExpiresAt: now.Add(time.Minute)}))
	_, err := store.Take(ctx, "x", now.Add(2*time.Minute))
	assert.ErrorIs(t, err, ifyul.ErrAttemptExpired)
}

func TestAttemptConcurrentTake(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	now := time.Now()
	require.NoError(t, newStore(t, srv).Attempts().Put(ctx,
		&ifyul.Attempt{ID: "x", ExpiresAt: now.Add(time.Minute)}))

	stores := []ifyul.AttemptStore{newStore(t, srv).Attempts(), newStore(t, srv).Attempts()}
	var wins, replays atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			_, err := stores[i%2].Take(ctx, "x", now)
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ifyul.ErrReplayedCallback):
				replays.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
	assert.Equal(t, int32(39), replays.Load())
}

func TestSessionRoundTrip(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, srv).Sessions(), newStore(t, srv).Sessions()
	ctx := context.Background()
	now := time.Now()
	pn, err := ifyul.ParsePersonalNumber("3150385H001PB7")
	require.NoError(t, err)

	s := &ifyul.Session{ID: "s1", IDToken: "tok", CreatedAt: now, ExpiresAt: now.Add(time.Hour),
		Identity: &ifyul.Identity{Subject: "sub", PersonalNumber: pn,
			Names: ifyul.Names{Russian: ifyul.PersonName{Family: "Иванов"}}}}
	require.NoError(t, a.Save(ctx, s))

	got, err := b.Load(ctx, "s1", now)
	require.NoError(t, err)
	assert.Equal(t, pn, got.Identity.PersonalNumber)
	assert.Equal(t, "Иванов", got.Identity.Names.Russian.Family)
	assert.Equal(t, "tok", got.IDToken)

	_, err = b.Load(ctx, "s1", now.Add(2*time.Hour))
	assert.ErrorIs(t, err, ifyul.ErrSessionNotFound)

	require.NoError(t, b.Delete(ctx, "s1"))
	_, err = a.Load(ctx, "s1", now)
	assert.ErrorIs(t, err, ifyul.ErrSessionNotFound)
}

func TestMeterExactAcrossInstances(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var hooks sync.Map
	var hookCalls atomic.Int32
	meters := make([]*ifyul.Meter, 2)
	for i := range meters {
		meters[i] = &ifyul.Meter{
			Store:    newStore(t, srv).Meter(),
			Included: 100,
			OnThreshold: func(_ context.Context, r ifyul.MeterReading, th float64) {
				hookCalls.Add(1)
				hooks.Store(th, r.Transactions)
			},
		}
	}
	when := time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC) // 1 January 01:30 in Minsk

	var wg sync.WaitGroup
	for i := range 120 {
		wg.Go(func() {
			assert.NoError(t, meters[i%2].Record(ctx, "sys", ifyul.EventTransaction, when))
		})
	}
	for i := range 7 {
		wg.Go(func() {
			assert.NoError(t, meters[i%2].Record(ctx, "sys", ifyul.EventFailedAttempt, when))
		})
	}
	wg.Wait()

	r, err := meters[0].Reading(ctx, "sys", ifyul.Month{Year: 2027, Month: time.January})
	require.NoError(t, err)
	assert.Equal(t, int64(120), r.Transactions)
	assert.Equal(t, int64(7), r.FailedAttempts)
	assert.Equal(t, int64(20), r.Billable())
	assert.Equal(t, int32(2), hookCalls.Load(), "one call per threshold, fleet-wide")

	december, err := meters[1].Reading(ctx, "sys", ifyul.Month{Year: 2026, Month: time.December})
	require.NoError(t, err)
	assert.Zero(t, december.Transactions, "the month is Minsk's, not UTC's")
}

func TestRedisUnreachable(t *testing.T) {
	srv := redistest.Start(t)
	store := newStore(t, srv)
	srv.Stop()
	ctx := context.Background()

	err := store.Attempts().Put(ctx, &ifyul.Attempt{ID: "x", ExpiresAt: time.Now().Add(time.Minute)})
	assert.ErrorIs(t, err, ifyul.ErrStoreUnavailable)
	_, err = store.Attempts().Take(ctx, "x", time.Now())
	assert.ErrorIs(t, err, ifyul.ErrStoreUnavailable)
	_, err = store.Sessions().Load(ctx, "s", time.Now())
	assert.ErrorIs(t, err, ifyul.ErrStoreUnavailable)
	_, err = store.Meter().Add(ctx, "sys", ifyul.MonthOf(time.Now()), ifyul.EventTransaction)
	assert.ErrorIs(t, err, ifyul.ErrStoreUnavailable)
}

var _ redis.UniversalClient = (*redis.Client)(nil)
