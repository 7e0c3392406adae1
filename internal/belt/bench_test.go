package belt

import (
	"fmt"
	"hash"
	"runtime"
	"testing"
	"time"

	cbbelt "github.com/deatil/go-cryptobin/hash/belt"
)

var benchSizes = []int{1 << 10, 1 << 20}

func benchMessage(size int) []byte {
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte(i)
	}
	return msg
}

func hashOnce(h hash.Hash, msg, sum []byte) {
	h.Reset()
	h.Write(msg)
	h.Sum(sum[:0])
}

// BenchmarkHash measures belt-hash on 1 KiB and 1 MiB messages.
func BenchmarkHash(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(sizeName(size), func(b *testing.B) {
			msg, h, sum := benchMessage(size), NewHash(), make([]byte, Size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				hashOnce(h, msg, sum)
			}
		})
	}
}

// BenchmarkCompareHash hashes the same message with this package and with
// go-cryptobin, alternating within one run, and reports the throughput ratio
// as x-vs-cryptobin (above 1 means this package is faster). Times are CPU
// times of the benchmark thread, so other load on the machine affects both
// sides alike.
func BenchmarkCompareHash(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(sizeName(size), func(b *testing.B) {
			msg, sum := benchMessage(size), make([]byte, Size)
			ours, base := NewHash(), cbbelt.New()
			// Short messages are hashed in batches so that reading the
			// clock costs little next to the work.
			batch := max(1, (64<<10)/size)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var tOurs, tBase time.Duration
			for b.Loop() {
				t0 := threadCPUTime()
				for range batch {
					hashOnce(ours, msg, sum)
				}
				t1 := threadCPUTime()
				for range batch {
					hashOnce(base, msg, sum)
				}
				tOurs += t1 - t0
				tBase += threadCPUTime() - t1
			}
			bytes := float64(size) * float64(b.N*batch)
			b.ReportMetric(tBase.Seconds()/tOurs.Seconds(), "x-vs-cryptobin")
			b.ReportMetric(bytes/tOurs.Seconds()/1e6, "MB/s-ours")
			b.ReportMetric(bytes/tBase.Seconds()/1e6, "MB/s-cryptobin")
		})
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}
