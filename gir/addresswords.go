package gir

import (
	"unicode"
	"unicode/utf8"
)

// partKind is the role of one comma-separated part of an address.
type partKind int

const (
	partRegion partKind = iota + 1
	partDistrict
	partSelsoviet
	partLocality
	partStreet
	partHouse
	partBuilding
	partFlat
	// partHouseOrVillage is "д.", which means дом before a house number and
	// деревня before a village name.
	partHouseOrVillage
)

// marker is one spelling of an address marker, in lower case.
type marker struct {
	form     string
	kind     partKind
	locality LocalityType
	street   StreetType
}

// markers lists the spellings that ParseAddress recognises, in Russian and
// Belarusian, abbreviated and in full. Where one form starts another ("кв."
// and "кв-л", "г." and "г.п."), the longest one that matches wins.
var markers = buildMarkers()

// markersByFirst and markersByLast index markers by their first and last
// letter, folded as sameLetter folds them, so that matching a part tries a
// few markers instead of all of them. Only markers that may trail their name
// are indexed by the last letter.
var markersByFirst, markersByLast = indexMarkers(markers)

func indexMarkers(list []marker) (map[rune][]marker, map[rune][]marker) {
	first, last := map[rune][]marker{}, map[rune][]marker{}
	for _, m := range list {
		r, _ := utf8.DecodeRuneInString(m.form)
		first[foldLetter(r)] = append(first[foldLetter(r)], m)
		if m.kind.canTrail() {
			r, _ = utf8.DecodeLastRuneInString(m.form)
			last[foldLetter(r)] = append(last[foldLetter(r)], m)
		}
	}
	return first, last
}

func buildMarkers() []marker {
	var list []marker
	add := func(kind partKind, forms ...string) {
		for _, f := range forms {
			list = append(list, marker{form: f, kind: kind})
		}
	}
	locality := func(t LocalityType, forms ...string) {
		for _, f := range forms {
			list = append(list, marker{form: f, kind: partLocality, locality: t})
		}
	}
	street := func(t StreetType, forms ...string) {
		for _, f := range forms {
			list = append(list, marker{form: f, kind: partStreet, street: t})
		}
	}

	add(partRegion, "область", "вобласць", "обл.", "вобл.", "обл", "вобл")
	add(partDistrict, "район", "раён", "р-он", "р-н")
	add(partSelsoviet, "сельсовет", "сельсавет", "с/с.", "с/с")

	locality(LocalityUrbanSettlement, "городской поселок", "городской посёлок",
		"гарадскі пасёлак", "г.п.", "г. п.", "гп.", "гп")
	locality(LocalityWorkersSettlement, "рабочий поселок", "рабочий посёлок",
		"рабочы пасёлак", "р.п.", "р. п.", "рп")
	locality(LocalityResortSettlement, "курортный поселок", "курортный посёлок",
		"курортны пасёлак", "к.п.", "к. п.", "кп")
	locality(LocalityAgrotown, "агрогородок", "аграгарадок", "аг.", "аг")
	locality(LocalityCity, "город", "горад", "г.", "г")
	locality(LocalitySettlement, "поселок", "посёлок", "пасёлак", "пос.", "п.")
	locality(LocalityVillage, "деревня", "вёска", "веска", "в.")
	locality(LocalitySelo, "село", "с.")
	locality(LocalityHamlet, "хутор", "хут.", "х.")

	street(StreetStreet, "улица", "вуліца", "ул.", "вул.", "ул", "вул")
	street(StreetAvenue, "проспект", "праспект", "просп.", "пр-т.", "пр-т", "пр.")
	street(StreetLane, "переулок", "завулак", "пер.", "зав.")
	street(StreetBoulevard, "бульвар", "бульв.", "бул.", "б-р")
	street(StreetSquare, "площадь", "плошча", "пл.")
	street(StreetTract, "тракт")
	street(StreetPassage, "проезд", "праезд", "пр-д")
	street(StreetDeadEnd, "тупик", "тупік", "туп.")
	street(StreetEmbankment, "набережная", "набярэжная", "наб.")
	street(StreetHighway, "шоссе", "шаша", "ш.")
	street(StreetMicrodistrict, "микрорайон", "мікрараён", "мкр-н", "мкр.", "мкр")
	street(StreetQuarter, "квартал", "кв-л")
	street(StreetDescent, "спуск")
	street(StreetLine, "линия", "лінія")
	street(StreetAlley, "аллея", "алея")

	add(partHouse, "дом")
	add(partHouseOrVillage, "д.", "д")
	add(partBuilding, "корпус", "корп.", "корп", "к.")
	add(partFlat, "квартира", "кватэра", "кв.", "кв")
	return list
}

// isHouseLevel reports whether a part of the kind sits below the street.
func (k partKind) isHouseLevel() bool {
	return k == partHouse || k == partBuilding || k == partFlat || k == partHouseOrVillage
}

// canTrail reports whether markers of the kind may also follow the name,
// as in "Гомельская обл." or "Ленина пр-т".
func (k partKind) canTrail() bool {
	return k == partRegion || k == partDistrict || k == partSelsoviet || k == partStreet
}

// matchPrefix finds the longest marker at the start of text that leaves a
// value after it, else the longest marker, and returns the text after it
// with surrounding spaces removed. So "г. п." is the city «п.», while
// "г. п. Чисть" is the urban settlement Чисть. A marker that ends in a dot
// may touch its value ("д.12"); any other needs a space after it.
func matchPrefix(text string) (marker, string, bool) {
	best, bestLen := marker{}, -1
	bare, bareLen := marker{}, -1
	r, _ := utf8.DecodeRuneInString(text)
	for _, m := range markersByFirst[foldLetter(r)] {
		n, ok := foldPrefix(text, m.form)
		if !ok {
			continue
		}
		rest := text[n:]
		lastDot := m.form[len(m.form)-1] == '.'
		if !lastDot && rest != "" && rest[0] != ' ' {
			continue
		}
		if trimSpaces(rest) == "" {
			if n > bareLen {
				bare, bareLen = m, n
			}
			continue
		}
		if n > bestLen {
			best, bestLen = m, n
		}
	}
	if bestLen < 0 {
		if bareLen < 0 {
			return marker{}, "", false
		}
		return bare, "", true
	}
	return best, trimSpaces(text[bestLen:]), true
}

// matchSuffix finds a marker at the end of text, after a space, among the
// kinds that may trail their name.
func matchSuffix(text string) (marker, string, bool) {
	best, bestStart := marker{}, -1
	r, _ := utf8.DecodeLastRuneInString(text)
	for _, m := range markersByLast[foldLetter(r)] {
		start, ok := foldSuffix(text, m.form)
		if !ok || start == 0 || text[start-1] != ' ' {
			continue
		}
		if bestStart < 0 || start < bestStart {
			best, bestStart = m, start
		}
	}
	if bestStart < 0 {
		return marker{}, "", false
	}
	return best, trimSpaces(text[:bestStart]), true
}

// foldPrefix reports whether text starts with prefix, ignoring case, and
// returns the length in bytes of the matching start of text. Runes are
// compared one by one because case mapping may change their length in bytes.
func foldPrefix(text, prefix string) (int, bool) {
	i := 0
	for _, want := range prefix {
		if i >= len(text) {
			return 0, false
		}
		got, size := utf8.DecodeRuneInString(text[i:])
		if !sameLetter(got, want) {
			return 0, false
		}
		i += size
	}
	return i, true
}

// foldSuffix reports whether text ends with suffix, ignoring case, and
// returns the byte offset in text where the suffix starts.
func foldSuffix(text, suffix string) (int, bool) {
	i := len(text)
	for j := len(suffix); j > 0; {
		want, wantSize := utf8.DecodeLastRuneInString(suffix[:j])
		j -= wantSize
		if i == 0 {
			return 0, false
		}
		got, size := utf8.DecodeLastRuneInString(text[:i])
		if !sameLetter(got, want) {
			return 0, false
		}
		i -= size
	}
	return i, true
}

// sameLetter compares runes ignoring case and the diaeresis of ё, which
// Belarusian addresses are written both with and without.
func sameLetter(a, b rune) bool {
	return foldLetter(a) == foldLetter(b)
}

func foldLetter(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'ё' {
		return 'е'
	}
	return r
}

func trimSpaces(s string) string {
	start, end := 0, len(s)
	for start < end && s[start] == ' ' {
		start++
	}
	for end > start && s[end-1] == ' ' {
		end--
	}
	return s[start:end]
}
