package main

import (
	"context"
	"errors"

	"github.com/esiful/sdk-go/gir"
	"github.com/esiful/sdk-go/ifyul"
)

// placeView is a registered place as the person page shows it.
type placeView struct {
	Title string
	Place *gir.Place
	// Resolved says the address came from the address register because
	// the provider sent only its identifier.
	Resolved bool
	// Problem is a message in Russian when the place cannot be shown.
	Problem string
}

// places decodes the residence and stay places of the identity, resolving
// identifier-only addresses through the address register when one is set.
func (d *Demo) places(ctx context.Context, id *ifyul.Identity) []placeView {
	var views []placeView
	for _, p := range []struct {
		title  string
		decode func(*ifyul.Identity) (*gir.Place, error)
	}{
		{"Место жительства", gir.ResidencePlaceOf},
		{"Место пребывания", gir.StayPlaceOf},
	} {
		view := placeView{Title: p.title}
		place, err := p.decode(id)
		switch {
		case errors.Is(err, gir.ErrNoPlace):
			if p.title == "Место пребывания" {
				continue
			}
			view.Problem = "не зарегистрировано"
		case err != nil:
			d.logger.WarnContext(ctx, "demo: register data not readable", "error", err)
			view.Problem = "данные регистра не прочитаны"
		default:
			view.Place = place
			view.Resolved, view.Problem = d.resolve(ctx, place)
		}
		views = append(views, view)
	}
	return views
}

// resolve fills in the parts of an address known only by its identifier.
func (d *Demo) resolve(ctx context.Context, place *gir.Place) (bool, string) {
	if place.Address.HasParts() || place.Address.ID == "" {
		return false, ""
	}
	if d.addressRegister == "" {
		return false, "адрес передан только идентификатором; адресный реестр не подключён"
	}
	err := place.ResolveAddress(ctx, &gir.HTTPResolver{BaseURL: d.addressRegister})
	if err != nil {
		d.logger.WarnContext(ctx, "demo: address not resolved", "address_id", place.Address.ID,
			"error", err)
		return false, "адрес по идентификатору не найден"
	}
	return true, ""
}
