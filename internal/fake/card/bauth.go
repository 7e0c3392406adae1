package card

import (
	"bytes"
	"encoding/asn1"
	"io"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/tlv"
	"github.com/esiful/sdk-go/terminal"
)

// Object identifiers of BAUTH (btok, appendix А): btok-bauth with mutual
// authentication, btok-bauth1 with authentication of the terminal only.
var (
	OIDBAuth  = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 11}
	OIDBAuth1 = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 79, 12}
)

// Sizes of the random values of the simplified BAUTH.
const (
	// ChallengeSize is the size of the card's challenge in M1.
	ChallengeSize = 32
	// TerminalNonceSize is the size of the terminal's nonce R_T in M2.
	TerminalNonceSize = 16
)

// Tags of the General Authenticate data objects of BAUTH.
const (
	tagDynamicAuth tlv.Tag = 0x7C
	tagM1          tlv.Tag = 0x80
	tagM2          tlv.Tag = 0x81
	tagM3          tlv.Tag = 0x82
	tagProtocolOID tlv.Tag = 0x80
	tagRequestHash tlv.Tag = 0x85
)

// TerminalAuthMessage returns the bytes the terminal signs in M2: a domain
// byte 01, the hello of MSE:Set AT, the card's challenge and the terminal's
// nonce. The last two have fixed sizes, so the concatenation is unambiguous.
func TerminalAuthMessage(hello, challenge, nonce []byte) []byte {
	return concat([]byte{0x01}, hello, challenge, nonce)
}

// CardAuthMessage returns the bytes the card signs in M3, with the domain
// byte 02 so that neither side's signature can stand for the other's.
func CardAuthMessage(hello, challenge, nonce []byte) []byte {
	return concat([]byte{0x02}, hello, challenge, nonce)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// bauthState follows BAUTH from MSE:Set AT to the second General
// Authenticate.
type bauthState struct {
	mutual    bool
	hello     []byte
	chain     []*terminal.CVCertificate
	verified  *terminal.VerifiedCVChain
	challenge []byte
}

// setBAuth handles MSE:Set AT for BAUTH. The data must carry the protocol
// identifier (80) matching P1 and may carry the hash of the authentication
// request (85) and other objects, which are kept as part of the hello.
func (c *Card) setBAuth(cmd Command, mutual bool) Response {
	c.bauth = nil
	if c.password == 0 || c.rights != nil || c.app != appMF {
		return status(StatusSecurityNotSatisfied)
	}
	objects, err := tlv.ParseAll(cmd.Data)
	if err != nil {
		return status(StatusInvalidData)
	}
	want := OIDBAuth1
	if mutual {
		want = OIDBAuth
	}
	found, count := tlv.Find(objects, tagProtocolOID)
	if count != 1 {
		return status(StatusInvalidData)
	}
	var oid asn1.ObjectIdentifier
	encoded := tlv.Encode(0x06, found.Value)
	if rest, err := asn1.Unmarshal(encoded, &oid); err != nil || len(rest) > 0 || !oid.Equal(want) {
		return status(StatusInvalidData)
	}
	if hash, n := tlv.Find(objects, tagRequestHash); n > 1 || len(hash.Value) > 64 {
		return status(StatusInvalidData)
	}
	c.bauth = &bauthState{mutual: mutual, hello: bytes.Clone(cmd.Data)}
	return status(StatusOK)
}

// verifyCertificate handles PSO:Verify Certificate: the data is the body and
// the signature of a CV certificate. Each certificate must be issued by the
// root the card trusts or by the certificate imported before it, and be
// valid on the card's date.
func (c *Card) verifyCertificate(cmd Command) Response {
	b := c.bauth
	if b == nil || b.challenge != nil {
		return status(StatusSecurityNotSatisfied)
	}
	cert, err := terminal.ParseCVCertificate(tlv.Encode(0x7F21, cmd.Data))
	if err != nil {
		return status(StatusInvalidData)
	}
	chain := append(append([]*terminal.CVCertificate(nil), b.chain...), cert)
	verified, err := terminal.VerifyCVChain(chain, c.root, c.now())
	if err != nil {
		return status(StatusInvalidData)
	}
	// btok lets a terminal use the CAN only with the right to do so.
	if c.password == PasswordCAN && !verified.Rights.EID.CANAccess() {
		return status(StatusSecurityNotSatisfied)
	}
	b.chain, b.verified = chain, verified
	return status(StatusOK)
}

// generalAuthenticate handles the two General Authenticate commands of
// BAUTH. The first returns the card's challenge (M1); the second takes the
// terminal's nonce and signature (M2) and, in mutual mode, returns the
// card's signature (M3).
func (c *Card) generalAuthenticate(cmd Command) Response {
	b := c.bauth
	if b == nil || b.verified == nil || cmd.P1 != 0 || cmd.P2 != 0 {
		c.bauth = nil
		return status(StatusSecurityNotSatisfied)
	}
	if b.challenge == nil {
		if len(cmd.Data) != 0 {
			return status(StatusInvalidData)
		}
		b.challenge = make([]byte, ChallengeSize)
		if _, err := io.ReadFull(c.rand, b.challenge); err != nil {
			return status(0x6400)
		}
		return Response{Data: dynamicAuth(tagM1, b.challenge), Status: StatusOK}
	}

	// Any failure from here ends the protocol, as btok requires.
	c.bauth = nil
	m2, ok := parseDynamicAuth(cmd.Data, tagM2)
	if !ok || len(m2) != TerminalNonceSize+bign.SignatureSize {
		return status(StatusInvalidData)
	}
	nonce, signature := m2[:TerminalNonceSize], m2[TerminalNonceSize:]
	terminalCert := b.chain[len(b.chain)-1]
	key, err := bign.ParsePublicKey(terminalCert.PublicKey)
	if err != nil {
		return status(StatusAuthenticationFail)
	}
	message := TerminalAuthMessage(b.hello, b.challenge, nonce)
	if bign.VerifyHbelt(key, message, signature) != nil {
		return status(StatusAuthenticationFail)
	}

	rights := b.verified.Rights
	c.rights = &rights
	if !b.mutual {
		return status(StatusOK)
	}
	cardSignature, err := bign.SignHbelt(c.rand, c.authKey,
		CardAuthMessage(b.hello, b.challenge, nonce))
	if err != nil {
		c.rights = nil
		return status(0x6400)
	}
	return Response{Data: dynamicAuth(tagM3, cardSignature), Status: StatusOK}
}

func dynamicAuth(tag tlv.Tag, message []byte) []byte {
	return tlv.EncodeConstructed(tagDynamicAuth, tlv.Encode(tag, message))
}

// parseDynamicAuth returns the message under tag in 7C{tag message}.
func parseDynamicAuth(b []byte, tag tlv.Tag) ([]byte, bool) {
	outer, err := tlv.Parse(b)
	if err != nil || outer.Tag != tagDynamicAuth {
		return nil, false
	}
	inner, err := tlv.Parse(outer.Value)
	if err != nil || inner.Tag != tag {
		return nil, false
	}
	return inner.Value, true
}

// DynamicAuth wraps a BAUTH message for General Authenticate: 7C{tag m}.
// The terminal uses it with tag 81 for M2.
func DynamicAuth(tag byte, message []byte) []byte { return dynamicAuth(tlv.Tag(tag), message) }

// ParseDynamicAuth returns the message under tag in a General Authenticate
// response, 7C{tag message}, and whether the data had that form.
func ParseDynamicAuth(b []byte, tag byte) ([]byte, bool) { return parseDynamicAuth(b, tlv.Tag(tag)) }

// BAuthHello returns the data of MSE:Set AT that a terminal sends: the
// protocol identifier and the hash of its authentication request.
func BAuthHello(mutual bool, requestHash []byte) []byte {
	oid := OIDBAuth1
	if mutual {
		oid = OIDBAuth
	}
	encoded, _ := asn1.Marshal(oid)
	return concat(tlv.Encode(tagProtocolOID, encoded[2:]), tlv.Encode(tagRequestHash, requestHash))
}
