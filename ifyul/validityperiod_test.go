package ifyul

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckValidityPeriod(t *testing.T) {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	cases := []struct {
		name     string
		skew     time.Duration
		claims   string
		want     error
		wantText string
	}{
		{"valid", time.Minute, `{"exp": ` + at(time.Hour) + `}`, nil, ""},
		{"expired within the skew", time.Minute, `{"exp": ` + at(-30*time.Second) + `}`,
			nil, ""},
		{"expired exactly at the skew", time.Minute, `{"exp": ` + at(-time.Minute) + `}`,
			nil, ""},
		{"expired beyond the skew", time.Minute, `{"exp": ` + at(-61*time.Second) + `}`,
			ErrTokenExpired, "expired at 2025-06-01T11:58:59Z"},
		{"expired beyond a short skew", 10 * time.Second,
			`{"exp": ` + at(-30*time.Second) + `}`, ErrTokenExpired, "expired at"},
		{"exp with a fraction", time.Minute, `{"exp": ` + at(time.Hour) + `.5}`, nil, ""},
		{"exp missing", time.Minute, `{}`, ErrInvalidToken, `claim "exp" missing`},
		{"exp null", time.Minute, `{"exp": null}`, ErrInvalidToken, `claim "exp" missing`},
		{"exp a string", time.Minute, `{"exp": "tomorrow"}`, ErrInvalidToken,
			`claim "exp" is not a number: "tomorrow"`},
		{"exp huge", time.Minute, `{"exp": 1e300}`, ErrInvalidToken,
			`claim "exp" is out of range: 1e300`},
		{"nbf in the past", time.Minute,
			`{"exp": ` + at(time.Hour) + `, "nbf": ` + at(-time.Hour) + `}`, nil, ""},
		{"nbf within the skew", time.Minute,
			`{"exp": ` + at(time.Hour) + `, "nbf": ` + at(59*time.Second) + `}`, nil, ""},
		{"nbf beyond the skew", time.Minute,
			`{"exp": ` + at(time.Hour) + `, "nbf": ` + at(3*time.Minute) + `}`,
			ErrInvalidToken, "not valid before 2025-06-01T12:03:00Z (nbf)"},
		{"nbf within a long skew", 5 * time.Minute,
			`{"exp": ` + at(time.Hour) + `, "nbf": ` + at(3*time.Minute) + `}`, nil, ""},
		{"nbf a boolean", time.Minute, `{"exp": ` + at(time.Hour) + `, "nbf": true}`,
			ErrInvalidToken, `claim "nbf" is not a number: true`},
		{"nbf null", time.Minute, `{"exp": ` + at(time.Hour) + `, "nbf": null}`, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, func(cfg *Config) {
				cfg.Now = func() time.Time { return now }
				cfg.ClockSkew = tc.skew
			})
			err := c.checkValidityPeriod(claimsOf(t, tc.claims))
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

func TestNumericDate(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		want    time.Time
		present bool
	}{
		{"whole seconds", `1700000000`, time.Unix(1700000000, 0), true},
		{"fraction", `1700000000.25`, time.Unix(1700000000, 250_000_000), true},
		{"exponent", `1.7e9`, time.Unix(1700000000, 0), true},
		{"negative", `-1`, time.Unix(-1, 0), true},
		{"null", `null`, time.Time{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, present, err := numericDate(claimsOf(t, `{"exp": `+tc.raw+`}`), "exp")
			require.NoError(t, err)
			assert.Equal(t, tc.present, present)
			assert.True(t, tc.want.Equal(got), "got %s, expected %s", got, tc.want)
		})
	}
}

func FuzzNumericDate(f *testing.F) {
	for _, seed := range []string{`1700000000`, `1.5`, `-1e15`, `1e16`, `"x"`, `null`, `[]`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		claims := map[string]json.RawMessage{"exp": json.RawMessage(raw)}
		got, present, err := numericDate(claims, "exp")
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidToken)
			require.False(t, present)
			return
		}
		if !present {
			require.True(t, got.IsZero())
		}
	})
}
