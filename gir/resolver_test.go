package gir

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAddressID(t *testing.T) {
	tests := []struct {
		name, in string
		want     AddressID
		err      string
	}{
		{name: "sixteen digits", in: "1000000000012345", want: "1000000000012345"},
		{name: "leading zeros kept", in: "0000012345", want: "0000012345"},
		{name: "spaces trimmed", in: " 12345 ", want: "12345"},
		{name: "shortest", in: "12345", want: "12345"},
		{name: "longest", in: "12345678901234567890", want: "12345678901234567890"},
		{name: "too short", in: "1234", err: "gir: invalid address identifier: 4 digits, " +
			"expected 5 to 20"},
		{name: "too long", in: "123456789012345678901",
			err: "gir: invalid address identifier: 21 digits, expected 5 to 20"},
		{name: "empty", in: "", err: "gir: invalid address identifier: 0 digits, expected 5 to 20"},
		{name: "letter", in: "12345a", err: "gir: invalid address identifier: character 'a' at " +
			"byte 5 is not a digit"},
		{name: "Cyrillic", in: "1234б", err: `gir: invalid address identifier: character 'б' at ` +
			`byte 4 is not a digit`},
		{name: "path", in: "12345/../1", err: "gir: invalid address identifier: character '/' at " +
			"byte 5 is not a digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAddressID(tt.in)
			if tt.err != "" {
				assert.ErrorIs(t, err, ErrInvalidAddressID)
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

var testAddresses = MapResolver{
	"1000000000012345": {FullAddress: "г. Минск, ул. Немига, д. 12, корп. 1, кв. 45",
		LocalityType: LocalityCity, Locality: "Минск", StreetType: StreetStreet,
		Street: "Немига", House: "12", Building: "1", Flat: "45"},
	"2000000000000409": {LocalityType: LocalityCity, Locality: "Витебск",
		StreetType: StreetStreet, Street: "Замковая", House: "4", Flat: "9",
		Unparsed: []string{"ком. 2"}},
}

func TestMapResolver(t *testing.T) {
	got, err := testAddresses.Resolve(context.Background(), "1000000000012345")
	require.NoError(t, err)
	assert.Equal(t, AddressID("1000000000012345"), got.ID)
	assert.Equal(t, "Немига", got.Street)

	_, err = testAddresses.Resolve(context.Background(), "9999999999")
	assert.ErrorIs(t, err, ErrAddressNotFound)
	assert.EqualError(t, err, "gir: address not found: 9999999999")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = testAddresses.Resolve(ctx, "1000000000012345")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestHTTPResolverWithHandler(t *testing.T) {
	server := httptest.NewServer(http.StripPrefix("/gir", NewResolverHandler(testAddresses)))
	defer server.Close()
	r := &HTTPResolver{BaseURL: server.URL + "/gir/", Client: server.Client()}

	for id := range testAddresses {
		t.Run(string(id), func(t *testing.T) {
			want, err := testAddresses.Resolve(context.Background(), id)
			require.NoError(t, err)
			got, err := r.Resolve(context.Background(), id)
			require.NoError(t, err)
			if want.FullAddress == "" {
				assert.Equal(t, want, got)
				return
			}
			assert.Equal(t, want.FullAddress, got.FullAddress)
			assert.Equal(t, want.Format(), got.Format())
		})
	}

	_, err := r.Resolve(context.Background(), "5555555555")
	assert.ErrorIs(t, err, ErrAddressNotFound)

	_, err = r.Resolve(context.Background(), "55/55")
	assert.ErrorIs(t, err, ErrInvalidAddressID, "checked before any request")

	_, err = (&HTTPResolver{}).Resolve(context.Background(), "5555555555")
	assert.EqualError(t, err, "gir: HTTPResolver.BaseURL is empty")
}

func TestHTTPResolverResponses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, a *Address, err error)
	}{
		{"text only", 200, `{"full_address": "г. Брест, пер. Кобринский, д. 3"}`,
			func(t *testing.T, a *Address, err error) {
				require.NoError(t, err)
				assert.Equal(t, AddressID("1100000000000303"), a.ID)
				assert.Equal(t, "Кобринский", a.Street)
			}},
		{"another identifier", 200, `{"address_id": "1100000000000304", "locality": "Брест"}`,
			func(t *testing.T, a *Address, err error) {
				assert.ErrorIs(t, err, ErrInvalidData)
				assert.EqualError(t, err, `gir: address: field "address_id" at offset 15: `+
					`expected 1100000000000303, got 1100000000000304`)
			}},
		{"wrong type", 200, `{"house": 3}`,
			func(t *testing.T, a *Address, err error) {
				assert.EqualError(t, err,
					`gir: address: field "house" at offset 10: expected a string, got number`)
			}},
		{"empty object", 200, `{}`,
			func(t *testing.T, a *Address, err error) {
				assert.ErrorIs(t, err, ErrInvalidData)
				assert.NotErrorIs(t, err, ErrNoPlace)
			}},
		{"unparsed not strings", 200, `{"locality": "Брест", "unparsed": [1]}`,
			func(t *testing.T, a *Address, err error) {
				assert.ErrorIs(t, err, ErrInvalidData)
				assert.EqualError(t, err, `gir: address: field "unparsed" at offset 39: `+
					`expected an array of strings`)
			}},
		{"server error", 502, `bad gateway`,
			func(t *testing.T, a *Address, err error) {
				assert.ErrorIs(t, err, ErrServiceUnavailable)
			}},
		{"forbidden", 403, `{"error": {"code": "forbidden", "message": "no access"}}`,
			func(t *testing.T, a *Address, err error) {
				assert.EqualError(t, err,
					"gir: address service responded with status 403: forbidden: no access")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			respond := func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "/addresses/1100000000000303", r.URL.Path)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}
			server := httptest.NewServer(http.HandlerFunc(respond))
			defer server.Close()
			r := &HTTPResolver{BaseURL: server.URL, Client: server.Client()}
			a, err := r.Resolve(context.Background(), "1100000000000303")
			tt.check(t, a, err)
		})
	}
}

func TestHTTPResolverUnreachable(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	url := server.URL
	server.Close()

	_, err := (&HTTPResolver{BaseURL: url}).Resolve(context.Background(), "1100000000000303")
	assert.ErrorIs(t, err, ErrServiceUnavailable)
}

func TestResolverHandlerErrors(t *testing.T) {
	failing := resolverFunc(func(context.Context, AddressID) (*Address, error) {
		return nil, ErrServiceUnavailable
	})
	tests := []struct {
		name     string
		resolver Resolver
		path     string
		status   int
		code     string
	}{
		{"invalid identifier", testAddresses, "/addresses/12a45", 400, "invalid_address_id"},
		{"not found", testAddresses, "/addresses/5555555555", 404, "address_not_found"},
		{"resolver failed", failing, "/addresses/5555555555", 503, "service_unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			NewResolverHandler(tt.resolver).ServeHTTP(rec,
				httptest.NewRequest(http.MethodGet, tt.path, nil))
			assert.Equal(t, tt.status, rec.Code)
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.code, body.Error.Code)
		})
	}
}

type resolverFunc func(context.Context, AddressID) (*Address, error)

func (f resolverFunc) Resolve(ctx context.Context, id AddressID) (*Address, error) {
	return f(ctx, id)
}

func TestPlaceResolveAddress(t *testing.T) {
	place, err := DecodePlace(json.RawMessage(`{"address_id": 1000000000012345}`))
	require.NoError(t, err)
	require.NoError(t, place.ResolveAddress(context.Background(), testAddresses))
	assert.Equal(t, "Немига", place.Address.Street)
	assert.Equal(t, AddressID("1000000000012345"), place.Address.ID)

	missing := &Place{Address: Address{ID: "5555555555"}}
	err = missing.ResolveAddress(context.Background(), testAddresses)
	assert.ErrorIs(t, err, ErrAddressNotFound)
	assert.EqualError(t, err, "gir: resolve address 5555555555: gir: address not found: 5555555555")

	parsed := &Place{Address: Address{ID: "5555555555", Locality: "Брест"}}
	assert.NoError(t, parsed.ResolveAddress(context.Background(), testAddresses),
		"a place with parts is left alone")
}
