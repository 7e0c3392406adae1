package kpsis

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
)

type signStep int

const (
	signIdle signStep = iota
	signSelectApp
	signSetKey
	signCompute
	signResult
)

// signState follows the signing steps of one signature.
type signState struct {
	step   signStep
	digest []byte
}

// signInit starts a signature by selecting the eSign application. The
// client program confirms the PIN with the holder before it relays this
// command (terminal_proxy_sign_init).
func (t *terminalAPI) signInit(s *terminalSession, _ terminalRequest) (any, *apiError) {
	if err := s.established(); err != nil {
		return nil, err
	}
	s.sign = signState{step: signSelectApp}
	return command([4]byte{0x00, 0xA4, 0x04, 0x0C}, card.AIDeSign), nil
}

// signSelectApp takes the response to the selection and returns MSE:Set
// DST for key 11 (terminal mode) with belt-hash.
func (t *terminalAPI) signSelectApp(s *terminalSession, req terminalRequest) (any, *apiError) {
	if apiErr := s.expectSign(signSelectApp, req, "the eSign application"); apiErr != nil {
		return nil, apiErr
	}
	s.sign.step = signSetKey
	return command([4]byte{0x00, 0x22, 0x41, 0xB6}, []byte{0x84, 0x01, 0x11, 0x80, 0x01, 0x90}), nil
}

// signData takes the response to MSE:Set DST and the data, and returns
// PSO:Compute Digital Signature over the belt-hash of the data.
func (t *terminalAPI) signData(s *terminalSession, req terminalRequest) (any, *apiError) {
	data, err := base64.StdEncoding.DecodeString(req.DataToSign)
	if err != nil {
		return nil, failf("invalid_request", "data_to_sign is not base64")
	}
	if apiErr := s.expectSign(signSetKey, req, "the signing key"); apiErr != nil {
		return nil, apiErr
	}
	digest := belt.Sum256(data)
	s.sign.step, s.sign.digest = signCompute, digest[:]
	return command([4]byte{0x00, 0x2A, 0x9E, 0x9A}, s.sign.digest), nil
}

// signResult takes the card's signature and returns it: the 48 bytes of
// bign, or CMS SignedData when that variant is on and the signer's
// certificate is known.
func (t *terminalAPI) signResult(s *terminalSession, req terminalRequest) (any, *apiError) {
	resp, apiErr := cardResponse(req.CardResponse, "the signature")
	if s.sign.step != signCompute {
		return nil, failf("invalid_state", "no signature under way: call sign_init first")
	}
	s.sign.step = signIdle
	if apiErr != nil {
		return nil, apiErr
	}
	if len(resp.Data) != bign.SignatureSize {
		return nil, failf("invalid_card_response", "signature of %d bytes, expected %d",
			len(resp.Data), bign.SignatureSize)
	}
	signature := resp.Data
	if s.variant.SignatureCMS && s.signer != nil {
		cms, err := signedData(s.signer, signature)
		if err != nil {
			return nil, failf("server_error", "building CMS: %v", err)
		}
		signature = cms
	}
	return map[string]string{
		"err":       "0",
		"signature": base64.StdEncoding.EncodeToString(signature),
	}, nil
}

func (s *terminalSession) expectSign(step signStep, req terminalRequest,
	what string) *apiError {
	if s.sign.step != step {
		return failf("invalid_state", "signing steps out of order: call sign_init first")
	}
	if _, apiErr := cardResponse(req.CardResponse, what); apiErr != nil {
		s.sign.step = signIdle
		return apiErr
	}
	return nil
}

// Object identifiers of CMS SignedData with bign.
var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidBeltHash      = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 31, 81}
	oidBignWithHbelt = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 45, 12}
)

type cmsSignedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo struct{ EContentType asn1.ObjectIdentifier }
	Certificates     []asn1.RawValue `asn1:"optional,set,tag:0"`
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

type cmsSignerInfo struct {
	Version            int
	SID                cmsIssuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

type cmsIssuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// signedData wraps a signature of the card in the CMS SignedData that the
// fake returns. It has detached content, the signer's certificate, and one
// SignerInfo identified by issuer and serial number, with belt-hash and
// bign-with-hbelt. It has no signed attributes, so the signature is the
// card's signature over the data itself.
func signedData(signerDER, signature []byte) ([]byte, error) {
	cert, err := x509.ParseCertificate(signerDER)
	if err != nil {
		return nil, fmt.Errorf("signer certificate: %w", err)
	}
	beltHash := pkix.AlgorithmIdentifier{Algorithm: oidBeltHash}
	sd := cmsSignedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{beltHash},
		Certificates:     []asn1.RawValue{{FullBytes: signerDER}},
		SignerInfos: []cmsSignerInfo{{
			Version:            1,
			SID:                cmsIssuerAndSerial{asn1.RawValue{FullBytes: cert.RawIssuer}, cert.SerialNumber},
			DigestAlgorithm:    beltHash,
			SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidBignWithHbelt},
			Signature:          signature,
		}},
	}
	sd.EncapContentInfo.EContentType = oidData
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0,
		IsCompound: true, Bytes: inner}})
}
