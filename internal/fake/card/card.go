package card

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/terminal"
)

// Password names the password of a BPACE run by the client program.
type Password byte

// The passwords of btok, coded as in MSE:Set AT for BPACE.
const (
	PasswordCAN Password = 0x02
	PasswordPIN Password = 0x03
)

// pinAttempts is the number of wrong PINs that block the PIN.
const pinAttempts = 3

// Default passwords of a test card.
const (
	DefaultPIN = "123456"
	DefaultCAN = "654321"
)

// Config describes a card to create.
type Config struct {
	// Person is the card holder, whose data groups the card carries.
	Person *persons.Person
	// CA is the CV root the card trusts and the issuer of its own certificate.
	CA *CVCA
	// PIN and CAN default to DefaultPIN and DefaultCAN.
	PIN, CAN string
	// Now is the card's clock, against which it checks terminal certificates.
	Now func() time.Time
}

// Card is a virtual ID card. It is safe for concurrent use, and it
// processes commands one at a time, as a card reader does.
type Card struct {
	personID    int
	root        *terminal.CVCertificate
	certificate []byte
	authKey     *bign.PrivateKey
	signKey     *bign.PrivateKey
	pin, can    string
	now         func() time.Time
	rand        io.Reader
	eid         map[uint16][]byte

	mu       sync.Mutex
	esign    map[uint16][]byte
	log      []Command
	password Password
	pinTries int
	session
}

// session is the volatile state that a reset of the card clears.
type session struct {
	pinVerified bool
	// rights are the access rights of the authenticated terminal, nil before
	// BAUTH completes (state PS) and after a new BPACE.
	rights *terminal.AccessRights
	bauth  *bauthState
	app    application
	ef     uint16
	// signKeyReady is set by MSE:Set DST and cleared by the signature.
	signKeyReady bool
}

type application int

const (
	appMF application = iota
	appEID
	appESign
)

// New creates a card for cfg.Person with a new authentication key, certified
// by cfg.CA under the document number, and a new signing key.
func New(cfg Config) (*Card, error) {
	if cfg.Person == nil || cfg.CA == nil {
		return nil, errors.New("card: config needs a person and a CA")
	}
	groups, err := DataGroups(cfg.Person)
	if err != nil {
		return nil, err
	}
	files, err := groups.EncodeAll()
	if err != nil {
		return nil, fmt.Errorf("card: person %d: %w", cfg.Person.ID, err)
	}
	c := &Card{
		personID: cfg.Person.ID,
		root:     cfg.CA.Certificate,
		pin:      cfg.PIN,
		can:      cfg.CAN,
		now:      cfg.Now,
		rand:     rand.Reader,
		eid:      make(map[uint16][]byte),
		esign:    make(map[uint16][]byte),
		pinTries: pinAttempts,
	}
	if c.pin == "" {
		c.pin = DefaultPIN
	}
	if c.can == "" {
		c.can = DefaultCAN
	}
	if c.now == nil {
		c.now = time.Now
	}
	for dg, file := range files {
		c.eid[terminal.DataGroupFileID(dg)] = file
	}
	if err := c.createKeys(cfg); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Card) createKeys(cfg Config) error {
	var err error
	if c.authKey, err = bign.GenerateKey(c.rand); err != nil {
		return err
	}
	if c.signKey, err = bign.GenerateKey(c.rand); err != nil {
		return err
	}
	doc := cfg.Person.Document
	c.certificate, err = cfg.CA.Issue(terminal.CVCertificate{
		HolderReference: doc.Number,
		EffectiveDate:   doc.Issued(),
		ExpirationDate:  doc.Expires(),
	}, c.authKey.PublicKey())
	if err != nil {
		return err
	}
	keyHash := belt.Sum256(c.signKey.PublicKey().Bytes())
	c.esign[fileSignKeyHash] = append([]byte{0x04, 0x20}, keyHash[:]...)
	return nil
}

// PersonID returns the ID of the card holder among the test persons.
func (c *Card) PersonID() int { return c.personID }

// Certificate returns the card's CV certificate, which the client program
// reports as so_certificate.
func (c *Card) Certificate() []byte { return append([]byte(nil), c.certificate...) }

// HolderReference returns the holder reference of the card's certificate:
// the document number.
func (c *Card) HolderReference() string {
	cert, _ := terminal.ParseCVCertificate(c.certificate)
	return cert.HolderReference
}

// SignerPublicKey returns the public key of the eSign key 11, with which
// the card signs in terminal mode.
func (c *Card) SignerPublicKey() *bign.PublicKey { return c.signKey.PublicKey() }

// SetSignerCertificate stores the holder's public-key certificate (DER) in
// the eSign file of key 11, where a real card keeps it.
func (c *Card) SetSignerCertificate(der []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.esign[fileSignCertificate] = append([]byte(nil), der...)
}

// SignerCertificate returns the certificate stored by SetSignerCertificate,
// or nil.
func (c *Card) SignerCertificate() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.esign[fileSignCertificate]...)
}

// Reset returns the card to its state after power-up, as removing it from
// the reader and inserting it again does. The PIN retry counter survives.
func (c *Card) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.password = 0
	c.session = session{}
}

// Commands returns the APDUs that Transmit received, oldest first.
func (c *Card) Commands() []Command {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Command(nil), c.log...)
}

// StatusError is a password check that the card failed with a status word.
type StatusError struct{ Status uint16 }

func (e *StatusError) Error() string { return fmt.Sprintf("card: status %04X", e.Status) }

// Authenticate runs BPACE with the password as the client program does
// before anything else. A real BPACE is a key agreement over four messages,
// but here the card compares the password and opens the client program's
// connection at once (see the package documentation).
//
// A wrong PIN returns status 63CX with X attempts left, and 6983 once the
// PIN is blocked. A wrong CAN returns 63C1, as btok specifies.
func (c *Card) Authenticate(pw Password, value string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.session = session{}
	c.password = 0
	switch pw {
	case PasswordCAN:
		if value != c.can {
			return &StatusError{0x63C1}
		}
	case PasswordPIN:
		if err := c.checkPIN(value); err != nil {
			return err
		}
		c.pinVerified = true
	default:
		return &StatusError{StatusWrongP1P2}
	}
	c.password = pw
	return nil
}

// VerifyPIN confirms the PIN (command Verify in the client program's
// connection), which sets the flag that signing requires.
func (c *Card) VerifyPIN(value string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.password != PasswordPIN {
		return &StatusError{StatusSecurityNotSatisfied}
	}
	c.pinVerified = false
	if err := c.checkPIN(value); err != nil {
		return err
	}
	c.pinVerified = true
	return nil
}

func (c *Card) checkPIN(value string) error {
	if c.pinTries == 0 {
		return &StatusError{StatusPINBlocked}
	}
	if value != c.pin {
		c.pinTries--
		return &StatusError{0x63C0 | uint16(c.pinTries)}
	}
	c.pinTries = pinAttempts
	return nil
}

// Transmit processes one command APDU from the terminal, relayed by the
// client program, and returns the response APDU.
func (c *Card) Transmit(apdu []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd, err := ParseCommand(apdu)
	if err != nil {
		// Logged whole as Data, so that the log lists every APDU that arrived.
		c.log = append(c.log, Command{Data: append([]byte(nil), apdu...)})
		return status(StatusWrongLength).Encode()
	}
	cmd.Data = append([]byte(nil), cmd.Data...)
	c.log = append(c.log, cmd)
	return c.process(cmd).Encode()
}

func (c *Card) process(cmd Command) Response {
	if cmd.CLA != 0x00 {
		// Secure messaging (CLA 0C) and command chaining (CLA 10) are not
		// implemented, so only the plain class is accepted.
		return status(StatusCLANotSupported)
	}
	p1p2 := uint16(cmd.P1)<<8 | uint16(cmd.P2)
	switch cmd.INS {
	case 0xA4:
		return c.selectFile(cmd)
	case 0xB0:
		return c.readBinary(cmd)
	case 0x22:
		switch p1p2 {
		case 0xF1A4, 0xB1A4:
			return c.setBAuth(cmd, p1p2 == 0xF1A4)
		case 0x41B6:
			return c.setSignature(cmd)
		}
		return status(StatusWrongP1P2)
	case 0x2A:
		switch p1p2 {
		case 0x00BE:
			return c.verifyCertificate(cmd)
		case 0x9E9A:
			return c.computeSignature(cmd)
		}
		return status(StatusWrongP1P2)
	case 0x86:
		return c.generalAuthenticate(cmd)
	case 0x20:
		return c.verify(cmd)
	}
	return status(StatusINSNotSupported)
}
