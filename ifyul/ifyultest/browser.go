package ifyultest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// Browser follows a login through the fake as a person's browser would: it
// keeps cookies, follows redirects, does the client-program step of the
// КПСИС flow page (post the signed request, then navigate on), and picks a
// test person on the provider's login page. It runs no JavaScript; it
// reads the data the page's script would use.
type Browser struct {
	// HTTP is the browser's client, with a cookie jar.
	HTTP *http.Client
}

// Page is a page the browser ended on.
type Page struct {
	URL    *url.URL
	Status int
	Header http.Header
	Body   string
}

// NewBrowser returns a browser with an empty cookie jar.
func NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// NewBrowser returns a browser with an empty cookie jar.
func (s *Server) NewBrowser() *Browser { return NewBrowser() }

// Get loads a page, following redirects.
func (b *Browser) Get(target string) (*Page, error) {
	resp, err := b.HTTP.Get(target)
	return readPage(resp, err)
}

// PostForm submits a form, following redirects.
func (b *Browser) PostForm(target string, form url.Values) (*Page, error) {
	resp, err := b.HTTP.PostForm(target, form)
	return readPage(resp, err)
}

func readPage(resp *http.Response, err error) (*Page, error) {
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Page{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header,
		Body: string(body)}, nil
}

// Login opens loginURL and carries the login through: the client-program
// step when the page asks for it, and the choice of personID on the
// provider's login page when it is shown. It returns the page the login
// ends on: the relying party's page after the callback, or an error page.
func (b *Browser) Login(loginURL string, personID int) (*Page, error) {
	page, err := b.Get(loginURL)
	if err != nil {
		return nil, err
	}
	if login, ok := clientProgramStep(page.Body); ok {
		if err := b.confirm(login.ClientProgram, login.Data); err != nil {
			return page, err
		}
		if page, err = b.Get(login.Next); err != nil {
			return nil, err
		}
	}
	if txn, ok := loginTransaction(page.Body); ok {
		form := url.Values{"txn": {txn}, "person": {strconv.Itoa(personID)}}
		return b.PostForm(page.URL.ResolveReference(&url.URL{Path: "/auth/login"}).String(), form)
	}
	return page, nil
}

type clientProgramLogin struct {
	ClientProgram string `json:"clientProgram"`
	Data          string `json:"data"`
	Next          string `json:"next"`
}

var loginScript = regexp.MustCompile(`const login = (\{.*?\});\n`)

// clientProgramStep finds the data the КПСИС flow page's script uses.
func clientProgramStep(body string) (*clientProgramLogin, bool) {
	m := loginScript.FindStringSubmatch(body)
	if m == nil {
		return nil, false
	}
	var login clientProgramLogin
	if json.Unmarshal([]byte(m[1]), &login) != nil || login.Data == "" {
		return nil, false
	}
	return &login, true
}

var txnField = regexp.MustCompile(`name="txn" value="([^"]+)"`)

func loginTransaction(body string) (string, bool) {
	m := txnField.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// ClientProgramError is the client program's refusal to confirm a request.
type ClientProgramError struct {
	Status int
	Body   string
}

func (e *ClientProgramError) Error() string {
	return fmt.Sprintf("ifyultest: client program did not confirm (HTTP %d): %s", e.Status, e.Body)
}

// confirm posts the signed request to the client program, as the page's
// script does, and checks for {"step 0": "OK"}.
func (b *Browser) confirm(clientProgram, data string) error {
	body, _ := json.Marshal(map[string]string{"data": data})
	resp, err := b.HTTP.Post(clientProgram+"/select_auth", "application/json",
		bytes.NewReader(body))
	if err != nil {
		return &ClientProgramError{Body: err.Error()}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var answer map[string]any
	if json.Unmarshal(raw, &answer) != nil || answer["step 0"] != "OK" {
		return &ClientProgramError{Status: resp.StatusCode, Body: string(raw)}
	}
	return nil
}
