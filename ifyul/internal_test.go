package ifyul

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// localPathCases are return addresses with the path localPath must give.
var localPathCases = []struct {
	name  string
	input string
	want  string
}{
	{"empty", "", "/"},
	{"root", "/", "/"},
	{"path", "/me", "/me"},
	{"path with query and fragment", "/orders?id=5#top", "/orders?id=5#top"},
	{"encoded slashes stay a path", "/%2F%2Fevil.example", "/%2F%2Fevil.example"},
	{"relative path", "me", "/"},
	{"dot relative path", "./me", "/"},
	{"parent relative path", "../me", "/"},
	{"absolute https URL", "https://evil.example/", "/"},
	{"absolute http URL", "http://evil.example", "/"},
	{"scheme-relative URL", "//evil.example", "/"},
	{"scheme-relative URL with path", "//evil.example/me", "/"},
	{"slash and backslash", "/\\evil.example", "/"},
	{"two backslashes", "\\\\evil.example", "/"},
	{"javascript URL", "javascript:alert(1)", "/"},
	{"javascript URL in capitals", "JavaScript:alert(1)", "/"},
	{"data URL", "data:text/html,<script>alert(1)</script>", "/"},
	{"tab between slashes", "/\t/evil.example", "/"},
	{"newline between slashes", "/\n/evil.example", "/"},
	{"dot segment before backslash", "/./\\evil.example", "/"},
	{"parent segment before backslash", "/a/../\\evil.example", "/"},
	{"tab after a parent segment in the fragment", "/0#/../\t/evil.example", "/"},
	{"newline after a parent segment in the fragment", "/0#/../\n/evil.example", "/"},
	{"backspace in the fragment", "/0#/../\b0", "/"},
	{"delete in the fragment", "/me#\x7f", "/"},
	{"fragment", "/orders#top", "/orders#top"},
}

func TestLocalPath(t *testing.T) {
	for _, tc := range localPathCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, localPath(tc.input))
		})
	}
}

// browserLeavesSite reports whether a browser that follows a redirect to
// location from an http(s) page would leave the site. It applies the rules
// of the WHATWG URL standard that matter here: tabs and newlines are removed,
// leading and trailing spaces and control characters are trimmed, and a
// backslash counts as a slash in http(s) URLs.
func browserLeavesSite(location string) bool {
	location = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, location)
	location = strings.TrimFunc(location, func(r rune) bool { return r <= ' ' })
	location = strings.ReplaceAll(location, "\\", "/")
	return strings.HasPrefix(location, "//") || hasScheme(location)
}

// hasScheme reports whether s starts with a URL scheme: an ASCII letter,
// then letters, digits, "+", "-" or ".", then a colon.
func hasScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		case i > 0 && r == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func TestBrowserLeavesSite(t *testing.T) {
	assert.False(t, browserLeavesSite("/me"))
	assert.False(t, browserLeavesSite("/a//b"))
	assert.False(t, browserLeavesSite("/\b0"), "a browser percent-encodes a backspace")
	assert.False(t, browserLeavesSite("/a:b"))
	assert.True(t, browserLeavesSite("//evil.example"))
	assert.True(t, browserLeavesSite("/\\evil.example"))
	assert.True(t, browserLeavesSite(" /\t/evil.example"))
	assert.True(t, browserLeavesSite("https://evil.example"))
	assert.True(t, browserLeavesSite("javascript:alert(1)"))
	assert.True(t, browserLeavesSite("a+b.c-d:x"))
}

// TestLocalPathRedirectStaysOnSite follows the return address the way
// CallbackHandler uses it: through http.Redirect, which cleans the path.
func TestLocalPathRedirectStaysOnSite(t *testing.T) {
	for _, tc := range localPathCases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodGet, "/callback?data=x", nil)
			http.Redirect(w, r, localPath(tc.input), http.StatusFound)

			location := w.Header().Get("Location")
			require.NotEmpty(t, location)
			assert.False(t, browserLeavesSite(location), "Location %q", location)
		})
	}
}

func TestMaskPersonalNumber(t *testing.T) {
	pn, err := ParsePersonalNumber("3150385H001PB7")
	require.NoError(t, err)

	masked := maskPersonalNumber(pn)
	assert.Equal(t, "3************7", masked)
	assert.NotContains(t, masked, "150385", "the birth date is hidden")
	assert.Equal(t, "***", maskPersonalNumber(PersonalNumber{}))
}

func TestEndSessionURL(t *testing.T) {
	cases := []struct {
		name       string
		endpoint   string
		idToken    string
		postLogout string
		want       string
	}{
		{"nothing to add", "https://esiful.gov.by/session/end", "", "",
			"https://esiful.gov.by/session/end"},
		{"token hint", "https://esiful.gov.by/session/end", "a.b.c", "",
			"https://esiful.gov.by/session/end?id_token_hint=a.b.c"},
		{"token hint and return URL", "https://esiful.gov.by/session/end", "a.b.c",
			"https://rp.example/bye?x=1",
			"https://esiful.gov.by/session/end?id_token_hint=a.b.c&" +
				"post_logout_redirect_uri=https%3A%2F%2Frp.example%2Fbye%3Fx%3D1"},
		{"endpoint with a query", "https://esiful.gov.by/logout?lang=ru", "", "https://rp/",
			"https://esiful.gov.by/logout?lang=ru&post_logout_redirect_uri=https%3A%2F%2Frp%2F"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, endSessionURL(tc.endpoint, tc.idToken, tc.postLogout))
		})
	}
}

func TestRandomToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 100 {
		token := randomToken()
		raw, err := base64.RawURLEncoding.DecodeString(token)
		require.NoError(t, err)
		assert.Len(t, raw, 32)
		assert.False(t, seen[token], "token %q repeated", token)
		seen[token] = true
	}
}
