package gir_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/esiful/sdk-go/gir"
	"github.com/esiful/sdk-go/ifyul"
)

func ExampleParseAddress() {
	a, err := gir.ParseAddress(
		"Могилёвская обл., Белыничский р-н, д. Вишов, ул. Садовая, д. 21, кв.4а")
	if err != nil {
		panic(err)
	}
	fmt.Println("region:", a.Region)
	fmt.Println("district:", a.District)
	fmt.Println("locality:", a.LocalityType, a.Locality)
	fmt.Println("street:", a.StreetType, a.Street)
	fmt.Println("house:", a.House, "flat:", a.Flat)
	// Output:
	// region: Могилёвская
	// district: Белыничский
	// locality: д. Вишов
	// street: ул. Садовая
	// house: 21 flat: 4а
}

func ExampleParseAddress_unparsed() {
	a, _ := gir.ParseAddress("г. Минск, общежитие № 3, ул. Немига, д. 12, ком. 5")
	fmt.Println(a.Locality, a.Street, a.House)
	fmt.Printf("%q\n", a.Unparsed)
	// Output:
	// Минск Немига 12
	// ["общежитие № 3" "ком. 5"]
}

func ExampleDecodePlace() {
	// The residence_place claim as ЕС ИФЮЛ is seen to send it.
	claim := json.RawMessage(`{"full_address": "Гомельская обл., г. Гомель, пр-т Ленина, д. 5, ` +
		`кв. 17"}`)

	place, err := gir.DecodePlace(claim)
	switch {
	case errors.Is(err, gir.ErrNoPlace):
		fmt.Println("no registered residence")
		return
	case err != nil:
		panic(err)
	}
	a := place.Address
	fmt.Println(a.FullAddress)
	fmt.Println(a.Region, "|", a.Locality, "|", a.StreetType, a.Street, "|", a.House, "|", a.Flat)
	// Output:
	// Гомельская обл., г. Гомель, пр-т Ленина, д. 5, кв. 17
	// Гомельская | Гомель | пр-т Ленина | 5 | 17
}

func ExampleDecodePlace_errors() {
	_, err := gir.DecodePlace(json.RawMessage(`null`))
	fmt.Println(errors.Is(err, gir.ErrNoPlace))

	_, err = gir.DecodePlace(json.RawMessage(`{"full_address": 42}`))
	fmt.Println(err)
	// Output:
	// true
	// gir: place: field "full_address" at offset 17: expected a string, got number
}

func ExamplePlace_ResolveAddress() {
	// A place that arrived as an identifier alone, and an address register
	// kept in memory, as the fake ЕС ИФЮЛ keeps it.
	place, err := gir.DecodePlace(json.RawMessage(`{"address_id": "1100000000000303"}`))
	if err != nil {
		panic(err)
	}
	register := gir.MapResolver{
		"1100000000000303": {FullAddress: "Брестская обл., г. Брест, пер. Кобринский, д. 3"},
	}

	if err := place.ResolveAddress(context.Background(), register); err != nil {
		panic(err)
	}
	fmt.Println(place.Address.ID, place.Address.FullAddress)
	// Output:
	// 1100000000000303 Брестская обл., г. Брест, пер. Кобринский, д. 3
}

func ExampleRegisterClient() {
	// A register service on loopback that serves data from memory.
	backend := gir.TransportFunc(func(context.Context, *gir.Call) (json.RawMessage, error) {
		return json.RawMessage(`{"ID": "3150385A001PB6", "RU:_Family_name": "Иванов",
			"RU:_Given_name": "Иван", "birth_date": "19850315"}`), nil
	})
	server := httptest.NewServer(&gir.RegisterHandler{Backend: backend})
	defer server.Close()

	person, err := ifyul.ParsePersonalNumber("3150385A001PB6")
	if err != nil {
		panic(err)
	}
	consents := &gir.MemoryConsentRecorder{}
	client := &gir.RegisterClient{
		Transport: &gir.HTTPTransport{BaseURL: server.URL},
		Consents:  consents,
	}
	data, err := client.PersonalData(context.Background(), gir.Request{
		PersonalNumber: person,
		Consent: gir.Consent{
			ID:             "consent-17",
			PersonalNumber: person,
			GivenAt:        time.Now().Add(-time.Minute),
			Purpose:        "оформление кредита",
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(data.Names.Russian, data.BirthDate.Format(time.DateOnly))
	fmt.Println(len(consents.Records()), "consent recorded:", consents.Records()[0].Consent.ID)
	// Output:
	// Иванов Иван 1985-03-15
	// 1 consent recorded: consent-17
}
