//go:build !linux

package bign

import "time"

// threadCPUTime falls back to wall time where no per-thread CPU clock is
// wired up.
func threadCPUTime() time.Duration {
	return time.Duration(time.Now().UnixNano())
}
