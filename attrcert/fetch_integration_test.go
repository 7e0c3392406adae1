package attrcert_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

// TestCertificatesThroughLogin logs test persons in through the fake in the
// direct flow, reads their certificates from the login's claims and again
// with the access token, and verifies them against the fake's test root.
func TestCertificatesThroughLogin(t *testing.T) {
	fake, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	defer fake.Close()

	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	require.NoError(t, fake.Register([]string{srv.URL + "/callback"}, nil))

	client, err := ifyul.New(ifyul.Config{
		Authority: fake.ProviderURL, ClientID: fake.ClientID, ClientSecret: fake.ClientSecret,
		RedirectURL: srv.URL + "/callback",
		Scopes:      append(slices.Clone(ifyul.DefaultScopes), attrcert.DefaultCertificateClaims.Scope),
	})
	require.NoError(t, err)

	root, err := attrcert.ParseCertificate(fake.TrustRoot())
	require.NoError(t, err)
	ruc, err := attrcert.ParseCertificate(fake.RUC())
	require.NoError(t, err)
	roots := attrcert.NewTrustAnchors(root)
	keyOpts := attrcert.VerifyOptions{Roots: roots, Intermediates: []*attrcert.Certificate{ruc},
		Policy: attrcert.IssuedBy(ruc, root)}
	attrOpts := attrcert.AttributeVerifyOptions{Issuers: []*attrcert.Certificate{ruc}, Roots: roots}

	var session *ifyul.Session
	mux.Handle("GET /login", client.LoginHandler())
	mux.Handle("GET /callback", client.CallbackHandler())
	mux.Handle("GET /{$}", client.RequireSession("/login",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			session, _ = ifyul.SessionFromContext(r.Context())
			_ = json.NewEncoder(w).Encode(session.Identity)
		})))

	for _, tc := range []struct {
		person       int
		organization string
	}{{1, "ООО «Белая Вежа Софт»"}, {2, "ОАО «Гомельский хлебозавод»"}, {3, ""}} {
		fake.Provider.SetAutoLogin(tc.person)
		browser := http.Client{Jar: newJar(t)}
		resp, err := browser.Get(srv.URL + "/login")
		require.NoError(t, err)
		resp.Body.Close()
		require.NotNil(t, session)

		pc, err := attrcert.CertificatesOf(session.Identity, attrcert.DefaultCertificateClaims)
		require.NoError(t, err)
		require.Len(t, pc.PublicKey, 1, "person %d", tc.person)
		assert.Equal(t, session.Identity.PersonalNumber.String(),
			pc.PublicKey[0].X509.Subject.SerialNumber)
		require.NoError(t, pc.Verify(keyOpts, attrOpts), "person %d", tc.person)

		if tc.organization == "" {
			assert.Empty(t, pc.Attribute, "person %d represents nobody", tc.person)
		} else {
			require.Len(t, pc.Attribute, 1)
			org, ok := pc.Attribute[0].AttributeString(attrcert.OIDOrganizationName)
			require.True(t, ok)
			assert.Equal(t, tc.organization, org)
		}

		again, err := attrcert.FetchCertificates(t.Context(), client, session,
			attrcert.DefaultCertificateClaims)
		require.NoError(t, err)
		assert.Equal(t, len(pc.Attribute), len(again.Attribute))

		// Certificates of the real ГосСУОК are the default trust: the fake's
		// are refused without the test root.
		assert.ErrorIs(t, pc.Verify(attrcert.IdentificationOptions(),
			attrcert.AttributeVerifyOptions{}), attrcert.ErrUnknownIssuer)
		session = nil
	}
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return jar
}
