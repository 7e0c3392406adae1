package stack

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/esiful/sdk-go/internal/fake/fault"
)

// adminHandler serves the fake's control endpoints under /fake/ on the
// provider's address, ahead of the failure switches so that a component can
// be brought back from "down":
//
//	POST /fake/mode?component=provider|kpsis|client-program&mode=healthy|down|maintenance|suspended
//	POST /fake/delay?component=...&delay=2s
//	POST /fake/auto-login?person=N   (0 shows the login page again)
func (s *Stack) adminHandler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /fake/mode", func(w http.ResponseWriter, r *http.Request) {
		sw, err := s.switchNamed(r.URL.Query().Get("component"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mode, err := fault.ParseMode(r.URL.Query().Get("mode"))
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
	mux.Handle("/", next)
	return mux
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
