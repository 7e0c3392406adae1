package gir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// HTTPResolver is a Resolver that calls an address service over HTTP with
// this SDK's own convention, which NewResolverHandler serves:
//
//	GET {BaseURL}/addresses/{id}
//	200 {"address_id": "...", "full_address": "...", "locality_type": "г.", ...}
//	404 {"error": {"code": "address_not_found", "message": "..."}}
//
// The body of a 200 response is an Address in JSON, decoded as strictly as
// DecodePlace decodes a place. NOTE: the API of the real address register is
// not public. This convention lets a consumer put its own adapter, or the
// fake ЕС ИФЮЛ, behind one URL.
type HTTPResolver struct {
	// BaseURL is the service's address without a trailing slash, such as
	// "http://127.0.0.1:8090/gir".
	BaseURL string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// maxBodyBytes bounds what is read of a request or response body, far
// above the size of an address or of a person's data.
const maxBodyBytes = 1 << 20

// Resolve fetches the address with the identifier. It returns errors
// wrapping ErrAddressNotFound for 404, ErrServiceUnavailable for a failed
// connection or a 5xx status, and ErrInvalidData for a body of the wrong
// shape or for another identifier than requested.
func (r *HTTPResolver) Resolve(ctx context.Context, id AddressID) (*Address, error) {
	if _, err := ParseAddressID(string(id)); err != nil {
		return nil, err
	}
	if r.BaseURL == "" {
		return nil, errors.New("gir: HTTPResolver.BaseURL is empty")
	}
	target := strings.TrimRight(r.BaseURL, "/") + "/addresses/" + url.PathEscape(string(id))
	status, body, err := getJSON(ctx, r.Client, target)
	if err != nil {
		return nil, err
	}
	switch {
	case status == http.StatusNotFound:
		return nil, fmt.Errorf("%w: %s", ErrAddressNotFound, id)
	case status >= 500:
		return nil, fmt.Errorf("%w: address service responded with status %d",
			ErrServiceUnavailable, status)
	case status != http.StatusOK:
		return nil, fmt.Errorf("gir: address service responded with status %d: %s",
			status, errorMessage(body))
	}
	return decodeResolvedAddress(body, id)
}

func decodeResolvedAddress(body []byte, id AddressID) (*Address, error) {
	schema := defaultSchema()
	place, err := schema.decodePlace("address", body, 0)
	if errors.Is(err, ErrNoPlace) {
		return nil, &FieldError{Object: "address", Reason: "expected an address, got none"}
	}
	if err != nil {
		return nil, err
	}
	a := place.Address
	if a.ID != "" && a.ID != id {
		return nil, &FieldError{Object: "address", Field: "address_id",
			Offset: memberOffset(body, "address_id"),
			Reason: fmt.Sprintf("expected %s, got %s", id, a.ID)}
	}
	if raw, ok := place.Extra["unparsed"]; ok {
		if err := json.Unmarshal(raw, &a.Unparsed); err != nil {
			return nil, &FieldError{Object: "address", Field: "unparsed",
				Offset: memberOffset(body, "unparsed"), Reason: "expected an array of strings"}
		}
	}
	a.ID = id
	return &a, nil
}

func getJSON(ctx context.Context, client *http.Client, target string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("gir: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	return send(client, req)
}

// send performs req and reads at most maxBodyBytes of the body.
func send(client *http.Client, req *http.Request) (int, []byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return 0, nil, fmt.Errorf("gir: %s %s: %w", req.Method, req.URL.Path, ctxErr)
		}
		return 0, nil, fmt.Errorf("%w: %w", ErrServiceUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// memberOffset returns the offset of a member's value in a body that has
// already been decoded once without error.
func memberOffset(body []byte, name string) int64 {
	o, err := readObject("", body, 0)
	if err != nil {
		return 0
	}
	return o.members[name].offset
}
