package terminal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/terminal"
)

// chromium starts a headless Chromium with a fresh profile. The test fails
// rather than skips without it, so set CHROMIUM to its path if it is not
// on PATH.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	require.NotEmpty(t, path, "Chromium not found: install it or set CHROMIUM")
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestBrowserRelayInChromium runs a whole card session through relay.js in
// a real browser: the page's script carries every card call from the
// relay to the client program, which is on another origin.
func TestBrowserRelayInChromium(t *testing.T) {
	s := startStack(t)
	relay := terminal.NewBrowserRelay(terminal.RelayConfig{PollTimeout: 2 * time.Second})
	channel, err := relay.NewChannel()
	require.NoError(t, err)
	defer channel.Close()

	mux := http.NewServeMux()
	mux.Handle("/terminal-relay/", http.StripPrefix("/terminal-relay", relay))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>card</title><p id="calls">0</p>
<script>
document.addEventListener("esiful-terminal-relay", function (e) {
  if (e.detail.state === "call") {
    var p = document.getElementById("calls");
    p.textContent = String(Number(p.textContent) + 1);
  }
});
</script>
<script src="/terminal-relay/relay.js" data-session="%s" data-client-program="%s"></script>`,
			channel.ID(), s.ClientProgramURL)
	})
	page := httptest.NewServer(mux)
	defer page.Close()

	type outcome struct {
		data *terminal.PersonalData
		sig  *terminal.Signature
		err  error
	}
	document := []byte("Заявление о выдаче справки")
	done := make(chan outcome, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		session, err := terminal.NewSession(terminal.Config{KPSISURL: s.KPSISTerminalURL,
			Channel: channel})
		if err == nil {
			err = session.Open(ctx)
		}
		if err != nil {
			done <- outcome{err: err}
			return
		}
		defer session.Close(ctx)
		data, err := session.ReadPersonalData(ctx)
		if err != nil {
			done <- outcome{err: err}
			return
		}
		sig, err := session.Sign(ctx, document)
		done <- outcome{data: data, sig: sig, err: err}
	}()

	ctx := chromium(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(page.URL)))
	var result outcome
	select {
	case result = <-done:
	case <-ctx.Done():
		t.Fatal("the card session did not finish through the browser")
	}
	require.NoError(t, result.err)
	assert.Equal(t, "IVANOU", result.data.Latin.Family)
	assert.Equal(t, "3150385H001PB7", result.data.PersonalNumber.String())

	signer, err := attrcert.ParseCertificate(s.Card(1).SignerCertificate())
	require.NoError(t, err)
	assert.NoError(t, result.sig.Verify(document, signer))

	calls, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("calls")))
	require.NoError(t, err)
	assert.NotEqual(t, "0", calls, "the page relayed no call")

	// Closing the channel ends the page's long poll, so the page server
	// shuts down at once.
	channel.Close()
}
