package terminal

import (
	"context"
	"fmt"
)

// DataGroup is a data group of the eID application of the ID card, DG1 to
// DG22 (files 0101 to 0116).
type DataGroup int

// The data groups of the eID application (STB 34.101.79).
const (
	DG1  DataGroup = iota + 1 // card number
	DG2                       // issuing state
	DG3                       // date of expiry
	DG4                       // given name
	DG5                       // family name
	DG6                       // middle name
	DG7                       // personal number
	DG8                       // date of birth
	DG9                       // place of birth
	DG10                      // citizenship
	DG11                      // sex
	DG12                      // optional data
	DG13                      // reserved
	DG14                      // written signature
	DG15                      // date of issuance
	DG16                      // issuing authority
	DG17                      // place of residence
	DG18                      // region code
	DG19                      // reserved
	DG20                      // reserved
	DG21                      // phone number
	DG22                      // e-mail address
)

// DefaultDataGroups are the groups that ReadPersonalData reads when given
// none: every group that personal_data draws on, which are also the groups
// every card has.
var DefaultDataGroups = []DataGroup{DG1, DG2, DG3, DG4, DG5, DG6, DG7, DG8, DG9, DG10, DG11,
	DG15, DG16}

// String returns the name the КПСИС uses in data_groups_to_read: "dg1".
func (g DataGroup) String() string { return fmt.Sprintf("dg%d", int(g)) }

// ReadPersonalData reads data groups from the card and returns them as the
// КПСИС decodes them. First read_dg_init names the groups. Then each
// command of the КПСИС (read_dg) is relayed to the card
// (terminal_proxy_command) until the КПСИС reports is_last_dg_readed.
// Last, request_dg returns personal_data. With no groups given it reads
// those of DefaultDataGroups that the terminal certificate allows.
//
// A group that the terminal certificate does not allow fails with
// ErrAccessDenied before any call, and so does a group the card refuses
// (status 6982), because the card grants the AND of the rights along the
// certificate chain. Error.DataGroup names the group. A group absent from
// the card is skipped by the КПСИС and is not an error.
func (s *Session) ReadPersonalData(ctx context.Context, groups ...DataGroup) (*PersonalData,
	error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return nil, ErrSessionClosed
	}
	if len(groups) == 0 {
		groups = s.allowedGroups(DefaultDataGroups)
	}
	names, err := s.checkGroups(groups)
	if err != nil {
		return nil, err
	}

	step, err := s.kpsis.call(ctx, "read_dg_init",
		map[string]any{"hreq": s.hreq, "data_groups_to_read": names})
	if err != nil {
		return nil, err
	}
	if err := s.readLoop(ctx, step); err != nil {
		return nil, err
	}

	result, err := s.kpsis.call(ctx, "request_dg", map[string]string{"hreq": s.hreq})
	if err != nil {
		return nil, err
	}
	if len(result.PersonalData) == 0 {
		return nil, s.malformed(ComponentKPSIS, "request_dg",
			fmt.Errorf(`response has no "personal_data"`))
	}
	data, err := ParsePersonalData(result.PersonalData)
	if err != nil {
		return nil, &Error{Step: "request_dg", Component: ComponentKPSIS, Err: err}
	}
	return data, nil
}

// allowedGroups returns the groups that the terminal certificate allows
// reading. If it allows none, it returns them all, so that checkGroups
// reports the first.
func (s *Session) allowedGroups(groups []DataGroup) []DataGroup {
	var allowed []DataGroup
	for _, g := range groups {
		if s.certificate.Rights.EID.CanRead(int(g)) {
			allowed = append(allowed, g)
		}
	}
	if len(allowed) == 0 {
		return groups
	}
	return allowed
}

// checkGroups rejects groups out of range or repeated, and groups that the
// terminal certificate does not allow reading, and returns their names.
func (s *Session) checkGroups(groups []DataGroup) ([]string, error) {
	seen := map[DataGroup]bool{}
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		if g < DG1 || g > DG22 || seen[g] {
			return nil, fmt.Errorf("terminal: data group %d is out of DG1..DG22 or repeated",
				int(g))
		}
		seen[g] = true
		if !s.certificate.Rights.EID.CanRead(int(g)) {
			return nil, &Error{Step: "read_dg_init", Component: ComponentTerminalCertificate,
				DataGroup: int(g), kind: ErrAccessDenied,
				Description: fmt.Sprintf("certificate %s does not allow reading DG%d",
					s.certificate.HolderReference, int(g))}
		}
		names = append(names, g.String())
	}
	return names, nil
}

// readLoop relays the КПСИС's read commands until the last group is read.
func (s *Session) readLoop(ctx context.Context, step *apiResponse) error {
	kpsisStep := "read_dg_init"
	group := 0
	for range s.cfg.MaxSteps {
		done, err := boolField(step.IsLastDGReaded, "is_last_dg_readed")
		if err != nil {
			return s.malformed(ComponentKPSIS, kpsisStep, err)
		}
		if done {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return &Error{Step: kpsisStep, Component: ComponentKPSIS, DataGroup: group, Err: err}
		}
		if cmd, err := decodeCommand(step.HeaderCmdToCard, step.CmdToCard); err == nil &&
			cmd.dataGroup() != 0 {
			group = cmd.dataGroup()
		}
		cardResponse, err := s.relay(ctx, kpsisStep, "terminal_proxy_command", step)
		if err != nil {
			return withDataGroup(err, group)
		}
		kpsisStep = "read_dg"
		step, err = s.kpsis.call(ctx, "read_dg",
			map[string]string{"hreq": s.hreq, "card_response": cardResponse})
		if err != nil {
			return withDataGroup(err, group)
		}
	}
	return &Error{Step: kpsisStep, Component: ComponentKPSIS, DataGroup: group,
		kind: ErrTooManySteps,
		Err:  fmt.Errorf("data groups not read after %d commands", s.cfg.MaxSteps)}
}

func withDataGroup(err error, group int) error {
	if e, ok := err.(*Error); ok && e.DataGroup == 0 {
		e.DataGroup = group
	}
	return err
}
