package kpsis

import (
	"strings"

	"github.com/esiful/sdk-go/terminal"
)

// personalData turns the data groups read into the personal_data object of
// request_dg. Only groups that were read contribute keys.
//
// NOTE: the keys are those seen in public code of relying parties, but the
// formats of their values are not public. The fake writes dates as the card
// stores them (YYYYMMDD). It writes the document and personal numbers
// without their "IDCBY-" and "PNOBY-" prefixes, and Type as the three-letter
// kind of DG1 ("IDC"). Issuance_board is as the card stores it, Belarusian
// and Russian joined by "/".
func personalData(g *terminal.DataGroups, withoutColon bool) map[string]string {
	out := map[string]string{}
	named := func(lang, field, value string) {
		key := lang + ":_" + field
		if withoutColon {
			key = lang + "_" + field
		}
		out[key] = value
	}
	names := []struct {
		dg    int
		field string
		text  terminal.LocalizedText
		latin bool
	}{
		{5, "Family_name", g.FamilyName, true},
		{4, "Given_name", g.GivenName, true},
		{6, "Middle_name", g.MiddleName, false},
	}
	for _, n := range names {
		if !g.Has(n.dg) {
			continue
		}
		named("BE", n.field, n.text.Belarusian())
		named("RU", n.field, n.text.Russian())
		if n.latin {
			named("LA", n.field, n.text.Latin())
		}
	}
	if g.Has(9) {
		out["BE_Place_of_birth"] = placeText(g.PlaceOfBirth, terminal.LocalizedText.Belarusian)
		out["RU_Place_of_birth"] = placeText(g.PlaceOfBirth, terminal.LocalizedText.Russian)
	}

	plain := []struct {
		dg    int
		key   string
		value func() string
	}{
		{1, "Serial_Number", g.DocumentNumber},
		{1, "Type", func() string { return g.SerialNumber[:3] }},
		{2, "Issuing_State", func() string { return g.IssuingState }},
		{3, "Date_of_expiry", g.DateOfExpiry.String},
		{7, "ID", g.PersonalNumber},
		{8, "birth_date", g.DateOfBirth.String},
		{10, "Citizenship", func() string { return g.Nationality }},
		{11, "Sex", func() string { return g.Sex }},
		{15, "Date_of_issuance", g.DateOfIssuance.String},
		{16, "Issuance_board", func() string { return string(g.IssuanceBoard) }},
	}
	for _, p := range plain {
		if g.Has(p.dg) {
			out[p.key] = p.value()
		}
	}
	return out
}

// placeText writes a place of birth in one language: the free text, or the
// parts of a structured place joined by commas.
func placeText(p terminal.Place, part func(terminal.LocalizedText) string) string {
	if p.Kind != terminal.PlaceStructured {
		return part(p.Text)
	}
	var parts []string
	for _, text := range []terminal.LocalizedText{p.Street, p.City, p.State} {
		if s := part(text); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
