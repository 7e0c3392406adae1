package terminal_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/esiful/sdk-go/internal/fake/stack"
	"github.com/esiful/sdk-go/terminal"
)

// A program at the workstation reads the ID card in the reader through the
// client program on the same computer. Here the fake stack plays the
// КПСИС, the client program and the card.
func ExampleSession() {
	fake, err := stack.Start(stack.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	if err := fake.ClientProgram.InsertCard(1); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	session, err := terminal.NewSession(terminal.Config{
		KPSISURL: fake.KPSISTerminalURL,
		Channel:  terminal.NewClientProgramChannel(fake.ClientProgramURL),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := session.Open(ctx); err != nil {
		log.Fatal(err)
	}
	defer session.Close(ctx)

	data, err := session.ReadPersonalData(ctx, terminal.DG4, terminal.DG5, terminal.DG8)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(data.Russian.Family, data.Russian.Given, data.BirthDate.Year)

	sig, err := session.Sign(ctx, []byte("Заявление"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sig.Format, len(sig.Value))
	// Output:
	// ИВАНОВ ИВАН 1985
	// bign 48
}

// A web system mounts the relay next to its pages and opens a relay channel
// per card session. The page that the person keeps open includes the relay
// script with the channel's ID.
func ExampleBrowserRelay() {
	relay := terminal.NewBrowserRelay(terminal.RelayConfig{})
	mux := http.NewServeMux()
	mux.Handle("/terminal-relay/", http.StripPrefix("/terminal-relay", relay))

	mux.HandleFunc("GET /card", func(w http.ResponseWriter, r *http.Request) {
		channel, err := relay.NewChannel()
		if err != nil {
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, `<script src="/terminal-relay/relay.js" data-session="%s"></script>`,
			channel.ID())

		// The session runs while the page relays; the handler that reads
		// the card is elsewhere, in a goroutine or a later request.
		go func() {
			defer channel.Close()
			session, err := terminal.NewSession(terminal.Config{
				KPSISURL: "http://kpsis.internal:48777", Channel: channel})
			if err != nil {
				return
			}
			ctx := context.Background()
			if err := session.Open(ctx); err != nil {
				return
			}
			defer session.Close(ctx)
			_, _ = session.ReadPersonalData(ctx)
		}()
	})
	_ = mux
}
