package ifyul

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testIssuer  = "https://esiful.gov.by"
	testSubject = "person-1"
	// testNumber is test person 1 of the fake stack: a man born on 15 March
	// 1985, region H.
	testNumber = "3150385H001PB7"
)

// claimsOf decodes a JSON object of claims.
func claimsOf(t testing.TB, object string) map[string]json.RawMessage {
	t.Helper()
	var claims map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(object), &claims), object)
	return claims
}

func testTokenClaims(t testing.TB) map[string]json.RawMessage {
	return claimsOf(t, `{"iss": "`+testIssuer+`", "sub": "`+testSubject+`",
		"aud": "client", "exp": 2000000000, "iat": 1700000000}`)
}

func utcDate(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

func TestNewIdentity(t *testing.T) {
	cases := []struct {
		name     string
		userinfo string
		check    func(t *testing.T, id *Identity)
	}{
		{
			name: "full userinfo",
			userinfo: `{"sub": "person-1", "serialNumber": "3150385H001PB7",
				"surname": "Иванов", "name": "Иван", "givenName": "Иванович",
				"surname_be": "Іваноў", "name_be": "Іван", "givenName_be": "Іванавіч",
				"surname_la": "IVANOU", "name_la": "IVAN",
				"residence_place": {"full_address": "г. Минск, ул. Немига, д. 12"}}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, testIssuer, id.Issuer)
				assert.Equal(t, testSubject, id.Subject)
				assert.Equal(t, testNumber, id.PersonalNumber.String())
				assert.Equal(t, PersonName{"Иванов", "Иван", "Иванович"}, id.Names.Russian)
				assert.Equal(t, PersonName{"Іваноў", "Іван", "Іванавіч"}, id.Names.Belarusian)
				assert.Equal(t, PersonName{Family: "IVANOU", Given: "IVAN"}, id.Names.Latin)
				assert.Equal(t, utcDate(1985, time.March, 15), id.BirthDate)
				assert.Equal(t, SexMale, id.Sex)
				assert.Equal(t, "г. Минск, ул. Немига, д. 12", id.ResidenceAddress())
				assert.Equal(t, "Иванов Иван Иванович", id.DisplayName())
			},
		},
		{
			name:     "userinfo without sub",
			userinfo: `{"serialNumber": "3150385H001PB7"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, testSubject, id.Subject)
			},
		},
		{
			name:     "gender not a known code",
			userinfo: `{"serialNumber": "4220792C012PB1", "gender": "X"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexFemale, id.Sex, "taken from the personal number")
			},
		},
		{
			name:     "personal number with white space and lower case",
			userinfo: `{"serialNumber": " 3150385h001pb7\t"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, testNumber, id.PersonalNumber.String())
			},
		},
		{
			name:     "family name only",
			userinfo: `{"serialNumber": "3150385H001PB7", "surname": " Иванов "}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, PersonName{Family: "Иванов"}, id.Names.Russian)
				assert.True(t, id.Names.Belarusian.IsZero())
				assert.True(t, id.Names.Latin.IsZero())
				assert.Equal(t, "Иванов", id.DisplayName())
			},
		},
		{
			name:     "Latin name only",
			userinfo: `{"serialNumber": "3150385H001PB7", "name_la": "IVAN", "surname": null}`,
			check: func(t *testing.T, id *Identity) {
				assert.True(t, id.Names.Russian.IsZero())
				assert.Equal(t, "IVAN", id.DisplayName())
			},
		},
		{
			name:     "no names",
			userinfo: `{"serialNumber": "3150385H001PB7", "surname": ""}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, Names{}, id.Names)
				assert.Equal(t, testNumber, id.DisplayName())
			},
		},
		{
			name:     "birth date with dashes",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": "1985-03-16"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, utcDate(1985, time.March, 16), id.BirthDate)
			},
		},
		{
			name:     "birth date without dashes",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": "19850317"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, utcDate(1985, time.March, 17), id.BirthDate)
			},
		},
		{
			name:     "birth date null falls back to personal number",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": null}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, utcDate(1985, time.March, 15), id.BirthDate)
			},
		},
		{
			name:     "gender female overrides personal number",
			userinfo: `{"serialNumber": "3150385H001PB7", "gender": "female"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexFemale, id.Sex)
			},
		},
		{
			name:     "gender male",
			userinfo: `{"serialNumber": "4220792C012PB1", "gender": "male"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexMale, id.Sex)
			},
		},
		{
			name:     "gender Cyrillic letter",
			userinfo: `{"serialNumber": "3150385H001PB7", "gender": "Ж"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexFemale, id.Sex)
			},
		},
		{
			name:     "gender absent falls back to personal number",
			userinfo: `{"serialNumber": "4220792C012PB1"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexFemale, id.Sex)
			},
		},
		{
			name:     "gender empty falls back to personal number",
			userinfo: `{"serialNumber": "3150385H001PB7", "gender": ""}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, SexMale, id.Sex)
			},
		},
		{
			name:     "residence place absent",
			userinfo: `{"serialNumber": "3150385H001PB7"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Nil(t, id.ResidencePlace)
				assert.Empty(t, id.ResidenceAddress())
			},
		},
		{
			name:     "residence place null",
			userinfo: `{"serialNumber": "3150385H001PB7", "residence_place": null}`,
			check: func(t *testing.T, id *Identity) {
				assert.Nil(t, id.ResidencePlace)
				assert.Empty(t, id.ResidenceAddress())
			},
		},
		{
			name: "residence place object kept as sent",
			userinfo: `{"serialNumber": "3150385H001PB7",
				"residence_place": {"full_address": "г. Гомель", "address_id": 1000}}`,
			check: func(t *testing.T, id *Identity) {
				assert.JSONEq(t, `{"full_address": "г. Гомель", "address_id": 1000}`,
					string(id.ResidencePlace))
				assert.Equal(t, "г. Гомель", id.ResidenceAddress())
			},
		},
		{
			name:     "residence place string",
			userinfo: `{"serialNumber": "3150385H001PB7", "residence_place": "г. Гомель"}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, `"г. Гомель"`, string(id.ResidencePlace))
				assert.Empty(t, id.ResidenceAddress(), "only full_address of an object is read")
			},
		},
		{
			name: "unknown claims kept",
			userinfo: `{"serialNumber": "3150385H001PB7", "phone_number": "+375170000000",
				"certificates": [{"serial": 1}], "iat": 1}`,
			check: func(t *testing.T, id *Identity) {
				assert.Equal(t, `"+375170000000"`, string(id.Claims["phone_number"]))
				assert.Equal(t, `[{"serial": 1}]`, string(id.Claims["certificates"]))
				assert.Equal(t, `"client"`, string(id.Claims["aud"]), "token claims are kept")
				assert.Equal(t, `1`, string(id.Claims["iat"]), "userinfo wins over the token")
				assert.Equal(t, `"3150385H001PB7"`, string(id.Claims["serialNumber"]))
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := newIdentity(testIssuer, testTokenClaims(t), claimsOf(t, tc.userinfo),
				&DefaultClaimMap)
			require.NoError(t, err)
			tc.check(t, id)
		})
	}
}

func TestNewIdentityInvalid(t *testing.T) {
	cases := []struct {
		name     string
		userinfo string
		want     error
		// wantText lists parts the message must contain.
		wantText []string
	}{
		{
			name:     "personal number missing",
			userinfo: `{"surname": "Иванов"}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "serialNumber" (personal number) missing`},
		},
		{
			name:     "personal number null",
			userinfo: `{"serialNumber": null}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "serialNumber" (personal number) missing`},
		},
		{
			name:     "personal number blank",
			userinfo: `{"serialNumber": "  "}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "serialNumber" (personal number) missing`},
		},
		{
			name:     "personal number is a number",
			userinfo: `{"serialNumber": 3150385}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "serialNumber" is not a string`},
		},
		{
			name:     "personal number is an object",
			userinfo: `{"serialNumber": {"value": "3150385H001PB7"}}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "serialNumber" is not a string`},
		},
		{
			name:     "personal number with bad region letter",
			userinfo: `{"serialNumber": "3150385X001PB7"}`,
			want:     ErrInvalidPersonalNumber,
			wantText: []string{`claim "serialNumber"`, "position 8", `region letter "X"`},
		},
		{
			name:     "personal number with bad check digit",
			userinfo: `{"serialNumber": "3150385H001PB8"}`,
			want:     ErrInvalidPersonalNumber,
			wantText: []string{`claim "serialNumber"`, "position 14", "check digit"},
		},
		{
			name:     "personal number too short",
			userinfo: `{"serialNumber": "3150385H001"}`,
			want:     ErrInvalidPersonalNumber,
			wantText: []string{`claim "serialNumber"`, "length is 11 characters"},
		},
		{
			name:     "family name is a number",
			userinfo: `{"serialNumber": "3150385H001PB7", "surname": 5}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "surname" is not a string`},
		},
		{
			name:     "Latin given name is an array",
			userinfo: `{"serialNumber": "3150385H001PB7", "name_la": ["IVAN"]}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "name_la" is not a string`},
		},
		{
			name:     "birth date with dots",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": "15.03.1985"}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "birthdate"`, `"15.03.1985" is not a date`},
		},
		{
			name:     "birth date that does not exist",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": "1985-02-30"}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "birthdate"`, `"1985-02-30" is not a date`},
		},
		{
			name:     "birth date as a number",
			userinfo: `{"serialNumber": "3150385H001PB7", "birthdate": 19850315}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "birthdate" is not a string`},
		},
		{
			name:     "userinfo sub with spaces",
			userinfo: `{"sub": " ` + testSubject + ` ", "serialNumber": "3150385H001PB7"}`,
			want:     ErrSubjectChanged,
			wantText: []string{"subject differs"},
		},
		{
			name:     "gender is a boolean",
			userinfo: `{"serialNumber": "3150385H001PB7", "gender": true}`,
			want:     ErrInvalidIdentity,
			wantText: []string{`claim "gender" is not a string`},
		},
		{
			name:     "userinfo names another subject",
			userinfo: `{"sub": "person-2", "serialNumber": "3150385H001PB7"}`,
			want:     ErrSubjectChanged,
			wantText: []string{"userinfo subject differs from the ID token"},
		},
		{
			name:     "userinfo subject empty",
			userinfo: `{"sub": "", "serialNumber": "3150385H001PB7"}`,
			want:     ErrSubjectChanged,
		},
		{
			name:     "userinfo subject is a number",
			userinfo: `{"sub": 1, "serialNumber": "3150385H001PB7"}`,
			want:     ErrSubjectChanged,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := newIdentity(testIssuer, testTokenClaims(t), claimsOf(t, tc.userinfo),
				&DefaultClaimMap)
			require.Error(t, err)
			assert.Nil(t, id)
			assert.ErrorIs(t, err, tc.want)
			if tc.want == ErrSubjectChanged {
				assert.ErrorIs(t, err, ErrInvalidToken)
			} else {
				assert.ErrorIs(t, err, ErrInvalidIdentity)
			}
			for _, text := range tc.wantText {
				assert.Contains(t, err.Error(), text)
			}
			assert.NotContains(t, err.Error(), testNumber,
				"an error must not carry the whole personal number")
		})
	}
}

func TestNewIdentityPersonalNumberErrorPosition(t *testing.T) {
	_, err := newIdentity(testIssuer, testTokenClaims(t),
		claimsOf(t, `{"serialNumber": "3150385H0O1PB7"}`), &DefaultClaimMap)
	var numberErr *PersonalNumberError
	require.ErrorAs(t, err, &numberErr)
	assert.Equal(t, 10, numberErr.Position)
}

func TestNewIdentityFromTokenClaimsOnly(t *testing.T) {
	token := testTokenClaims(t)
	token["serialNumber"] = json.RawMessage(`"3150385H001PB7"`)
	token["surname"] = json.RawMessage(`"Иванов"`)

	id, err := newIdentity(testIssuer, token, nil, &DefaultClaimMap)
	require.NoError(t, err)
	assert.Equal(t, testNumber, id.PersonalNumber.String())
	assert.Equal(t, "Иванов", id.Names.Russian.Family)
}

func TestNewIdentityCustomClaimMap(t *testing.T) {
	cm := ClaimMap{
		PersonalNumber: "personal_number",
		Russian:        NameClaims{Family: "family_name", Given: "given_name"},
		BirthDate:      "birth_date",
		Sex:            "sex",
		ResidencePlace: "address",
	}
	userinfo := claimsOf(t, `{"personal_number": "3150385H001PB7",
		"family_name": "Иванов", "given_name": "Иван", "surname": "Петров",
		"birth_date": "19850315", "sex": "M", "address": {"full_address": "г. Минск"}}`)

	id, err := newIdentity(testIssuer, testTokenClaims(t), userinfo, &cm)
	require.NoError(t, err)
	assert.Equal(t, testNumber, id.PersonalNumber.String())
	assert.Equal(t, PersonName{Family: "Иванов", Given: "Иван"}, id.Names.Russian,
		"claims outside the map are not read as names")
	assert.Equal(t, utcDate(1985, time.March, 15), id.BirthDate)
	assert.Equal(t, SexMale, id.Sex)
	assert.Equal(t, "г. Минск", id.ResidenceAddress())
	assert.Equal(t, `"Петров"`, string(id.Claims["surname"]))
}

func TestIdentityJSONRoundTrip(t *testing.T) {
	userinfo := claimsOf(t, `{"serialNumber": "3150385H001PB7", "surname": "Иванов",
		"residence_place": {"full_address": "г. Минск"}}`)
	id, err := newIdentity(testIssuer, testTokenClaims(t), userinfo, &DefaultClaimMap)
	require.NoError(t, err)

	encoded, err := json.Marshal(id)
	require.NoError(t, err)
	var decoded Identity
	require.NoError(t, json.Unmarshal(encoded, &decoded))
	assert.Equal(t, id.PersonalNumber, decoded.PersonalNumber)
	assert.Equal(t, id.Names, decoded.Names)
	assert.Equal(t, id.BirthDate, decoded.BirthDate)
	assert.Equal(t, id.Sex, decoded.Sex)
	assert.Equal(t, "г. Минск", decoded.ResidenceAddress())
}
