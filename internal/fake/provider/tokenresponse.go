package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// writeTokenResponse writes a response of the token endpoint: JSON, as RFC
// 6749 section 5.1 requires, or another form that some providers use when a
// misbehaviour selects it.
func (p *Provider) writeTokenResponse(w http.ResponseWriter, status int, response any) {
	m := p.misbehaviour()
	if status >= http.StatusBadRequest && m.ErrorsWithStatus200 {
		status = http.StatusOK
	}
	switch {
	case m.TokenAsForm:
		writeBody(w, status, "application/x-www-form-urlencoded", []byte(formOf(response)))
	case m.TokenAsTextPlain:
		body, _ := json.Marshal(response)
		writeBody(w, status, "text/plain", body)
	case m.TokenJSONWithoutCharset:
		body, _ := json.Marshal(response)
		writeBody(w, status, "application/json", body)
	default:
		writeJSON(w, status, response)
	}
}

// writeErrorResponse writes an OAuth error of the userinfo endpoint, with HTTP
// 200 under ErrorsWithStatus200.
func (p *Provider) writeErrorResponse(w http.ResponseWriter, status int,
	code, description string) {

	if p.misbehaviour().ErrorsWithStatus200 {
		status = http.StatusOK
	}
	writeJSON(w, status, oauthError(code, description))
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// formOf encodes the members of a token response as a form.
func formOf(response any) string {
	form := url.Values{}
	switch fields := response.(type) {
	case map[string]string:
		for k, v := range fields {
			form.Set(k, v)
		}
	case map[string]any:
		for k, v := range fields {
			form.Set(k, fmt.Sprint(v))
		}
	}
	return form.Encode()
}
