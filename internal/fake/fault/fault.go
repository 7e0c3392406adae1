// Package fault holds the failure switches of the fake ЕС ИФЮЛ stack: each
// fake component can be made to look down, under maintenance, suspended or
// slow, and switched back at run time, so that every error path of a relying
// party can be tested.
package fault

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Mode is a component's overall state.
type Mode string

// The modes a component can be put in.
const (
	// Healthy serves normally.
	Healthy Mode = "healthy"
	// Down drops every connection without a response, as a host that is
	// off or unreachable looks to a client.
	Down Mode = "down"
	// Maintenance responds with 503 with the error code "maintenance".
	Maintenance Mode = "maintenance"
	// Suspended responds with 403 with the error code "access_suspended", as
	// when the operator suspends a consumer's access.
	Suspended Mode = "suspended"
)

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Healthy, Down, Maintenance, Suspended:
		return m, nil
	case "":
		return Healthy, nil
	}
	return "", fmt.Errorf("fault: unknown mode %q (want healthy, down, maintenance or suspended)", s)
}

// Switch is the state of one component, safe for concurrent use.
type Switch struct {
	mu    sync.RWMutex
	mode  Mode
	delay time.Duration
}

// Set changes the mode.
func (s *Switch) Set(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// SetDelay delays every response by d; zero responds at once.
func (s *Switch) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Mode returns the current mode.
func (s *Switch) Mode() Mode {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.mode == "" {
		return Healthy
	}
	return s.mode
}

// Delay returns the current delay.
func (s *Switch) Delay() time.Duration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.delay
}

// Wrap returns a handler that applies the switch before next: it waits the
// delay (or until the request is cancelled), then acts on the mode.
// ErrorBody writes the component's error response, since the КПСИС and the
// provider shape their errors differently.
func (s *Switch) Wrap(next http.Handler, errorBody func(code, description string) any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := s.Delay(); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		switch s.Mode() {
		case Down:
			drop(w)
		case Maintenance:
			w.Header().Set("Retry-After", "600")
			writeJSON(w, http.StatusServiceUnavailable,
				errorBody("maintenance", "технические работы"))
		case Suspended:
			writeJSON(w, http.StatusForbidden,
				errorBody("access_suspended", "доступ информационной системы приостановлен"))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// drop closes the connection without a response.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
