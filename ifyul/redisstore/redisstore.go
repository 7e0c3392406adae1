// Package redisstore keeps the state of the ifyul SDK in Redis, so that a
// fleet of instances behind a load balancer shares login attempts, sessions
// and the transaction meter: a callback may land on any instance, and an
// attempt is still used at most once.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	store := redisstore.New(rdb, "myapp")
//	client, err := ifyul.New(ifyul.Config{
//		...
//		AttemptStore: store.Attempts(),
//		SessionStore: store.Sessions(),
//		Meter:        &ifyul.Meter{Store: store.Meter()},
//	})
//
// Every key starts with the prefix and expires. When Redis cannot be
// reached, the stores return errors wrapping ifyul.ErrStoreUnavailable, so
// nobody is logged in without a stored attempt.
package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/esiful/sdk-go/ifyul"
)

// Store makes the Redis-backed stores under one key prefix.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a Store using rdb, with keys under prefix + ":".
func New(rdb redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = "ifyul"
	}
	return &Store{rdb: rdb, prefix: prefix}
}

func (s *Store) key(parts ...string) string {
	k := s.prefix
	for _, p := range parts {
		k += ":" + p
	}
	return k
}

// unavailable wraps a Redis error as ifyul.ErrStoreUnavailable.
func unavailable(op string, err error) error {
	return fmt.Errorf("%w: redis %s: %w", ifyul.ErrStoreUnavailable, op, err)
}

// Attempts returns the ifyul.AttemptStore.
func (s *Store) Attempts() ifyul.AttemptStore { return attemptStore{s} }

// Sessions returns the ifyul.SessionStore.
func (s *Store) Sessions() ifyul.SessionStore { return sessionStore{s} }

// Meter returns the ifyul.MeterStore.
func (s *Store) Meter() ifyul.MeterStore { return meterStore{s} }

type attemptStore struct{ s *Store }

// tombstoneTTL is how long a used or expired attempt is remembered, so
// that a replay is reported as such rather than as an unknown attempt.
const tombstoneTTL = time.Hour

// usedMarker replaces a taken attempt's value.
const usedMarker = "used"

func (a attemptStore) Put(ctx context.Context, at *ifyul.Attempt) error {
	value, err := json.Marshal(at)
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	ttl := time.Until(at.ExpiresAt) + tombstoneTTL
	if err := a.s.rdb.Set(ctx, a.s.key("attempt", at.ID), value, ttl).Err(); err != nil {
		return unavailable("SET", err)
	}
	return nil
}

// takeScript reads an attempt and replaces it with the used marker in one
// step, so of two instances taking one attempt only one gets it.
var takeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then return false end
if v ~= ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL') end
return v
`)

func (a attemptStore) Take(ctx context.Context, id string, now time.Time) (*ifyul.Attempt, error) {
	value, err := takeScript.Run(ctx, a.s.rdb, []string{a.s.key("attempt", id)}, usedMarker).Text()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, ifyul.ErrAttemptNotFound
	case err != nil:
		return nil, unavailable("take attempt", err)
	case value == usedMarker:
		return nil, ifyul.ErrReplayedCallback
	}
	var at ifyul.Attempt
	if err := json.Unmarshal([]byte(value), &at); err != nil {
		return nil, fmt.Errorf("redisstore: stored attempt: %w", err)
	}
	if !now.Before(at.ExpiresAt) {
		return nil, ifyul.ErrAttemptExpired
	}
	return &at, nil
}

type sessionStore struct{ s *Store }

func (ss sessionStore) Save(ctx context.Context, session *ifyul.Session) error {
	value, err := json.Marshal(session)
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	ttl := time.Until(session.ExpiresAt)
	if ttl <= 0 {
		return nil
	}
	if err := ss.s.rdb.Set(ctx, ss.s.key("session", session.ID), value, ttl).Err(); err != nil {
		return unavailable("SET", err)
	}
	return nil
}

func (ss sessionStore) Load(ctx context.Context, id string, now time.Time) (*ifyul.Session, error) {
	value, err := ss.s.rdb.Get(ctx, ss.s.key("session", id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ifyul.ErrSessionNotFound
	}
	if err != nil {
		return nil, unavailable("GET", err)
	}
	var session ifyul.Session
	if err := json.Unmarshal(value, &session); err != nil {
		return nil, fmt.Errorf("redisstore: stored session: %w", err)
	}
	if !now.Before(session.ExpiresAt) {
		return nil, ifyul.ErrSessionNotFound
	}
	return &session, nil
}

func (ss sessionStore) Delete(ctx context.Context, id string) error {
	if err := ss.s.rdb.Del(ctx, ss.s.key("session", id)).Err(); err != nil {
		return unavailable("DEL", err)
	}
	return nil
}

type meterStore struct{ s *Store }

// meterTTL keeps a month's counters for about 13 months, for a year's
// comparison.
const meterTTL = 400 * 24 * time.Hour

func (m meterStore) Add(ctx context.Context, clientID string, month ifyul.Month,
	kind ifyul.EventKind) (int64, error) {

	key := m.s.key("meter", clientID, month.String())
	pipe := m.s.rdb.TxPipeline()
	incr := pipe.HIncrBy(ctx, key, string(kind), 1)
	pipe.Expire(ctx, key, meterTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, unavailable("HINCRBY", err)
	}
	return incr.Val(), nil
}

func (m meterStore) Read(ctx context.Context, clientID string, month ifyul.Month) (ifyul.MeterReading, error) {
	values, err := m.s.rdb.HGetAll(ctx, m.s.key("meter", clientID, month.String())).Result()
	if err != nil {
		return ifyul.MeterReading{}, unavailable("HGETALL", err)
	}
	var r ifyul.MeterReading
	for field, target := range map[ifyul.EventKind]*int64{
		ifyul.EventTransaction:   &r.Transactions,
		ifyul.EventFailedAttempt: &r.FailedAttempts,
		ifyul.EventRefresh:       &r.Refreshes,
	} {
		if v, ok := values[string(field)]; ok {
			if _, err := fmt.Sscan(v, target); err != nil {
				return r, fmt.Errorf("redisstore: meter field %s: %q is not a number", field, v)
			}
		}
	}
	return r, nil
}
