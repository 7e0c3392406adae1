// Package gir reads data from state registers («ГИР», государственные
// информационные ресурсы) that a consumer of ЕС ИФЮЛ receives about a
// person: places of residence and stay, address identifiers, and personal
// data from the population register («Регистр населения»).
//
// # What is known
//
// The operator's rules state that register data reach the consumer "as
// stored" in the registers, and that a place of residence or stay may come
// as a unique address identifier instead of text. The only register data
// seen in use is the "residence_place" claim of userinfo, requested with the
// "residence_place" scope, whose "full_address" member is one
// comma-separated string:
//
//	{"residence_place": {"full_address": "г. Минск, ул. Немига, д. 12, корп. 1, кв. 45"}}
//
// The rules also name two services that a consumer may contract for
// separately and call system-to-system through the ОАИС, each with the
// person's consent: 3.40.01/1, personal data from the population register,
// and 3.50.01/1, the places of residence and stay (ServicePersonalData and
// ServicePlaces).
//
// # What is guessed
//
// Everything else. Every JSON member name that the decoders read lives in
// one value, DefaultSchema, whose documentation says which names are seen
// and which are guessed. A deployment that meets other names passes its own
// Schema. The format of address identifiers is not public (see
// MinAddressIDDigits). Neither is the API of the address register nor the
// interface of the ОАИС services: HTTPResolver and HTTPTransport speak this
// SDK's own JSON conventions, and their server halves, NewResolverHandler
// and RegisterHandler, let a consumer put an adapter to the real systems, or
// the fake ЕС ИФЮЛ, behind them.
//
// # Decoding
//
// DecodePlace accepts every shape a place is likely to take: an object with
// the text, the identifier, the parts or several of them, a bare string or a
// bare identifier. A null, absent or empty value is ErrNoPlace: the person
// has no registered place, which callers handle as a result, not a failure.
// DecodePersonalData reads an object of personal data. Both are strict about
// types and report the member and byte offset at fault in a *FieldError;
// members the schema does not name are kept in Extra. ParseAddress splits
// address text into parts and never fails on text it does not understand:
// such parts land in Address.Unparsed.
//
// # Wiring
//
// After a login, decode the claim that ifyul.Identity carries:
//
//	place, err := gir.ResidencePlaceOf(identity) // or gir.DecodePlace(identity.ResidencePlace)
//	// gir.StayPlaceOf(identity) reads a "stay_place" claim, if a provider sends one.
//	if errors.Is(err, gir.ErrNoPlace) { ... no registered residence ... }
//	if err == nil && !place.Address.HasParts() {
//		err = place.ResolveAddress(ctx, &gir.HTTPResolver{BaseURL: addressServiceURL})
//	}
//
// A fake provider puts "full_address", "address_id" or both into the claim,
// and serves its addresses with
// http.StripPrefix("/gir", gir.NewResolverHandler(gir.MapResolver{...})).
// For the register services it serves
// http.StripPrefix("/oais", &gir.RegisterHandler{Backend: gir.TransportFunc(...)}),
// where the function looks the person up and returns the data object (or an
// error wrapping ErrPersonNotFound). The consumer then calls
//
//	client := &gir.RegisterClient{
//		Transport: &gir.HTTPTransport{BaseURL: oaisURL},
//		Consents:  recorder, // for example &gir.MemoryConsentRecorder{}
//	}
//	data, err := client.PersonalData(ctx, gir.Request{PersonalNumber: pn, Consent: consent})
//
// RegisterClient and RegisterHandler log only when given a *slog.Logger, and
// their lines name requests by identifier, never by personal number. Decoding
// errors may quote the wrong value, such as a malformed birth date, so treat
// them as personal data before logging them.
package gir
