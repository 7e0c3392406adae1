//go:build linux

package belt

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPUTime returns the CPU time used by the calling thread
// (CLOCK_THREAD_CPUTIME_ID). Unlike wall time it does not grow while other
// processes hold the CPU, which keeps ratios stable on a shared machine.
func threadCPUTime() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID,
		uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}
