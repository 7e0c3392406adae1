package gir_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/gir"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// loginAs logs test person id in through the fake ЕС ИФЮЛ, asking for the
// places of residence and stay, and returns the verified identity.
func loginAs(t *testing.T, fake *ifyultest.Server, id int) *ifyul.Identity {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cfg := fake.Config(ifyultest.KPSISFlow, srv.URL+"/callback", "")
	cfg.Scopes = append(slices.Clone(ifyul.DefaultScopes), "stay_place")
	client, err := ifyul.New(cfg)
	require.NoError(t, err)
	mux.Handle("GET /login", client.LoginHandler())
	mux.Handle("GET /callback", client.CallbackHandler())
	mux.Handle("GET /me", client.RequireSession("/login",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, _ := ifyul.SessionFromContext(r.Context())
			_ = json.NewEncoder(w).Encode(s.Identity)
		})))

	page, err := fake.NewBrowser().Login(srv.URL+"/login?return_to=/me", id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	var identity ifyul.Identity
	require.NoError(t, json.Unmarshal([]byte(page.Body), &identity))
	return &identity
}

func TestPlacesThroughLogin(t *testing.T) {
	fake := ifyultest.NewServer()
	defer fake.Close()
	resolver := &gir.HTTPResolver{BaseURL: fake.AddressRegisterURL}

	t.Run("full address", func(t *testing.T) {
		place, err := gir.ResidencePlaceOf(loginAs(t, fake, 1))
		require.NoError(t, err)
		assert.Equal(t, "Минск", place.Address.Locality)
		assert.Equal(t, "Немига", place.Address.Street)
		assert.Equal(t, "12", place.Address.House)
		assert.Equal(t, "1", place.Address.Building)
		assert.Equal(t, "45", place.Address.Flat)
		assert.Equal(t, gir.AddressID("1000000000012345"), place.Address.ID)
	})

	t.Run("place of stay", func(t *testing.T) {
		place, err := gir.StayPlaceOf(loginAs(t, fake, 3))
		require.NoError(t, err)
		assert.Equal(t, "Независимости", place.Address.Street)
		assert.Equal(t, time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), place.RegisteredUntil)
	})

	t.Run("identifier only, resolved", func(t *testing.T) {
		place, err := gir.ResidencePlaceOf(loginAs(t, fake, 7))
		require.NoError(t, err)
		require.False(t, place.Address.HasParts(), "the provider sent the identifier alone")
		require.NoError(t, place.ResolveAddress(t.Context(), resolver))
		assert.Equal(t, "Борисов", place.Address.Locality)
		assert.Equal(t, "Борисовский", place.Address.District)
		assert.Equal(t, "8", place.Address.Flat)
	})

	t.Run("no registered residence", func(t *testing.T) {
		_, err := gir.ResidencePlaceOf(loginAs(t, fake, 8))
		assert.ErrorIs(t, err, gir.ErrNoPlace)
	})
}

func TestRegisterServicesOfFake(t *testing.T) {
	fake := ifyultest.NewServer()
	defer fake.Close()
	client := &gir.RegisterClient{
		Transport: &gir.HTTPTransport{BaseURL: fake.RegisterServicesURL},
		Consents:  &gir.MemoryConsentRecorder{},
	}
	now := time.Now()
	consent := func(pn ifyul.PersonalNumber) gir.Consent {
		return gir.Consent{ID: "c-" + pn.String()[:1], PersonalNumber: pn, GivenAt: now,
			ExpiresAt: now.Add(time.Hour), Purpose: "заключение договора"}
	}

	for _, person := range []int{1, 2, 3, 4, 5, 6, 7, 8} {
		identity := loginAs(t, fake, person)
		pn := identity.PersonalNumber
		data, err := client.PersonalData(t.Context(), gir.Request{PersonalNumber: pn, Consent: consent(pn)})
		require.NoError(t, err, "person %d", person)
		assert.Equal(t, identity.Names.Russian, data.Names.Russian, "person %d", person)
		assert.Equal(t, identity.BirthDate, data.BirthDate, "person %d", person)

		places, err := client.Places(t.Context(), gir.Request{PersonalNumber: pn, Consent: consent(pn)})
		require.NoError(t, err, "person %d", person)
		assert.Equal(t, person != 8, places.Residence != nil, "person %d", person)
	}

	pn := loginAs(t, fake, 1).PersonalNumber
	expired := consent(pn)
	expired.ExpiresAt = now.Add(-time.Minute)
	_, err := client.PersonalData(t.Context(), gir.Request{PersonalNumber: pn, Consent: expired})
	assert.True(t, errors.Is(err, gir.ErrConsentExpired), "%v", err)
}
