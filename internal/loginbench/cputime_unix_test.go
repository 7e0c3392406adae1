//go:build unix

package loginbench

import (
	"syscall"
	"time"
)

// processCPUTime returns the user and system CPU time of every thread of
// this process, the child processes excluded. On Linux the sum follows the
// scheduler's nanosecond accounting and is reported in microseconds.
func processCPUTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic("loginbench: getrusage: " + err.Error())
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}
