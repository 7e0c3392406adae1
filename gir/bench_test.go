package gir

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

const benchAddress = "220030, Гродненская обл., Гродненский р-н, Обуховский с/с, аг. Обухово, " +
	"ул. Центральная, д. 8, корп. 2, кв. 15"

// baselines caches the time per operation of each baseline, because the
// benchmark function runs several times with growing b.N.
var baselines sync.Map

// reportRatio reports the time per operation of b against the baseline
// measured with testing.Benchmark in the same run.
func reportRatio(b *testing.B, name string, baseline func(b *testing.B)) {
	b.Helper()
	value, ok := baselines.Load(name)
	if !ok {
		value = float64(testing.Benchmark(baseline).NsPerOp())
		baselines.Store(name, value)
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/value.(float64), "x-"+name)
}

// BenchmarkParseAddress compares ParseAddress with only splitting the text
// into trimmed parts, the least any address parser does.
func BenchmarkParseAddress(b *testing.B) {
	for b.Loop() {
		if _, err := ParseAddress(benchAddress); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b, "split", func(b *testing.B) {
		for b.Loop() {
			for _, part := range strings.Split(benchAddress, ",") {
				_ = strings.Join(strings.Fields(part), " ")
			}
		}
	})
}

// BenchmarkDecodePlace compares DecodePlace, which also parses the address,
// with json.Unmarshal of the same claim into a struct.
func BenchmarkDecodePlace(b *testing.B) {
	raw := []byte(`{"full_address": "` + benchAddress + `", "address_id": "4000000000000808"}`)
	for b.Loop() {
		if _, err := DecodePlace(raw); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b, "unmarshal", func(b *testing.B) {
		for b.Loop() {
			var v struct {
				FullAddress string `json:"full_address"`
				AddressID   string `json:"address_id"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
