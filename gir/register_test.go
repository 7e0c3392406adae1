package gir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRegister is an in-memory register service that keeps the calls it got.
type fakeRegister struct {
	mu    sync.Mutex
	calls []Call
	data  map[string]map[Service]string
}

func (f *fakeRegister) Call(_ context.Context, call *Call) (json.RawMessage, error) {
	f.mu.Lock()
	f.calls = append(f.calls, *call)
	f.mu.Unlock()
	person, ok := f.data[call.PersonalNumber.String()]
	if !ok {
		return nil, ErrPersonNotFound
	}
	return json.RawMessage(person[call.Service]), nil
}

func (f *fakeRegister) received() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

const placesJSON = `{
	"residence_place": {"full_address": "Гомельская обл., г. Гомель, пр-т Ленина, д. 5, кв. 17",
		"address_id": "3000000000004517", "registered_from": "2010-09-01"},
	"stay_place": null}`

// startRegister serves a fakeRegister through RegisterHandler on loopback
// and returns a client for it.
func startRegister(t *testing.T) (*RegisterClient, *fakeRegister, *MemoryConsentRecorder) {
	t.Helper()
	backend := &fakeRegister{data: map[string]map[Service]string{
		"3150385A001PB6": {ServicePersonalData: personalDataJSON, ServicePlaces: placesJSON},
	}}
	handler := &RegisterHandler{Backend: backend, Now: func() time.Time { return testNow }}
	server := httptest.NewServer(http.StripPrefix("/oais", handler))
	t.Cleanup(server.Close)

	recorder := &MemoryConsentRecorder{}
	client := &RegisterClient{
		Transport: &HTTPTransport{BaseURL: server.URL + "/oais", Client: server.Client()},
		Consents:  recorder,
		Now:       func() time.Time { return testNow },
	}
	return client, backend, recorder
}

func testRequest(t *testing.T) Request {
	return Request{PersonalNumber: mustPersonalNumber(t, "3150385A001PB6"), Consent: testConsent(t)}
}

func TestRegisterClientPersonalData(t *testing.T) {
	client, backend, recorder := startRegister(t)
	req := testRequest(t)

	data, err := client.PersonalData(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, req.PersonalNumber, data.PersonalNumber)
	assert.Equal(t, "Иванов", data.Names.Russian.Family)
	assert.Equal(t, "MP1234567", data.Document.Number)

	records := recorder.Records()
	require.Len(t, records, 1)
	assert.Equal(t, ServicePersonalData, records[0].Service)
	assert.Equal(t, req.Consent.ID, records[0].Consent.ID)
	assert.Equal(t, testNow, records[0].RecordedAt)

	calls := backend.received()
	require.Len(t, calls, 1)
	assert.Equal(t, records[0].RequestID, calls[0].RequestID, "the recorded request is the one "+
		"sent")
	assert.Len(t, calls[0].RequestID, 32)
	assert.Equal(t, ServicePersonalData, calls[0].Service)
	assert.Equal(t, req.PersonalNumber, calls[0].PersonalNumber)
	assert.Equal(t, req.Consent.ID, calls[0].Consent.ID)
	assert.Equal(t, req.Consent.Purpose, calls[0].Consent.Purpose)
	assert.True(t, req.Consent.GivenAt.Equal(calls[0].Consent.GivenAt))
}

func TestRegisterClientPlaces(t *testing.T) {
	client, backend, recorder := startRegister(t)
	req := testRequest(t)

	places, err := client.Places(context.Background(), req)
	require.NoError(t, err)
	require.NotNil(t, places.Residence)
	assert.Nil(t, places.Stay)
	assert.Equal(t, AddressID("3000000000004517"), places.Residence.Address.ID)
	assert.Equal(t, "Гомель", places.Residence.Address.Locality)
	assert.Equal(t, time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC), places.Residence.RegisteredFrom)

	residence, err := client.ResidencePlace(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, places.Residence, residence)

	stay, err := client.StayPlace(context.Background(), req)
	assert.Nil(t, stay)
	assert.ErrorIs(t, err, ErrNoPlace)
	assert.EqualError(t, err, "gir: no registered place of stay")

	assert.Len(t, recorder.Records(), 3)
	assert.Len(t, backend.received(), 3)
	for _, call := range backend.received() {
		assert.Equal(t, ServicePlaces, call.Service)
	}
}

func TestRegisterClientRejectsBeforeSending(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Request)
		want   error
	}{
		{"no consent", func(r *Request) { r.Consent = Consent{} }, ErrConsentMissing},
		{"expired consent", func(r *Request) { r.Consent.ExpiresAt = testNow.Add(-time.Minute) },
			ErrConsentExpired},
		{"consent of another person",
			func(r *Request) { r.PersonalNumber = mustPersonalNumber(t, "4150385A001PB3") },
			ErrConsentMismatch},
		{"consent for another service",
			func(r *Request) { r.Consent.Services = []Service{ServicePlaces} }, ErrConsentMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, backend, recorder := startRegister(t)
			req := testRequest(t)
			tt.change(&req)
			_, err := client.PersonalData(context.Background(), req)
			assert.ErrorIs(t, err, tt.want)
			assert.Empty(t, recorder.Records(), "nothing recorded")
			assert.Empty(t, backend.received(), "nothing sent")
		})
	}
}

func TestRegisterClientMisconfigured(t *testing.T) {
	_, err := (&RegisterClient{Transport: TransportFunc(nil)}).PersonalData(
		context.Background(), testRequest(t))
	assert.EqualError(t, err, "gir: RegisterClient needs a Transport and a ConsentRecorder")

	noURL := &RegisterClient{Transport: &HTTPTransport{}, Consents: &MemoryConsentRecorder{},
		Now: func() time.Time { return testNow }}
	_, err = noURL.PersonalData(context.Background(), testRequest(t))
	assert.EqualError(t, err, "gir: HTTPTransport.BaseURL is empty")
	assert.NotErrorIs(t, err, ErrServiceUnavailable)

	client, _, _ := startRegister(t)
	_, err = client.PersonalData(context.Background(), Request{Consent: testConsent(t)})
	assert.EqualError(t, err, "gir: request without a personal number")
}

type failingRecorder struct{}

func (failingRecorder) RecordConsent(context.Context, ConsentRecord) error {
	return errors.New("disk full")
}

func TestRegisterClientRecorderFailure(t *testing.T) {
	client, backend, _ := startRegister(t)
	client.Consents = failingRecorder{}
	_, err := client.Places(context.Background(), testRequest(t))
	assert.EqualError(t, err, `gir: record consent "consent-17": disk full`)
	assert.Empty(t, backend.received(), "a request without a recorded consent is not sent")
}

func TestRegisterClientServiceErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
		msg    string
	}{
		{"consent missing", 403, `{"error": {"code": "consent_missing", "message": "no record"}}`,
			ErrConsentMissing, "gir: register service responded with status 403, code " +
				"consent_missing: no record"},
		{"consent expired", 403, `{"error": {"code": "consent_expired"}}`, ErrConsentExpired,
			"gir: register service responded with status 403, code consent_expired"},
		{"consent mismatch", 403, `{"error": {"code": "consent_mismatch"}}`, ErrConsentMismatch,
			"gir: register service responded with status 403, code consent_mismatch"},
		{"person not found", 404, `{"error": {"code": "person_not_found"}}`, ErrPersonNotFound,
			"gir: register service responded with status 404, code person_not_found"},
		{"maintenance", 503, `{"error": {"code": "service_unavailable", "message": "maintenance"}}`,
			ErrServiceUnavailable,
			"gir: register service responded with status 503, code service_unavailable: " +
				"maintenance"},
		{"server error without a body", 500, ``, ErrServiceUnavailable,
			"gir: register service responded with status 500"},
		{"gateway page", 502, `<html>bad gateway</html>`, ErrServiceUnavailable,
			"gir: register service responded with status 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := clientForResponse(t, tt.status, func(string) string { return tt.body })
			_, err := client.PersonalData(context.Background(), testRequest(t))
			assert.ErrorIs(t, err, tt.want)
			var serviceErr *ServiceError
			require.True(t, errors.As(err, &serviceErr), "error is a *ServiceError")
			assert.Equal(t, tt.status, serviceErr.Status)
			assert.EqualError(t, err, tt.msg)
		})
	}

	t.Run("unknown code", func(t *testing.T) {
		client := clientForResponse(t, 400, func(string) string {
			return `{"error": {"code": "bad_request", "message": "unknown service"}}`
		})
		_, err := client.PersonalData(context.Background(), testRequest(t))
		var serviceErr *ServiceError
		require.True(t, errors.As(err, &serviceErr))
		assert.Equal(t, "bad_request", serviceErr.Code)
		assert.Nil(t, serviceErr.Unwrap())
	})
}

// clientForResponse returns a client whose server responds with status and
// the body that body builds from the request identifier.
func clientForResponse(t *testing.T, status int,
	body func(requestID string) string) *RegisterClient {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/requests", r.URL.Path)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var call Call
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&call))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body(call.RequestID)))
	}))
	t.Cleanup(server.Close)
	return &RegisterClient{
		Transport: &HTTPTransport{BaseURL: server.URL, Client: server.Client()},
		Consents:  &MemoryConsentRecorder{},
		Now:       func() time.Time { return testNow },
	}
}

func TestRegisterClientMalformedResponses(t *testing.T) {
	tests := []struct {
		name string
		body func(id string) string
		msg  string
	}{
		{"not JSON", func(string) string { return `OK` },
			"gir: register response at offset 0: invalid JSON: invalid character 'O' looking for " +
				"beginning of value"},
		{"other request", func(string) string { return `{"request_id": "x", "data": {}}` },
			`gir: register response: field "request_id" at offset 15: expected "ID", got "x"`},
		{"request identifier a number", func(string) string { return `{"request_id": 7}` },
			`gir: register response: field "request_id" at offset 15: expected a string, got ` +
				`number`},
		{"no data", func(id string) string { return `{"request_id": "` + id + `"}` },
			`gir: register response: field "data" at offset 0: member missing`},
		{"data of another shape", func(id string) string {
			return `{"request_id": "` + id + `", "data": {"surname": "Иванов"}}`
		}, `gir: personal data at offset 0: expected at least one of "ID", "RU:_Family_name", ` +
			`"RU_Family_name", "BE:_Family_name", "BE_Family_name", "LA:_Family_name", ` +
			`"LA_Family_name", "birth_date", "Serial_Number", got none`},
		{"data of a wrong type", func(id string) string {
			return `{"request_id": "` + id + `", "data": {"Sex": 1}}`
		}, `gir: personal data: field "Sex" at offset 8: expected a string, got number`},
		{"data of another person", func(id string) string {
			return `{"request_id": "` + id + `", "data": {"ID": "4150385A001PB3"}}`
		}, "gir: invalid register data: the register sent data of another person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requestID string
			client := clientForResponse(t, 200, func(id string) string {
				requestID = id
				return tt.body(id)
			})
			_, err := client.PersonalData(context.Background(), testRequest(t))
			assert.ErrorIs(t, err, ErrInvalidData)
			want := strings.ReplaceAll(tt.msg, `"ID", got`, `"`+requestID+`", got`)
			assert.EqualError(t, err, want)
		})
	}
}

func TestRegisterClientMalformedPlaces(t *testing.T) {
	tests := []struct {
		name string
		data string
		msg  string
	}{
		{"another shape", `{"residence": {}}`,
			`gir: places at offset 0: expected at least one of "residence_place", "stay_place", ` +
				`got none`},
		{"array", `[]`, `gir: places at offset 0: expected an object, got array`},
		{"wrong type inside", `{"stay_place": {"full_address": 5}}`,
			`gir: stay_place: field "full_address" at offset 32: expected a string, got number`},
		{"place of another shape", `{"residence_place": [1]}`,
			`gir: residence_place at offset 20: expected an object, a string or null, got array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := clientForResponse(t, 200, func(id string) string {
				return `{"request_id": "` + id + `", "data": ` + tt.data + `}`
			})
			_, err := client.Places(context.Background(), testRequest(t))
			assert.ErrorIs(t, err, ErrInvalidData)
			assert.EqualError(t, err, tt.msg)
		})
	}
}

func TestRegisterClientUnreachable(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	url := server.URL
	server.Close()
	client := &RegisterClient{Transport: &HTTPTransport{BaseURL: url},
		Consents: &MemoryConsentRecorder{}, Now: func() time.Time { return testNow }}

	_, err := client.PersonalData(context.Background(), testRequest(t))
	assert.ErrorIs(t, err, ErrServiceUnavailable)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = client.Places(ctx, testRequest(t))
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRegisterHandlerRejects(t *testing.T) {
	backend := &fakeRegister{data: map[string]map[Service]string{}}
	var logs bytes.Buffer
	handler := &RegisterHandler{Backend: backend, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	valid := func(change func(c map[string]any)) string {
		c := map[string]any{"service": "3.40.01/1", "request_id": "r1",
			"personal_number": "3150385A001PB6", "consent": testConsent(t)}
		change(c)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"wrong path", "POST", "/other", "{}", 404, "not_found"},
		{"wrong method", "GET", "/requests", "", 405, "bad_request"},
		{"not JSON", "POST", "/requests", "{", 400, "bad_request"},
		{"unknown member", "POST", "/requests", valid(func(c map[string]any) { c["x"] = 1 }), 400,
			"bad_request"},
		{"bad personal number", "POST", "/requests",
			valid(func(c map[string]any) { c["personal_number"] = "3150385A001PB7" }), 400,
			"bad_request"},
		{"unknown service", "POST", "/requests",
			valid(func(c map[string]any) { c["service"] = "1.1" }), 400, "bad_request"},
		{"no request identifier", "POST", "/requests",
			valid(func(c map[string]any) { delete(c, "request_id") }), 400, "bad_request"},
		{"no personal number", "POST", "/requests",
			valid(func(c map[string]any) { delete(c, "personal_number") }), 400, "bad_request"},
		{"no consent", "POST", "/requests",
			valid(func(c map[string]any) { delete(c, "consent") }), 403, "consent_missing"},
		{"expired consent", "POST", "/requests", valid(func(c map[string]any) {
			consent := testConsent(t)
			consent.ExpiresAt = testNow.Add(-time.Second)
			c["consent"] = consent
		}), 403, "consent_expired"},
		{"unknown person", "POST", "/requests", valid(func(map[string]any) {}), 404,
			"person_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(tt.method, tt.path, bytes.NewBufferString(tt.body))
			handler.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.code, body.Error.Code)
			assert.NotEmpty(t, body.Error.Message)
		})
	}
	assert.Len(t, backend.received(), 1, "only the complete request with consent reached the "+
		"backend")
	assert.Equal(t, len(tests)-2, strings.Count(logs.String(), "register request rejected"),
		"every rejection after the method check is logged")
	assert.NotContains(t, logs.String(), "3150385A001PB6")
}

func TestRegisterHandlerInvalidBackendData(t *testing.T) {
	handler := &RegisterHandler{Backend: TransportFunc(
		func(context.Context, *Call) (json.RawMessage, error) { return json.RawMessage(`{`), nil }),
		Now: func() time.Time { return testNow }}
	body, err := json.Marshal(Call{Service: ServicePlaces, RequestID: "r1",
		PersonalNumber: mustPersonalNumber(t, "3150385A001PB6"), Consent: testConsent(t)})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("POST", "/requests", bytes.NewReader(body)))
	assert.Equal(t, 500, rec.Code)
}
