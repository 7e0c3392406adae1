package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromiumPath finds Debian's Chromium. The test fails rather than skips
// without it: scripts/test.sh installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium not found: install Debian's chromium package " +
		"(scripts/test.sh does) or set CHROMIUM to its path")
	return ""
}

// newChromium starts a headless Chromium with a fresh profile. The flags
// are the ones Chromium needs as root on a machine without network.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// screenshot saves the page as PNG into $ARTIFACTS_DIR (or a temporary
// folder), so a run leaves pictures of what the person saw.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name+".png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}

// text returns the visible text of the element with the id.
func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	require.NoError(t, err, "reading #%s", id)
	return strings.TrimSpace(s)
}

func TestBrowserLoginAndLogout(t *testing.T) {
	demo := startDemo(t, Options{FakeLogin: 1})
	ctx := newChromium(t)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(demo.URL+"/")))
	assert.Equal(t, "Войти через ЕС ИФЮЛ", text(t, ctx, "login"))
	screenshot(t, ctx, "home")

	// The login page runs the client-program step in the browser: a
	// cross-origin POST to the fake client program, then the navigation to
	// the provider, which logs in person 1 and redirects back.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("personal-number")),
	))
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	require.NoError(t, err)
	assert.Equal(t, "/person", path)
	assert.Equal(t, "Иванов Иван Иванович", text(t, ctx, "name"))
	assert.Equal(t, "3150385H001PB7", text(t, ctx, "personal-number"))
	assert.Contains(t, text(t, ctx, "residence"), "г. Минск, ул. Немига")
	screenshot(t, ctx, "person")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("login")),
	))
	assert.Equal(t, "Войти через ЕС ИФЮЛ", text(t, ctx, "login"))
	screenshot(t, ctx, "after-logout")
}

func TestBrowserClientProgramNotAnswering(t *testing.T) {
	demo := startDemo(t, Options{FakeLogin: 1})
	demo.fake.ClientProgramSwitch.Set("down")
	ctx := newChromium(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(demo.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("failure")),
	))
	assert.Equal(t, "Клиентская программа ЕС ИФЮЛ не отвечает.", text(t, ctx, "failure-text"))
	screenshot(t, ctx, "client-program-not-answering")
}

func TestBrowserReadsCardThroughRelay(t *testing.T) {
	demo := startDemo(t, Options{FakeCard: 2})
	ctx := newChromium(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(demo.URL+"/"),
		chromedp.Click(chromedp.ID("card-link")),
		chromedp.WaitVisible(chromedp.ID("card-data")),
	))
	table := text(t, ctx, "card-data")
	assert.Contains(t, table, "4220792C012PB1")
	assert.Contains(t, table, "КОВАЛЁВА АННА СЕРГЕЕВНА", "cards store names in capitals")
	assert.Contains(t, table, "22.07.1992")
	assert.Contains(t, table, "KAVALIOVA HANNA")
	assert.Equal(t, "Данные прочитаны с ID-карты:", text(t, ctx, "card-status"))
	screenshot(t, ctx, "card")
}

func TestBrowserEveryPage(t *testing.T) {
	demo := startDemo(t, Options{})
	ctx := newChromium(t)

	// The fake provider's login page, where a tester picks a person.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(demo.URL+"/"),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("person-7")),
	))
	screenshot(t, ctx, "provider-login")

	// Person 7's residence arrives as an identifier and is resolved; the
	// person page also lists the certificates.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("person-7")),
		chromedp.WaitVisible(chromedp.ID("personal-number")),
	))
	assert.Equal(t, "3120788M044PB9", text(t, ctx, "personal-number"))
	page := text(t, ctx, "place-0")
	assert.Contains(t, page, "адрес получен из адресного реестра")
	assert.Contains(t, page, "Борисов")
	screenshot(t, ctx, "person-registers-certificates")

	// An error page: the provider in maintenance.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("login")),
	))
	demo.fake.ProviderSwitch.Set("maintenance")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(demo.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("error-message")),
	))
	assert.Contains(t, text(t, ctx, "error-message"), "технические работы")
	screenshot(t, ctx, "error-maintenance")
}
