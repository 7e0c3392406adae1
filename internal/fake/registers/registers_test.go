package registers

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/gir"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/fake/persons"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	h, err := Handler(persons.Default())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func consentFor(pn ifyul.PersonalNumber) gir.Consent {
	now := time.Now()
	return gir.Consent{ID: "consent-1", PersonalNumber: pn, GivenAt: now.Add(-time.Minute),
		ExpiresAt: now.Add(time.Hour), Purpose: "проверка данных при открытии счёта"}
}

func TestAddressRegisterResolvesIDOnlyPlace(t *testing.T) {
	srv := newServer(t)
	resolver := &gir.HTTPResolver{BaseURL: srv.URL + "/gir"}

	address, err := resolver.Resolve(context.Background(), "6000000000005408")
	require.NoError(t, err)
	assert.Equal(t, "Борисов", address.Locality)
	assert.Equal(t, "Гагарина", address.Street)
	assert.Equal(t, "54", address.House)

	_, err = resolver.Resolve(context.Background(), "99999999999")
	assert.ErrorIs(t, err, gir.ErrAddressNotFound)
}

func TestRegisterServices(t *testing.T) {
	srv := newServer(t)
	client := &gir.RegisterClient{
		Transport: &gir.HTTPTransport{BaseURL: srv.URL + "/oais"},
		Consents:  &gir.MemoryConsentRecorder{},
	}
	ctx := context.Background()
	pn, err := ifyul.ParsePersonalNumber("5050101A123PB6")
	require.NoError(t, err)

	data, err := client.PersonalData(ctx, gir.Request{PersonalNumber: pn, Consent: consentFor(pn)})
	require.NoError(t, err)
	assert.Equal(t, "Петров", data.Names.Russian.Family)
	assert.Equal(t, "Пятроў", data.Names.Belarusian.Family)
	assert.Equal(t, time.Date(2001, 1, 5, 0, 0, 0, 0, time.UTC), data.BirthDate)
	assert.NotEmpty(t, data.Document.Number)

	places, err := client.Places(ctx, gir.Request{PersonalNumber: pn, Consent: consentFor(pn)})
	require.NoError(t, err)
	require.NotNil(t, places.Residence)
	require.NotNil(t, places.Stay, "person 3 has a place of stay")
	assert.Equal(t, "Независимости", places.Stay.Address.Street)
	assert.Equal(t, 2027, places.Stay.RegisteredUntil.Year())

	nobody, err := ifyul.ParsePersonalNumber("6050603E017PB8")
	require.NoError(t, err)
	places, err = client.Places(ctx, gir.Request{PersonalNumber: nobody, Consent: consentFor(nobody)})
	require.NoError(t, err)
	assert.Nil(t, places.Residence, "person 8 has no registered residence")

	unknown, err := ifyul.ParsePersonalNumber("3150385A001PB6")
	require.NoError(t, err)
	_, err = client.PersonalData(ctx, gir.Request{PersonalNumber: unknown, Consent: consentFor(unknown)})
	assert.True(t, errors.Is(err, gir.ErrPersonNotFound), "%v", err)
}

func TestPlaceClaimIDOnly(t *testing.T) {
	p := persons.Default().ByID(7)
	claim := PlaceClaim(p.ResidencePlace)
	assert.Equal(t, "6000000000005408", claim["address_id"])
	assert.NotContains(t, claim, "full_address")
	assert.Nil(t, PlaceClaim(persons.Default().ByID(8).ResidencePlace))
}
