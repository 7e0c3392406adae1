package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/terminal"
)

// cardReader reads ID cards at the person's workstation through the
// browser relay: the server drives the terminal module of the КПСИС, and
// the page's relay script carries each card command to the client program
// on the person's computer, which the server cannot reach.
type cardReader struct {
	kpsisTerminal string
	relay         *terminal.BrowserRelay

	mu      sync.Mutex
	results map[string]*cardResult
}

// cardResult is the outcome of one card reading, as the page polls it.
type cardResult struct {
	Done    bool      `json:"done"`
	Error   string    `json:"error,omitempty"`
	Rows    []cardRow `json:"rows,omitempty"`
	expires time.Time
}

type cardRow struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

func newCardReader(kpsisTerminal string) *cardReader {
	return &cardReader{
		kpsisTerminal: kpsisTerminal,
		relay:         terminal.NewBrowserRelay(terminal.RelayConfig{}),
		results:       map[string]*cardResult{},
	}
}

// start opens a relay session and reads the card in the background; the
// returned ID names the session for the page's relay script.
func (cr *cardReader) start(d *Demo) (string, error) {
	channel, err := cr.relay.NewChannel()
	if err != nil {
		return "", err
	}
	id := channel.ID()
	cr.mu.Lock()
	now := time.Now()
	for key, r := range cr.results {
		if now.After(r.expires) {
			delete(cr.results, key)
		}
	}
	cr.results[id] = &cardResult{expires: now.Add(15 * time.Minute)}
	cr.mu.Unlock()

	go func() {
		defer channel.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		data, err := cr.read(ctx, channel, d)
		cr.mu.Lock()
		defer cr.mu.Unlock()
		result := cr.results[id]
		result.Done = true
		if err != nil {
			d.logger.Warn("demo: card reading failed", "error", err)
			result.Error = cardErrorMessage(err)
			return
		}
		result.Rows = cardRows(data)
	}()
	return id, nil
}

func (cr *cardReader) read(ctx context.Context, channel terminal.CardChannel,
	d *Demo) (*terminal.PersonalData, error) {

	session, err := terminal.NewSession(terminal.Config{KPSISURL: cr.kpsisTerminal,
		Channel: channel, Logger: d.logger})
	if err != nil {
		return nil, err
	}
	if err := session.Open(ctx); err != nil {
		return nil, err
	}
	defer session.Close(context.WithoutCancel(ctx))
	return session.ReadPersonalData(ctx)
}

// result serves the outcome of a reading as JSON.
func (cr *cardReader) result(w http.ResponseWriter, r *http.Request) {
	cr.mu.Lock()
	result, ok := cr.results[r.URL.Query().Get("session")]
	var body []byte
	if ok {
		body, _ = json.Marshal(result)
	}
	cr.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

func cardRows(p *terminal.PersonalData) []cardRow {
	rows := []cardRow{
		{"Идентификационный номер", p.PersonalNumber.String()},
		{"Фамилия, имя, отчество", join(p.Russian.Family, p.Russian.Given, p.Russian.Middle)},
		{"Прозвішча, імя, імя па бацьку", join(p.Belarusian.Family, p.Belarusian.Given,
			p.Belarusian.Middle)},
		{"Латиницей", join(p.Latin.Family, p.Latin.Given)},
		{"Дата рождения", cardDate(p.BirthDate)},
		{"Место рождения", p.PlaceOfBirthRussian},
		{"Гражданство", p.Citizenship},
		{"Документ", join(p.DocumentType, p.DocumentNumber)},
		{"Выдан", join(cardDate(p.DateOfIssuance), p.IssuanceBoard)},
		{"Действителен до", cardDate(p.DateOfExpiry)},
	}
	var out []cardRow
	for _, row := range rows {
		if row.Value != "" {
			out = append(out, row)
		}
	}
	return out
}

// cardDate writes a card's date as DD.MM.YYYY, keeping the card's form when
// the day or month is unknown.
func cardDate(d terminal.CardDate) string {
	if d.IsZero() || d.Day == 0 || d.Month == 0 {
		return d.String()
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year)
}

func join(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += p
	}
	return out
}
