// Package registers is the fake of the state registers behind ЕС ИФЮЛ: an
// address register that resolves address identifiers, and the
// system-to-system register services (personal data from the population
// register, places of residence and stay) that a consumer calls with the
// person's consent. Both speak the gir package's own HTTP conventions,
// because the real interfaces are not public.
package registers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/esiful/sdk-go/gir"
	"github.com/esiful/sdk-go/internal/fake/persons"
)

// AddressRegister returns the register of every address of the persons
// that has an identifier.
func AddressRegister(set *persons.Set) (gir.MapResolver, error) {
	register := gir.MapResolver{}
	for _, p := range set.All() {
		for _, place := range []*persons.Place{p.ResidencePlace, p.StayPlace} {
			if place == nil || place.AddressID == "" {
				continue
			}
			id, err := gir.ParseAddressID(place.AddressID)
			if err != nil {
				return nil, fmt.Errorf("registers: person %d: %w", p.ID, err)
			}
			address, err := gir.ParseAddress(place.FullAddress)
			if err != nil {
				return nil, fmt.Errorf("registers: person %d: %w", p.ID, err)
			}
			address.ID = id
			register[id] = address
		}
	}
	return register, nil
}

// Handler serves the address register under /gir and the register services
// under /oais.
func Handler(set *persons.Set) (http.Handler, error) {
	register, err := AddressRegister(set)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/gir/", http.StripPrefix("/gir", gir.NewResolverHandler(register)))
	mux.Handle("/oais/", http.StripPrefix("/oais", &gir.RegisterHandler{
		Backend: gir.TransportFunc(func(_ context.Context, call *gir.Call) (json.RawMessage, error) {
			return answer(set, call)
		}),
	}))
	return mux, nil
}

// answer returns the data object of a register service for the person.
func answer(set *persons.Set, call *gir.Call) (json.RawMessage, error) {
	var person *persons.Person
	for _, p := range set.All() {
		if p.PersonalNumber == call.PersonalNumber.String() {
			person = p
		}
	}
	if person == nil {
		return nil, gir.ErrPersonNotFound
	}
	switch call.Service {
	case gir.ServicePersonalData:
		return json.Marshal(PersonalData(person))
	case gir.ServicePlaces:
		return json.Marshal(map[string]any{
			"residence_place": placeObject(person.ResidencePlace, false),
			"stay_place":      placeObject(person.StayPlace, false),
		})
	}
	return nil, fmt.Errorf("registers: unknown service %q", call.Service)
}

// PersonalData is the population register's record of the person, in the
// member names of gir.DefaultSchema.
func PersonalData(p *persons.Person) map[string]any {
	n := p.Names
	data := map[string]any{
		"ID":              p.PersonalNumber,
		"RU:_Family_name": n.Russian.Family, "RU:_Given_name": n.Russian.Given,
		"RU:_Middle_name": n.Russian.Patronymic,
		"BE:_Family_name": n.Belarusian.Family, "BE:_Given_name": n.Belarusian.Given,
		"BE:_Middle_name": n.Belarusian.Patronymic,
		"LA:_Family_name": n.Latin.Family, "LA:_Given_name": n.Latin.Given,
		"birth_date":  compactDate(p.BirthDate),
		"Sex":         p.Sex,
		"Citizenship": p.Citizenship,
	}
	if p.PlaceOfBirth != nil {
		data["RU_Place_of_birth"] = p.PlaceOfBirth.Russian
		data["BE_Place_of_birth"] = p.PlaceOfBirth.Belarusian
	}
	if d := p.Document; d != nil {
		data["Type"] = d.Type
		data["Serial_Number"] = d.Number
		data["Date_of_issuance"] = compactDate(d.IssueDate)
		data["Date_of_expiry"] = compactDate(d.ExpiryDate)
		data["Issuance_board"] = d.IssuingAuthority.Russian
	}
	return data
}

// PlaceClaim is the residence_place (or stay_place) claim of userinfo: the
// full address and the identifier, or the identifier alone for an
// ID-only place, or nil for none.
func PlaceClaim(place *persons.Place) map[string]any {
	return placeObject(place, place != nil && place.IDOnly)
}

func placeObject(place *persons.Place, idOnly bool) map[string]any {
	if place == nil {
		return nil
	}
	object := map[string]any{}
	if place.FullAddress != "" && !idOnly {
		object["full_address"] = place.FullAddress
	}
	if place.AddressID != "" {
		object["address_id"] = place.AddressID
	}
	if place.RegisteredFrom != "" {
		object["registered_from"] = place.RegisteredFrom
	}
	if place.RegisteredUntil != "" {
		object["registered_until"] = place.RegisteredUntil
	}
	return object
}

// compactDate turns YYYY-MM-DD into YYYYMMDD, as the terminal module and the
// register send dates.
func compactDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("20060102")
}
