package persons_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/fake/persons"
)

func TestDefaultFixture(t *testing.T) {
	set := persons.Default()
	require.NotEmpty(t, set.All())

	for _, p := range set.All() {
		number, err := ifyul.ParsePersonalNumber(p.PersonalNumber)
		require.NoError(t, err, "person %d", p.ID)
		// The provider sends the fixture's number as it is written, so it
		// must already be in the canonical form.
		assert.Equal(t, number.String(), p.PersonalNumber, "person %d", p.ID)
		assert.Same(t, p, set.ByID(p.ID))
		assert.Same(t, p, set.BySubject(p.Subject()))
		assert.NotEmpty(t, p.Names.Russian.Family, "person %d", p.ID)
		assert.NotEmpty(t, p.Names.Belarusian.Family, "person %d", p.ID)
		assert.NotEmpty(t, p.Names.Latin.Family, "person %d", p.ID)
	}
}

func TestDefaultFixtureMatchesNumbers(t *testing.T) {
	for _, p := range persons.Default().All() {
		number, err := ifyul.ParsePersonalNumber(p.PersonalNumber)
		require.NoError(t, err, "person %d", p.ID)
		assert.Equal(t, number.BirthDate().Format("2006-01-02"), p.BirthDate,
			"person %d: birth_date differs from the personal number", p.ID)
		sex := map[ifyul.Sex]string{ifyul.SexMale: "M", ifyul.SexFemale: "F"}[number.Sex()]
		assert.Equal(t, sex, p.Sex, "person %d: sex differs from the personal number", p.ID)
	}
}

func TestLookupMisses(t *testing.T) {
	set := persons.Default()

	assert.Nil(t, set.ByID(0))
	assert.Nil(t, set.ByID(-1))
	assert.Nil(t, set.ByID(1<<30))
	assert.Nil(t, set.BySubject(""))
	assert.Nil(t, set.BySubject("fake-person-"))
	assert.Nil(t, set.BySubject("fake-person-1 "))
}

func TestParseValid(t *testing.T) {
	set, err := persons.Parse([]byte(`[
		{"id": 7, "personal_number": "3150385A001PB6", "sex": "M"},
		{"id": 2, "personal_number": "4220792C012PB1",
		 "residence_place": {"full_address": "г. Минск"}}
	]`))
	require.NoError(t, err)

	require.Len(t, set.All(), 2)
	assert.Equal(t, 7, set.All()[0].ID, "fixture order is kept")
	assert.Equal(t, "fake-person-7", set.All()[0].Subject())
	require.NotNil(t, set.ByID(2))
	require.NotNil(t, set.ByID(2).ResidencePlace)
	assert.Equal(t, "г. Минск", set.ByID(2).ResidencePlace.FullAddress)
	assert.Nil(t, set.ByID(7).ResidencePlace)
}

func TestParseMalformed(t *testing.T) {
	const valid = `"personal_number": "3150385A001PB6"`
	tests := []struct {
		name    string
		fixture string
		// wantText lists fragments the error must contain, so that it
		// names the entry and the field at fault.
		wantText []string
	}{
		{"empty input", ``, []string{"persons: "}},
		{"not JSON", `persons`, []string{"persons: ", "invalid character"}},
		{"truncated", `[{"id": 1, ` + valid, []string{"persons: ", "unexpected end"}},
		{"object instead of list", `{"id": 1, ` + valid + `}`, []string{"persons: ", "object"}},
		{"null", `null`, []string{"no persons"}},
		{"empty list", `[]`, []string{"no persons"}},
		{"null entry", `[null]`, []string{"entry 0", "null"}},
		{"null after a person", `[{"id": 1, ` + valid + `}, null]`, []string{"entry 1", "null"}},
		{"string entry", `["3150385A001PB6"]`, []string{"persons: ", "string"}},
		{"id as string", `[{"id": "1", ` + valid + `}]`, []string{"persons: ", "id"}},
		{"id fractional", `[{"id": 1.5, ` + valid + `}]`, []string{"persons: ", "id"}},
		{"id overflows int", `[{"id": 1e40, ` + valid + `}]`, []string{"persons: ", "id"}},
		{"id missing", `[{` + valid + `}]`, []string{"entry 0", "id 0"}},
		{"id zero", `[{"id": 0, ` + valid + `}]`, []string{"entry 0", "id 0"}},
		{"id negative", `[{"id": -3, ` + valid + `}]`, []string{"entry 0", "id -3"}},
		{
			"id duplicate",
			`[{"id": 4, ` + valid + `}, {"id": 5, ` + valid + `}, {"id": 4, ` + valid + `}]`,
			[]string{"entry 2", "id 4"},
		},
		{"personal number missing", `[{"id": 9}]`, []string{"person 9", "personal number"}},
		{
			"personal number check digit",
			`[{"id": 9, "personal_number": "3150385A001PB7"}]`,
			[]string{"person 9", "check digit"},
		},
		{
			"personal number region",
			`[{"id": 11, "personal_number": "3150385X001PB6"}]`,
			[]string{"person 11", "position 8"},
		},
		{
			"personal number too short",
			`[{"id": 12, "personal_number": "3150385A001PB"}]`,
			[]string{"person 12", "personal number"},
		},
		{
			"personal number of the second person",
			`[{"id": 1, ` + valid + `}, {"id": 2, "personal_number": "3150385A001PB7"}]`,
			[]string{"person 2", "check digit"},
		},
		{
			"personal number not a string",
			`[{"id": 1, "personal_number": 31503850011}]`,
			[]string{"persons: ", "personal_number"},
		},
		{
			"names not an object",
			`[{"id": 1, ` + valid + `, "names": "Иванов"}]`,
			[]string{"persons: ", "names"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := persons.Parse([]byte(tt.fixture))
			require.Error(t, err)
			assert.Nil(t, set)
			for _, want := range tt.wantText {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestParseWrapsPersonalNumberError(t *testing.T) {
	_, err := persons.Parse([]byte(`[{"id": 3, "personal_number": "3150385A001PB7"}]`))
	require.Error(t, err)

	assert.ErrorIs(t, err, ifyul.ErrInvalidPersonalNumber)
	var pnErr *ifyul.PersonalNumberError
	require.True(t, errors.As(err, &pnErr))
	assert.Equal(t, 14, pnErr.Position)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good,
		[]byte(`[{"id": 1, "personal_number": "3150385A001PB6"}]`), 0o600))
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`[{"id": 0}]`), 0o600))

	set, err := persons.Load(good)
	require.NoError(t, err)
	assert.Len(t, set.All(), 1)

	_, err = persons.Load(bad)
	assert.ErrorContains(t, err, "id 0")

	_, err = persons.Load(filepath.Join(dir, "missing.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`[{"id": 1, "personal_number": "3150385A001PB6"}]`,
		`[{"id": 1, "personal_number": "3150385A001PB6"}, {"id": 1}]`,
		`[null]`,
		`[{"id": 2, "personal_number": "3150385A001PB7"}]`,
		`[{"id": 3, "personal_number": " 3150385a001pb6 ", "names": {"be": {}}}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, fixture []byte) {
		set, err := persons.Parse(fixture)
		if err != nil {
			assert.Nil(t, set)
			return
		}

		require.NotEmpty(t, set.All())
		seen := map[int]bool{}
		for _, p := range set.All() {
			require.NotNil(t, p)
			assert.Positive(t, p.ID)
			assert.False(t, seen[p.ID], "id %d accepted twice", p.ID)
			seen[p.ID] = true
			_, err := ifyul.ParsePersonalNumber(p.PersonalNumber)
			assert.NoError(t, err, "person %d", p.ID)
			assert.Same(t, p, set.ByID(p.ID))
		}

		// What Parse accepts survives a round trip through JSON.
		again, err := json.Marshal(set.All())
		require.NoError(t, err)
		reparsed, err := persons.Parse(again)
		require.NoError(t, err)
		assert.Equal(t, set.All(), reparsed.All())
	})
}
