package loginbench

import (
	"runtime"
	"time"
)

// tally sums the process CPU time and heap allocations of the steps run
// through it.
type tally struct {
	cpu    time.Duration
	allocs uint64
	bytes  uint64
}

// add runs step and adds its cost. runtime.ReadMemStats stops the world, so
// it is called outside the CPU-time interval. Work that another goroutine
// does after step returns (a connection's read loop, the garbage collector)
// falls into whichever interval is open at the time, and alternating the two
// sides spreads it evenly.
func (t *tally) add(step func() error) error {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := processCPUTime()
	err := step()
	end := processCPUTime()
	runtime.ReadMemStats(&after)

	t.cpu += end - start
	t.allocs += after.Mallocs - before.Mallocs
	t.bytes += after.TotalAlloc - before.TotalAlloc
	return err
}

func (t tally) plus(u tally) tally {
	return tally{cpu: t.cpu + u.cpu, allocs: t.allocs + u.allocs, bytes: t.bytes + u.bytes}
}

// loginCost is the cost of a series of logins, step by step: the relying
// party's start of the login, the browser's part (the client program and
// the provider), and the relying party's completion.
type loginCost struct {
	start, browser, complete tally
}

// relyingParty is the cost of the steps the SDK or the baseline performs.
func (c *loginCost) relyingParty() tally { return c.start.plus(c.complete) }

// whole is the cost of the login including the browser's requests, which
// are the same for both sides.
func (c *loginCost) whole() tally { return c.relyingParty().plus(c.browser) }
