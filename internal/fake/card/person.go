package card

import (
	"fmt"
	"strings"
	"time"

	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/terminal"
)

// DataGroups lays out the eID data groups of a test person's ID card: the
// mandatory groups DG1-DG11, DG15 and DG16, and DG17 when the person has a
// registered place of residence. Names are in capitals, as cards print them.
func DataGroups(p *persons.Person) (*terminal.DataGroups, error) {
	if p.Document == nil {
		return nil, fmt.Errorf("card: person %d has no document", p.ID)
	}
	if p.PlaceOfBirth == nil {
		return nil, fmt.Errorf("card: person %d has no place of birth", p.ID)
	}
	birth, err := time.Parse(time.DateOnly, p.BirthDate)
	if err != nil {
		return nil, fmt.Errorf("card: person %d: birth_date %q: expected YYYY-MM-DD", p.ID,
			p.BirthDate)
	}
	names := p.Names
	g := &terminal.DataGroups{
		SerialNumber: p.Document.Type + "BY-" + p.Document.Number,
		IssuingState: "BLR",
		DateOfExpiry: cardDate(p.Document.Expires()),
		GivenName:    localized(names.Belarusian.Given, names.Russian.Given, names.Latin.Given),
		FamilyName:   localized(names.Belarusian.Family, names.Russian.Family, names.Latin.Family),
		MiddleName: localized(names.Belarusian.Patronymic, names.Russian.Patronymic,
			names.Latin.Patronymic),
		PersonalNumberID: "PNOBY-" + p.PersonalNumber,
		DateOfBirth:      cardDate(birth),
		PlaceOfBirth: terminal.Place{Kind: terminal.PlaceFreeText,
			Text: localized(p.PlaceOfBirth.Belarusian, p.PlaceOfBirth.Russian)},
		Nationality:    p.Citizenship,
		Sex:            p.Sex,
		DateOfIssuance: cardDate(p.Document.Issued()),
		IssuanceBoard: localized(p.Document.IssuingAuthority.Belarusian,
			p.Document.IssuingAuthority.Russian),
	}
	if p.ResidencePlace != nil && p.ResidencePlace.FullAddress != "" {
		g.PlaceOfResidence = terminal.Place{Kind: terminal.PlaceFreeText,
			Text: terminal.LocalizedText(p.ResidencePlace.FullAddress)}
	}
	return g, nil
}

// localized joins the texts of each language with "/", capitalised, and
// drops trailing empty parts: a middle name has no Latin form.
func localized(parts ...string) terminal.LocalizedText {
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	upper := make([]string, len(parts))
	for i, s := range parts {
		upper[i] = strings.ToUpper(s)
	}
	return terminal.LocalizedText(strings.Join(upper, "/"))
}

func cardDate(t time.Time) terminal.CardDate {
	return terminal.CardDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}
