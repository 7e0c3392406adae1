package ifyul

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// LoginHandler starts a login. Mount it at GET /login (any path will do).
// The query parameter return_to names a local path to come back to.
//
// In the direct flow it redirects the browser to the provider. In the КПСИС
// flow it renders a small page whose script first hands the signed request
// to the client program on the person's computer, then navigates to the
// provider.
func (c *Client) LoginHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attemptID, start, err := c.StartLogin(r.Context(), r.URL.Query().Get("return_to"))
		if err != nil {
			c.fail(w, r, "login", err)
			return
		}
		c.setCookie(w, r, c.attemptCookie(), attemptID, c.cfg.AttemptTTL)
		c.cfg.Logger.InfoContext(r.Context(), "ifyul: login started", "flow", c.flow.Name())

		if start.ClientProgramData != "" {
			c.writeClientProgramPage(w, start)
			return
		}
		http.Redirect(w, r, start.AuthURL, http.StatusFound)
	})
}

// CallbackHandler completes a login. Mount it at the path of
// Config.RedirectURL. On success it sets the session cookie and redirects to
// the attempt's return path.
func (c *Client) CallbackHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var attemptID string
		if cookie, err := r.Cookie(c.attemptCookie()); err == nil {
			attemptID = cookie.Value
		}
		c.clearCookie(w, r, c.attemptCookie())

		s, returnTo, err := c.CompleteLogin(r.Context(), attemptID, r.URL.Query())
		if err != nil {
			c.fail(w, r, "callback", err)
			return
		}
		c.setCookie(w, r, c.sessionCookie(), s.ID, c.cfg.SessionTTL)
		c.cfg.Logger.InfoContext(r.Context(), "ifyul: login completed",
			"flow", c.flow.Name(), "person", maskPersonalNumber(s.Identity.PersonalNumber))
		http.Redirect(w, r, returnTo, http.StatusFound)
	})
}

// LogoutHandler ends the session and sends the browser to the provider's
// end-session endpoint. Mount it at POST /logout: a GET is refused, so that
// a link on another site cannot log the person out.
func (c *Client) LogoutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "logout requires POST", http.StatusMethodNotAllowed)
			return
		}
		c.clearCookie(w, r, c.sessionCookie())
		s, err := c.Session(r)
		if err != nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		target, err := c.Logout(r.Context(), s)
		if err != nil {
			c.cfg.Logger.WarnContext(r.Context(), "ifyul: ending the provider's session failed",
				"error", err)
		}
		if target == "" {
			target = "/"
		}
		c.cfg.Logger.InfoContext(r.Context(), "ifyul: logged out", "flow", c.flow.Name())
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

// Session returns the request's session, or an error wrapping
// ErrSessionNotFound.
func (c *Client) Session(r *http.Request) (*Session, error) {
	cookie, err := r.Cookie(c.sessionCookie())
	if err != nil || cookie.Value == "" {
		return nil, ErrSessionNotFound
	}
	return c.cfg.SessionStore.Load(r.Context(), cookie.Value, c.cfg.Now())
}

type sessionKey struct{}

// RequireSession passes requests with a session to next, with the session
// in the context (see SessionFromContext), and redirects the others to
// loginPath with the requested path as return_to.
func (c *Client) RequireSession(loginPath string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := c.Session(r)
		if errors.Is(err, ErrSessionNotFound) {
			target := loginPath + "?return_to=" + url.QueryEscape(r.URL.RequestURI())
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		if err != nil {
			c.fail(w, r, "session", err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
	})
}

// SessionFromContext returns the session RequireSession put in the context.
func SessionFromContext(ctx context.Context) (*Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(*Session)
	return s, ok
}

func (c *Client) fail(w http.ResponseWriter, r *http.Request, step string, err error) {
	c.cfg.Logger.WarnContext(r.Context(), "ifyul: "+step+" failed",
		"flow", c.flow.Name(), "error", err)
	c.cfg.ErrorHandler(w, r, err)
}

func (c *Client) attemptCookie() string { return c.cfg.CookiePrefix + "_attempt" }
func (c *Client) sessionCookie() string { return c.cfg.CookiePrefix + "_session" }

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure when the request
// came over TLS or the redirect URL is https. Lax (not Strict) is needed:
// the callback is a top-level navigation from the provider's site.
func (c *Client) setCookie(w http.ResponseWriter, r *http.Request, name, value string,
	ttl time.Duration) {

	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(c.cfg.RedirectURL, "https:"),
		SameSite: http.SameSiteLaxMode,
	})
}

func (c *Client) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(c.cfg.RedirectURL, "https:"),
		SameSite: http.SameSiteLaxMode,
	})
}

// maskPersonalNumber keeps the first and last characters for logs, which
// must not carry a whole personal number.
func maskPersonalNumber(pn PersonalNumber) string {
	s := pn.String()
	if len(s) < 4 {
		return "***"
	}
	return s[:1] + strings.Repeat("*", len(s)-2) + s[len(s)-1:]
}
