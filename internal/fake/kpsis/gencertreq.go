package kpsis

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/fault"
)

// KeygenPath is the path of the КПСИС key-generation API, served on port
// 9999 in real deployments.
const KeygenPath = "/api/v1/gencertreq"

// KeygenConfig configures the fake key-generation API.
type KeygenConfig struct {
	Switch *fault.Switch
	Logger *slog.Logger
	// Rand is the source of the generated keys; default crypto/rand.
	Rand io.Reader
}

// KeygenResponse chooses how the fake returns the request. The real
// response's fields are not public; the default is the SDK's guess.
type KeygenResponse struct {
	// Field is the JSON field that carries the request; default "cert_req".
	Field string
	// PEM sends the request as PEM text instead of base64 of DER.
	PEM bool
}

// Keygen is the fake key-generation API of the КПСИС («генерация личного
// ключа и запроса на ТСОК»). POST /api/v1/gencertreq generates a bign key
// and returns a certificate request for it.
//
// The real КПСИС splits the key among users_num password holders so that
// any treshold_num of them unlock it, and protects it with the passwords
// (iteration_count is the PBKDF2 count). The fake checks those parameters
// but keeps the key in memory, unsplit and unprotected, and it writes no
// file for save_to_file.
type Keygen struct {
	cfg     KeygenConfig
	handler http.Handler

	mu       sync.Mutex
	response KeygenResponse
	keys     map[string]*bign.PrivateKey // by hex of the public key
}

// NewKeygen returns the fake key-generation API.
func NewKeygen(cfg KeygenConfig) *Keygen {
	if cfg.Switch == nil {
		cfg.Switch = &fault.Switch{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	g := &Keygen{cfg: cfg, keys: make(map[string]*bign.PrivateKey)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+KeygenPath, g.generate)
	g.handler = cfg.Switch.Wrap(mux, errorAnswer)
	return g
}

// KeygenHandler returns the key-generation API of this КПСИС, to be served
// on its own listener, under the КПСИС's failure switch. Each call returns
// a handler with keys of its own.
func (k *KPSIS) KeygenHandler() *Keygen {
	return NewKeygen(KeygenConfig{Switch: k.cfg.Switch, Logger: k.cfg.Logger})
}

// ServeHTTP implements http.Handler.
func (g *Keygen) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.cfg.Logger.Info("kpsis keygen", "method", r.Method, "path", r.URL.Path)
	g.handler.ServeHTTP(w, r)
}

// SetResponse changes the form of the responses.
func (g *Keygen) SetResponse(a KeygenResponse) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.response = a
}

// Key returns the private key generated for the public key (64 octets
// x‖y), or nil.
func (g *Keygen) Key(publicKey []byte) *bign.PrivateKey {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.keys[hex.EncodeToString(publicKey)]
}

// maxKeygenKeys bounds the keys kept, so that a client that calls in a
// loop cannot exhaust memory. Past it an arbitrary key is dropped, since
// the fake does not track their age.
const maxKeygenKeys = 1000

func (g *Keygen) generate(w http.ResponseWriter, r *http.Request) {
	var req gencertreqRequest
	if err := decode(r, &req); err != nil {
		g.fail(w, "invalid_request", err.Error())
		return
	}
	if err := req.check(); err != nil {
		g.fail(w, "invalid_request", err.Error())
		return
	}

	key, err := bign.GenerateKey(g.cfg.Rand)
	if err != nil {
		g.fail(w, "internal_error", err.Error())
		return
	}
	der, err := encodeCertificateRequest(req.CertReqParam.CertInfo, key)
	if err != nil {
		g.fail(w, "internal_error", err.Error())
		return
	}
	g.keep(key)

	g.mu.Lock()
	response := g.response
	g.mu.Unlock()
	if response.Field == "" {
		response.Field = "cert_req"
	}
	value := base64.StdEncoding.EncodeToString(der)
	if response.PEM {
		value = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	}
	g.cfg.Logger.Info("kpsis keygen: request generated",
		"common_name", req.CertReqParam.CertInfo.CommonName,
		"users_num", req.KeyParam.UsersNum, "treshold_num", req.KeyParam.TresholdNum)
	writeJSON(w, map[string]string{"err": "0", response.Field: value})
}

func (g *Keygen) keep(key *bign.PrivateKey) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.keys) >= maxKeygenKeys {
		for k := range g.keys {
			delete(g.keys, k)
			break
		}
	}
	g.keys[hex.EncodeToString(key.PublicKey().Bytes())] = key
}

func (g *Keygen) fail(w http.ResponseWriter, code, description string) {
	g.cfg.Logger.Warn("kpsis keygen: request rejected", "err", code, "description", description)
	writeError(w, code, description)
}

// gencertreqRequest is the body of gencertreq, with the field names of the
// real API ("treshold_num" is spelled so there).
type gencertreqRequest struct {
	KeyParam struct {
		SecurityLevel  int      `json:"security_level"`
		IterationCount int      `json:"iteration_count"`
		UsersNum       int      `json:"users_num"`
		TresholdNum    int      `json:"treshold_num"`
		Passwords      []string `json:"passwords"`
	} `json:"key_param"`
	CertReqParam struct {
		Type     string   `json:"type"`
		CertInfo certInfo `json:"cert_info"`
	} `json:"cert_req_param"`
	SaveToFile bool `json:"save_to_file"`
}

type certInfo struct {
	CommonName     string   `json:"common_name"`
	Description    string   `json:"description"`
	Organization   string   `json:"organization"`
	State          string   `json:"state"`
	Locality       string   `json:"locality"`
	Street         string   `json:"street"`
	Email          string   `json:"email"`
	SubjectAltName []string `json:"subject_alt_name"`
}

// minIterationCount is the lower bound of the PBKDF2 iteration count in
// the key container of STB 34.101.78.
const minIterationCount = 10000

func (req *gencertreqRequest) check() error {
	kp := req.KeyParam
	switch {
	case kp.SecurityLevel != 128:
		return fmt.Errorf("key_param.security_level %d is not supported, expected 128",
			kp.SecurityLevel)
	case kp.IterationCount < minIterationCount:
		return fmt.Errorf("key_param.iteration_count %d is below %d", kp.IterationCount,
			minIterationCount)
	case kp.TresholdNum < 1 || kp.TresholdNum > kp.UsersNum:
		return fmt.Errorf("key_param.treshold_num %d must be between 1 and users_num %d",
			kp.TresholdNum, kp.UsersNum)
	case len(kp.Passwords) != kp.UsersNum:
		return fmt.Errorf("key_param.passwords has %d entries, expected users_num %d",
			len(kp.Passwords), kp.UsersNum)
	}
	for i, p := range kp.Passwords {
		if p == "" {
			return fmt.Errorf("key_param.passwords[%d] is empty", i)
		}
	}

	if t := req.CertReqParam.Type; t != "service_and_tls" {
		return fmt.Errorf("cert_req_param.type %q is not supported, expected %q", t,
			"service_and_tls")
	}
	info := req.CertReqParam.CertInfo
	for _, f := range []struct{ name, value string }{
		{"common_name", info.CommonName}, {"organization", info.Organization},
		{"locality", info.Locality}, {"street", info.Street}, {"email", info.Email},
		{"description", info.Description},
	} {
		if f.value == "" {
			return errors.New("cert_req_param.cert_info." + f.name + " is empty")
		}
	}
	// The request carries these as IA5String, which is ASCII only.
	if i := nonASCII(info.Email); i >= 0 {
		return fmt.Errorf("cert_req_param.cert_info.email has a non-ASCII character at "+
			"position %d", i)
	}
	for n, name := range info.SubjectAltName {
		if i := nonASCII(name); i >= 0 || name == "" {
			return fmt.Errorf("cert_req_param.cert_info.subject_alt_name[%d] is empty or has "+
				"a non-ASCII character (give domain names in punycode)", n)
		}
	}
	return nil
}

// nonASCII returns the byte position of the first non-ASCII character of
// s, or -1.
func nonASCII(s string) int {
	for i, r := range s {
		if r >= 0x80 {
			return i
		}
	}
	return -1
}
