package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// startDemo starts the demo on loopback with free ports.
func startDemo(t *testing.T, opts Options) *Demo {
	t.Helper()
	opts.Addr = "127.0.0.1:0"
	opts.FakeClientProgramAddr = "127.0.0.1:0"
	demo, err := Start(opts)
	require.NoError(t, err)
	t.Cleanup(demo.Close)
	return demo
}

func TestDemoLoginAndLogout(t *testing.T) {
	for _, direct := range []bool{false, true} {
		name := map[bool]string{false: "kpsis", true: "direct"}[direct]
		t.Run(name, func(t *testing.T) {
			demo := startDemo(t, Options{Direct: direct})
			browser := ifyultest.NewBrowser()

			home, err := browser.Get(demo.URL + "/")
			require.NoError(t, err)
			assert.Contains(t, home.Body, "Войти через ЕС ИФЮЛ")

			page, err := browser.Login(demo.URL+"/login?return_to=/person", 4)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			assert.Equal(t, "/person", page.URL.Path)
			assert.Contains(t, page.Body, "Сидоренко Мария Викторовна")
			assert.Contains(t, page.Body, "Сідарэнка Марыя Віктараўна")
			assert.Contains(t, page.Body, "4301158K045PB3")
			assert.Contains(t, page.Body, "30.11.1958")
			assert.Contains(t, page.Body, "аг. Обухово")

			page, err = browser.PostForm(demo.URL+"/logout", nil)
			require.NoError(t, err)
			assert.Equal(t, "/", page.URL.Path)
			assert.Contains(t, page.Body, "Войти через ЕС ИФЮЛ")
		})
	}
}

func TestDemoFakeLoginSkipsLoginPage(t *testing.T) {
	demo := startDemo(t, Options{FakeLogin: 1})
	page, err := ifyultest.NewBrowser().Login(demo.URL+"/login", 0)
	require.NoError(t, err)
	// No person is picked on a page, so the fake logged in person 1 itself.
	assert.Equal(t, "/", page.URL.Path)
	assert.Contains(t, page.Body, "Вы вошли как Иванов Иван Иванович")
}

func TestDemoShowsRussianErrorPage(t *testing.T) {
	demo := startDemo(t, Options{})
	demo.fake.ProviderSwitch.Set("maintenance")

	page, err := ifyultest.NewBrowser().Get(demo.URL + "/login")
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, page.Status)
	assert.Contains(t, page.Body, "технические работы")
	assert.NotContains(t, page.Body, "goroutine", "no stack trace reaches the page")
}

func TestRunPrintsAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0",
			"-fake-client-program-addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "http://") },
		10*time.Second, 20*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, stdout.String(), "Демо-система запущена: откройте http://127.0.0.1:")
	assert.Contains(t, stderr.String(), "demo: started")
}

func TestRunRejectsFakeLoginWithRealKPSIS(t *testing.T) {
	err := run(t.Context(), []string{"-kpsis", "http://127.0.0.1:1", "-fake-login", "1"},
		&bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "-fake-login works with the embedded fake only")
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestDemoShowsRegisteredPlaces(t *testing.T) {
	demo := startDemo(t, Options{})
	cases := []struct {
		name   string
		person int
		want   []string
		absent []string
	}{
		{"residence and stay", 3, []string{"Место жительства", "Брест", "Место пребывания",
			"Независимости", "01.09.2023", "30.06.2027"}, nil},
		{"identifier resolved", 7, []string{"6000000000005408",
			"адрес получен из адресного реестра", "Борисов", "Гагарина"}, nil},
		{"no registered residence", 8, []string{"не зарегистрировано"},
			[]string{"Место пребывания"}},
		{"village with selsoviet", 4, []string{"Сельсовет", "Обуховский", "аг. Обухово"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := ifyultest.NewBrowser().Login(demo.URL+"/login?return_to=/person", tc.person)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			for _, text := range tc.want {
				assert.Contains(t, page.Body, text)
			}
			for _, text := range tc.absent {
				assert.NotContains(t, page.Body, text)
			}
		})
	}
}

func TestDemoShowsCertificates(t *testing.T) {
	demo := startDemo(t, Options{})
	page, err := ifyultest.NewBrowser().Login(demo.URL+"/login?return_to=/person", 1)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, page.Status, page.Body)

	assert.Contains(t, page.Body, "Сертификат открытого ключа")
	assert.Contains(t, page.Body, "действителен, выдан РУЦ")
	assert.Contains(t, page.Body, "Атрибутный сертификат")
	assert.Contains(t, page.Body, "ООО «Белая Вежа Софт»")
	assert.Contains(t, page.Body, "190000017")
	assert.Contains(t, page.Body, "подписание: договоры")
	assert.Contains(t, page.Body, "владелец совпадает")
	assert.NotContains(t, page.Body, "не прошёл проверку")
}
