package ifyul_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

// minimalConfig is the smallest valid configuration.
func minimalConfig() ifyul.Config {
	return ifyul.Config{
		ClientID:    "client",
		RedirectURL: "https://rp.example/callback",
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	cases := []struct {
		name   string
		adjust func(*ifyul.Config)
		want   string
	}{
		{"ClientID missing", func(c *ifyul.Config) { c.ClientID = "" },
			"ifyul: Config.ClientID is required"},
		{"RedirectURL missing", func(c *ifyul.Config) { c.RedirectURL = "" },
			"ifyul: Config.RedirectURL is required"},
		{"RedirectURL relative", func(c *ifyul.Config) { c.RedirectURL = "/callback" },
			`ifyul: Config.RedirectURL "/callback" is not an absolute http(s) URL`},
		{"RedirectURL without host", func(c *ifyul.Config) { c.RedirectURL = "https:///cb" },
			`ifyul: Config.RedirectURL "https:///cb" is not an absolute http(s) URL`},
		{"RedirectURL of another scheme",
			func(c *ifyul.Config) { c.RedirectURL = "ftp://rp.example/cb" },
			`ifyul: Config.RedirectURL "ftp://rp.example/cb" is not an absolute http(s) URL`},
		{"Authority without scheme", func(c *ifyul.Config) { c.Authority = "esiful.gov.by" },
			`ifyul: Config.Authority "esiful.gov.by" is not an absolute http(s) URL`},
		{"Authority unparsable", func(c *ifyul.Config) { c.Authority = "https://esiful gov/" },
			`ifyul: Config.Authority "https://esiful gov/" is not an absolute http(s) URL`},
		{"KPSISURL without scheme", func(c *ifyul.Config) { c.KPSISURL = "10.0.0.5:13000" },
			`ifyul: Config.KPSISURL "10.0.0.5:13000" is not an absolute http(s) URL`},
		{"ClientProgramURL without scheme",
			func(c *ifyul.Config) { c.ClientProgramURL = "127.0.0.1:8084" },
			`ifyul: Config.ClientProgramURL "127.0.0.1:8084" is not an absolute http(s) URL`},
		{"PostLogoutRedirectURL relative",
			func(c *ifyul.Config) { c.PostLogoutRedirectURL = "/bye" },
			`ifyul: Config.PostLogoutRedirectURL "/bye" is not an absolute http(s) URL`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := minimalConfig()
			tc.adjust(&cfg)
			client, err := ifyul.New(cfg)
			assert.Nil(t, client)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestNewFillsDefaults(t *testing.T) {
	client, err := ifyul.New(minimalConfig())
	require.NoError(t, err)
	cfg := client.Config()

	assert.Equal(t, ifyul.DefaultAuthority, cfg.Authority)
	assert.Equal(t, ifyul.DefaultClientProgramURL, cfg.ClientProgramURL)
	assert.Equal(t, ifyul.DefaultScopes, cfg.Scopes)
	assert.Equal(t, "consent", cfg.Prompt)
	require.NotNil(t, cfg.Claims)
	assert.Equal(t, ifyul.DefaultClaimMap, *cfg.Claims)
	assert.IsType(t, &ifyul.MemoryAttemptStore{}, cfg.AttemptStore)
	assert.IsType(t, &ifyul.MemorySessionStore{}, cfg.SessionStore)
	assert.Equal(t, 10*time.Minute, cfg.AttemptTTL)
	assert.Equal(t, 8*time.Hour, cfg.SessionTTL)
	assert.Equal(t, time.Minute, cfg.ClockSkew)
	assert.Equal(t, "ifyul", cfg.CookiePrefix)
	require.NotNil(t, cfg.HTTPClient)
	assert.Equal(t, 30*time.Second, cfg.HTTPClient.Timeout)
	assert.NotNil(t, cfg.ErrorHandler)
	assert.NotNil(t, cfg.Logger)
	require.NotNil(t, cfg.Now)
	assert.WithinDuration(t, time.Now(), cfg.Now(), time.Minute)
	assert.Equal(t, "direct", client.Flow().Name())
}

func TestNewKeepsSettings(t *testing.T) {
	claims := ifyul.ClaimMap{PersonalNumber: "pn"}
	fixed := time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)
	cfg := minimalConfig()
	cfg.Authority = "http://127.0.0.1:9000"
	cfg.KPSISURL = "http://10.0.0.5:13000"
	cfg.ClientProgramURL = "http://127.0.0.1:18084"
	cfg.Scopes = []string{"openid"}
	cfg.Prompt = "-"
	cfg.Claims = &claims
	cfg.AttemptTTL = time.Minute
	cfg.SessionTTL = time.Hour
	cfg.ClockSkew = 5 * time.Second
	cfg.CookiePrefix = "rp"
	cfg.Now = func() time.Time { return fixed }

	client, err := ifyul.New(cfg)
	require.NoError(t, err)
	got := client.Config()
	assert.Equal(t, "http://127.0.0.1:9000", got.Authority)
	assert.Equal(t, "http://127.0.0.1:18084", got.ClientProgramURL)
	assert.Equal(t, []string{"openid"}, got.Scopes)
	assert.Equal(t, "-", got.Prompt)
	assert.Equal(t, claims, *got.Claims)
	assert.NotSame(t, &claims, got.Claims, "the client keeps its own copy")
	assert.Equal(t, time.Minute, got.AttemptTTL)
	assert.Equal(t, time.Hour, got.SessionTTL)
	assert.Equal(t, 5*time.Second, got.ClockSkew)
	assert.Equal(t, "rp", got.CookiePrefix)
	assert.Equal(t, fixed, got.Now())
	assert.Equal(t, "kpsis", client.Flow().Name())
}

func TestNewReplacesNegativeDurations(t *testing.T) {
	cfg := minimalConfig()
	cfg.AttemptTTL = -time.Minute
	cfg.SessionTTL = -time.Hour
	cfg.ClockSkew = -time.Second

	client, err := ifyul.New(cfg)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, client.Config().AttemptTTL)
	assert.Equal(t, 8*time.Hour, client.Config().SessionTTL)
	assert.Equal(t, time.Minute, client.Config().ClockSkew)
}

func TestNewCopiesDefaultClaimMap(t *testing.T) {
	client, err := ifyul.New(minimalConfig())
	require.NoError(t, err)
	client.Config().Claims.PersonalNumber = "changed"

	assert.Equal(t, "serialNumber", ifyul.DefaultClaimMap.PersonalNumber)
}
