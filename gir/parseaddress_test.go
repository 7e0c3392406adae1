package gir

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name string
		full string
		want Address
	}{
		{
			name: "Minsk without region",
			full: "г. Минск, ул. Немига, д. 12, корп. 1, кв. 45",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12", Building: "1", Flat: "45"},
		},
		{
			name: "regional city avenue",
			full: "Гомельская обл., г. Гомель, пр-т Ленина, д. 5, кв. 17",
			want: Address{Region: "Гомельская", LocalityType: LocalityCity, Locality: "Гомель",
				StreetType: StreetAvenue, Street: "Ленина", House: "5", Flat: "17"},
		},
		{
			name: "agrotown in a selsoviet",
			full: "Гродненская обл., Гродненский р-н, Обуховский с/с, аг. Обухово, ул. " +
				"Центральная, д. 8",
			want: Address{Region: "Гродненская", District: "Гродненский", Selsoviet: "Обуховский",
				LocalityType: LocalityAgrotown, Locality: "Обухово",
				StreetType: StreetStreet, Street: "Центральная", House: "8"},
		},
		{
			name: "village and house both as д.",
			full: "Могилёвская обл., Белыничский р-н, д. Вишов, ул. Садовая, д. 21",
			want: Address{Region: "Могилёвская", District: "Белыничский",
				LocalityType: LocalityVillage, Locality: "Вишов",
				StreetType: StreetStreet, Street: "Садовая", House: "21"},
		},
		{
			name: "lane",
			full: "Брестская обл., г. Брест, пер. Кобринский, д. 3",
			want: Address{Region: "Брестская", LocalityType: LocalityCity, Locality: "Брест",
				StreetType: StreetLane, Street: "Кобринский", House: "3"},
		},
		{
			name: "postcode first",
			full: "220030, г. Минск, ул. Немига, д. 12",
			want: Address{Postcode: "220030", LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12"},
		},
		{
			name: "country and postcode",
			full: "Республика Беларусь, 246000, Гомельская обл., г. Гомель, ул. Советская, д. 1",
			want: Address{Country: "Республика Беларусь", Postcode: "246000",
				Region: "Гомельская", LocalityType: LocalityCity, Locality: "Гомель",
				StreetType: StreetStreet, Street: "Советская", House: "1"},
		},
		{
			name: "Belarusian city",
			full: "г. Мінск, вул. Незалежнасці, д. 5, кв. 3",
			want: Address{LocalityType: LocalityCity, Locality: "Мінск",
				StreetType: StreetStreet, Street: "Незалежнасці", House: "5", Flat: "3"},
		},
		{
			name: "Belarusian village",
			full: "Мінская вобл., Мінскі р-н, в. Сеніца, вул. Садовая, д. 1",
			want: Address{Region: "Мінская", District: "Мінскі",
				LocalityType: LocalityVillage, Locality: "Сеніца",
				StreetType: StreetStreet, Street: "Садовая", House: "1"},
		},
		{
			name: "Belarusian lane and selsoviet",
			full: "Брэсцкая вобл., Пінскі раён, Пінкавіцкі сельсавет, аг. Пінкавічы, зав. " +
				"Школьны, д. 2",
			want: Address{Region: "Брэсцкая", District: "Пінскі", Selsoviet: "Пінкавіцкі",
				LocalityType: LocalityAgrotown, Locality: "Пінкавічы",
				StreetType: StreetLane, Street: "Школьны", House: "2"},
		},
		{
			name: "spacing and case",
			full: "  Г.  Минск ,УЛ.   Немига,  Д.12 , КВ.45а  ",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12", Flat: "45а"},
		},
		{
			name: "no space after markers",
			full: "г.Минск, ул.Немига, д.12, корп.1, кв.45",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12", Building: "1", Flat: "45"},
		},
		{
			name: "house with a fraction",
			full: "г. Минск, ул. Сурганова, д. 12/2, кв. 7",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Сурганова", House: "12/2", Flat: "7"},
		},
		{
			name: "house, building and flat in one part",
			full: "г. Минск, ул. Немига, д. 12 корп. 1 кв. 45",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12", Building: "1", Flat: "45"},
		},
		{
			name: "markers after the name",
			full: "Гомельская область, Гомель город, Ленина пр-т, дом 5, квартира 17",
			want: Address{Region: "Гомельская", Unparsed: []string{"Гомель город"},
				StreetType: StreetAvenue, Street: "Ленина", House: "5", Flat: "17"},
		},
		{
			name: "bare house number after the street",
			full: "г. Витебск, ул. Замковая, 4, кв. 9",
			want: Address{LocalityType: LocalityCity, Locality: "Витебск",
				StreetType: StreetStreet, Street: "Замковая", House: "4", Flat: "9"},
		},
		{
			name: "urban settlement and tract",
			full: "Минская обл., Смолевичский р-н, г.п. Смолевичи, Московский тракт, д. 2",
			want: Address{Region: "Минская", District: "Смолевичский",
				LocalityType: LocalityUrbanSettlement, Locality: "Смолевичи",
				StreetType: StreetTract, Street: "Московский", House: "2"},
		},
		{
			name: "boulevard, square and settlement",
			full: "п. Лесной, б-р Шевченко, д. 9",
			want: Address{LocalityType: LocalitySettlement, Locality: "Лесной",
				StreetType: StreetBoulevard, Street: "Шевченко", House: "9"},
		},
		{
			name: "square",
			full: "г. Минск, пл. Победы, д. 1",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetSquare, Street: "Победы", House: "1"},
		},
		{
			name: "unknown parts kept in order",
			full: "г. Минск, общежитие № 3, ул. Немига, д. 12, ком. 5",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига", House: "12",
				Unparsed: []string{"общежитие № 3", "ком. 5"}},
		},
		{
			name: "repeated part is unparsed",
			full: "г. Минск, г. Гомель, ул. Немига, ул. Ленина",
			want: Address{LocalityType: LocalityCity, Locality: "Минск",
				StreetType: StreetStreet, Street: "Немига",
				Unparsed: []string{"г. Гомель", "ул. Ленина"}},
		},
		{
			name: "village name after the street is not a village",
			full: "ул. Садовая, д. Вишов",
			want: Address{StreetType: StreetStreet, Street: "Садовая",
				Unparsed: []string{"д. Вишов"}},
		},
		{
			name: "empty parts and markers without value",
			full: "г. Минск,, ул., д. 3,",
			want: Address{LocalityType: LocalityCity, Locality: "Минск", House: "3",
				Unparsed: []string{"ул."}},
		},
		{
			name: "ё written as е",
			full: "Могилевская обл., г. Могилёв, пр-т Мира, д. 1",
			want: Address{Region: "Могилевская", LocalityType: LocalityCity, Locality: "Могилёв",
				StreetType: StreetAvenue, Street: "Мира", House: "1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAddress(tt.full)
			require.NoError(t, err)
			assert.Equal(t, trimmed(tt.full), got.FullAddress)
			got.FullAddress = ""
			assert.Equal(t, tt.want, got)
		})
	}
}

func trimmed(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func TestParseAddressErrors(t *testing.T) {
	tests := []struct {
		name string
		full string
		want string
	}{
		{"empty", "", "gir: invalid address: empty text"},
		{"blank", " \t ", "gir: invalid address: empty text"},
		{"invalid UTF-8", "г. Минск, \xff", "gir: invalid address: invalid UTF-8 at offset 16"},
		{"control character", "г. Минск\x00", "gir: invalid address: control character U+0000 at " +
			"offset 14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAddress(tt.full)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidAddress)
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestAddressFormatHouseWithoutNumber(t *testing.T) {
	a, err := ParseAddress("д. Вишов, ул. Садовая, дом б/н")
	require.NoError(t, err)
	require.Equal(t, "б/н", a.House)
	assert.Equal(t, "д. Вишов, ул. Садовая, дом б/н", a.Format())

	back, err := ParseAddress("ул. Садовая, дом б/н")
	require.NoError(t, err)
	assert.Equal(t, "б/н", back.House)
	assert.Empty(t, back.Locality)
}

func TestAddressFormat(t *testing.T) {
	a := Address{Postcode: "231761", Region: "Гродненская", District: "Гродненский",
		Selsoviet: "Обуховский", LocalityType: LocalityAgrotown, Locality: "Обухово",
		StreetType: StreetStreet, Street: "Центральная", House: "8", Building: "2", Flat: "1",
		Unparsed: []string{"ком. 5"}}
	want := "231761, Гродненская обл., Гродненский р-н, Обуховский с/с, аг. Обухово, " +
		"ул. Центральная, д. 8, корп. 2, кв. 1, ком. 5"
	assert.Equal(t, want, a.Format())
	assert.Equal(t, want, a.String(), "String falls back to Format")

	a.FullAddress = "как в регистре"
	assert.Equal(t, "как в регистре", a.String())

	back, err := ParseAddress(a.Format())
	require.NoError(t, err)
	back.FullAddress = a.FullAddress
	assert.Equal(t, a, back)
}
