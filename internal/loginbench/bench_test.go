package loginbench

import (
	"context"
	"testing"
	"time"
)

// benchFakeServer starts a fake server for one benchmark run and stops it
// when the run ends. A fresh server per run keeps the measurements apart
// from the state that the fake accumulates over thousands of logins, which
// makes it slower to respond.
func benchFakeServer(b *testing.B) *fakeServer {
	b.Helper()
	fake, err := startFakeServer()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := fake.stop(); err != nil {
			b.Error(err)
		}
	})
	return fake
}

// compareLogins runs one login of the SDK and one of the baseline per
// iteration, in alternating order, after one unmeasured login of each that
// fills the caches (discovery, JWKS) and opens the connections. It reports
// the SDK's cost as a multiple of the baseline's.
func compareLogins(b *testing.B, sdk, baseline func(*loginCost) error) {
	var warmUp loginCost
	if err := sdk(&warmUp); err != nil {
		b.Fatal(err)
	}
	if err := baseline(&warmUp); err != nil {
		b.Fatal(err)
	}

	var sdkCost, baseCost loginCost
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		first, second := sdk, baseline
		firstCost, secondCost := &sdkCost, &baseCost
		if i%2 == 1 {
			first, second = second, first
			firstCost, secondCost = secondCost, firstCost
		}
		if err := first(firstCost); err != nil {
			b.Fatal(err)
		}
		if err := second(secondCost); err != nil {
			b.Fatal(err)
		}
	}
	reportLogins(b, &sdkCost, &baseCost)
}

// reportLogins reports the SDK's CPU time and allocations in the relying
// party's steps as multiples of the baseline's, with a goal of at most 1.2.
// It adds the CPU ratios of the start and the completion alone and of the
// whole login with the browser's requests, and each side's cost per login.
func reportLogins(b *testing.B, sdk, base *loginCost) {
	sdkRP, baseRP := sdk.relyingParty(), base.relyingParty()
	b.ReportMetric(cpuRatio(sdkRP, baseRP), "cpu-x-vs-baseline")
	b.ReportMetric(allocRatio(sdkRP, baseRP), "allocs-x-vs-baseline")
	b.ReportMetric(cpuRatio(sdk.start, base.start), "start-cpu-x")
	b.ReportMetric(cpuRatio(sdk.complete, base.complete), "complete-cpu-x")
	b.ReportMetric(cpuRatio(sdk.whole(), base.whole()), "with-browser-cpu-x")
	reportSide(b, "sdk", sdkRP)
	reportSide(b, "base", baseRP)
}

func reportSide(b *testing.B, name string, t tally) {
	n := float64(b.N)
	b.ReportMetric(float64(t.cpu)/float64(time.Microsecond)/n, name+"-cpu-us/op")
	b.ReportMetric(float64(t.allocs)/n, name+"-allocs/op")
	b.ReportMetric(float64(t.bytes)/n, name+"-B/op")
}

func cpuRatio(ours, base tally) float64 { return ours.cpu.Seconds() / base.cpu.Seconds() }

func allocRatio(ours, base tally) float64 { return float64(ours.allocs) / float64(base.allocs) }

// baselineFlow is a login written by hand.
type baselineFlow interface {
	login(br *browser, cost *loginCost) (*person, error)
}

// benchmarkLogin compares logins of the SDK in the КПСИС flow when kpsis is
// true, else in the direct flow, with logins of the baseline.
func benchmarkLogin(b *testing.B, kpsis bool,
	newBaseline func(*fakeServer) (baselineFlow, error)) {

	fake := benchFakeServer(b)
	ctx := context.Background()
	client, err := newSDKClient(fake, kpsis)
	if err != nil {
		b.Fatal(err)
	}
	baseline, err := newBaseline(fake)
	if err != nil {
		b.Fatal(err)
	}
	sdkBrowser, baseBrowser := newBrowser(fake.ClientProgramURL), newBrowser(fake.ClientProgramURL)

	compareLogins(b,
		func(cost *loginCost) error {
			_, err := sdkLogin(ctx, client, sdkBrowser, cost)
			return err
		},
		func(cost *loginCost) error {
			_, err := baseline.login(baseBrowser, cost)
			return err
		})
}

// BenchmarkLoginDirect compares a direct OpenID Connect login with the SDK
// (StartLogin, the browser's redirect, CompleteLogin) with the same login
// written with x/oauth2 and go-oidc.
func BenchmarkLoginDirect(b *testing.B) {
	benchmarkLogin(b, false, func(fake *fakeServer) (baselineFlow, error) {
		return newDirectBaseline(fake)
	})
}

// BenchmarkLoginKPSIS compares a КПСИС flow login with the SDK (StartLogin,
// the client program's select_auth, the enveloped URL, CompleteLogin) with
// the same login written with net/http and encoding/json, the ID token
// verified by go-oidc.
func BenchmarkLoginKPSIS(b *testing.B) {
	benchmarkLogin(b, true, func(fake *fakeServer) (baselineFlow, error) {
		return newKPSISBaseline(fake, newHTTPClient())
	})
}

// BenchmarkCompleteLoginReplayed measures the ID token's verification as
// far as the SDK's public API allows: CompleteLogin of the КПСИС flow from
// recorded responses. It reports the SDK's cost as a multiple of the same
// completion by hand (cpu-x-vs-baseline) and of go-oidc's
// IDTokenVerifier.Verify alone on the same token (cpu-x-vs-verify). The
// remote-keys metrics are those of the SDK with go-oidc's RemoteKeySet as
// Config.KeySet, which parses the token once instead of twice.
func BenchmarkCompleteLoginReplayed(b *testing.B) {
	fake := benchFakeServer(b)
	ctx := context.Background()
	r, err := recordCompletion(ctx, fake)
	if err != nil {
		b.Fatal(err)
	}

	var sdk, remoteKeys, base, verify tally
	steps := []func() error{
		func() error { _, err := r.completeSDK(ctx, r.sdk, &sdk); return err },
		func() error { _, err := r.completeBaseline(&base); return err },
		func() error { _, err := r.completeSDK(ctx, r.sdkRemoteKeys, &remoteKeys); return err },
		func() error { return r.verifyOnly(&verify) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	sdk, remoteKeys, base, verify = tally{}, tally{}, tally{}, tally{}

	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range steps {
			if err := steps[(i+j)%len(steps)](); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(cpuRatio(sdk, base), "cpu-x-vs-baseline")
	b.ReportMetric(allocRatio(sdk, base), "allocs-x-vs-baseline")
	b.ReportMetric(cpuRatio(sdk, verify), "cpu-x-vs-verify")
	b.ReportMetric(allocRatio(sdk, verify), "allocs-x-vs-verify")
	b.ReportMetric(cpuRatio(remoteKeys, base), "remote-keys-cpu-x-vs-baseline")
	reportSide(b, "sdk", sdk)
	reportSide(b, "remote-keys", remoteKeys)
	reportSide(b, "base", base)
	reportSide(b, "verify", verify)
}
