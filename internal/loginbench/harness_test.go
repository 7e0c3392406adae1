package loginbench

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/persons"
)

// harnessLogin runs one login in one of the benchmarked ways and returns
// the personal number it yields.
type harnessLogin func(t *testing.T, fake *fakeServer, br *browser,
	cost *loginCost) (string, error)

func loginSDK(kpsis bool) harnessLogin {
	return func(t *testing.T, fake *fakeServer, br *browser, cost *loginCost) (string, error) {
		client, err := newSDKClient(fake, kpsis)
		require.NoError(t, err)
		identity, err := sdkLogin(context.Background(), client, br, cost)
		if err != nil {
			return "", err
		}
		return identity.PersonalNumber.String(), nil
	}
}

func loginDirectBaseline(t *testing.T, fake *fakeServer, br *browser,
	cost *loginCost) (string, error) {

	baseline, err := newDirectBaseline(fake)
	require.NoError(t, err)
	p, err := baseline.login(br, cost)
	if err != nil {
		return "", err
	}
	return p.PersonalNumber, nil
}

func loginKPSISBaseline(t *testing.T, fake *fakeServer, br *browser,
	cost *loginCost) (string, error) {

	baseline, err := newKPSISBaseline(fake, newHTTPClient())
	require.NoError(t, err)
	p, err := baseline.login(br, cost)
	if err != nil {
		return "", err
	}
	return p.PersonalNumber, nil
}

// completeReplayed records a КПСИС flow login, then completes it once more
// from the recording with the SDK (with either key set), by hand, and with
// go-oidc's verifier
// alone, as BenchmarkCompleteLoginReplayed does. It returns the SDK's
// result after checking that the other completions agree.
func completeReplayed(t *testing.T, fake *fakeServer, _ *browser,
	cost *loginCost) (string, error) {

	ctx := context.Background()
	r, err := recordCompletion(ctx, fake)
	require.NoError(t, err)
	identity, err := r.completeSDK(ctx, r.sdk, &cost.complete)
	if err != nil {
		return "", err
	}
	var remoteKeys tally
	other, err := r.completeSDK(ctx, r.sdkRemoteKeys, &remoteKeys)
	require.NoError(t, err)
	assert.Equal(t, identity.PersonalNumber, other.PersonalNumber)
	var base tally
	p, err := r.completeBaseline(&base)
	require.NoError(t, err)
	assert.Equal(t, identity.PersonalNumber.String(), p.PersonalNumber)
	assert.Positive(t, base.allocs, "allocations of the hand-written completion")
	var verify tally
	require.NoError(t, r.verifyOnly(&verify))
	assert.Positive(t, verify.allocs, "allocations of the verification")
	return identity.PersonalNumber.String(), nil
}

// TestHarnessLogsInEachWay starts the fake server as a child process, logs
// in once in each way the benchmarks do, and stops it.
func TestHarnessLogsInEachWay(t *testing.T) {
	fake, err := startFakeServer()
	require.NoError(t, err)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			assert.NoError(t, fake.stop())
		}
	})
	want := persons.Default().ByID(personID)
	require.NotNil(t, want)

	tests := []struct {
		name  string
		login harnessLogin
	}{
		{"sdk direct", loginSDK(false)},
		{"baseline direct", loginDirectBaseline},
		{"sdk kpsis", loginSDK(true)},
		{"baseline kpsis", loginKPSISBaseline},
		{"replayed completion", completeReplayed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cost loginCost
			personalNumber, err := tt.login(t, fake, newBrowser(fake.ClientProgramURL), &cost)
			require.NoError(t, err)
			assert.Equal(t, want.PersonalNumber, personalNumber)
			assert.Positive(t, cost.relyingParty().cpu, "CPU time of the relying party")
			assert.Positive(t, cost.relyingParty().allocs, "allocations of the relying party")
		})
	}

	stopped = true
	require.NoError(t, fake.stop())
	_, err = http.Get(fake.ProviderURL + "/.well-known/openid-configuration")
	assert.Error(t, err, "the provider answers after stop")
}
