package provider

import (
	"slices"

	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/registers"
)

// addPlaceClaims adds the registered places granted by the scopes:
// "residence_place" (the scope and claim seen in use) and "stay_place" (this
// SDK's guess for the place of stay). A person without a registered place
// gets no claim. An identifier-only place carries "address_id" alone, as
// the operator warns the real provider may send it.
func addPlaceClaims(claims map[string]any, person *persons.Person, scopes []string) {
	for _, p := range []struct {
		scope string
		place *persons.Place
	}{
		{"residence_place", person.ResidencePlace},
		{"stay_place", person.StayPlace},
	} {
		if slices.Contains(scopes, p.scope) && p.place != nil {
			claims[p.scope] = registers.PlaceClaim(p.place)
		}
	}
}
