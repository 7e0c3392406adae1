package persons

import (
	"fmt"
	"time"
)

// Localized is a text in Belarusian and Russian, the two languages of the ID card.
type Localized struct {
	Belarusian string `json:"be"`
	Russian    string `json:"ru"`
}

// Document is a person's ID card as its data groups describe it.
type Document struct {
	// Type is the three-letter kind of document that prefixes the number in
	// DG1 of the card: "IDC" for the identity card.
	Type   string `json:"type"`
	Number string `json:"number"`
	// IssueDate and ExpiryDate are dates in the form 2006-01-02.
	IssueDate        string    `json:"issue_date"`
	ExpiryDate       string    `json:"expiry_date"`
	IssuingAuthority Localized `json:"issuing_authority"`
}

// Issued returns the issue date.
func (d *Document) Issued() time.Time { return mustDate(d.IssueDate) }

// Expires returns the expiry date.
func (d *Document) Expires() time.Time { return mustDate(d.ExpiryDate) }

// mustDate parses a date that check has accepted.
func mustDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// check rejects a document that a card could not hold: a missing type or
// number, or dates that do not parse or are out of order. A nil document
// passes.
func (d *Document) check() error {
	if d == nil {
		return nil
	}
	if len(d.Type) != 3 {
		return fmt.Errorf("document type %q is not a three-letter code", d.Type)
	}
	if len(d.Number) < 8 || len(d.Number) > 12 {
		return fmt.Errorf("document number %q has %d characters, expected 8 to 12",
			d.Number, len(d.Number))
	}
	issued, err := time.Parse(time.DateOnly, d.IssueDate)
	if err != nil {
		return fmt.Errorf("document issue_date %q: expected YYYY-MM-DD", d.IssueDate)
	}
	expires, err := time.Parse(time.DateOnly, d.ExpiryDate)
	if err != nil {
		return fmt.Errorf("document expiry_date %q: expected YYYY-MM-DD", d.ExpiryDate)
	}
	if !expires.After(issued) {
		return fmt.Errorf("document expiry_date %s is not after issue_date %s",
			d.ExpiryDate, d.IssueDate)
	}
	return nil
}
