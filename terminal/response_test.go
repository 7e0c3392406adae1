package terminal

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeResponseSuccess(t *testing.T) {
	r, err := decodeResponse([]byte(`{"err": 0, "hreq": "ab", "is_bauth_established": false,
		"cert_id": 17, "personal_data": {"Sex": "F"}}`), ComponentKPSIS, "bauth_process", nil)
	require.NoError(t, err)
	assert.Equal(t, "ab", r.Hreq)
	require.NotNil(t, r.IsBAuthEstablished)
	assert.False(t, *r.IsBAuthEstablished)
	assert.Nil(t, r.IsLastDGReaded)
	assert.Equal(t, "17", r.CertID.value)
	assert.JSONEq(t, `{"Sex": "F"}`, string(r.PersonalData))
}

func TestDecodeResponseCodes(t *testing.T) {
	custom := errors.New("custom")
	tests := []struct {
		name, body string
		want       error
		code       string
	}{
		{"no card", `{"err": "3"}`, ErrNoCard, "3"},
		{"no card as number", `{"err": 3}`, ErrNoCard, "3"},
		{"access denied", `{"err": "6982", "error_description": "DG6"}`, ErrAccessDenied, "6982"},
		{"wrong PIN", `{"err": "63C1"}`, ErrWrongPIN, "63C1"},
		{"PIN blocked", `{"err": "6983"}`, ErrPINBlocked, "6983"},
		{"PIN suspended", `{"err": "6985"}`, ErrPINBlocked, "6985"},
		{"other status", `{"err": "6A80"}`, ErrCardRejected, "6A80"},
		{"maintenance", `{"err": "maintenance"}`, ErrMaintenance, "maintenance"},
		{"suspended", `{"err": "access_suspended"}`, ErrAccessSuspended, "access_suspended"},
		{"override", `{"err": "E17"}`, custom, "E17"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeResponse([]byte(tc.body), ComponentClientProgram, "step",
				map[string]error{"E17": custom})
			require.ErrorIs(t, err, tc.want)
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.code, te.Code)
			assert.Equal(t, "step", te.Step)
			assert.Equal(t, ComponentClientProgram, te.Component)
		})
	}
}

func TestDecodeResponseUnknownCode(t *testing.T) {
	_, err := decodeResponse([]byte(`{"err": "unknown_hreq", "error_description": "gone"}`),
		ComponentKPSIS, "read_dg", nil)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Empty(t, te.Unwrap())
	assert.EqualError(t, err, `terminal: КПСИС read_dg: err "unknown_hreq": gone`)
}

func TestDecodeResponseMalformed(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", ``, "offset 0"},
		{"not JSON", `<html>`, "response is not JSON: offset 1"},
		{"truncated", `{"err": "0"`, "response is not JSON"},
		{"array", `[1]`, "expected an object"},
		{"no err", `{"hreq": "x"}`, `no "err" field`},
		{"err object", `{"err": {"code": 3}}`, `field "err": JSON object`},
		{"err bool", `{"err": true}`, `field "err": JSON bool`},
		{"is_last_dg_readed string", `{"err": "0", "is_last_dg_readed": "true"}`,
			`field "is_last_dg_readed", value ending at offset 40: JSON string, expected bool`},
		{"hreq number", `{"err": "0", "hreq": 5}`, `field "hreq", value ending at offset 22`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeResponse([]byte(tc.body), ComponentKPSIS, "bauth_init", nil)
			require.ErrorIs(t, err, ErrUnavailable)
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "terminal: КПСИС bauth_init")
		})
	}
}

func TestErrorMessage(t *testing.T) {
	err := &Error{Step: "read_dg", Component: ComponentKPSIS, Code: "6982", DataGroup: 6,
		Description: "the card refused DG6", kind: ErrAccessDenied}
	assert.EqualError(t, err, `terminal: КПСИС read_dg: err "6982" (access denied by the card)`+
		` while reading DG6: the card refused DG6`)
	left, ok := err.AttemptsLeft()
	assert.False(t, ok)
	assert.Zero(t, left)
}

func TestParseStatusWord(t *testing.T) {
	tests := []struct {
		code string
		sw   uint16
		ok   bool
	}{
		{"6982", 0x6982, true},
		{"63c2", 0x63C2, true},
		{"9000", 0x9000, true},
		{"698", 0, false},
		{"69821", 0, false},
		{"69G2", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		sw, ok := parseStatusWord(tc.code)
		assert.Equal(t, tc.ok, ok, tc.code)
		assert.Equal(t, tc.sw, sw, tc.code)
	}
}

func FuzzDecodeResponse(f *testing.F) {
	for _, seed := range []string{
		`{"err": "0", "hreq": "ab", "terminal_certificate": "fyE=", "cmd_to_card": ""}`,
		`{"err": 0, "is_bauth_established": true}`,
		`{"err": "6982", "error_description": "DG6"}`,
		`{"err": {"x": 1}}`,
		`{"err": "0", "is_last_dg_readed": "yes"}`,
		`{"err": "0", "personal_data": {"Sex": "M"}, "cert_id": 5}`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := decodeResponse(in, ComponentKPSIS, "step", nil)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if te.Code == "0" {
				t.Fatalf("err \"0\" reported as a failure: %v", err)
			}
			return
		}
		if r.Err.value != "0" {
			t.Fatalf("accepted a response with err %q", r.Err.value)
		}
	})
}
