package gir

// FieldNames lists the JSON member names under which one value may arrive.
// The decoder reads whichever one is present. Two present at once is an
// error, because the decoder cannot tell which of them the register meant. An
// empty list means the value is not read.
type FieldNames []string

// PlaceFields names the members of a place of residence or stay.
type PlaceFields struct {
	FullAddress     FieldNames
	AddressID       FieldNames
	Postcode        FieldNames
	Country         FieldNames
	Region          FieldNames
	District        FieldNames
	Selsoviet       FieldNames
	LocalityType    FieldNames
	Locality        FieldNames
	StreetType      FieldNames
	Street          FieldNames
	House           FieldNames
	Building        FieldNames
	Flat            FieldNames
	RegisteredFrom  FieldNames
	RegisteredUntil FieldNames
}

// PlacesFields names the members of the response of the place-of-residence
// and place-of-stay service.
type PlacesFields struct {
	Residence FieldNames
	Stay      FieldNames
}

// NameFields names the members of a person's name in one language.
type NameFields struct {
	Family     FieldNames
	Given      FieldNames
	Patronymic FieldNames
}

// PersonFields names the members of personal data from the population
// register.
type PersonFields struct {
	PersonalNumber       FieldNames
	Russian              NameFields
	Belarusian           NameFields
	Latin                NameFields
	BirthDate            FieldNames
	BirthPlaceRussian    FieldNames
	BirthPlaceBelarusian FieldNames
	Sex                  FieldNames
	Citizenship          FieldNames
	DocumentType         FieldNames
	DocumentNumber       FieldNames
	DocumentIssueDate    FieldNames
	DocumentIssuer       FieldNames
	DocumentIssuingState FieldNames
	DocumentExpiryDate   FieldNames
	Deceased             FieldNames
	DeathDate            FieldNames
}

// Schema names every JSON member that the decoders of this package read. All
// register field names live here so that a deployment that meets other names
// changes one value, not the code.
type Schema struct {
	Place  PlaceFields
	Places PlacesFields
	Person PersonFields
}

// DefaultSchema is the naming used by DecodePlace, DecodePersonalData and a
// RegisterClient without a Schema of its own.
//
// Seen in use: only "full_address" inside the "residence_place" claim of
// userinfo. The personal data names are those of the "personal_data"
// response of the КПСИС terminal module, with and without the colon after
// the language prefix, because some builds drop it. The population register
// service is assumed to name its members the same way, since it is the
// source of what the ID card stores.
//
// NOTE: every other name is this SDK's guess, and none of them is published.
// The guesses are "address_id" for the unique address identifier in which
// the operator says a place may arrive, the address parts, the registration
// dates, "residence_place" and "stay_place" in the place service's response
// (StayPlaceOf also reads "stay_place" as a login claim), and "deceased" and
// "death_date". Replace them here when the real names are known.
var DefaultSchema = defaultSchema()

func defaultSchema() Schema {
	return Schema{
		Place: PlaceFields{
			FullAddress:     FieldNames{"full_address"},
			AddressID:       FieldNames{"address_id"},
			Postcode:        FieldNames{"postcode"},
			Country:         FieldNames{"country"},
			Region:          FieldNames{"region"},
			District:        FieldNames{"district"},
			Selsoviet:       FieldNames{"selsoviet"},
			LocalityType:    FieldNames{"locality_type"},
			Locality:        FieldNames{"locality"},
			StreetType:      FieldNames{"street_type"},
			Street:          FieldNames{"street"},
			House:           FieldNames{"house"},
			Building:        FieldNames{"building"},
			Flat:            FieldNames{"flat"},
			RegisteredFrom:  FieldNames{"registered_from"},
			RegisteredUntil: FieldNames{"registered_until"},
		},
		Places: PlacesFields{
			Residence: FieldNames{"residence_place"},
			Stay:      FieldNames{"stay_place"},
		},
		Person: PersonFields{
			PersonalNumber:       FieldNames{"ID"},
			Russian:              languageNames("RU"),
			Belarusian:           languageNames("BE"),
			Latin:                latinNames(),
			BirthDate:            FieldNames{"birth_date"},
			BirthPlaceRussian:    prefixed("RU", "Place_of_birth"),
			BirthPlaceBelarusian: prefixed("BE", "Place_of_birth"),
			Sex:                  FieldNames{"Sex"},
			Citizenship:          FieldNames{"Citizenship"},
			DocumentType:         FieldNames{"Type"},
			DocumentNumber:       FieldNames{"Serial_Number"},
			DocumentIssueDate:    FieldNames{"Date_of_issuance"},
			DocumentIssuer:       FieldNames{"Issuance_board"},
			DocumentIssuingState: FieldNames{"Issuing_State"},
			DocumentExpiryDate:   FieldNames{"Date_of_expiry"},
			Deceased:             FieldNames{"deceased"},
			DeathDate:            FieldNames{"death_date"},
		},
	}
}

// prefixed returns both spellings of a language-prefixed member seen in the
// terminal module: "BE:_Family_name" and "BE_Family_name".
func prefixed(language, name string) FieldNames {
	return FieldNames{language + ":_" + name, language + "_" + name}
}

func languageNames(language string) NameFields {
	return NameFields{
		Family:     prefixed(language, "Family_name"),
		Given:      prefixed(language, "Given_name"),
		Patronymic: prefixed(language, "Middle_name"),
	}
}

// latinNames has no patronymic, because the terminal module sends none in
// Latin letters.
func latinNames() NameFields {
	return NameFields{Family: prefixed("LA", "Family_name"), Given: prefixed("LA", "Given_name")}
}
