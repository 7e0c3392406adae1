package gir

import "strings"

// LocalityType is the kind of a settlement, written as its Russian
// abbreviation. Parsing maps Belarusian and spelled-out forms to these
// values, so "в." (вёска) and "деревня" both become LocalityVillage.
type LocalityType string

// Locality types of Belarusian addresses.
const (
	LocalityCity              LocalityType = "г."   // город, горад
	LocalityUrbanSettlement   LocalityType = "г.п." // городской посёлок
	LocalityWorkersSettlement LocalityType = "р.п." // рабочий посёлок
	LocalityResortSettlement  LocalityType = "к.п." // курортный посёлок
	LocalitySettlement        LocalityType = "п."   // посёлок, пасёлак
	LocalityAgrotown          LocalityType = "аг."  // агрогородок, аграгарадок
	LocalityVillage           LocalityType = "д."   // деревня, вёска
	LocalitySelo              LocalityType = "с."   // село
	LocalityHamlet            LocalityType = "х."   // хутор
)

// StreetType is the kind of a street-level element, written as its Russian
// abbreviation. Parsing maps Belarusian and spelled-out forms to these
// values, so "вул." (вуліца) becomes StreetStreet.
type StreetType string

// Street types of Belarusian addresses.
const (
	StreetStreet        StreetType = "ул."   // улица, вуліца
	StreetAvenue        StreetType = "пр-т"  // проспект, праспект
	StreetLane          StreetType = "пер."  // переулок, завулак
	StreetBoulevard     StreetType = "б-р"   // бульвар
	StreetSquare        StreetType = "пл."   // площадь, плошча
	StreetTract         StreetType = "тракт" // тракт
	StreetPassage       StreetType = "пр-д"  // проезд, праезд
	StreetDeadEnd       StreetType = "туп."  // тупик, тупік
	StreetEmbankment    StreetType = "наб."  // набережная, набярэжная
	StreetHighway       StreetType = "ш."    // шоссе, шаша
	StreetMicrodistrict StreetType = "мкр-н" // микрорайон, мікрараён
	StreetQuarter       StreetType = "кв-л"  // квартал
	StreetDescent       StreetType = "спуск" // спуск
	StreetLine          StreetType = "линия" // линия, лінія
	StreetAlley         StreetType = "аллея" // аллея, алея
)

// Address is a Belarusian postal address in parts. Any part may be empty.
// Region, District and Selsoviet hold names without their markers
// ("Гомельская", not "Гомельская обл."); names keep the case and language in
// which they arrived.
type Address struct {
	// ID is the unique address identifier in the address register, when known.
	ID AddressID `json:"address_id,omitempty"`
	// FullAddress is the address text as the register stores it, when known.
	FullAddress string `json:"full_address,omitempty"`

	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
	// Region is the область; empty for Minsk, which belongs to none.
	Region string `json:"region,omitempty"`
	// District is the район.
	District string `json:"district,omitempty"`
	// Selsoviet is the сельсовет of a rural locality.
	Selsoviet    string       `json:"selsoviet,omitempty"`
	LocalityType LocalityType `json:"locality_type,omitempty"`
	Locality     string       `json:"locality,omitempty"`
	StreetType   StreetType   `json:"street_type,omitempty"`
	Street       string       `json:"street,omitempty"`
	// House is the house number as written, such as "12", "12а" or "12/2".
	House    string `json:"house,omitempty"`
	Building string `json:"building,omitempty"`
	Flat     string `json:"flat,omitempty"`

	// Unparsed holds the comma-separated parts of FullAddress that
	// ParseAddress could not place, in their original order.
	Unparsed []string `json:"unparsed,omitempty"`
}

// HasParts reports whether any part of the address other than ID and
// FullAddress is known.
func (a *Address) HasParts() bool {
	parts := []string{a.Postcode, a.Country, a.Region, a.District, a.Selsoviet,
		string(a.LocalityType), a.Locality, string(a.StreetType), a.Street,
		a.House, a.Building, a.Flat}
	for _, p := range parts {
		if p != "" {
			return true
		}
	}
	return len(a.Unparsed) > 0
}

// IsZero reports whether nothing about the address is known.
func (a *Address) IsZero() bool {
	return a.ID == "" && a.FullAddress == "" && !a.HasParts()
}

// Format writes the parts as one comma-separated line with Russian markers,
// in the order of Belarusian addresses: postcode, country, region, district,
// selsoviet, locality, street, house, building, flat, then the unparsed
// parts. For an address that ParseAddress returned without unparsed parts,
// ParseAddress reads the result back into the same parts, unless a name
// itself starts or ends with a marker (a city named «п.»).
func (a *Address) Format() string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(a.Postcode)
	add(a.Country)
	add(withSuffix(a.Region, "обл."))
	add(withSuffix(a.District, "р-н"))
	add(withSuffix(a.Selsoviet, "с/с"))
	localityMarker := string(a.LocalityType)
	if a.LocalityType == LocalityVillage && startsWithDigit(a.Locality) {
		// «д.» before a digit reads as дом, so the village is spelled out.
		localityMarker = "деревня"
	}
	add(withPrefix(localityMarker, a.Locality))
	add(withPrefix(string(a.StreetType), a.Street))
	houseMarker := "д."
	if !startsWithDigit(a.House) {
		// «д.» before a name reads as деревня, so a house such as «б/н» gets «дом».
		houseMarker = "дом"
	}
	add(withPrefix(houseMarker, a.House))
	add(withPrefix("корп.", a.Building))
	add(withPrefix("кв.", a.Flat))
	parts = append(parts, a.Unparsed...)
	return strings.Join(parts, ", ")
}

// String returns FullAddress when it is known, else Format.
func (a *Address) String() string {
	if a.FullAddress != "" {
		return a.FullAddress
	}
	return a.Format()
}

func withSuffix(name, marker string) string {
	if name == "" {
		return ""
	}
	return name + " " + marker
}

func withPrefix(marker, name string) string {
	if name == "" {
		return ""
	}
	if marker == "" {
		return name
	}
	return marker + " " + name
}
