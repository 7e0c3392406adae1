package stack

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

// adminHandler serves the fake's control endpoints under /fake/ on the
// provider's address, ahead of the failure switches so that a component can
// be brought back from "down":
//
//	POST /fake/mode?component=provider|kpsis|client-program&mode=healthy|down|maintenance|suspended
//	POST /fake/delay?component=...&delay=2s
//	POST /fake/auto-login?person=N   (0 shows the login page again)
//	POST /fake/misbehaviour?set=wrong-issuer&set=kpsis-pass-unchecked  (no set: behave)
//	POST /fake/client-program-rejecting?reject=true|false
func (s *Stack) adminHandler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /fake/mode", func(w http.ResponseWriter, r *http.Request) {
		sw, err := s.switchNamed(r.URL.Query().Get("component"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		name := r.URL.Query().Get("mode")
		mode, err := fault.ParseMode(name)
		if name == "" {
			err = fmt.Errorf("mode is missing (want healthy, down, maintenance or suspended)")
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		sw.Set(mode)
		fmt.Fprintf(w, "%s is %s\n", r.URL.Query().Get("component"), mode)
	})
	mux.HandleFunc("POST /fake/delay", func(w http.ResponseWriter, r *http.Request) {
		sw, err := s.switchNamed(r.URL.Query().Get("component"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		d, err := time.ParseDuration(r.URL.Query().Get("delay"))
		if err != nil || d < 0 {
			http.Error(w, "delay must be a non-negative duration such as 2s", http.StatusBadRequest)
			return
		}
		sw.SetDelay(d)
		fmt.Fprintf(w, "%s delays %s\n", r.URL.Query().Get("component"), d)
	})
	mux.HandleFunc("POST /fake/auto-login", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.URL.Query().Get("person"))
		if err != nil || id < 0 || (id > 0 && s.Persons.ByID(id) == nil) {
			http.Error(w, "person must be 0 or the ID of a test person", http.StatusBadRequest)
			return
		}
		s.Provider.SetAutoLogin(id)
		fmt.Fprintf(w, "auto-login person %d\n", id)
	})
	mux.HandleFunc("POST /fake/misbehaviour", func(w http.ResponseWriter, r *http.Request) {
		pm, km, err := parseMisbehaviour(r.URL.Query()["set"])
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.Provider.SetMisbehaviour(pm)
		s.KPSIS.SetMisbehaviour(km)
		fmt.Fprintf(w, "misbehaviour: %v\n", r.URL.Query()["set"])
	})
	mux.HandleFunc("POST /fake/client-program-rejecting", func(w http.ResponseWriter, r *http.Request) {
		reject, err := strconv.ParseBool(r.URL.Query().Get("reject"))
		if err != nil {
			http.Error(w, "reject must be true or false", http.StatusBadRequest)
			return
		}
		s.ClientProgram.SetRejecting(reject)
		fmt.Fprintf(w, "client program rejecting: %t\n", reject)
	})
	mux.Handle("/", next)
	return mux
}

// misbehaviourNames maps the names /fake/misbehaviour accepts to switches.
var misbehaviourNames = map[string]func(*provider.Misbehaviour, *kpsis.Misbehaviour){
	"wrong-issuer":         func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.WrongIssuer = true },
	"wrong-audience":       func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.WrongAudience = true },
	"bad-signature":        func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.BadSignature = true },
	"omit-nonce":           func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.OmitNonce = true },
	"expired-token":        func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.ExpiredToken = true },
	"replayable-codes":     func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.ReplayableCodes = true },
	"wrong-iss-parameter":  func(p *provider.Misbehaviour, _ *kpsis.Misbehaviour) { p.WrongIssParam = true },
	"kpsis-pass-unchecked": func(_ *provider.Misbehaviour, k *kpsis.Misbehaviour) { k.PassTokensUnchecked = true },
	"kpsis-hide-nonce":     func(_ *provider.Misbehaviour, k *kpsis.Misbehaviour) { k.HideNonce = true },
}

func parseMisbehaviour(names []string) (provider.Misbehaviour, kpsis.Misbehaviour, error) {
	var pm provider.Misbehaviour
	var km kpsis.Misbehaviour
	for _, name := range names {
		set, ok := misbehaviourNames[name]
		if !ok {
			return pm, km, fmt.Errorf("unknown misbehaviour %q (want one of %s)", name,
				strings.Join(slices.Sorted(maps.Keys(misbehaviourNames)), ", "))
		}
		set(&pm, &km)
	}
	return pm, km, nil
}

func (s *Stack) switchNamed(name string) (*fault.Switch, error) {
	switch name {
	case "provider":
		return s.ProviderSwitch, nil
	case "kpsis":
		return s.KPSISSwitch, nil
	case "client-program":
		return s.ClientProgramSwitch, nil
	}
	return nil, fmt.Errorf("unknown component %q (want provider, kpsis or client-program)", name)
}
