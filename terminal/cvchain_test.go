package terminal

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleSignatures(t *testing.T) {
	tests := []struct {
		subject, issuer string
	}{
		{"ca0000.cert", "ca0000.cert"},
		{"ca1000.cert", "ca0000.cert"},
		{"term.cert", "ca1000.cert"},
		{"ct.cert", "ca0000.cert"},
		{"ca0001.cert", "ca0001.cert"},
		{"ca0001.link", "ca0000.cert"},
	}
	for _, tc := range tests {
		t.Run(tc.subject, func(t *testing.T) {
			subject, issuer := loadCert(t, tc.subject), loadCert(t, tc.issuer)
			assert.NoError(t, subject.CheckSignatureFrom(issuer))
		})
	}
}

func TestCheckSignatureFromWrongIssuer(t *testing.T) {
	term := loadCert(t, "term.cert")
	err := term.CheckSignatureFrom(loadCert(t, "ca0000.cert"))
	assert.ErrorIs(t, err, ErrCVSignatureInvalid)
}

func TestVerifyCVChainSamples(t *testing.T) {
	root := loadCert(t, "ca0000.cert")
	ca := loadCert(t, "ca1000.cert")
	term := loadCert(t, "term.cert")

	chain, err := VerifyCVChain([]*CVCertificate{ca, term}, root, date(2025, 7, 2))
	require.NoError(t, err)
	assert.Equal(t, []*CVCertificate{root, ca, term}, chain.Certificates)
	assert.Equal(t, root.Rights.And(ca.Rights).And(term.Rights), chain.Rights)
	assert.Equal(t, EIDRights(0x003C6F5B10), chain.Rights.EID)
	assert.Equal(t, ESignRights(0xF200), chain.Rights.ESign)
	assert.Equal(t, date(2025, 7, 1), chain.NotBefore)
	assert.Equal(t, date(2025, 7, 3), chain.NotAfter)

	_, err = VerifyCVChain([]*CVCertificate{ca, term}, root, date(2026, 12, 4))
	assert.ErrorIs(t, err, ErrCVCertificateExpired)
	assert.ErrorContains(t, err, "certificate 0")
}

func TestVerifyCVChainOtherPaths(t *testing.T) {
	root := loadCert(t, "ca0000.cert")

	chain, err := VerifyCVChain([]*CVCertificate{loadCert(t, "ct.cert")}, root,
		date(2025, 7, 2))
	require.NoError(t, err, "token certificate")
	assert.Equal(t, AccessRights{}, chain.Rights, "a token certificate grants nothing")

	chain, err = VerifyCVChain([]*CVCertificate{loadCert(t, "ca0001.link")}, root,
		date(2030, 1, 10))
	require.NoError(t, err, "link certificate to the new root")
	assert.Equal(t, date(2030, 1, 14), chain.NotAfter)
}

func TestVerifyCVChainRejects(t *testing.T) {
	root := loadCert(t, "ca0000.cert")
	ca := loadCert(t, "ca1000.cert")
	term := loadCert(t, "term.cert")
	at := date(2025, 7, 2)

	flip := func(name string, index int) *CVCertificate {
		der := readCert(t, name)
		if index < 0 {
			index += len(der)
		}
		der[index] ^= 0x01
		c, err := ParseCVCertificate(der)
		require.NoError(t, err, "the flipped certificate still parses")
		return c
	}
	// In the samples the public key starts at byte 40 and the characters of the holder
	// reference of term.cert at byte 107.
	const keyByte, holderByte = 45, 108
	tests := []struct {
		name  string
		chain []*CVCertificate
		root  *CVCertificate
		at    time.Time
		err   error
		msg   string
	}{
		{name: "flipped signature bit", chain: []*CVCertificate{ca, flip("term.cert", -1)},
			root: root, at: at, err: ErrCVSignatureInvalid},
		{name: "flipped key bit", chain: []*CVCertificate{ca, flip("term.cert", keyByte)},
			root: root, at: at, err: ErrCVSignatureInvalid},
		{name: "flipped holder bit", chain: []*CVCertificate{ca, flip("term.cert", holderByte)},
			root: root, at: at, err: ErrCVSignatureInvalid},
		{name: "flipped CA body bit", chain: []*CVCertificate{flip("ca1000.cert", keyByte), term},
			root: root, at: at, err: ErrCVSignatureInvalid},
		{name: "missing intermediate", chain: []*CVCertificate{term}, root: root, at: at,
			err: ErrCVIssuerMismatch},
		{name: "wrong order", chain: []*CVCertificate{term, ca}, root: root, at: at,
			err: ErrCVIssuerMismatch},
		{name: "not yet valid", chain: []*CVCertificate{ca, term}, root: root,
			at: date(2025, 6, 30), err: ErrCVCertificateNotYetValid},
		{name: "expired intermediate", chain: []*CVCertificate{ca}, root: root,
			at: date(2025, 8, 1), err: ErrCVCertificateExpired},
		{name: "root not yet valid", chain: []*CVCertificate{loadCert(t, "ct.cert")},
			root: loadCert(t, "ca0001.cert"), at: at, err: ErrCVCertificateNotYetValid},
		{name: "empty chain", chain: nil, root: root, at: at,
			msg: "terminal: cv chain: no certificate to verify"},
		{name: "missing root", chain: []*CVCertificate{ca}, root: nil, at: at,
			msg: "terminal: cv chain: missing root certificate"},
		{name: "nil certificate", chain: []*CVCertificate{ca, nil}, root: root, at: at,
			msg: "terminal: cv chain: certificate 1 is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := VerifyCVChain(tc.chain, tc.root, tc.at)
			assert.Nil(t, chain)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
			} else {
				assert.EqualError(t, err, tc.msg)
			}
		})
	}
}

// issuer is a CA or terminal with a freshly generated key, for building test chains.
type issuer struct {
	key  *bign.PrivateKey
	cert *CVCertificate
}

func newIssuer(t *testing.T, holder string, rights AccessRights, parent *issuer) *issuer {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	template := &CVCertificate{
		AuthorityReference: holder,
		HolderReference:    holder,
		PublicKey:          key.PublicKey().Bytes(),
		Rights:             rights,
		EffectiveDate:      date(2025, 7, 1),
		ExpirationDate:     date(2025, 7, 31),
	}
	signer := key
	if parent != nil {
		template.AuthorityReference = parent.cert.HolderReference
		signer = parent.key
	}
	der, err := CreateCVCertificate(template, func(body []byte) ([]byte, error) {
		return bign.SignHbelt(rand.Reader, signer, body)
	})
	require.NoError(t, err)
	cert, err := ParseCVCertificate(der)
	require.NoError(t, err)
	return &issuer{key: key, cert: cert}
}

func TestVerifyCVChainIntersectsRights(t *testing.T) {
	root := newIssuer(t, "BYCA0007", AccessRights{
		EID:   EIDAgeVerification | EIDRead(4) | EIDRead(5) | EIDRead(7) | EIDWrite(22),
		ESign: ESignSignTerminal | ESignPINChange,
	}, nil)
	ca := newIssuer(t, "BYCA1007", AccessRights{
		EID:   EIDAgeVerification | EIDRead(5) | EIDRead(7) | EIDRead(8),
		ESign: ESignSignTerminal | ESignSignBasic,
	}, root)
	term := newIssuer(t, "00TERM000042", AccessRights{
		EID:   EIDAgeVerification | EIDPlaceVerification | EIDRead(7) | EIDRead(5),
		ESign: ESignSignTerminal | ESignPINChange,
	}, ca)

	chain, err := VerifyCVChain([]*CVCertificate{ca.cert, term.cert}, root.cert,
		date(2025, 7, 15))
	require.NoError(t, err)
	assert.Equal(t, AccessRights{
		EID:   EIDAgeVerification | EIDRead(5) | EIDRead(7),
		ESign: ESignSignTerminal,
	}, chain.Rights)
	assert.False(t, chain.Rights.EID.RegionCheck(), "the terminal alone asks for it")
	assert.False(t, chain.Rights.EID.CanRead(8), "the terminal does not ask for it")
	assert.False(t, chain.Rights.EID.CanWrite(22), "only the root grants it")
}

func TestCreateCVCertificateRoundTrip(t *testing.T) {
	root := newIssuer(t, "BYCA0007", AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7C0}, nil)
	assert.Equal(t, "BYCA0007", root.cert.AuthorityReference)
	assert.Equal(t, AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7C0}, root.cert.Rights)
	assert.Equal(t, root.key.PublicKey().Bytes(), root.cert.PublicKey)
	assert.NoError(t, root.cert.CheckSignatureFrom(root.cert))

	token := newIssuer(t, "000000000042", AccessRights{}, root)
	assert.NotContains(t, string(token.cert.RawBody), "\x7F\x4C", "no access template")
	assert.NoError(t, token.cert.CheckSignatureFrom(root.cert))
}

func TestCreateCVCertificateRejects(t *testing.T) {
	valid := func() *CVCertificate {
		return &CVCertificate{
			AuthorityReference: "BYCA0007", HolderReference: "BYCA0007",
			PublicKey:     make([]byte, 64),
			EffectiveDate: date(2025, 7, 1), ExpirationDate: date(2025, 7, 31),
		}
	}
	sign := func([]byte) ([]byte, error) { return make([]byte, 48), nil }
	tests := []struct {
		name   string
		modify func(c *CVCertificate)
		sign   func([]byte) ([]byte, error)
		msg    string
	}{
		{"short holder", func(c *CVCertificate) { c.HolderReference = "BYCA07" }, sign,
			`terminal: certHolderReference "BYCA07": length 6, expected 8 to 12 characters`},
		{"key of 65 bytes", func(c *CVCertificate) { c.PublicKey = make([]byte, 65) }, sign,
			"terminal: public key of 65 bytes, expected 64, 96 or 128"},
		{"year 2100", func(c *CVCertificate) { c.ExpirationDate = date(2100, 1, 1) }, sign,
			"terminal: certExpirationDate: year 2100 is outside 2000..2099"},
		{"expiry before effective date", func(c *CVCertificate) {
			c.ExpirationDate = date(2025, 6, 1)
		}, sign, "terminal: cv certificate: offset 123: certExpirationDate: " +
			"2025-06-01 is before the effective date 2025-07-01"},
		{"signer fails", func(*CVCertificate) {},
			func([]byte) ([]byte, error) { return nil, errors.New("token removed") },
			"terminal: signing cv certificate BYCA0007: token removed"},
		{"short signature", func(*CVCertificate) {},
			func([]byte) ([]byte, error) { return make([]byte, 10), nil },
			"terminal: cv certificate: offset 132: signature: " +
				"length 10, expected 48, 72 or 96 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.modify(c)
			_, err := CreateCVCertificate(c, tc.sign)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

func TestCheckSignatureFromUnsupportedKey(t *testing.T) {
	term := loadCert(t, "term.cert")
	strong := *loadCert(t, "ca1000.cert")
	strong.PublicKey = make([]byte, 96)
	assert.ErrorIs(t, term.CheckSignatureFrom(&strong), ErrCVUnsupportedKey)

	weakIssuer := loadCert(t, "ca1000.cert")
	strongSubject := *term
	strongSubject.PublicKey = make([]byte, 128)
	assert.ErrorIs(t, strongSubject.CheckSignatureFrom(weakIssuer), ErrCVUnsupportedKey)
}

func ExampleVerifyCVChain() {
	load := func(name string) *CVCertificate {
		der, err := os.ReadFile("testdata/" + name)
		if err != nil {
			panic(err)
		}
		cert, err := ParseCVCertificate(der)
		if err != nil {
			panic(err)
		}
		return cert
	}
	// The card holds the root, and the terminal presents the rest of the chain.
	root := load("ca0000.cert")
	chain := []*CVCertificate{load("ca1000.cert"), load("term.cert")}

	verified, err := VerifyCVChain(chain, root, time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println("valid through", verified.NotAfter.Format(time.DateOnly))
	fmt.Println("may read the personal number (DG7):", verified.Rights.EID.CanRead(7))
	fmt.Println("may sign in terminal mode:", verified.Rights.ESign.Has(ESignSignTerminal))

	_, err = VerifyCVChain(chain, root, time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, ErrCVCertificateExpired))
	// Output:
	// valid through 2025-07-03
	// may read the personal number (DG7): true
	// may sign in terminal mode: true
	// true
}
