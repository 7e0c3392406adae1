//go:build !unix

package loginbench

import "time"

// processCPUTime falls back to wall time where getrusage is missing. The
// figures then include the fake server's time too.
func processCPUTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
