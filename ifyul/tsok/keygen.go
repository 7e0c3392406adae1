package tsok

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// KeygenPath is the path of the КПСИС key-generation API. Real КПСИС
// installations serve it on port 9999.
const KeygenPath = "/api/v1/gencertreq"

// TypeServiceAndTLS is the cert_req_param.type of a ТСОК request.
const TypeServiceAndTLS = "service_and_tls"

// KeygenRequest is the body of gencertreq: the key's parameters, the
// certificate's data, and save_to_file. JSON names are those of the real
// API, including the spelling "treshold_num".
type KeygenRequest struct {
	KeyParam     KeyParam     `json:"key_param"`
	CertReqParam CertReqParam `json:"cert_req_param"`
	// SaveToFile makes the КПСИС save the request as a file on its host.
	// NOTE: the type of save_to_file is not public; a boolean is a guess.
	SaveToFile bool `json:"save_to_file"`
}

// KeyParam describes the key the КПСИС generates. The key is shared among
// Users password holders, any Threshold of whom unlock it.
type KeyParam struct {
	// SecurityLevel is 128, the level of bign-curve256v1; the default.
	SecurityLevel int `json:"security_level"`
	// IterationCount is the PBKDF2 iteration count that protects the
	// shares; default and minimum 10000, the bound of STB 34.101.78.
	IterationCount int `json:"iteration_count"`
	// Users is the number of password holders (users_num); default 5.
	Users int `json:"users_num"`
	// Threshold is how many holders unlock the key (treshold_num);
	// default 3.
	Threshold int `json:"treshold_num"`
	// Passwords holds one password per holder.
	Passwords []string `json:"passwords"`
}

// LogValue hides the passwords, so that a KeyParam can be logged.
func (p KeyParam) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("security_level", p.SecurityLevel),
		slog.Int("iteration_count", p.IterationCount),
		slog.Int("users_num", p.Users),
		slog.Int("treshold_num", p.Threshold),
		slog.Int("passwords", len(p.Passwords)),
	)
}

// CertReqParam describes the certificate to request.
type CertReqParam struct {
	// Type is the request's type; default TypeServiceAndTLS.
	Type     string   `json:"type"`
	CertInfo CertInfo `json:"cert_info"`
}

// CertInfo is the subject of the ТСОК as the КПСИС API takes it. The
// fields fill the subject attributes commonName, description,
// organizationName, stateOrProvinceName, localityName, streetAddress and
// emailAddress, and SubjectAltName the subjectAltName extension.
type CertInfo struct {
	CommonName     string   `json:"common_name"`
	Description    string   `json:"description"`
	Organization   string   `json:"organization"`
	State          string   `json:"state"`
	Locality       string   `json:"locality"`
	Street         string   `json:"street"`
	Email          string   `json:"email"`
	SubjectAltName []string `json:"subject_alt_name"`
}

// Template returns the RequestTemplate with the same subject, for
// CreateRequest with a key the consumer holds.
func (c CertInfo) Template() *RequestTemplate {
	return &RequestTemplate{
		CommonName: c.CommonName, Description: c.Description, Organization: c.Organization,
		State: c.State, Locality: c.Locality, Street: c.Street, Email: c.Email,
		SubjectAltNames: append([]string(nil), c.SubjectAltName...),
	}
}

// withDefaults fills the defaults and checks the request, naming the JSON
// field at fault. Passwords never appear in its errors.
func (r KeygenRequest) withDefaults() (KeygenRequest, error) {
	kp := &r.KeyParam
	kp.SecurityLevel = intOr(kp.SecurityLevel, 128)
	kp.IterationCount = intOr(kp.IterationCount, minIterationCount)
	kp.Users = intOr(kp.Users, 5)
	kp.Threshold = intOr(kp.Threshold, 3)
	if r.CertReqParam.Type == "" {
		r.CertReqParam.Type = TypeServiceAndTLS
	}

	switch {
	case kp.SecurityLevel != 128:
		return r, fmt.Errorf("tsok: key_param.security_level %d is not supported, expected 128",
			kp.SecurityLevel)
	case kp.IterationCount < minIterationCount:
		return r, fmt.Errorf("tsok: key_param.iteration_count %d is below the minimum %d",
			kp.IterationCount, minIterationCount)
	case kp.Threshold < 1 || kp.Threshold > kp.Users:
		return r, fmt.Errorf("tsok: key_param.treshold_num %d must be between 1 and "+
			"users_num %d", kp.Threshold, kp.Users)
	case len(kp.Passwords) != kp.Users:
		return r, fmt.Errorf("tsok: key_param.passwords has %d entries, expected one per "+
			"holder (users_num %d)", len(kp.Passwords), kp.Users)
	}
	for i, p := range kp.Passwords {
		if p == "" {
			return r, fmt.Errorf("tsok: key_param.passwords[%d] is empty", i)
		}
		for j := range i {
			if kp.Passwords[j] == p {
				return r, fmt.Errorf("tsok: key_param.passwords[%d] repeats passwords[%d]: "+
					"each holder needs a password of their own", i, j)
			}
		}
	}

	info := r.CertReqParam.CertInfo
	for _, f := range []struct{ name, value string }{
		{"common_name", info.CommonName}, {"description", info.Description},
		{"organization", info.Organization}, {"locality", info.Locality},
		{"street", info.Street}, {"email", info.Email},
	} {
		if strings.TrimSpace(f.value) == "" {
			return r, fmt.Errorf("tsok: cert_req_param.cert_info.%s is empty", f.name)
		}
	}
	return r, nil
}

// minIterationCount is the lower bound of iterationCount in the PBKDF2
// parameters of STB 34.101.78's key container.
const minIterationCount = 10000

func intOr(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// KeygenClient calls the key-generation API of a КПСИС to have it generate
// the ТСОК key and the certificate request («запрос на издание ТСОК»).
type KeygenClient struct {
	// URL is the base URL of the API, such as "http://10.0.0.5:9999".
	URL string
	// HTTPClient makes the call; default a client with a 2-minute
	// timeout, because the КПСИС derives keys from every password.
	HTTPClient *http.Client
	// Format tells where the response carries the request; default
	// DefaultResponseFormat.
	Format *ResponseFormat
	// ErrorCodes maps the КПСИС's error codes to sentinel errors; it is
	// consulted before ifyul.DefaultErrorCodes.
	ErrorCodes map[string]error
}

// GeneratedRequest is the request the КПСИС generated.
type GeneratedRequest struct {
	// Request is the parsed request; its signature has been verified when
	// it is bign-with-hbelt.
	Request *Request
	// Field is the response's field the request came from.
	Field string
	// Response contains every field of the response, for those this
	// package does not read.
	Response map[string]json.RawMessage
}

// GenerateRequest has the КПСИС generate a key and a certificate
// request. It fills the defaults of KeygenRequest, checks the request
// before sending it, and checks that the response carries a well-formed,
// correctly self-signed request. Run CheckProfile on the result before
// sending it to the operator.
//
// Failures to reach the КПСИС wrap ifyul.ErrKPSISUnavailable. Error
// responses are *KPSISError values that unwrap to ifyul's sentinels, such
// as ifyul.ErrMaintenance and ifyul.ErrAccessSuspended. A response without
// a request wraps ErrUnexpectedResponse.
func (c *KeygenClient) GenerateRequest(ctx context.Context,
	req KeygenRequest) (*GeneratedRequest, error) {
	req, err := req.withDefaults()
	if err != nil {
		return nil, err
	}
	endpoint, err := c.endpoint()
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("tsok: encoding gencertreq: %w", err)
	}

	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint,
		bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("tsok: gencertreq: %w", err)
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Accept", "application/json")
	client := c.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		return nil, fmt.Errorf("%w: POST %s: %w", ifyul.ErrKPSISUnavailable, KeygenPath, err)
	}
	defer resp.Body.Close()

	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the gencertreq response: %w", ifyul.ErrKPSISUnavailable,
			err)
	}
	if len(raw) > maxResponseSize {
		return nil, fmt.Errorf("%w: gencertreq response exceeds %d bytes", ErrUnexpectedResponse,
			maxResponseSize)
	}
	format := DefaultResponseFormat
	if c.Format != nil {
		format = *c.Format
	}
	return format.read(raw, resp.StatusCode, c.ErrorCodes)
}

func (c *KeygenClient) endpoint() (string, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("tsok: KeygenClient.URL %q is not an absolute http(s) URL", c.URL)
	}
	return strings.TrimSuffix(c.URL, "/") + KeygenPath, nil
}

// ErrUnexpectedResponse means the КПСИС responded to gencertreq in a form
// this package does not read: not JSON, or without a request where
// ResponseFormat looks for one.
var ErrUnexpectedResponse = errors.New("tsok: unexpected gencertreq response")
