package terminal

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

// SignatureFormat is the form in which the КПСИС returned a signature.
type SignatureFormat int

// The forms of sign_result's "signature".
const (
	// SignatureBign is the bare signature of STB 34.101.45: 48 bytes s0‖s1
	// of bign-with-hbelt over the data.
	SignatureBign SignatureFormat = iota + 1
	// SignatureCMS is CMS SignedData (RFC 5652) with one signer using
	// belt-hash and bign-with-hbelt; see ParseSignature.
	SignatureCMS
)

// String returns "bign" or "cms".
func (f SignatureFormat) String() string {
	switch f {
	case SignatureBign:
		return "bign"
	case SignatureCMS:
		return "cms"
	}
	return fmt.Sprintf("SignatureFormat(%d)", int(f))
}

// Signature is an electronic signature made by the ID card in terminal
// mode.
type Signature struct {
	Format SignatureFormat
	// Value is the 48-byte bign signature.
	Value []byte
	// Raw is the signature as the КПСИС returned it: Value itself, or the
	// DER of the CMS ContentInfo.
	Raw []byte
	// Certificates are the certificates (DER) carried in CMS, unverified.
	Certificates [][]byte

	signer        signerID
	signedAttrs   []byte
	messageDigest []byte
	content       []byte
}

// signerID is the SignerIdentifier of CMS: issuer and serial number, or a
// subject key identifier.
type signerID struct {
	issuer []byte
	serial *big.Int
	keyID  []byte
}

// ParseSignature reads sign_result's signature: 48 bytes are the bare bign
// signature, and anything starting with a SEQUENCE is read as CMS.
//
// The CMS form accepted here is SignedData with belt-hash
// (1.2.112.0.2.0.34.101.31.81) as the digest algorithm and content type
// id-data, the content detached or attached. Certificates are optional.
// Exactly one SignerInfo is allowed, with bign-with-hbelt
// (1.2.112.0.2.0.34.101.45.12) and a 48-byte signature, identified by issuer
// and serial number or by subject key identifier. Without signed attributes
// the signature covers the data, which is what the card signs. With them,
// they must include contentType id-data and a messageDigest, and the
// signature covers their DER encoding.
//
// NOTE: which form real КПСИС builds return, and the CMS layout they use,
// are not public. This SDK's fake КПСИС returns either form on request; its
// CMS is the minimal one above: detached content, the signer's
// certificate, identification by issuer and serial number, no signed
// attributes.
func ParseSignature(b []byte) (*Signature, error) {
	switch {
	case len(b) == bign.SignatureSize:
		return &Signature{Format: SignatureBign, Value: bytes.Clone(b), Raw: bytes.Clone(b)}, nil
	case len(b) > 0 && b[0] == 0x30:
		return parseCMS(bytes.Clone(b))
	}
	return nil, fmt.Errorf("terminal: signature of %d bytes is neither %d bytes of bign "+
		"nor CMS", len(b), bign.SignatureSize)
}

// Verify checks the signature of data under the public key of cert, the
// signer's certificate. For CMS it also checks that the signer identifier
// names cert and, with signed attributes, the message digest. If the CMS
// carries the content and data is nil, the content is verified.
//
// Verify does not check cert itself: verify its chain with attrcert (for
// identification, to РУЦ ГосСУОК) before trusting the signer.
func (s *Signature) Verify(data []byte, cert *attrcert.Certificate) error {
	if cert == nil {
		return errors.New("terminal: verifying a signature needs the signer's certificate")
	}
	pub, ok := cert.PublicKey.(*bign.PublicKey)
	if !ok {
		return fmt.Errorf("terminal: certificate of %q has no bign public key (algorithm %v)",
			cert.X509.Subject.CommonName, cert.PublicKeyAlgorithm)
	}
	message := data
	if s.Format == SignatureCMS {
		var err error
		if message, err = s.signedMessage(data, cert); err != nil {
			return err
		}
	}
	if err := bign.VerifyHbelt(pub, message, s.Value); err != nil {
		return fmt.Errorf("%w: %v", ErrSignatureInvalid, err)
	}
	return nil
}

// signedMessage returns what the CMS signature covers, after checking the
// signer, the content and the message digest.
func (s *Signature) signedMessage(data []byte, cert *attrcert.Certificate) ([]byte, error) {
	if !s.signer.matches(cert) {
		return nil, fmt.Errorf("%w: the CMS signer identifier does not name the certificate "+
			"of %q", ErrSignatureInvalid, cert.X509.Subject.CommonName)
	}
	if s.content != nil {
		if data == nil {
			data = s.content
		} else if !bytes.Equal(data, s.content) {
			return nil, fmt.Errorf("%w: the data differs from the content in CMS",
				ErrSignatureInvalid)
		}
	}
	if s.signedAttrs == nil {
		return data, nil
	}
	digest := belt.Sum256(data)
	if !bytes.Equal(digest[:], s.messageDigest) {
		return nil, fmt.Errorf("%w: messageDigest does not match the belt-hash of the data",
			ErrSignatureInvalid)
	}
	return s.signedAttrs, nil
}

func (id signerID) matches(cert *attrcert.Certificate) bool {
	if id.keyID != nil {
		return bytes.Equal(id.keyID, cert.X509.SubjectKeyId)
	}
	return bytes.Equal(id.issuer, cert.X509.RawIssuer) && id.serial != nil &&
		id.serial.Cmp(cert.X509.SerialNumber) == 0
}

// SignerCertificate returns the certificate among Certificates that the CMS
// signer identifier names. It does not verify it.
func (s *Signature) SignerCertificate() (*attrcert.Certificate, error) {
	for i, der := range s.Certificates {
		cert, err := attrcert.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("terminal: CMS certificate %d: %w", i, err)
		}
		if s.signer.matches(cert) {
			return cert, nil
		}
	}
	return nil, errors.New("terminal: the signature carries no certificate of its signer")
}

// Sign has the card sign data with the holder's key, in the steps of the
// КПСИС, each relayed to the card. First sign_init selects the eSign
// application. Its command goes through terminal_proxy_sign_init, for which
// the client program asks the holder for the PIN. Then sign_select_app
// chooses the key, sign_data sends the belt-hash of the data, and
// sign_result returns the signature.
//
// The data travels to the КПСИС in base64 and is hashed there. Check the
// result with Signature.Verify against the holder's certificate.
func (s *Session) Sign(ctx context.Context, data []byte) (*Signature, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return nil, ErrSessionClosed
	}
	step, err := s.kpsis.call(ctx, "sign_init", map[string]string{"hreq": s.hreq})
	if err != nil {
		return nil, err
	}
	steps := []struct {
		relayMethod, kpsisStep string
		extra                  map[string]string
	}{
		{"terminal_proxy_sign_init", "sign_select_app", nil},
		{"terminal_proxy_command", "sign_data",
			map[string]string{"data_to_sign": base64.StdEncoding.EncodeToString(data)}},
		{"terminal_proxy_command", "sign_result", nil},
	}
	previous := "sign_init"
	for _, st := range steps {
		cardResponse, err := s.relay(ctx, previous, st.relayMethod, step)
		if err != nil {
			return nil, err
		}
		request := map[string]string{"hreq": s.hreq, "card_response": cardResponse}
		for k, v := range st.extra {
			request[k] = v
		}
		if step, err = s.kpsis.call(ctx, st.kpsisStep, request); err != nil {
			return nil, err
		}
		previous = st.kpsisStep
	}

	raw, err := decodeBase64("signature", step.Signature)
	if err == nil && len(raw) == 0 {
		err = errors.New(`response has no "signature"`)
	}
	if err != nil {
		return nil, s.malformed(ComponentKPSIS, "sign_result", err)
	}
	sig, err := ParseSignature(raw)
	if err != nil {
		return nil, &Error{Step: "sign_result", Component: ComponentKPSIS, Err: err}
	}
	return sig, nil
}
