package tsok

import (
	"encoding/asn1"
	"fmt"
	"strings"
	"unicode/utf8"
)

func checkSubjectRequired(r *Request) []string {
	var details []string
	for _, a := range subjectAttributes {
		if a.required && !r.hasSubject(a.oid) {
			details = append(details, fmt.Sprintf("%s (%s) is missing", a.name, a.oid))
		}
	}
	return details
}

func (r *Request) hasSubject(oid asn1.ObjectIdentifier) bool {
	for _, a := range r.Subject {
		if a.Type.Equal(oid) {
			return true
		}
	}
	return false
}

func checkSubjectAllowed(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		if row := findSubjectAttribute(a.Type); row != nil && !row.allowed {
			details = append(details, fmt.Sprintf(
				"%s (%s) at offset %d is not part of a ТС subject", row.name, a.Type, a.Offset))
		}
	}
	return details
}

func checkSubjectUnknown(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		if findSubjectAttribute(a.Type) == nil {
			details = append(details, fmt.Sprintf("attribute %s at offset %d is of an unknown type",
				a.Type, a.Offset))
		}
	}
	return details
}

func checkSubjectUnique(r *Request) []string {
	var details []string
	for i, a := range r.Subject {
		for _, earlier := range r.Subject[:i] {
			if earlier.Type.Equal(a.Type) {
				details = append(details, fmt.Sprintf(
					"%s at offset %d repeats the one at offset %d",
					attributeName(a.Type), a.Offset, earlier.Offset))
				break
			}
		}
	}
	return details
}

// checkSubjectOrder reports the first attribute that comes before one
// that the table puts ahead of it. Unknown types are skipped.
func checkSubjectOrder(r *Request) []string {
	var profileOrder []string
	for _, a := range subjectAttributes {
		if a.allowed {
			profileOrder = append(profileOrder, a.name)
		}
	}
	lastIndex, lastName := -1, ""
	for _, a := range r.Subject {
		index := subjectAttributeIndex(a.Type)
		if index < 0 {
			continue
		}
		if index < lastIndex {
			return []string{fmt.Sprintf("%s at offset %d comes after %s; expected order: %s",
				attributeName(a.Type), a.Offset, lastName, strings.Join(profileOrder, ", "))}
		}
		lastIndex, lastName = index, attributeName(a.Type)
	}
	return nil
}

func subjectAttributeIndex(oid asn1.ObjectIdentifier) int {
	for i, a := range subjectAttributes {
		if a.oid.Equal(oid) {
			return i
		}
	}
	return -1
}

func checkSubjectStringType(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		row := findSubjectAttribute(a.Type)
		if row == nil {
			continue
		}
		ok := a.StringType == row.stringType ||
			(row.stringType == asn1.TagUTF8String && a.StringType == asn1.TagBMPString)
		if !ok {
			details = append(details, fmt.Sprintf("%s at offset %d is %s, expected %s",
				row.name, a.Offset, stringTypeName(byte(a.StringType)),
				expectedStringType(row.stringType)))
		}
	}
	return details
}

func expectedStringType(tag int) string {
	if tag == asn1.TagUTF8String {
		return "UTF8String (or BMPString)"
	}
	return stringTypeName(byte(tag))
}

func checkSubjectValue(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		if problem := spaceProblem(a.Value); problem != "" {
			details = append(details, fmt.Sprintf("%s %q at offset %d %s",
				attributeName(a.Type), a.Value, a.Offset, problem))
		}
	}
	return details
}

// spaceProblem describes insignificant spaces in s, or returns "".
func spaceProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.HasPrefix(s, " "):
		return "starts with a space"
	case strings.HasSuffix(s, " "):
		return "ends with a space"
	case strings.Contains(s, "  "):
		return "has two spaces in a row"
	}
	return ""
}

var oidCountryName = asn1.ObjectIdentifier{2, 5, 4, 6}

func checkSubjectCountry(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		if a.Type.Equal(oidCountryName) && a.Value != "BY" {
			details = append(details, fmt.Sprintf("countryName at offset %d is %q, expected \"BY\"",
				a.Offset, a.Value))
		}
	}
	return details
}

func checkSubjectLength(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		row := findSubjectAttribute(a.Type)
		if row == nil {
			continue
		}
		if n := utf8.RuneCountInString(a.Value); n > row.maxLength {
			details = append(details, fmt.Sprintf(
				"%s at offset %d has %d characters, the limit is %d",
				row.name, a.Offset, n, row.maxLength))
		}
	}
	return details
}

var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

func checkSubjectEmail(r *Request) []string {
	var details []string
	for _, a := range r.Subject {
		if a.Type.Equal(oidEmailAddress) && !validEmail(a.Value) {
			details = append(details, fmt.Sprintf("emailAddress %q at offset %d is not an address "+
				"of the form name@domain", a.Value, a.Offset))
		}
	}
	return details
}

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

func checkSubjectCommonName(r *Request) []string {
	for _, a := range r.Subject {
		if !a.Type.Equal(oidCommonName) {
			continue
		}
		if !validDNSName(a.Value) {
			return []string{fmt.Sprintf("commonName %q is not a DNS name", a.Value)}
		}
		for _, san := range r.SubjectAltNames {
			if san.Tag == 2 && strings.EqualFold(san.Value, a.Value) {
				return nil
			}
		}
		return []string{fmt.Sprintf("commonName %q is not among the dNSName entries of "+
			"subjectAltName", a.Value)}
	}
	return nil
}
