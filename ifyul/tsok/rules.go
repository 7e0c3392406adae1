package tsok

import (
	"errors"
	"fmt"
	"strings"
)

// Severity is the effect that breaking a rule has on a request.
type Severity int

const (
	// SeverityError rejects the request: the operator would turn it down.
	SeverityError Severity = iota
	// SeverityWarning reports a likely problem but keeps the request,
	// because the sources disagree or the CA decides the matter itself.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Message is a rule's text in Russian, for the people who fill in the
// request, and in English.
type Message struct {
	Ru, En string
}

// Rule is one rule of a request profile.
type Rule struct {
	// ID names the rule in reports, such as "subject.required".
	ID string
	// Severity is SeverityError (the zero value) or SeverityWarning.
	Severity Severity
	// Source names the standard and section the rule comes from.
	Source string
	// Message states the rule.
	Message Message
	// Check returns one detail for each place where the request breaks
	// the rule, naming the field and value, or nothing when it keeps it.
	Check func(r *Request) []string
}

// Violation is one place where a request breaks a rule.
type Violation struct {
	RuleID   string
	Severity Severity
	Source   string
	Message  Message
	// Detail names the field and value at fault.
	Detail string
}

// String returns the rule ID, severity, detail and English message.
func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s: %s", v.RuleID, v.Severity, v.Detail, v.Message.En)
}

// ErrProfile is wrapped by every *ProfileError, for errors.Is.
var ErrProfile = errors.New("tsok: request breaks the ТСОК profile")

// ProfileError rejects a request that breaks rules of SeverityError. It
// lists those violations; warnings are returned by CheckProfile beside it.
type ProfileError struct {
	Violations []Violation
}

// Error lists the broken rules with their details.
func (e *ProfileError) Error() string {
	var b strings.Builder
	b.WriteString(ErrProfile.Error())
	for i, v := range e.Violations {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", v.RuleID, v.Detail)
	}
	return b.String()
}

// Unwrap returns ErrProfile.
func (e *ProfileError) Unwrap() error { return ErrProfile }

// RuleIDs returns the IDs of the broken rules, each once, in table order.
func (e *ProfileError) RuleIDs() []string {
	var ids []string
	for _, v := range e.Violations {
		if len(ids) == 0 || ids[len(ids)-1] != v.RuleID {
			ids = append(ids, v.RuleID)
		}
	}
	return ids
}

// CheckProfile checks a request against the rules, DefaultRules() when
// rules is nil, before it is sent to the operator. It first verifies the
// request's bign self-signature and fails with an error wrapping
// ErrBadSignature when it does not verify. A request whose algorithms this
// package cannot verify is judged by the rules, which reject it.
//
// It returns every violation, warnings included, in table order, and a
// *ProfileError listing the violations of SeverityError when there are
// any.
func CheckProfile(r *Request, rules []Rule) ([]Violation, error) {
	if r == nil {
		return nil, errors.New("tsok: request is nil")
	}
	if err := r.CheckSignature(); err != nil && !errors.Is(err, ErrUnsupportedAlgorithm) {
		return nil, err
	}
	if rules == nil {
		rules = DefaultRules()
	}

	var all, rejecting []Violation
	for _, rule := range rules {
		if rule.Check == nil {
			continue
		}
		for _, detail := range rule.Check(r) {
			v := Violation{RuleID: rule.ID, Severity: rule.Severity, Source: rule.Source,
				Message: rule.Message, Detail: detail}
			all = append(all, v)
			if v.Severity == SeverityError {
				rejecting = append(rejecting, v)
			}
		}
	}
	if len(rejecting) > 0 {
		return all, &ProfileError{Violations: rejecting}
	}
	return all, nil
}
