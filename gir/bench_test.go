package gir

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const benchAddress = "220030, Гродненская обл., Гродненский р-н, Обуховский с/с, аг. Обухово, " +
	"ул. Центральная, д. 8, корп. 2, кв. 15"

// reportRatio times baseline over as many iterations as b ran and reports
// the time of b per the time of the baseline, measured in the same run.
// testing.Benchmark cannot measure the baseline here, because it waits for
// the running benchmark to finish.
func reportRatio(b *testing.B, name string, baseline func()) {
	b.Helper()
	elapsed := b.Elapsed()
	start := time.Now()
	for range b.N {
		baseline()
	}
	b.ReportMetric(float64(elapsed)/float64(time.Since(start)), "x-"+name)
}

// BenchmarkParseAddress compares ParseAddress with only splitting the text
// into trimmed parts, the least any address parser does.
func BenchmarkParseAddress(b *testing.B) {
	for b.Loop() {
		if _, err := ParseAddress(benchAddress); err != nil {
			b.Fatal(err)
		}
	}
	reportRatio(b, "split", func() {
		for _, part := range strings.Split(benchAddress, ",") {
			_ = strings.Join(strings.Fields(part), " ")
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
	reportRatio(b, "unmarshal", func() {
		var v struct {
			FullAddress string `json:"full_address"`
			AddressID   string `json:"address_id"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			b.Fatal(err)
		}
	})
}
