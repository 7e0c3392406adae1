package ifyul

import (
	"context"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Minsk on systems without a time zone database
)

// IncludedTransactions is the number of identification transactions per
// information system and calendar month included in the operator's fee;
// every one beyond is billed.
const IncludedTransactions = 4000

// EventKind is a kind of event the transaction meter counts.
type EventKind string

// The events the meter counts. Only EventTransaction is billed.
const (
	// EventTransaction is a completed identification: a callback that
	// yielded a verified identity.
	EventTransaction EventKind = "transactions"
	// EventFailedAttempt is a login that reached the callback and failed.
	EventFailedAttempt EventKind = "failed"
	// EventRefresh is a token refresh.
	EventRefresh EventKind = "refreshes"
)

// Month is a calendar month in Minsk time, the billing period.
type Month struct {
	Year  int
	Month time.Month
}

// minsk is the time zone of the operator's calendar months.
var minsk = mustLoadLocation("Europe/Minsk")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("ifyul: " + err.Error())
	}
	return loc
}

// MonthOf returns the billing month of t.
func MonthOf(t time.Time) Month {
	m := t.In(minsk)
	return Month{Year: m.Year(), Month: m.Month()}
}

// String returns the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// MeterReading is the count of one information system in one month.
type MeterReading struct {
	ClientID       string
	Month          Month
	Transactions   int64
	FailedAttempts int64
	Refreshes      int64
	// Included is the number of transactions included in the fee.
	Included int64
}

// Billable returns the transactions beyond the included ones.
func (r MeterReading) Billable() int64 { return max(0, r.Transactions-r.Included) }

// MeterStore keeps the meter's counters. Add must be atomic, also across a
// fleet of instances sharing the store, and return the counter's new value.
type MeterStore interface {
	Add(ctx context.Context, clientID string, month Month, kind EventKind) (int64, error)
	Read(ctx context.Context, clientID string, month Month) (MeterReading, error)
}

// Meter counts identification transactions per information system and
// month, and calls OnThreshold when the month's transactions reach a share
// of the included ones. Exactly one Record call sees each crossing, so the
// hook runs once per threshold and month, also across a fleet.
type Meter struct {
	// Store keeps the counters. Default: a MemoryMeterStore.
	Store MeterStore
	// Included is the number of included transactions; default
	// IncludedTransactions.
	Included int64
	// Thresholds are the shares of Included at which OnThreshold is
	// called; default 0.8 and 1.0.
	Thresholds []float64
	// OnThreshold is called with the reading when a threshold is reached.
	OnThreshold func(ctx context.Context, r MeterReading, threshold float64)
}

func (m *Meter) included() int64 {
	if m.Included > 0 {
		return m.Included
	}
	return IncludedTransactions
}

func (m *Meter) thresholds() []float64 {
	if len(m.Thresholds) > 0 {
		return m.Thresholds
	}
	return []float64{0.8, 1.0}
}

// Record counts one event at time t.
func (m *Meter) Record(ctx context.Context, clientID string, kind EventKind, t time.Time) error {
	month := MonthOf(t)
	n, err := m.Store.Add(ctx, clientID, month, kind)
	if err != nil {
		return fmt.Errorf("ifyul: meter: %w", err)
	}
	if kind != EventTransaction || m.OnThreshold == nil {
		return nil
	}
	for _, th := range m.thresholds() {
		if n == thresholdCount(m.included(), th) {
			r, err := m.Reading(ctx, clientID, month)
			if err != nil {
				return err
			}
			m.OnThreshold(ctx, r, th)
		}
	}
	return nil
}

// thresholdCount is the transaction count at which a share is reached.
func thresholdCount(included int64, share float64) int64 {
	n := int64(float64(included)*share + 0.999999)
	return max(n, 1)
}

// Reading returns the counts of the month.
func (m *Meter) Reading(ctx context.Context, clientID string, month Month) (MeterReading, error) {
	r, err := m.Store.Read(ctx, clientID, month)
	if err != nil {
		return r, fmt.Errorf("ifyul: meter: %w", err)
	}
	r.ClientID, r.Month, r.Included = clientID, month, m.included()
	return r, nil
}

// MemoryMeterStore is a MeterStore in the process's memory.
type MemoryMeterStore struct {
	mu     sync.Mutex
	counts map[string]*MeterReading
}

// NewMemoryMeterStore returns an empty MemoryMeterStore.
func NewMemoryMeterStore() *MemoryMeterStore {
	return &MemoryMeterStore{counts: map[string]*MeterReading{}}
}

// Add implements MeterStore.
func (s *MemoryMeterStore) Add(_ context.Context, clientID string, month Month,
	kind EventKind) (int64, error) {

	s.mu.Lock()
	defer s.mu.Unlock()
	key := clientID + "/" + month.String()
	r := s.counts[key]
	if r == nil {
		r = &MeterReading{}
		s.counts[key] = r
	}
	switch kind {
	case EventTransaction:
		r.Transactions++
		return r.Transactions, nil
	case EventFailedAttempt:
		r.FailedAttempts++
		return r.FailedAttempts, nil
	case EventRefresh:
		r.Refreshes++
		return r.Refreshes, nil
	}
	return 0, fmt.Errorf("unknown event kind %q", kind)
}

// Read implements MeterStore.
func (s *MemoryMeterStore) Read(_ context.Context, clientID string, month Month) (MeterReading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.counts[clientID+"/"+month.String()]; r != nil {
		return *r, nil
	}
	return MeterReading{}, nil
}
