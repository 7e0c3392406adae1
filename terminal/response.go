package terminal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// apiResponse holds every field that a response of the КПСИС terminal
// module or of the client program's terminal proxy may carry. Fields absent
// from a response stay zero, and each step checks the ones it needs.
type apiResponse struct {
	Err                 flexString      `json:"err"`
	ErrorDescription    string          `json:"error_description"`
	Hreq                string          `json:"hreq"`
	TerminalCertificate string          `json:"terminal_certificate"`
	HeaderCmdToCard     string          `json:"header_cmd_to_card"`
	CmdToCard           string          `json:"cmd_to_card"`
	CardResponse        string          `json:"card_response"`
	IsBAuthEstablished  *bool           `json:"is_bauth_established"`
	IsLastDGReaded      *bool           `json:"is_last_dg_readed"`
	PersonalData        json.RawMessage `json:"personal_data"`
	Signature           string          `json:"signature"`
	SOCertificate       string          `json:"so_certificate"`
	CertID              flexString      `json:"cert_id"`
	// LegacySOCertificate is the card certificate as older client program
	// builds name it.
	LegacySOCertificate string `json:"SO_CERT"`
}

// flexString reads a JSON string or number as text, because the type of
// "err" and "cert_id" differs between builds.
type flexString struct {
	value string
	set   bool
}

func (s *flexString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = flexString{str, true}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		// encoding/json adds the field name to this error type.
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[string]()}
	}
	*s = flexString{n.String(), true}
	return nil
}

// decodeResponse parses a response body and turns an "err" other than "0"
// into an *Error. Step and component name the call in errors.
func decodeResponse(body []byte, component, step string,
	codes map[string]error) (*apiResponse, error) {
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, &Error{Step: step, Component: component, kind: ErrUnavailable,
			Err: describeJSONError(err, body)}
	}
	if !r.Err.set {
		return nil, &Error{Step: step, Component: component, kind: ErrUnavailable,
			Err: errors.New(`response has no "err" field`)}
	}
	if r.Err.value != "0" {
		return nil, &Error{Step: step, Component: component, Code: r.Err.value,
			Description: r.ErrorDescription, kind: classify(r.Err.value, codes)}
	}
	return &r, nil
}

// describeJSONError rewrites a decoding error to name the field and the
// byte offset, which encoding/json reports in different ways.
func describeJSONError(err error, body []byte) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("response is not JSON: offset %d: %v", syntax.Offset, err)
	case errors.As(err, &typ) && typ.Field != "" && typ.Offset == 0:
		return fmt.Errorf("response field %q: JSON %s, expected a string or a number",
			typ.Field, typ.Value)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("response field %q, value ending at offset %d: JSON %s, expected %v",
			typ.Field, typ.Offset, typ.Value, typ.Type)
	case errors.As(err, &typ):
		return fmt.Errorf("response, value ending at offset %d: JSON %s, expected an object",
			typ.Offset, typ.Value)
	case len(body) == 0:
		return errors.New("response body is empty")
	}
	return fmt.Errorf("response is not valid: %w", err)
}

// jsonKind names the kind of a JSON value from its first byte.
func jsonKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	}
	return "value"
}

// boolField returns a required is_* field.
func boolField(v *bool, name string) (bool, error) {
	if v == nil {
		return false, fmt.Errorf("response has no %q", name)
	}
	return *v, nil
}
