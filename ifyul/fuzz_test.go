package ifyul

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// More seeds of each target are in testdata/fuzz/<target>/.

func FuzzNewIdentity(f *testing.F) {
	f.Add([]byte(`{"sub": "person-1", "serialNumber": "3150385H001PB7", "surname": "Иванов"}`),
		"person-1")

	f.Fuzz(func(t *testing.T, userinfoJSON []byte, subject string) {
		var userinfo map[string]json.RawMessage
		if decodeJSON("application/json", userinfoJSON, &userinfo) != nil {
			return
		}
		subjectJSON, err := json.Marshal(subject)
		require.NoError(t, err)
		tokenClaims := map[string]json.RawMessage{
			"iss": json.RawMessage(`"` + testIssuer + `"`),
			"sub": subjectJSON,
			"aud": json.RawMessage(`"client"`),
		}

		id, err := newIdentity(testIssuer, tokenClaims, userinfo, &DefaultClaimMap)
		if err != nil {
			require.Nil(t, id)
			require.True(t, errors.Is(err, ErrInvalidIdentity) || errors.Is(err, ErrInvalidToken),
				"error %q wraps neither sentinel", err)
			var number string
			if json.Unmarshal(userinfo["serialNumber"], &number) == nil {
				if pn, perr := ParsePersonalNumber(number); perr == nil {
					require.NotContains(t, err.Error(), pn.String(),
						"an error must not carry a whole personal number")
				}
			}
			return
		}

		require.False(t, id.PersonalNumber.IsZero())
		require.False(t, id.BirthDate.IsZero())
		require.Contains(t, []Sex{SexMale, SexFemale}, id.Sex)
		require.NotEmpty(t, id.DisplayName())
		_ = id.ResidenceAddress()
		for name, raw := range userinfo {
			require.Equal(t, string(raw), string(id.Claims[name]), "claim %q", name)
		}

		// A session store may keep the identity as JSON, so it must survive
		// the round trip.
		encoded, err := json.Marshal(id)
		require.NoError(t, err)
		var decoded Identity
		require.NoError(t, json.Unmarshal(encoded, &decoded))
		require.Equal(t, id.PersonalNumber, decoded.PersonalNumber)
		require.Equal(t, id.Names, decoded.Names)
		require.True(t, id.BirthDate.Equal(decoded.BirthDate))
		require.Equal(t, id.Sex, decoded.Sex)
	})
}

// requireDecodeError checks that a decoding error names the field or the
// byte offset that is wrong.
func requireDecodeError(t *testing.T, err error) {
	t.Helper()
	message := err.Error()
	require.True(t, strings.Contains(message, "offset") ||
		strings.Contains(message, "field ") ||
		strings.Contains(message, "err is neither a string nor a number") ||
		strings.Contains(message, "is not JSON") ||
		strings.Contains(message, "content type"),
		"error %q names neither a field nor an offset", message)
}

func FuzzKPSISAnswer(f *testing.F) {
	f.Add([]byte(`{"err": "0", "signed_data_to_check_in_cp": "s", "code_verifier": "v",
		"enveloped_and_signed_auth_url": "https://esiful.gov.by/auth?x=1"}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		for _, answer := range []any{
			&kpsisLoginAnswer{}, &kpsisCallbackAnswer{}, &kpsisAnswer{}, &oauthError{},
		} {
			err := decodeJSON("application/json", body, answer)
			if err != nil {
				requireDecodeError(t, err)
				continue
			}
			require.True(t, json.Valid(body), "decoded invalid JSON into %T", answer)
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add("application/json", []byte(`{"issuer": "https://esiful.gov.by",
		"id_token_signing_alg_values_supported": ["ES256", "HS256", "none"]}`))

	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		var meta discovery
		err := decodeJSON(contentType, body, &meta)
		if err != nil {
			requireDecodeError(t, err)
			return
		}
		require.True(t, json.Valid(body), "decoded invalid JSON")
		mediaType, _, _ := mime.ParseMediaType(contentType)
		require.Contains(t,
			[]string{"", "application/json", "text/plain", "application/jwk-set+json"},
			mediaType)

		algs, err := allowedAlgorithms(nil, meta.SigningAlgorithms)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidToken)
			return
		}
		require.NotEmpty(t, algs)
		for _, alg := range algs {
			require.True(t, asymmetricAlgorithms[alg], "algorithm %q allowed", alg)
		}
	})
}

func FuzzLocalPath(f *testing.F) {
	f.Add("/me?x=1")

	f.Fuzz(func(t *testing.T, returnTo string) {
		path := localPath(returnTo)
		require.True(t, path == "/" || path == returnTo, "localPath(%q) = %q", returnTo, path)
		require.True(t, strings.HasPrefix(path, "/"))

		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/callback", nil)
		http.Redirect(w, r, path, http.StatusFound)
		location := w.Header().Get("Location")
		require.False(t, browserLeavesSite(location),
			"return_to %q leads to Location %q", returnTo, location)
	})
}
