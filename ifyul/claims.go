package ifyul

// NameClaims names the three claims of one person's name in one language.
// An empty name means the claim is not read.
type NameClaims struct {
	Family     string
	Given      string
	Patronymic string
}

// ClaimMap names the claims of the ID token and userinfo that the SDK reads
// into an Identity. Claims it does not name stay in Identity.Claims.
type ClaimMap struct {
	PersonalNumber string
	Russian        NameClaims
	Belarusian     NameClaims
	Latin          NameClaims
	BirthDate      string
	Sex            string
	ResidencePlace string
}

// DefaultClaimMap is the claim naming used unless Config.Claims replaces it.
//
// Seen in public relying parties of ЕС ИФЮЛ: "serialNumber" (the personal
// number), "surname", "name", "givenName" and "residence_place". One
// application stores "givenName" as the patronymic, and the language of these
// names is not documented; the SDK reads them as the Russian name.
//
// NOTE: the Belarusian and Latin name claims, "birthdate" and "gender" are
// this SDK's guesses (the last two are the OpenID Connect standard claims);
// the real provider is not known to send them.
var DefaultClaimMap = ClaimMap{
	PersonalNumber: "serialNumber",
	Russian:        NameClaims{Family: "surname", Given: "name", Patronymic: "givenName"},
	Belarusian:     NameClaims{Family: "surname_be", Given: "name_be", Patronymic: "givenName_be"},
	Latin:          NameClaims{Family: "surname_la", Given: "name_la"},
	BirthDate:      "birthdate",
	Sex:            "gender",
	ResidencePlace: "residence_place",
}

// DefaultScopes are the scopes requested unless Config.Scopes replaces
// them: the set seen in a public relying party of ЕС ИФЮЛ.
var DefaultScopes = []string{"openid", "profile", "offline_access", "residence_place"}
