package gir

import (
	"errors"
	"net/http"
)

// NewResolverHandler serves r through the address API that HTTPResolver
// calls, at GET /addresses/{id} relative to where it is mounted (use
// http.StripPrefix to mount it under a path). Errors are JSON bodies with a
// code: "invalid_address_id" (400), "address_not_found" (404) or
// "service_unavailable" (503).
func NewResolverHandler(r Resolver) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /addresses/{id}", func(w http.ResponseWriter, req *http.Request) {
		id, err := ParseAddressID(req.PathValue("id"))
		if err != nil {
			writeError(w, http.StatusBadRequest, "", "invalid_address_id", err.Error())
			return
		}
		a, err := r.Resolve(req.Context(), id)
		switch {
		case errors.Is(err, ErrAddressNotFound):
			writeError(w, http.StatusNotFound, "", "address_not_found", err.Error())
			return
		case err != nil:
			writeError(w, http.StatusServiceUnavailable, "", "service_unavailable", err.Error())
			return
		}
		resolved := *a
		resolved.ID = id
		writeJSON(w, http.StatusOK, &resolved)
	})
	return mux
}
