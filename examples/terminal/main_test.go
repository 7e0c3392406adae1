package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/stack"
)

func runCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func TestReadPrintsPersonalData(t *testing.T) {
	out, err := runCommand(t, "read")
	require.NoError(t, err)
	assert.Contains(t, out, "Family name:     ІВАНОЎ / ИВАНОВ / IVANOU")
	assert.Contains(t, out, "Personal number: 3150385H001PB7")
	assert.Contains(t, out, "Birth date:      1985-03-15")
	assert.Contains(t, out, "Document:        IDC 100000000001")
	assert.Contains(t, out, "Expires:         2031-05-13")
}

func TestReadOtherPerson(t *testing.T) {
	out, err := runCommand(t, "-person", "2", "read")
	require.NoError(t, err)
	assert.Contains(t, out, "KAVALIOVA")
	assert.Contains(t, out, "Sex:             female")
}

func TestSignVerifiesSignature(t *testing.T) {
	out, err := runCommand(t, "sign", writeFile(t, "contract.txt", []byte("дамова")))
	require.NoError(t, err)
	assert.Contains(t, out, "signature (bign, 48 bytes):")
	assert.Contains(t, out, "verified under the certificate of Иванов Иван Иванович")
}

func TestStatusShowsDaysLeft(t *testing.T) {
	out, err := runCommand(t, "status")
	require.NoError(t, err)
	assert.Contains(t, out, "terminal certificate 001000000001, issued by BYTESTCA0000")
	assert.Contains(t, out, "valid, 30 days left")
	assert.Contains(t, out, "rights: eID: read DG1-DG11 DG15-DG18")
}

func TestExternalComponents(t *testing.T) {
	s, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.ClientProgram.InsertCard(3))
	base := []string{"-kpsis", s.KPSISTerminalURL, "-client-program", s.ClientProgramURL}

	out, err := runCommand(t, append(base, "read")...)
	require.NoError(t, err)
	assert.Contains(t, out, "ПЯТРОЎ / ПЕТРОВ / PIATROU")

	document := writeFile(t, "a.txt", []byte("a"))
	out, err = runCommand(t, append(base, "sign", document)...)
	require.NoError(t, err)
	assert.Contains(t, out, "not verified: no certificate of the card holder")

	certificate := writeFile(t, "holder.pem", pem.EncodeToMemory(&pem.Block{
		Type: "CERTIFICATE", Bytes: s.Card(3).SignerCertificate()}))
	out, err = runCommand(t, append(base, "-certificate", certificate, "sign", document)...)
	require.NoError(t, err)
	assert.Contains(t, out, "verified under the certificate of Петров Алексей Николаевич")

	s.ClientProgram.RemoveCard()
	_, err = runCommand(t, append(base, "read")...)
	assert.ErrorContains(t, err, "no card reader or card")
}

func TestArgumentErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "missing command"},
		{"unknown command", []string{"erase"}, `unknown command "erase"`},
		{"sign without file", []string{"sign"}, "sign takes 1 argument(s), got 0"},
		{"read with argument", []string{"read", "x"}, "read takes 0 argument(s), got 1"},
		{"unknown person", []string{"-person", "99", "read"}, "no card for person 99"},
		{"missing file", []string{"sign", "/nonexistent/file"}, "no such file"},
		{"bad certificate", []string{"-kpsis", "http://127.0.0.1:1", "-certificate",
			"/nonexistent.cer", "read"}, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCommand(t, tc.args...)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
