package ifyul_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

func ExampleNew() {
	// A fake ЕС ИФЮЛ on 127.0.0.1 replaces the real provider, the
	// information system's КПСИС and the client program.
	fake := ifyultest.NewServer()
	defer fake.Close()

	// In production Authority is left empty (DefaultAuthority), KPSISURL is
	// the КПСИС's address, such as "http://10.0.0.5:13000", and
	// ClientProgramURL is left empty (DefaultClientProgramURL).
	client, err := ifyul.New(ifyul.Config{
		Authority:        fake.ProviderURL,
		ClientID:         fake.ClientID,
		RedirectURL:      "https://rp.example/callback",
		KPSISURL:         fake.KPSISURL,
		ClientProgramURL: fake.ClientProgramURL,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.Flow().Name())
	// Output: kpsis
}

func ExampleClient_LoginHandler() {
	fake := ifyultest.NewServer()
	defer fake.Close()

	mux := http.NewServeMux()
	site := httptest.NewServer(mux)
	defer site.Close()

	client, err := ifyul.New(fake.Config(ifyultest.KPSISFlow, site.URL+"/callback", ""))
	if err != nil {
		fmt.Println(err)
		return
	}
	mux.Handle("GET /login", client.LoginHandler())
	mux.Handle("GET /callback", client.CallbackHandler())
	mux.Handle("POST /logout", client.LogoutHandler())
	mux.Handle("GET /me", client.RequireSession("/login",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, _ := ifyul.SessionFromContext(r.Context())
			fmt.Fprintln(w, s.Identity.Names.Russian)
			fmt.Fprintln(w, s.Identity.PersonalNumber)
		})))

	// /me sends the browser without a session to /login, which starts the
	// login. The fake's browser confirms the request with the client
	// program, picks test person 1 on the provider's page and returns.
	page, err := fake.NewBrowser().Login(site.URL+"/me", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(page.Body)
	// Output:
	// Иванов Иван Иванович
	// 3150385H001PB7
}

func ExampleErrorMessage() {
	for _, err := range []error{
		fmt.Errorf("ifyul: КПСИС login: %w", ifyul.ErrMaintenance),
		ifyul.ErrReplayedCallback,
		errors.New("something else"),
	} {
		status, message := ifyul.ErrorMessage(err)
		fmt.Println(status, message)
	}
	// Output:
	// 503 В ЕС ИФЮЛ проводятся технические работы. Повторите вход позже.
	// 400 Эта попытка входа уже использована. Начните вход заново.
	// 500 Не удалось выполнить вход через ЕС ИФЮЛ. Повторите попытку позже.
}
