package card_test

import (
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/terminal"
)

var today = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// allRights are the rights of the test root: every defined right.
var allRights = terminal.AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7C0}

// readMandatory lets a terminal read DG1-DG11, DG15 and DG16.
func readMandatory() terminal.EIDRights {
	var r terminal.EIDRights
	for _, dg := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16} {
		r |= terminal.EIDRead(dg)
	}
	return r
}

type fixture struct {
	ca        *card.CVCA
	card      *card.Card
	termKey   *bign.PrivateKey
	termCert  *terminal.CVCertificate
	hello     []byte
	challenge []byte
}

func newFixture(t testing.TB, rights terminal.AccessRights, from, until time.Time) *fixture {
	t.Helper()
	ca, err := card.NewCVCA("BYCA0000", allRights, today.AddDate(-1, 0, 0), today.AddDate(5, 0, 0))
	require.NoError(t, err)
	c, err := card.New(card.Config{Person: persons.Default().ByID(1), CA: ca,
		Now: func() time.Time { return today }})
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ca.Issue(terminal.CVCertificate{HolderReference: "001000000001", Rights: rights,
		EffectiveDate: from, ExpirationDate: until}, key.PublicKey())
	require.NoError(t, err)
	cert, err := terminal.ParseCVCertificate(der)
	require.NoError(t, err)
	return &fixture{ca: ca, card: c, termKey: key, termCert: cert,
		hello: card.BAuthHello(true, make([]byte, 32))}
}

func (f *fixture) send(t *testing.T, header []byte, data []byte) card.Response {
	t.Helper()
	cmd, err := card.NewCommand(header, data)
	require.NoError(t, err)
	resp, err := card.ParseResponse(f.card.Transmit(cmd.Encode()))
	require.NoError(t, err)
	return resp
}

func sw(t *testing.T, want uint16, got card.Response) {
	t.Helper()
	assert.Equalf(t, want, got.Status, "status %04X, expected %04X", got.Status, want)
}

// startBAuth runs BPACE with the PIN, MSE:Set AT, PSO:Verify Certificate and
// the first General Authenticate.
func (f *fixture) startBAuth(t *testing.T) {
	t.Helper()
	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, f.termCert)))
	resp := f.send(t, []byte{0, 0x86, 0, 0}, nil)
	sw(t, card.StatusOK, resp)
	challenge, ok := card.ParseDynamicAuth(resp.Data, 0x80)
	require.True(t, ok)
	require.Len(t, challenge, card.ChallengeSize)
	f.challenge = challenge
}

// finishBAuth sends M2 signed with key and returns the card's response.
func (f *fixture) finishBAuth(t *testing.T, key *bign.PrivateKey) card.Response {
	t.Helper()
	nonce := make([]byte, card.TerminalNonceSize)
	_, err := rand.Read(nonce)
	require.NoError(t, err)
	sig, err := bign.SignHbelt(rand.Reader, key, card.TerminalAuthMessage(f.hello, f.challenge, nonce))
	require.NoError(t, err)
	resp := f.send(t, []byte{0, 0x86, 0, 0}, card.DynamicAuth(0x81, append(nonce, sig...)))
	if resp.Status == card.StatusOK {
		m3, ok := card.ParseDynamicAuth(resp.Data, 0x82)
		require.True(t, ok)
		cardCert, err := terminal.ParseCVCertificate(f.card.Certificate())
		require.NoError(t, err)
		cardKey, err := bign.ParsePublicKey(cardCert.PublicKey)
		require.NoError(t, err)
		assert.NoError(t, bign.VerifyHbelt(cardKey,
			card.CardAuthMessage(f.hello, f.challenge, nonce), m3))
	}
	return resp
}

// certificateData returns the data of PSO:Verify Certificate: the body and
// the signature, without the outer 7F21.
func certificateData(t *testing.T, cert *terminal.CVCertificate) []byte {
	t.Helper()
	return cert.Raw[len(cert.Raw)-len(cert.RawBody)-len(cert.Signature)-3:]
}

func TestReadDataGroupsAfterBAuth(t *testing.T) {
	f := newFixture(t, terminal.AccessRights{EID: readMandatory()}, today, today.AddDate(0, 1, 0))
	f.startBAuth(t)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))

	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 7}))
	read := f.send(t, []byte{0, 0xB0, 0, 0}, nil)
	sw(t, card.StatusOK, read)
	assert.Equal(t, append([]byte{0x47, 20}, "PNOBY-3150385H001PB7"...), read.Data)

	tail := f.send(t, []byte{0, 0xB0, 0, 2}, nil)
	sw(t, card.StatusOK, tail)
	assert.Equal(t, []byte("PNOBY-3150385H001PB7"), tail.Data)
	sw(t, card.StatusOffsetOutside, f.send(t, []byte{0, 0xB0, 0, 200}, nil))
	assert.NotEmpty(t, f.card.Commands())
}

func TestAccessWordEnforced(t *testing.T) {
	rights := terminal.AccessRights{EID: terminal.EIDRead(1) | terminal.EIDRead(7)}
	f := newFixture(t, rights, today, today)
	f.startBAuth(t)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))

	tests := []struct {
		name string
		fid  []byte
		want uint16
	}{
		{"allowed DG1", []byte{1, 1}, card.StatusOK},
		{"allowed DG7", []byte{1, 7}, card.StatusOK},
		{"refused DG5", []byte{1, 5}, card.StatusSecurityNotSatisfied},
		{"refused DG17", []byte{1, 0x11}, card.StatusSecurityNotSatisfied},
		{"unknown file", []byte{0x3F, 0}, card.StatusSecurityNotSatisfied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sw(t, tc.want, f.send(t, []byte{0, 0xA4, 2, 0x0C}, tc.fid))
		})
	}
}

func TestMissingFileNotFound(t *testing.T) {
	f := newFixture(t, terminal.AccessRights{EID: terminal.EIDRead(21)}, today, today)
	f.startBAuth(t)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
	sw(t, card.StatusFileNotFound, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 0x15}))
}

func TestDataGroupsRefusedBeforeBAuth(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 1}))
	sw(t, card.StatusNoCurrentEF, f.send(t, []byte{0, 0xB0, 0, 0}, nil))
}

func TestCertificateChecks(t *testing.T) {
	tests := []struct {
		name        string
		from, until time.Time
		want        uint16
	}{
		{"valid today only", today, today, card.StatusOK},
		{"expired yesterday", today.AddDate(0, -1, 0), today.AddDate(0, 0, -1),
			card.StatusInvalidData},
		{"not yet valid", today.AddDate(0, 0, 1), today.AddDate(0, 1, 0), card.StatusInvalidData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, allRights, tc.from, tc.until)
			require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
			sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
			sw(t, tc.want, f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, f.termCert)))
		})
	}
}

func TestCertificateFromOtherRoot(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	other := newFixture(t, allRights, today, today)
	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
	sw(t, card.StatusInvalidData,
		f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, other.termCert)))
}

func TestBAuthWrongTerminalKey(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	f.startBAuth(t)
	impostor, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sw(t, card.StatusAuthenticationFail, f.finishBAuth(t, impostor))

	// The failed run leaves the terminal unauthenticated.
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 1}))
}

func TestBAuthOrderEnforced(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	sw(t, card.StatusSecurityNotSatisfied,
		f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, f.termCert)))
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0x86, 0, 0}, nil))
	sw(t, card.StatusInvalidData,
		f.send(t, []byte{0, 0x22, 0xB1, 0xA4}, f.hello), // one-sided P1P2, mutual OID
	)
}

func TestCANNeedsRight(t *testing.T) {
	f := newFixture(t, terminal.AccessRights{EID: readMandatory()}, today, today)
	require.NoError(t, f.card.Authenticate(card.PasswordCAN, card.DefaultCAN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
	sw(t, card.StatusSecurityNotSatisfied,
		f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, f.termCert)))
}

func TestPINAttempts(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	for _, want := range []uint16{0x63C2, 0x63C1, 0x63C0, card.StatusPINBlocked} {
		err := f.card.Authenticate(card.PasswordPIN, "000000")
		var se *card.StatusError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, want, se.Status)
	}
	var se *card.StatusError
	require.ErrorAs(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN), &se)
	assert.Equal(t, card.StatusPINBlocked, se.Status)
}

func TestSignInTerminalMode(t *testing.T) {
	rights := terminal.AccessRights{EID: readMandatory(), ESign: terminal.ESignSignTerminal}
	f := newFixture(t, rights, today, today)
	f.startBAuth(t)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))
	require.NoError(t, f.card.VerifyPIN(card.DefaultPIN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeSign))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0x41, 0xB6}, []byte{0x84, 1, 0x11, 0x80, 1, 0x90}))

	data := []byte("договор № 1")
	hash := belt.Sum256(data)
	resp := f.send(t, []byte{0, 0x2A, 0x9E, 0x9A}, hash[:])
	sw(t, card.StatusOK, resp)
	require.Len(t, resp.Data, bign.SignatureSize)
	assert.NoError(t, bign.VerifyHbelt(f.card.SignerPublicKey(), data, resp.Data))

	// The signature used up the PIN flag and the prepared key.
	sw(t, card.StatusConditionsNotMet, f.send(t, []byte{0, 0x2A, 0x9E, 0x9A}, hash[:]))
	sw(t, card.StatusSecurityNotSatisfied,
		f.send(t, []byte{0, 0x22, 0x41, 0xB6}, []byte{0x84, 1, 0x11, 0x80, 1, 0x90}))
}

func TestSignRefusals(t *testing.T) {
	tests := []struct {
		name   string
		rights terminal.ESignRights
		pin    string
		dst    []byte
		want   uint16
	}{
		{"no signing right", terminal.ESignSignBasic, card.DefaultPIN,
			[]byte{0x84, 1, 0x11, 0x80, 1, 0x90}, card.StatusSecurityNotSatisfied},
		{"PIN flag cleared by wrong PIN", terminal.ESignSignTerminal, "000000",
			[]byte{0x84, 1, 0x11, 0x80, 1, 0x90}, card.StatusSecurityNotSatisfied},
		{"key of basic mode", terminal.ESignSignTerminal, card.DefaultPIN,
			[]byte{0x84, 1, 0x01, 0x80, 1, 0x90}, card.StatusReferenceNotFound},
		{"bash hash", terminal.ESignSignTerminal, card.DefaultPIN,
			[]byte{0x84, 1, 0x11, 0x80, 1, 0xB0}, card.StatusInvalidData},
		{"malformed data", terminal.ESignSignTerminal, card.DefaultPIN,
			[]byte{0x84, 1}, card.StatusInvalidData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, terminal.AccessRights{ESign: tc.rights}, today, today)
			f.startBAuth(t)
			sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))
			sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeSign))
			// A wrong PIN clears the flag that BPACE with the PIN has set.
			_ = f.card.VerifyPIN(tc.pin)
			sw(t, tc.want, f.send(t, []byte{0, 0x22, 0x41, 0xB6}, tc.dst))
		})
	}
}

func TestUnsupportedCommands(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	tests := []struct {
		name string
		apdu []byte
		want uint16
	}{
		{"secure messaging class", []byte{0x0C, 0xA4, 0, 0}, card.StatusCLANotSupported},
		{"unknown instruction", []byte{0, 0xCA, 0, 0}, card.StatusINSNotSupported},
		{"unknown MSE", []byte{0, 0x22, 0xC1, 0xA4}, card.StatusWrongP1P2},
		{"malformed length", []byte{0, 0xA4, 4, 0x0C, 5, 1}, card.StatusWrongLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := card.ParseResponse(f.card.Transmit(tc.apdu))
			require.NoError(t, err)
			sw(t, tc.want, resp)
		})
	}
	assert.Len(t, f.card.Commands(), len(tests))
}

func TestResetClearsSession(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	f.startBAuth(t)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))
	f.card.Reset()
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
}

func TestSignerCertificateFile(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	assert.Empty(t, f.card.SignerCertificate())
	f.card.SetSignerCertificate([]byte{0x30, 0x00})
	assert.Equal(t, []byte{0x30, 0x00}, f.card.SignerCertificate())
	assert.Equal(t, "100000000001", f.card.HolderReference())
	assert.Equal(t, 1, f.card.PersonID())
	assert.Equal(t, uint16(0x9000), binary.BigEndian.Uint16(card.Response{Status: 0x9000}.Encode()))
}

func FuzzTransmit(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 0xA4, 4, 0x0C, 10, 0xD1, 0x12, 0, 2, 0, 0x22, 0x65, 0x4F, 7, 1},
		{0, 0xA4, 2, 0x0C, 2, 1, 1},
		{0, 0xB0, 0, 0, 0},
		{0, 0x22, 0xF1, 0xA4, 2, 0x80, 0},
		{0, 0x2A, 0, 0xBE, 4, 0x7F, 0x4E, 0, 0},
		{0, 0x86, 0, 0, 4, 0x7C, 2, 0x81, 0},
		{0, 0x22, 0x41, 0xB6, 6, 0x84, 1, 0x11, 0x80, 1, 0x90},
		{0, 0x2A, 0x9E, 0x9A, 1, 0},
		{0, 0x20, 0, 3, 0},
	} {
		f.Add(seed)
	}
	fx := newFixture(f, allRights, today, today)
	require.NoError(f, fx.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	f.Fuzz(func(t *testing.T, apdu []byte) {
		resp := fx.card.Transmit(apdu)
		if len(resp) < 2 {
			t.Fatalf("response %X to %X has no status word", resp, apdu)
		}
	})
}

func TestChainNarrowsRights(t *testing.T) {
	f := newFixture(t, allRights, today, today)
	sub, err := f.ca.NewSubordinate("BYCA1000", terminal.AccessRights{
		EID: terminal.EIDRead(1)}, today, today)
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := sub.Issue(terminal.CVCertificate{HolderReference: "001000000002",
		Rights: allRights, EffectiveDate: today, ExpirationDate: today}, key.PublicKey())
	require.NoError(t, err)
	f.termCert, err = terminal.ParseCVCertificate(der)
	require.NoError(t, err)
	f.termKey = key

	require.NoError(t, f.card.Authenticate(card.PasswordPIN, card.DefaultPIN))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x22, 0xF1, 0xA4}, f.hello))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, sub.Certificate)))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0x2A, 0, 0xBE}, certificateData(t, f.termCert)))
	resp := f.send(t, []byte{0, 0x86, 0, 0}, nil)
	sw(t, card.StatusOK, resp)
	f.challenge, _ = card.ParseDynamicAuth(resp.Data, 0x80)
	sw(t, card.StatusOK, f.finishBAuth(t, f.termKey))

	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 4, 0x0C}, card.AIDeID))
	sw(t, card.StatusOK, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 1}))
	sw(t, card.StatusSecurityNotSatisfied, f.send(t, []byte{0, 0xA4, 2, 0x0C}, []byte{1, 2}))
}
