package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/pki"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

func runCommand(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestRequestWithEmbeddedFake(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tsok.csr")
	stdout, _, err := runCommand(t, "request", "-out", out)
	require.NoError(t, err)
	assert.Contains(t, stdout, "using a fake КПСИС at http://127.0.0.1:")
	assert.Contains(t, stdout, "wrote the request to "+out)
	assert.Contains(t, stdout, "keeps every rule of the ТСОК profile")

	data, err := os.ReadFile(out)
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	assert.Equal(t, "CERTIFICATE REQUEST", block.Type)
	r, err := tsok.ParseRequest(data)
	require.NoError(t, err)
	assert.Equal(t, "kpsis.example.by", r.Subject[0].Value)
}

func TestRequestFromStack(t *testing.T) {
	st, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	defer st.Close()
	dir := t.TempDir()
	passwords := filepath.Join(dir, "holders.txt")
	holders := []byte("один\nдва\r\nтри\n\nчетыре\nпять\n")
	require.NoError(t, os.WriteFile(passwords, holders, 0o600))
	subject := []string{"-cn", "kpsis.vector.by", "-description", "КПСИС «Вектор-Онлайн»",
		"-organization", "ОАО «Вектор»", "-locality", "г. Брест", "-state", "Брестская обл.",
		"-street", "ул. Советская, д. 1", "-email", "admin@vector.by",
		"-san", "kpsis.vector.by", "-san", "10.0.0.5"}

	tests := []struct {
		name string
		mode fault.Mode
		args []string
		want string
	}{
		{"healthy", fault.Healthy, []string{"-passwords-file", passwords}, ""},
		{"no passwords", fault.Healthy, nil, "-passwords-file is required"},
		{"missing passwords file", fault.Healthy,
			[]string{"-passwords-file", filepath.Join(dir, "none.txt")}, "none.txt"},
		{"four holders of five", fault.Healthy,
			[]string{"-passwords-file", passwords, "-users", "4"}, "passwords has 5 entries"},
		{"maintenance", fault.Maintenance, []string{"-passwords-file", passwords},
			"maintenance"},
		{"guessed field elsewhere", fault.Healthy,
			[]string{"-passwords-file", passwords, "-response-field", "csr"},
			`expected the certificate request as PEM or base64 DER in field "csr"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st.KPSISSwitch.Set(tt.mode)
			defer st.KPSISSwitch.Set(fault.Healthy)
			out := filepath.Join(dir, tt.name+".csr")
			args := append([]string{"request", "-kpsis-keygen", st.KeygenURL, "-out", out},
				subject...)
			stdout, _, err := runCommand(t, append(args, tt.args...)...)
			if tt.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				assert.NoFileExists(t, out)
				return
			}
			require.NoError(t, err)
			assert.NotContains(t, stdout, "fake КПСИС")
			assert.FileExists(t, out)
		})
	}
}

// writeRequest writes a request for the template, signed with a new key.
func writeRequest(t *testing.T, dir string, tmpl *tsok.RequestTemplate) string {
	t.Helper()
	key, err := tsok.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := tsok.CreateRequest(tmpl, key)
	require.NoError(t, err)
	path := filepath.Join(dir, "request.pem")
	require.NoError(t, os.WriteFile(path, tsok.EncodePEM(der), 0o600))
	return path
}

func TestCheck(t *testing.T) {
	good := tsok.RequestTemplate{CommonName: "kpsis.vector.by", Locality: "г. Брест",
		Street: "ул. Советская, д. 1", Organization: "ОАО «Вектор»", Description: "КПСИС",
		Email: "admin@vector.by", SubjectAltNames: []string{"kpsis.vector.by"}}
	russian, longStreet := good, good
	russian.Country = "RU"
	longStreet.Street = strings.Repeat("д", 70)

	tests := []struct {
		name    string
		tmpl    *tsok.RequestTemplate
		raw     []byte
		wantOut []string
		wantErr string
	}{
		{"good", &good, nil, []string{"keeps every rule"}, ""},
		{"warning only", &longStreet, nil,
			[]string{"warning subject.length", "with 1 warning(s)"}, ""},
		{"country RU", &russian, nil, []string{"error   subject.country", `"RU"`,
			"countryName организации-резидента — BY."}, "rules [subject.country]"},
		{"not a request", nil, []byte("hello"), nil, "neither PEM"},
		{"truncated DER", nil, []byte{0x30, 0x10, 0x30}, nil, "at offset 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "request.pem")
			if tt.tmpl != nil {
				path = writeRequest(t, dir, tt.tmpl)
			} else {
				require.NoError(t, os.WriteFile(path, tt.raw, 0o600))
			}
			stdout, _, err := runCommand(t, "check", path)
			for _, want := range tt.wantOut {
				assert.Contains(t, stdout, want)
			}
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestStatus(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	root, err := pki.NewRoot(pkix.Name{CommonName: "Тестовый корневой УЦ"}, now.AddDate(-3, 0, 0),
		now.AddDate(5, 0, 0))
	require.NoError(t, err)
	issue := func(from, until time.Time) []byte {
		key, err := bign.GenerateKey(rand.Reader)
		require.NoError(t, err)
		der, err := root.Issue(pki.Template{Subject: pkix.Name{CommonName: "kpsis.vector.by"},
			NotBefore: from, NotAfter: until}, key.PublicKey())
		require.NoError(t, err)
		return der
	}
	day := 24 * time.Hour

	tests := []struct {
		name    string
		data    []byte
		args    []string
		want    string
		wantErr string
	}{
		{"valid", issue(now.Add(-day), now.Add(100*day+time.Hour)), nil,
			"state:      valid", ""},
		{"renewal due", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
			Bytes: issue(now.Add(-day), now.Add(20*day+time.Hour))}), nil,
			"days left:  20", ""},
		{"due with a longer warning", issue(now.Add(-day), now.Add(50*day)),
			[]string{"-warn-days", "60"}, "state:      renewal_due", ""},
		{"expired", issue(now.Add(-400*day), now.Add(-3*day)), nil, "Срок действия ТСОК истёк",
			"the ТСОК is expired"},
		{"not yet valid", issue(now.Add(day), now.Add(300*day)), nil, "ТСОК начнёт действовать",
			"the ТСОК is not_yet_valid"},
		{"garbage", []byte("garbage"), nil, "", "attrcert"},
		{"zero warning", issue(now.Add(-day), now.Add(100*day)), []string{"-warn-days", "0"}, "",
			"-warn-days 0 must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tsok.cer")
			require.NoError(t, os.WriteFile(path, tt.data, 0o600))
			args := append(append([]string{"status"}, tt.args...), path)
			stdout, _, err := runCommand(t, args...)
			assert.Contains(t, stdout, tt.want)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "a command is required"},
		{"unknown command", []string{"renew"}, `unknown command "renew"`},
		{"check without file", []string{"check"}, "expected one FILE argument, got 0"},
		{"status with two files", []string{"status", "a", "b"},
			"expected one FILE argument, got 2"},
		{"request with an argument", []string{"request", "extra"}, `unexpected argument "extra"`},
		{"missing file", []string{"check", "/nonexistent/request.pem"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCommand(t, tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	stdout, _, err := runCommand(t, "help")
	assert.True(t, errors.Is(err, flag.ErrHelp))
	assert.Contains(t, stdout, "tsok check FILE")
	_, stderr, err := runCommand(t, "status", "-h")
	assert.True(t, errors.Is(err, flag.ErrHelp))
	assert.Contains(t, stderr, "-warn-days")
}
