package loginbench

import (
	"context"
	"net/url"

	"github.com/esiful/sdk-go/ifyul"
)

// newSDKClient returns an SDK client for the fake server in the КПСИС flow
// when kpsis is true, else in the direct flow.
func newSDKClient(fake *fakeServer, kpsis bool) (*ifyul.Client, error) {
	cfg := ifyul.Config{
		Authority:        fake.ProviderURL,
		ClientID:         clientID,
		RedirectURL:      redirectURL,
		ClientProgramURL: fake.ClientProgramURL,
		HTTPClient:       newHTTPClient(),
	}
	if kpsis {
		cfg.KPSISURL = fake.KPSISURL
	} else {
		cfg.ClientSecret = clientSecret
	}
	return ifyul.New(cfg)
}

// sdkLogin runs one login with the SDK and adds the cost of each step to
// cost. The session is deleted afterwards, outside the measured steps, so
// that the session store does not grow over a benchmark.
func sdkLogin(ctx context.Context, client *ifyul.Client, br *browser,
	cost *loginCost) (*ifyul.Identity, error) {

	var (
		attemptID string
		start     *ifyul.LoginStart
		callback  url.Values
		session   *ifyul.Session
	)
	err := cost.start.add(func() (err error) {
		attemptID, start, err = client.StartLogin(ctx, "/")
		return err
	})
	if err != nil {
		return nil, err
	}
	err = cost.browser.add(func() (err error) {
		callback, err = br.authorize(ctx, start.ClientProgramData, start.AuthURL)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = cost.complete.add(func() (err error) {
		session, _, err = client.CompleteLogin(ctx, attemptID, callback)
		return err
	})
	if err != nil {
		return nil, err
	}

	if err := client.Config().SessionStore.Delete(ctx, session.ID); err != nil {
		return nil, err
	}
	return session.Identity, nil
}
