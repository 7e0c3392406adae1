package persons_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/persons"
)

func TestDefaultFixtureDocuments(t *testing.T) {
	for _, p := range persons.Default().All() {
		require.NotNil(t, p.Document, "person %d", p.ID)
		assert.Equal(t, "IDC", p.Document.Type, "person %d", p.ID)
		assert.NotEmpty(t, p.Document.IssuingAuthority.Belarusian, "person %d", p.ID)
		assert.NotEmpty(t, p.Document.IssuingAuthority.Russian, "person %d", p.ID)
		assert.True(t, p.Document.Expires().After(p.Document.Issued()), "person %d", p.ID)
		require.NotNil(t, p.PlaceOfBirth, "person %d", p.ID)
		assert.NotEmpty(t, p.PlaceOfBirth.Russian, "person %d", p.ID)
		assert.Len(t, p.Citizenship, 3, "person %d", p.ID)
	}
}

func TestParseRejectsBadDocument(t *testing.T) {
	tests := []struct {
		name, document, want string
	}{
		{"short type", `{"type": "ID", "number": "100000000001",
			"issue_date": "2021-01-01", "expiry_date": "2031-01-01"}`, "three-letter"},
		{"short number", `{"type": "IDC", "number": "1234",
			"issue_date": "2021-01-01", "expiry_date": "2031-01-01"}`, "8 to 12"},
		{"bad issue date", `{"type": "IDC", "number": "100000000001",
			"issue_date": "01.01.2021", "expiry_date": "2031-01-01"}`, "issue_date"},
		{"bad expiry date", `{"type": "IDC", "number": "100000000001",
			"issue_date": "2021-01-01", "expiry_date": "2031-02-30"}`, "expiry_date"},
		{"expiry before issue", `{"type": "IDC", "number": "100000000001",
			"issue_date": "2021-01-01", "expiry_date": "2020-01-01"}`, "not after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fixture := fmt.Sprintf(`[{"id": 1, "personal_number": "3150385A001PB6",
				"document": %s}]`, tc.document)
			_, err := persons.Parse([]byte(fixture))
			require.Error(t, err)
			assert.ErrorContains(t, err, "person 1")
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
