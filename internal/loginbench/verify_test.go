package loginbench

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/esiful/sdk-go/ifyul"
)

// The SDK has no public function that verifies a bare ID token, because it
// verifies inside Client.CompleteLogin. To measure that step apart from the
// network, a КПСИС flow login is recorded once against the fake server. It is
// then completed again and again from the recorded responses (discovery,
// JWKS, api/v2 login and login_callback) with the same ID token and nonce.

// replayedCompletion is the recorded login and the clients that complete it.
type replayedCompletion struct {
	callback url.Values
	idToken  string
	nonce    string

	sdk *ifyul.Client
	// sdkRemoteKeys is the SDK with go-oidc's RemoteKeySet as
	// Config.KeySet. go-oidc hands its parsed JWS to its own key set, so
	// this client parses the ID token once where the default parses it
	// twice. It shows what that second parse costs.
	sdkRemoteKeys *ifyul.Client
	baseline      *kpsisBaseline
	verifier      *oidc.IDTokenVerifier
}

// recordCompletion logs in once through the fake server in the КПСИС flow,
// recording the responses, and returns the SDK client, the hand-written
// baseline and a bare go-oidc verifier, all served from the recording.
func recordCompletion(ctx context.Context, fake *fakeServer) (*replayedCompletion, error) {
	rec := newRecorder()
	recording, err := ifyul.New(ifyul.Config{
		Authority:   fake.ProviderURL,
		ClientID:    clientID,
		RedirectURL: redirectURL,
		KPSISURL:    fake.KPSISURL,
		HTTPClient:  &http.Client{Timeout: httpTimeout, Transport: rec},
	})
	if err != nil {
		return nil, err
	}
	attemptID, start, err := recording.StartLogin(ctx, "/")
	if err != nil {
		return nil, err
	}
	callback, err := newBrowser(fake.ClientProgramURL).authorize(ctx,
		start.ClientProgramData, start.AuthURL)
	if err != nil {
		return nil, err
	}
	session, _, err := recording.CompleteLogin(ctx, attemptID, callback)
	if err != nil {
		return nil, err
	}

	replay := &http.Client{Timeout: httpTimeout, Transport: rec.replayer()}
	r := &replayedCompletion{callback: callback, idToken: session.IDToken}
	cfg := ifyul.Config{
		Authority:   fake.ProviderURL,
		ClientID:    clientID,
		RedirectURL: redirectURL,
		KPSISURL:    fake.KPSISURL,
		HTTPClient:  replay,
	}
	if r.sdk, err = ifyul.New(cfg); err != nil {
		return nil, err
	}
	if r.baseline, err = newKPSISBaseline(fake, replay); err != nil {
		return nil, err
	}
	cfg.KeySet = oidc.NewRemoteKeySet(r.baseline.ctx, fake.ProviderURL+"/jwks")
	if r.sdkRemoteKeys, err = ifyul.New(cfg); err != nil {
		return nil, err
	}
	r.verifier = r.baseline.verifier
	token, err := r.verifier.Verify(r.baseline.ctx, r.idToken)
	if err != nil {
		return nil, fmt.Errorf("loginbench: recorded ID token: %w", err)
	}
	r.nonce = token.Nonce
	return r, nil
}

// completeSDK starts a login with the client from the recorded КПСИС
// response outside the measured step, then completes it with the recorded
// callback.
func (r *replayedCompletion) completeSDK(ctx context.Context, client *ifyul.Client,
	cost *tally) (*ifyul.Identity, error) {

	attemptID, _, err := client.StartLogin(ctx, "/")
	if err != nil {
		return nil, err
	}
	var session *ifyul.Session
	err = cost.add(func() (err error) {
		session, _, err = client.CompleteLogin(ctx, attemptID, r.callback)
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

// completeBaseline does the same by hand.
func (r *replayedCompletion) completeBaseline(cost *tally) (*person, error) {
	id, _, _, err := r.baseline.start()
	if err != nil {
		return nil, err
	}
	var p *person
	err = cost.add(func() (err error) {
		p, err = r.baseline.complete(id, r.callback)
		return err
	})
	return p, err
}

// verifyOnly runs go-oidc's verifier alone on the recorded ID token, with
// the nonce check.
func (r *replayedCompletion) verifyOnly(cost *tally) error {
	return cost.add(func() error {
		token, err := r.verifier.Verify(r.baseline.ctx, r.idToken)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(token.Nonce), []byte(r.nonce)) != 1 {
			return errors.New("loginbench: ID token nonce differs")
		}
		return nil
	})
}
