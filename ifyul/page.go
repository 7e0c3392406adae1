package ifyul

import (
	"embed"
	"html/template"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// clientProgramLogin is the data the КПСИС flow's page script needs.
type clientProgramLogin struct {
	ClientProgram string `json:"clientProgram"`
	Data          string `json:"data"`
	Next          string `json:"next"`
	TimeoutMillis int64  `json:"timeoutMillis"`
}

// clientProgramTimeout bounds the wait for the client program's response.
const clientProgramTimeout = 15 * time.Second

// writeClientProgramPage renders the page whose script posts the signed
// request to the client program and then navigates to the provider. The
// page loads nothing from elsewhere; its Content-Security-Policy allows only
// its own inline script and style and a connection to the client program.
func (c *Client) writeClientProgramPage(w http.ResponseWriter, start *LoginStart) {
	nonce := randomToken()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+
		"'; style-src 'nonce-"+nonce+"'; connect-src "+c.cfg.ClientProgramURL+
		"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_ = pages.ExecuteTemplate(w, "clientprogram.html", struct {
		CSPNonce string
		Login    clientProgramLogin
	}{nonce, clientProgramLogin{
		ClientProgram: c.cfg.ClientProgramURL,
		Data:          start.ClientProgramData,
		Next:          start.AuthURL,
		TimeoutMillis: clientProgramTimeout.Milliseconds(),
	}})
}

// WriteErrorPage is the default Config.ErrorHandler: a short page in Russian
// with the message and status of ErrorMessage.
func WriteErrorPage(w http.ResponseWriter, _ *http.Request, err error) {
	status, message := ErrorMessage(err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, "error.html", struct{ Message string }{message})
}
