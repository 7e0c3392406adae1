package terminal_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/stack"
	"github.com/esiful/sdk-go/terminal"
)

func startStack(t *testing.T) *stack.Stack {
	t.Helper()
	s, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.ClientProgram.InsertCard(1))
	return s
}

func newSession(t *testing.T, s *stack.Stack, channel terminal.CardChannel) *terminal.Session {
	t.Helper()
	session, err := terminal.NewSession(terminal.Config{KPSISURL: s.KPSISTerminalURL,
		Channel: channel})
	require.NoError(t, err)
	return session
}

// pageScript plays the relay script of the page in a goroutine: it polls
// the relay, forwards each call to the client program and posts the
// response back, until ctx ends.
func pageScript(ctx context.Context, relayURL, clientProgramURL, session string) {
	post := func(url string, body any) (*http.Response, error) {
		encoded, _ := json.Marshal(body)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
			bytes.NewReader(encoded))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return http.DefaultClient.Do(req)
	}
	for ctx.Err() == nil {
		resp, err := post(relayURL+"/poll", map[string]string{"session": session})
		if err != nil {
			return
		}
		if resp.StatusCode == http.StatusNoContent {
			resp.Body.Close()
			continue
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return
		}
		var call struct {
			Call    uint64          `json:"call"`
			Method  string          `json:"method"`
			Request json.RawMessage `json:"request"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&call)
		resp.Body.Close()

		result := map[string]any{"session": session, "call": call.Call}
		cp, err := post(clientProgramURL+"/api/v1/"+call.Method, call.Request)
		if err != nil {
			result["error"] = err.Error()
		} else {
			body, _ := io.ReadAll(cp.Body)
			cp.Body.Close()
			result["status"], result["body"] = cp.StatusCode, string(body)
		}
		if resp, err := post(relayURL+"/result", result); err == nil {
			resp.Body.Close()
		}
	}
}

// channels returns the two card channels to the stack's client program:
// direct HTTP, and the browser relay with a goroutine playing the page.
func channels(t *testing.T, s *stack.Stack) map[string]terminal.CardChannel {
	t.Helper()
	relay := terminal.NewBrowserRelay(terminal.RelayConfig{PollTimeout: time.Second})
	srv := httptest.NewServer(http.StripPrefix("/terminal-relay", relay))
	t.Cleanup(srv.Close)
	rc, err := relay.NewChannel()
	require.NoError(t, err)
	t.Cleanup(rc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go pageScript(ctx, srv.URL+"/terminal-relay", s.ClientProgramURL, rc.ID())

	return map[string]terminal.CardChannel{
		"direct": terminal.NewClientProgramChannel(s.ClientProgramURL),
		"relay":  rc,
	}
}

func TestSessionOpenReadSignClose(t *testing.T) {
	s := startStack(t)
	signer, err := attrcert.ParseCertificate(s.Card(1).SignerCertificate())
	require.NoError(t, err)

	for name, channel := range channels(t, s) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			session := newSession(t, s, channel)
			require.NoError(t, session.Open(ctx))
			assert.Equal(t, "100000000001", session.CardCertificateID())
			status, ok := session.TerminalCertificateStatus()
			require.True(t, ok)
			assert.Equal(t, terminal.CertificateValid, status.State)

			data, err := session.ReadPersonalData(ctx)
			require.NoError(t, err)
			assert.Equal(t, "ІВАНОЎ", data.Belarusian.Family)
			assert.Equal(t, "ИВАН", data.Russian.Given)
			assert.Equal(t, "ИВАНОВИЧ", data.Russian.Middle)
			assert.Equal(t, "IVANOU", data.Latin.Family)
			assert.Equal(t, "3150385H001PB7", data.PersonalNumber.String())
			assert.Equal(t, ifyul.SexMale, data.Sex)
			assert.Equal(t, terminal.CardDate{Year: 1985, Month: 3, Day: 15}, data.BirthDate)
			assert.Equal(t, terminal.CardDate{Year: 2031, Month: 5, Day: 13}, data.DateOfExpiry)
			assert.Equal(t, "100000000001", data.DocumentNumber)
			assert.Equal(t, "IDC", data.DocumentType)
			assert.Equal(t, "BLR", data.Citizenship)
			assert.Equal(t, "Г. МІНСК", data.PlaceOfBirthBelarusian)
			assert.Empty(t, data.Extra)

			document := []byte("Заява аб выдачы даведкі")
			sig, err := session.Sign(ctx, document)
			require.NoError(t, err)
			assert.Equal(t, terminal.SignatureBign, sig.Format)
			assert.NoError(t, sig.Verify(document, signer))
			assert.ErrorIs(t, sig.Verify([]byte("other"), signer), terminal.ErrSignatureInvalid)

			require.NoError(t, session.Close(ctx))
			_, err = session.ReadPersonalData(ctx)
			assert.ErrorIs(t, err, terminal.ErrSessionClosed)
		})
	}
}

func TestSessionCMSSignature(t *testing.T) {
	s := startStack(t)
	s.KPSIS.SetTerminalVariant(kpsis.TerminalVariant{SignatureCMS: true,
		KeysWithoutColon: true})
	ctx := context.Background()
	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	require.NoError(t, session.Open(ctx))
	defer session.Close(ctx)

	data, err := session.ReadPersonalData(ctx, terminal.DG4, terminal.DG5)
	require.NoError(t, err)
	assert.Equal(t, "ІВАН", data.Belarusian.Given)
	assert.Equal(t, "IVANOU", data.Latin.Family)
	assert.True(t, data.PersonalNumber.IsZero())

	document := []byte("contract")
	sig, err := session.Sign(ctx, document)
	require.NoError(t, err)
	require.Equal(t, terminal.SignatureCMS, sig.Format)
	signer, err := sig.SignerCertificate()
	require.NoError(t, err)
	assert.Equal(t, "3150385H001PB7", signer.X509.Subject.SerialNumber)
	assert.NoError(t, sig.Verify(document, signer))
}

func TestSessionGroupRefusedByCard(t *testing.T) {
	s := startStack(t)
	// The terminal certificate allows DG6, but its CA's word does not: the
	// card grants the AND along the chain and refuses the group.
	now := time.Now()
	ca, err := s.CVRoot().NewSubordinate("BYTESTCA1000", terminal.AccessRights{
		EID: stack.TerminalRights.EID &^ terminal.EIDRead(6), ESign: 0xF7C0},
		now.AddDate(0, 0, -1), now.AddDate(0, 1, 0))
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	cert, err := ca.Issue(terminal.CVCertificate{HolderReference: "001000000002",
		Rights: stack.TerminalRights, EffectiveDate: now, ExpirationDate: now.AddDate(0, 0, 30)},
		key.PublicKey())
	require.NoError(t, err)
	s.KPSIS.SetTerminalCertificate(key, cert, [][]byte{ca.DER})

	ctx := context.Background()
	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	require.NoError(t, session.Open(ctx))
	defer session.Close(ctx)
	assert.Equal(t, "001000000002", session.TerminalCertificate().HolderReference)

	_, err = session.ReadPersonalData(ctx, terminal.DG5, terminal.DG6, terminal.DG7)
	require.ErrorIs(t, err, terminal.ErrAccessDenied)
	var te *terminal.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 6, te.DataGroup)
	assert.Equal(t, "read_dg", te.Step)
	assert.Equal(t, terminal.ComponentKPSIS, te.Component)
	sw, ok := te.StatusWord()
	assert.True(t, ok)
	assert.Equal(t, uint16(0x6982), sw)

	// The groups the chain allows still read.
	data, err := session.ReadPersonalData(ctx, terminal.DG5, terminal.DG7)
	require.NoError(t, err)
	assert.Equal(t, "IVANOU", data.Latin.Family)
}

func TestSessionDefaultGroupsFollowCertificate(t *testing.T) {
	s := startStack(t)
	now := time.Now()
	rights := stack.TerminalRights
	rights.EID &^= terminal.EIDRead(6) | terminal.EIDRead(9)
	_, err := s.ReissueTerminalCertificate(rights, now, now.AddDate(0, 0, 30))
	require.NoError(t, err)

	ctx := context.Background()
	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	require.NoError(t, session.Open(ctx))
	defer session.Close(ctx)
	data, err := session.ReadPersonalData(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ИВАНОВ", data.Russian.Family)
	assert.Empty(t, data.Russian.Middle)
	assert.Empty(t, data.PlaceOfBirthRussian)

	_, err = session.ReadPersonalData(ctx, terminal.DG6)
	assert.ErrorIs(t, err, terminal.ErrAccessDenied)
}

func TestSessionGroupNotInCertificate(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	require.NoError(t, session.Open(ctx))
	defer session.Close(ctx)
	before := len(s.Card(1).Commands())

	_, err := session.ReadPersonalData(ctx, terminal.DG1, terminal.DG22)
	require.ErrorIs(t, err, terminal.ErrAccessDenied)
	var te *terminal.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 22, te.DataGroup)
	assert.Len(t, s.Card(1).Commands(), before, "the card received a command")
}

func TestSessionExpiredTerminalCertificate(t *testing.T) {
	s := startStack(t)
	now := time.Now()
	_, err := s.ReissueTerminalCertificate(stack.TerminalRights, now.AddDate(0, -1, 0),
		now.AddDate(0, 0, -1))
	require.NoError(t, err)

	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	err = session.Open(context.Background())
	require.ErrorIs(t, err, terminal.ErrTerminalCertificateExpired)
	assert.ErrorIs(t, err, terminal.ErrCVCertificateExpired)
	assert.Empty(t, s.Card(1).Commands(), "the card received a command")
	status, ok := session.TerminalCertificateStatus()
	require.True(t, ok)
	assert.Equal(t, terminal.CertificateExpired, status.State)
	assert.Equal(t, -1, status.DaysLeft)
}

func TestSessionComponentErrors(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*stack.Stack)
		want    error
		step    string
	}{
		{"no card", func(s *stack.Stack) { s.ClientProgram.RemoveCard() }, terminal.ErrNoCard,
			"terminal_proxy_bauth_app_prefetch"},
		{"wrong PIN", func(s *stack.Stack) { s.ClientProgram.EnterPIN("000000") },
			terminal.ErrWrongPIN, "terminal_proxy_bauth_init"},
		{"КПСИС maintenance", func(s *stack.Stack) { s.KPSISSwitch.Set(fault.Maintenance) },
			terminal.ErrMaintenance, "bauth_init"},
		{"КПСИС suspended", func(s *stack.Stack) { s.KPSISSwitch.Set(fault.Suspended) },
			terminal.ErrAccessSuspended, "bauth_init"},
		{"КПСИС down", func(s *stack.Stack) { s.KPSISSwitch.Set(fault.Down) },
			terminal.ErrUnavailable, "bauth_init"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startStack(t)
			tc.prepare(s)
			session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
			err := session.Open(context.Background())
			require.ErrorIs(t, err, tc.want)
			var te *terminal.Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.step, te.Step)
		})
	}
}

func TestSessionWrongPINAttempts(t *testing.T) {
	s := startStack(t)
	s.ClientProgram.EnterPIN("999999")
	session := newSession(t, s, terminal.NewClientProgramChannel(s.ClientProgramURL))
	err := session.Open(context.Background())
	var te *terminal.Error
	require.ErrorAs(t, err, &te)
	left, ok := te.AttemptsLeft()
	assert.True(t, ok)
	assert.Equal(t, 2, left)
	assert.Contains(t, err.Error(), "wrong PIN")
}

// cancellingChannel cancels the context after a number of card calls and
// counts the calls made after that.
type cancellingChannel struct {
	terminal.CardChannel
	after          int
	cancel         context.CancelFunc
	calls, ignored int
}

func (c *cancellingChannel) Call(ctx context.Context, method string, request []byte) ([]byte,
	error) {
	c.calls++
	if c.calls > c.after {
		c.ignored++
	}
	if c.calls == c.after {
		defer c.cancel()
	}
	return c.CardChannel.Call(ctx, method, request)
}

func TestCancellationStopsReadLoop(t *testing.T) {
	s := startStack(t)
	channel := &cancellingChannel{CardChannel: terminal.NewClientProgramChannel(
		s.ClientProgramURL)}
	session := newSession(t, s, channel)
	require.NoError(t, session.Open(context.Background()))
	defer session.Close(context.Background())

	ctx, cancel := context.WithCancel(context.Background())
	channel.after, channel.cancel, channel.ignored = channel.calls+5, cancel, 0
	_, err := session.ReadPersonalData(ctx)
	require.ErrorIs(t, err, context.Canceled)
	var te *terminal.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "read_dg", te.Step)
	assert.Zero(t, channel.ignored, "card calls after cancellation")
}

func TestCancellationWhileRelayWaits(t *testing.T) {
	s := startStack(t)
	relay := terminal.NewBrowserRelay(terminal.RelayConfig{})
	channel, err := relay.NewChannel()
	require.NoError(t, err)
	defer channel.Close()

	// No page polls this relay, so the first call waits until the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = newSession(t, s, channel).Open(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.Is(err, terminal.ErrUnavailable))
}
