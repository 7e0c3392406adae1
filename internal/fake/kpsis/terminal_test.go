package kpsis

import (
	"bytes"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/pki"
	"github.com/esiful/sdk-go/internal/tlv"
	"github.com/esiful/sdk-go/terminal"
)

// terminalFixture is a КПСИС terminal module on loopback and a card that
// the test drives in place of the client program.
type terminalFixture struct {
	kpsis *KPSIS
	url   string
	card  *card.Card
	ca    *card.CVCA
	hreq  string
}

func readRights(groups ...int) terminal.EIDRights {
	var r terminal.EIDRights
	for _, dg := range groups {
		r |= terminal.EIDRead(dg)
	}
	return r
}

func newTerminalFixture(t *testing.T, rights terminal.AccessRights) *terminalFixture {
	t.Helper()
	now := time.Now()
	ca, err := card.NewCVCA("BYTESTCA0000", terminal.AccessRights{EID: 0x3F3FFFFF33,
		ESign: 0xF7C0}, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	require.NoError(t, err)
	c, err := card.New(card.Config{Person: persons.Default().ByID(2), CA: ca})
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	cert, err := ca.Issue(terminal.CVCertificate{HolderReference: "001000000001",
		Rights: rights, EffectiveDate: now, ExpirationDate: now.AddDate(0, 1, 0)},
		key.PublicKey())
	require.NoError(t, err)

	k := New(Config{Switch: &fault.Switch{}, Terminal: &TerminalConfig{
		Key: key, Certificate: cert, CardRoot: ca.Certificate}})
	srv := httptest.NewServer(k.TerminalHandler())
	t.Cleanup(srv.Close)
	return &terminalFixture{kpsis: k, url: srv.URL, card: c, ca: ca}
}

func (f *terminalFixture) call(t *testing.T, method string, req any) map[string]any {
	t.Helper()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	resp, err := http.Post(f.url+"/api/v1/"+method, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// transmit plays the client program: it sends the command of a response to
// the card and returns card_response.
func (f *terminalFixture) transmit(t *testing.T, answer map[string]any) string {
	t.Helper()
	header, err := base64.StdEncoding.DecodeString(answer["header_cmd_to_card"].(string))
	require.NoError(t, err)
	data, err := base64.StdEncoding.DecodeString(answer["cmd_to_card"].(string))
	require.NoError(t, err)
	cmd, err := card.NewCommand(header, data)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(f.card.Transmit(cmd.Encode()))
}

func (f *terminalFixture) open(t *testing.T) {
	t.Helper()
	init := f.call(t, "bauth_init", map[string]string{
		"so_certificate": base64.StdEncoding.EncodeToString(f.card.Certificate())})
	require.Equal(t, "0", init["err"], init["error_description"])
	f.hreq = init["hreq"].(string)

	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	chain, _ := base64.StdEncoding.DecodeString(init["terminal_certificate"].(string))
	hello, _ := base64.StdEncoding.DecodeString(init["cmd_to_card"].(string))
	cert, err := tlv.Parse(chain)
	require.NoError(t, err)
	for _, apdu := range []card.Command{
		{INS: 0x22, P1: 0xF1, P2: 0xA4, Data: hello},
		{INS: 0x2A, P2: 0xBE, Data: cert.Value},
	} {
		resp, err := card.ParseResponse(f.card.Transmit(apdu.Encode()))
		require.NoError(t, err)
		require.Equal(t, card.StatusOK, resp.Status)
	}
	m1 := f.card.Transmit(card.Command{INS: 0x86, Le: 256}.Encode())

	step := f.call(t, "bauth_process", map[string]string{"hreq": f.hreq,
		"card_response": base64.StdEncoding.EncodeToString(m1)})
	require.Equal(t, "0", step["err"], step["error_description"])
	require.Equal(t, false, step["is_bauth_established"])
	step = f.call(t, "bauth_process", map[string]string{"hreq": f.hreq,
		"card_response": f.transmit(t, step)})
	require.Equal(t, "0", step["err"], step["error_description"])
	require.Equal(t, true, step["is_bauth_established"])
}

// read runs read_dg_init and read_dg to the end and returns the last
// response, which is an error or is_last_dg_readed.
func (f *terminalFixture) read(t *testing.T, groups ...string) map[string]any {
	t.Helper()
	step := f.call(t, "read_dg_init", map[string]any{"hreq": f.hreq,
		"data_groups_to_read": groups})
	for range 100 {
		if step["err"] != "0" || step["is_last_dg_readed"] == true {
			return step
		}
		step = f.call(t, "read_dg", map[string]string{"hreq": f.hreq,
			"card_response": f.transmit(t, step)})
	}
	t.Fatal("read_dg did not finish in 100 steps")
	return nil
}

func TestTerminalReadPersonalData(t *testing.T) {
	f := newTerminalFixture(t, terminal.AccessRights{EID: readRights(1, 4, 5, 6, 7, 8, 9,
		10, 11, 15, 16, 17, 21)})
	f.open(t)
	last := f.read(t, "dg1", "dg4", "dg5", "dg6", "dg7", "dg8", "dg9", "dg10", "dg11",
		"dg15", "dg16", "dg17", "dg21")
	require.Equal(t, "0", last["err"], last["error_description"])

	answer := f.call(t, "request_dg", map[string]string{"hreq": f.hreq})
	require.Equal(t, "0", answer["err"], answer["error_description"])
	data := answer["personal_data"].(map[string]any)
	want := map[string]any{
		"BE:_Family_name":   "КАВАЛЁВА",
		"RU:_Family_name":   "КОВАЛЁВА",
		"LA:_Family_name":   "KAVALIOVA",
		"BE:_Given_name":    "ГАННА",
		"RU:_Given_name":    "АННА",
		"LA:_Given_name":    "HANNA",
		"BE:_Middle_name":   "СЯРГЕЕЎНА",
		"RU:_Middle_name":   "СЕРГЕЕВНА",
		"BE_Place_of_birth": "Г. ГОМЕЛЬ",
		"RU_Place_of_birth": "Г. ГОМЕЛЬ",
		"Citizenship":       "BLR",
		"Date_of_issuance":  "20220901",
		"birth_date":        "19920722",
		"Sex":               "F",
		"ID":                "4220792C012PB1",
		"Serial_Number":     "100000000002",
		"Type":              "IDC",
		"Issuance_board":    "САВЕЦКІ РАУС Г. ГОМЕЛЯ/СОВЕТСКИЙ РОВД Г. ГОМЕЛЯ",
	}
	assert.Equal(t, want, data)
}

func TestTerminalKeysWithoutColon(t *testing.T) {
	f := newTerminalFixture(t, terminal.AccessRights{EID: readRights(5)})
	f.kpsis.SetTerminalVariant(TerminalVariant{KeysWithoutColon: true})
	f.open(t)
	require.Equal(t, true, f.read(t, "dg5")["is_last_dg_readed"])
	data := f.call(t, "request_dg", map[string]string{"hreq": f.hreq})["personal_data"]
	assert.Equal(t, map[string]any{"BE_Family_name": "КАВАЛЁВА", "RU_Family_name": "КОВАЛЁВА",
		"LA_Family_name": "KAVALIOVA"}, data)
}

func TestTerminalGroupRefusedByCard(t *testing.T) {
	f := newTerminalFixture(t, terminal.AccessRights{EID: readRights(1, 7)})
	f.open(t)
	last := f.read(t, "dg1", "dg5")
	assert.Equal(t, "6982", last["err"])
	assert.Contains(t, last["error_description"], "DG5")
}

func TestTerminalAbsentGroupSkipped(t *testing.T) {
	f := newTerminalFixture(t, terminal.AccessRights{EID: readRights(7, 21)})
	f.open(t)
	last := f.read(t, "dg21", "dg7")
	require.Equal(t, "0", last["err"], last["error_description"])
	data := f.call(t, "request_dg", map[string]string{"hreq": f.hreq})["personal_data"]
	assert.Equal(t, map[string]any{"ID": "4220792C012PB1"}, data)
}

func TestTerminalSign(t *testing.T) {
	tests := []struct {
		name string
		cms  bool
	}{
		{"raw bign", false},
		{"cms", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newTerminalFixture(t, terminal.AccessRights{ESign: terminal.ESignSignTerminal})
			signer := issueTestSigner(t, f.card)
			f.kpsis.terminal.cfg.SignerCertificate = func(string) []byte { return signer }
			f.kpsis.SetTerminalVariant(TerminalVariant{SignatureCMS: tc.cms})
			f.open(t)
			data := []byte("заява")

			step := f.call(t, "sign_init", map[string]string{"hreq": f.hreq})
			require.Equal(t, "0", step["err"], step["error_description"])
			require.NoError(t, f.card.VerifyPIN(card.DefaultPIN))
			step = f.call(t, "sign_select_app", map[string]string{"hreq": f.hreq,
				"card_response": f.transmit(t, step)})
			require.Equal(t, "0", step["err"], step["error_description"])
			step = f.call(t, "sign_data", map[string]string{"hreq": f.hreq,
				"card_response": f.transmit(t, step),
				"data_to_sign":  base64.StdEncoding.EncodeToString(data)})
			require.Equal(t, "0", step["err"], step["error_description"])
			step = f.call(t, "sign_result", map[string]string{"hreq": f.hreq,
				"card_response": f.transmit(t, step)})
			require.Equal(t, "0", step["err"], step["error_description"])

			signature, err := base64.StdEncoding.DecodeString(step["signature"].(string))
			require.NoError(t, err)
			if tc.cms {
				signature = cmsSignature(t, signature)
			}
			require.Len(t, signature, bign.SignatureSize)
			assert.NoError(t, bign.VerifyHbelt(f.card.SignerPublicKey(), data, signature))
		})
	}
}

// cmsSignature takes the signature out of SignedData, checking its layout.
func cmsSignature(t *testing.T, der []byte) []byte {
	t.Helper()
	var outer struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}
	_, err := asn1.Unmarshal(der, &outer)
	require.NoError(t, err)
	assert.Equal(t, oidSignedData, outer.ContentType)
	assert.Equal(t, asn1.ClassContextSpecific, outer.Content.Class)
	var sd cmsSignedData
	_, err = asn1.Unmarshal(outer.Content.Bytes, &sd)
	require.NoError(t, err)
	require.Len(t, sd.SignerInfos, 1)
	require.Len(t, sd.Certificates, 1)
	assert.Equal(t, oidBignWithHbelt, sd.SignerInfos[0].SignatureAlgorithm.Algorithm)
	return sd.SignerInfos[0].Signature
}

// issueTestSigner issues a certificate for the card's signing key from a
// new test root.
func issueTestSigner(t *testing.T, c *card.Card) []byte {
	t.Helper()
	now := time.Now()
	root, err := pki.NewRoot(pkix.Name{CommonName: "Test root"}, now.Add(-time.Hour),
		now.Add(time.Hour))
	require.NoError(t, err)
	der, err := root.Issue(pki.Template{Subject: pkix.Name{CommonName: "Holder"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}, c.SignerPublicKey())
	require.NoError(t, err)
	return der
}

func TestTerminalRefusals(t *testing.T) {
	f := newTerminalFixture(t, terminal.AccessRights{EID: readRights(1)})
	tests := []struct {
		name, method string
		body         any
		want         string
	}{
		{"unknown hreq", "read_dg_init", map[string]any{"hreq": "00"}, "unknown_hreq"},
		{"malformed body", "bauth_process", "not an object", "invalid_request"},
		{"bad so_certificate", "bauth_init", map[string]string{"so_certificate": "AAAA"},
			"invalid_so_certificate"},
		{"missing so_certificate", "bauth_init", map[string]string{}, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, f.call(t, tc.method, tc.body)["err"])
		})
	}

	init := f.call(t, "bauth_init", map[string]string{
		"so_certificate": base64.StdEncoding.EncodeToString(f.card.Certificate())})
	hreq := init["hreq"].(string)
	early := f.call(t, "read_dg_init", map[string]any{"hreq": hreq,
		"data_groups_to_read": []string{"dg1"}})
	assert.Equal(t, "invalid_state", early["err"])
	bad := f.call(t, "bauth_process", map[string]string{"hreq": hreq,
		"card_response": base64.StdEncoding.EncodeToString([]byte{0x6A, 0x80})})
	assert.Equal(t, "6A80", bad["err"])
	assert.Equal(t, "0", f.call(t, "bauth_logout", map[string]string{"hreq": hreq})["err"])
	assert.Equal(t, "unknown_hreq",
		f.call(t, "bauth_logout", map[string]string{"hreq": hreq})["err"])
}

func TestParseGroupNames(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
	}{
		{"empty", nil, "empty"},
		{"zero", []string{"dg0"}, "dg0"},
		{"too high", []string{"dg23"}, "dg23"},
		{"no prefix", []string{"5"}, `"5"`},
		{"twice", []string{"dg5", "DG5"}, "twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseGroupNames(tc.names)
			require.NotNil(t, err)
			assert.Equal(t, "invalid_request", err.code)
			assert.True(t, strings.Contains(err.description, tc.want), err.description)
		})
	}
	groups, err := parseGroupNames([]string{"dg1", "DG22"})
	require.Nil(t, err)
	assert.Equal(t, []int{1, 22}, groups)
}

func TestElementSize(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		size  int
		known bool
	}{
		{"short form", []byte{0x41, 3, 'a'}, 5, true},
		{"two-byte tag", []byte{0x7F, 0x21, 0x81, 0x90}, 148, true},
		{"long form", []byte{0x4E, 0x82, 0x01, 0x00}, 260, true},
		{"tag only", []byte{0x41}, 0, false},
		{"length cut", []byte{0x41, 0x82, 0x01}, 0, false},
		{"indefinite", []byte{0x61, 0x80}, 0, false},
		{"empty", nil, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			size, known := elementSize(tc.in)
			assert.Equal(t, tc.known, known)
			assert.Equal(t, tc.size, size)
		})
	}
}

func FuzzTerminalRequest(f *testing.F) {
	f.Add("bauth_init", []byte(`{"so_certificate": "fyE="}`))
	f.Add("bauth_process", []byte(`{"hreq": "h", "card_response": "kAA="}`))
	f.Add("read_dg_init", []byte(`{"hreq": "h", "data_groups_to_read": ["dg1", "dg99"]}`))
	f.Add("read_dg", []byte(`{"hreq": "h", "card_response": "aYI="}`))
	f.Add("sign_data", []byte(`{"hreq": "h", "card_response": "kAA=", "data_to_sign": "!"}`))
	f.Add("bauth_logout", []byte(`{"hreq": 5}`))

	now := time.Now()
	ca, err := card.NewCVCA("BYTESTCA0000", terminal.AccessRights{EID: 0x3F3FFFFF33},
		now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	require.NoError(f, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(f, err)
	k := New(Config{Switch: &fault.Switch{}, Terminal: &TerminalConfig{Key: key,
		Certificate: ca.DER, CardRoot: ca.Certificate}})
	handler := k.TerminalHandler()
	f.Fuzz(func(t *testing.T, method string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/"+url.PathEscape(method),
			bytes.NewReader(body))
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return
		}
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("response to %s is not JSON: %q", method, rec.Body.String())
		}
		if _, ok := answer["err"].(string); !ok {
			t.Fatalf("response to %s has no err: %q", method, rec.Body.String())
		}
	})
}

func TestPlaceText(t *testing.T) {
	structured := terminal.Place{Kind: terminal.PlaceStructured,
		Street: "вул. Прыдуманая, 1/ул. Выдуманная, 1", City: "г. Мінск/г. Минск",
		Country: "BLR"}
	assert.Equal(t, "вул. Прыдуманая, 1, г. Мінск",
		placeText(structured, terminal.LocalizedText.Belarusian))
	assert.Equal(t, "ул. Выдуманная, 1, г. Минск",
		placeText(structured, terminal.LocalizedText.Russian))
	free := terminal.Place{Kind: terminal.PlaceNoInfo, Text: "невядома/неизвестно"}
	assert.Equal(t, "неизвестно", placeText(free, terminal.LocalizedText.Russian))
}
