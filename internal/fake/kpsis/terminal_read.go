package kpsis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/terminal"
)

type readStep int

const (
	readSelectApp readStep = iota
	readSelectFile
	readBinary
)

// readState follows read_dg_init and read_dg through the requested groups:
// select the eID application, then for each group select its file and read
// it in chunks of up to 256 bytes.
type readState struct {
	groups []int
	index  int
	step   readStep
	file   []byte
	files  map[int][]byte
	done   bool
}

// readAnswer is the response of read_dg_init and read_dg.
type readAnswer struct {
	commandAnswer
	IsLastDGReaded bool `json:"is_last_dg_readed"`
}

// maxReadOffset is the largest offset Read Binary can address: the high bit
// of P1 is reserved for short file identifiers.
const maxReadOffset = 0x7FFF

// parseGroupNames reads data_groups_to_read: "dg1" to "dg22", each once.
func parseGroupNames(names []string) ([]int, *apiError) {
	if len(names) == 0 {
		return nil, failf("invalid_request", "data_groups_to_read is empty")
	}
	seen := map[int]bool{}
	groups := make([]int, 0, len(names))
	for i, name := range names {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(name), "dg"))
		if err != nil || !strings.HasPrefix(strings.ToLower(name), "dg") ||
			n < 1 || n > terminal.DataGroupCount {
			return nil, failf("invalid_request",
				"data_groups_to_read[%d] %q is not one of dg1 to dg22", i, name)
		}
		if seen[n] {
			return nil, failf("invalid_request", "data_groups_to_read names dg%d twice", n)
		}
		seen[n] = true
		groups = append(groups, n)
	}
	return groups, nil
}

// readInit starts reading the requested data groups by selecting the eID
// application.
func (t *terminalAPI) readInit(s *terminalSession, req terminalRequest) (any, *apiError) {
	if err := s.established(); err != nil {
		return nil, err
	}
	groups, apiErr := parseGroupNames(req.DataGroupsToRead)
	if apiErr != nil {
		return nil, apiErr
	}
	s.read = readState{groups: groups, files: make(map[int][]byte)}
	return readAnswer{commandAnswer: command([4]byte{0x00, 0xA4, 0x04, 0x0C}, card.AIDeID)}, nil
}

// readNext takes the card's response to the last command and returns the
// next one, or reports the last group read. A group whose file the card
// lacks (6A82) is skipped, as btok allows for optional groups. Any other
// status ends the reading with the status word as the error code, above all
// 6982 for a group the terminal may not read.
func (t *terminalAPI) readNext(s *terminalSession, req terminalRequest) (any, *apiError) {
	r := &s.read
	if r.groups == nil || r.done {
		return nil, failf("invalid_state", "no reading under way: call read_dg_init first")
	}
	dg := r.groups[min(r.index, len(r.groups)-1)]
	resp, apiErr := cardResponse(req.CardResponse, fmt.Sprintf("reading DG%d", dg))
	switch {
	case r.step == readSelectFile && resp.Status == card.StatusFileNotFound:
		t.k.cfg.Logger.Info("kpsis terminal: data group absent", "group", dg)
		return t.nextFile(r), nil
	case apiErr != nil && r.step == readSelectApp:
		return nil, cardStatus(resp.Status, "the card refused the eID application with status %04X",
			resp.Status)
	case apiErr != nil:
		return nil, apiErr
	}

	switch r.step {
	case readSelectApp:
		r.index = -1
		return t.nextFile(r), nil
	case readSelectFile:
		r.step, r.file = readBinary, nil
		return readAnswer{commandAnswer: command([4]byte{0x00, 0xB0, 0x00, 0x00}, nil)}, nil
	}

	r.file = append(r.file, resp.Data...)
	total, known := elementSize(r.file)
	// A chunk shorter than the 256 bytes asked for ends the file.
	if len(resp.Data) < 256 || (known && len(r.file) >= total) {
		if known && len(r.file) > total {
			r.file = r.file[:total]
		}
		r.files[dg] = r.file
		return t.nextFile(r), nil
	}
	offset := len(r.file)
	if offset > maxReadOffset {
		return nil, failf("invalid_card_data", "DG%d is longer than %d bytes", dg, maxReadOffset)
	}
	header := [4]byte{0x00, 0xB0, byte(offset >> 8), byte(offset)}
	return readAnswer{commandAnswer: command(header, nil)}, nil
}

func (t *terminalAPI) nextFile(r *readState) readAnswer {
	r.index++
	if r.index >= len(r.groups) {
		r.done = true
		return readAnswer{commandAnswer: commandAnswer{Err: "0"}, IsLastDGReaded: true}
	}
	r.step = readSelectFile
	fid := terminal.DataGroupFileID(r.groups[r.index])
	return readAnswer{commandAnswer: command([4]byte{0x00, 0xA4, 0x02, 0x0C},
		[]byte{byte(fid >> 8), byte(fid)})}
}

// elementSize returns the size of the BER element at the start of b, tag
// and length included, once b holds its tag and length.
func elementSize(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	i := 1
	if b[0]&0x1F == 0x1F {
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if i >= len(b) {
		return 0, false
	}
	first := b[i]
	i++
	if first < 0x80 {
		return i + int(first), true
	}
	n := int(first & 0x7F)
	if n == 0 || n > 3 || i+n > len(b) {
		return 0, false
	}
	size := 0
	for _, v := range b[i : i+n] {
		size = size<<8 | int(v)
	}
	return i + n + size, true
}

// requestPersonalData returns the groups read as personal_data.
func (t *terminalAPI) requestPersonalData(s *terminalSession, _ terminalRequest) (any, *apiError) {
	if !s.read.done {
		return nil, failf("invalid_state", "the data groups are not read: finish read_dg first")
	}
	groups, err := terminal.ParseDataGroups(s.read.files)
	if err != nil {
		return nil, failf("invalid_card_data", "%v", err)
	}
	return map[string]any{
		"err":           "0",
		"personal_data": personalData(groups, s.variant.KeysWithoutColon),
	}, nil
}
