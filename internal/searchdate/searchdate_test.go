package searchdate_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

// at parses an RFC 3339 instant for a test table.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		in  string
		yes []string // instants the Range must contain
		no  []string // instants it must not contain
	}{
		{
			in:  "2024-01-01",
			yes: []string{"2024-01-01T00:00:00Z", "2024-01-01T23:59:59.999999999Z", "2024-01-01T12:00:00+05:00"},
			no:  []string{"2023-12-31T23:59:59.999999999Z", "2024-01-02T00:00:00Z", "2024-01-01T00:00:00+00:01", "2024-01-01T23:59:59-00:01"},
		},
		{
			in:  ">2024-01-01",
			yes: []string{"2024-01-02T00:00:00Z", "9999-12-31T23:59:59Z"},
			no:  []string{"2024-01-01T23:59:59.999999999Z", "2024-01-01T00:00:00Z"},
		},
		{
			in:  ">=2024-01-01",
			yes: []string{"2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"},
			no:  []string{"2023-12-31T23:59:59.999999999Z"},
		},
		{
			in:  "<2024-01-01",
			yes: []string{"2023-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z"},
			no:  []string{"2024-01-01T00:00:00Z", "2024-01-01T12:00:00Z"},
		},
		{
			in:  "<=2024-01-01",
			yes: []string{"2024-01-01T23:59:59.999999999Z", "2023-12-31T00:00:00Z"},
			no:  []string{"2024-01-02T00:00:00Z"},
		},
		{
			in:  "2024-01-01..2024-01-31",
			yes: []string{"2024-01-01T00:00:00Z", "2024-01-15T12:00:00Z", "2024-01-31T23:59:59.999999999Z"},
			no:  []string{"2023-12-31T23:59:59.999999999Z", "2024-02-01T00:00:00Z"},
		},
		{
			in:  "2024-01-01..2024-01-01",
			yes: []string{"2024-01-01T00:00:00Z", "2024-01-01T23:59:59.999999999Z"},
			no:  []string{"2023-12-31T23:59:59.999999999Z", "2024-01-02T00:00:00Z"},
		},
		{
			in:  "2024-01-01..*",
			yes: []string{"2024-01-01T00:00:00Z", "9999-12-31T23:59:59Z"},
			no:  []string{"2023-12-31T23:59:59.999999999Z"},
		},
		{
			in:  "*..2024-01-01",
			yes: []string{"2024-01-01T23:59:59.999999999Z", "0001-01-01T00:00:00Z"},
			no:  []string{"2024-01-02T00:00:00Z"},
		},
		{
			in:  "2024-02-29",
			yes: []string{"2024-02-29T12:00:00Z"},
			no:  []string{"2024-03-01T00:00:00Z"},
		},
		{
			in:  "2023-12-31..2024-12-31",
			yes: []string{"2024-12-31T23:59:59.999999999Z"},
			no:  []string{"2025-01-01T00:00:00Z"},
		},
		{
			in:  "2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T10:00:00Z", "2024-06-01T12:00:00+02:00"},
			no:  []string{"2024-06-01T09:59:59.999999999Z", "2024-06-01T10:00:00.000000001Z"},
		},
		{
			in:  ">2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T10:00:00.000000001Z"},
			no:  []string{"2024-06-01T10:00:00Z", "2024-06-01T09:00:00Z"},
		},
		{
			in:  ">=2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T10:00:00Z", "2024-06-01T10:00:00.000000001Z"},
			no:  []string{"2024-06-01T09:59:59.999999999Z"},
		},
		{
			in:  "<2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T09:59:59.999999999Z"},
			no:  []string{"2024-06-01T10:00:00Z"},
		},
		{
			in:  "<=2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T10:00:00Z"},
			no:  []string{"2024-06-01T10:00:00.000000001Z", "2024-06-01T10:00:00.5Z"},
		},
		{
			// The example in GitHub's documentation, in a zone east of UTC.
			in:  "2017-01-01T01:00:00+07:00..2017-03-01T15:30:15+07:00",
			yes: []string{"2016-12-31T18:00:00Z", "2017-03-01T08:30:15Z", "2017-01-01T01:00:00+07:00"},
			no:  []string{"2016-12-31T17:59:59.999999999Z", "2017-03-01T08:30:15.000000001Z"},
		},
		{
			// The other example there, in UTC.
			in:  "2016-03-21T14:11:00Z..2016-04-07T20:45:00Z",
			yes: []string{"2016-03-21T14:11:00Z", "2016-04-07T20:45:00Z"},
			no:  []string{"2016-03-21T14:10:59Z", "2016-04-07T20:45:01Z"},
		},
		{
			in:  ">=2024-01-01T00:00:00-05:30",
			yes: []string{"2024-01-01T05:30:00Z"},
			no:  []string{"2024-01-01T05:29:59.999999999Z", "2024-01-01T00:00:00Z"},
		},
		{
			in:  "<2024-01-01T00:00:00+23:59",
			yes: []string{"2023-12-31T00:00:59.999999999Z"},
			no:  []string{"2023-12-31T00:01:00Z"},
		},
		{
			// -00:00 names the same instant as Z.
			in:  "2024-01-01T00:00:00-00:00",
			yes: []string{"2024-01-01T00:00:00Z"},
			no:  []string{"2024-01-01T00:00:01Z"},
		},
		{
			// A date and a date-time mix: the day's start, the instant's end.
			in:  "2024-01-01..2024-01-01T00:00:00Z",
			yes: []string{"2024-01-01T00:00:00Z"},
			no:  []string{"2023-12-31T23:59:59.999999999Z", "2024-01-01T00:00:00.000000001Z"},
		},
		{
			in:  "2024-01-01T12:00:00Z..2024-01-01",
			yes: []string{"2024-01-01T12:00:00Z", "2024-01-01T23:59:59.999999999Z"},
			no:  []string{"2024-01-01T11:59:59.999999999Z", "2024-01-02T00:00:00Z"},
		},
		{
			in:  "2024-06-01T10:00:00Z..2024-06-01T10:00:00Z",
			yes: []string{"2024-06-01T10:00:00Z"},
			no:  []string{"2024-06-01T09:59:59.999999999Z", "2024-06-01T10:00:00.000000001Z"},
		},
		{
			in:  "2024-06-01T10:00:00+02:00..*",
			yes: []string{"2024-06-01T08:00:00Z"},
			no:  []string{"2024-06-01T07:59:59.999999999Z"},
		},
		{
			in:  "*..2024-06-01T23:59:59Z",
			yes: []string{"2024-06-01T23:59:59Z"},
			no:  []string{"2024-06-01T23:59:59.000000001Z"},
		},
		{
			in:  "0000-01-01",
			yes: []string{"0000-01-01T00:00:00Z", "0000-01-01T23:59:59.999999999Z"},
			no:  []string{"0000-01-02T00:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := searchdate.Parse(tt.in)
			require.NoError(t, err)
			for _, s := range tt.yes {
				assert.True(t, r.Contains(at(t, s)), "%s should contain %s", tt.in, s)
			}
			for _, s := range tt.no {
				assert.False(t, r.Contains(at(t, s)), "%s should not contain %s", tt.in, s)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in, err string
	}{
		{"", `searchdate: empty value`},
		{" 2024-01-01", `searchdate: " 2024-01-01": contains whitespace`},
		{"2024-01-01\n", `searchdate: "2024-01-01\n": contains whitespace`},
		{"2024-01-01 .. 2024-01-02", `searchdate: "2024-01-01 .. 2024-01-02": contains whitespace`},
		// An unescaped + in a URL query decodes to a space.
		{"2024-01-01T00:00:00 05:00", `searchdate: "2024-01-01T00:00:00 05:00": contains whitespace`},
		{"\u00a02024-01-01", `searchdate: "\u00a02024-01-01": contains whitespace`},

		{"yesterday", `searchdate: "yesterday": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"*", `searchdate: "*": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-1-01", `searchdate: "2024-1-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"YYYY-MM-DD", `searchdate: "YYYY-MM-DD": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00:00+0x:00", `searchdate: "2024-01-01T10:00:00+0x:00": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"20240101", `searchdate: "20240101": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024/01/01", `searchdate: "2024/01/01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"12024-01-01", `searchdate: "12024-01-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01", `searchdate: "2024-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"=2024-01-01", `searchdate: "=2024-01-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00Z", `searchdate: "2024-01-01T10:00Z": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00+02:00", `searchdate: "2024-01-01T10:00+02:00": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00:00", `searchdate: "2024-01-01T10:00:00": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00:00.5Z", `searchdate: "2024-01-01T10:00:00.5Z": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01t10:00:00z", `searchdate: "2024-01-01t10:00:00z": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00:00+0200", `searchdate: "2024-01-01T10:00:00+0200": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01T10:00:00+02", `searchdate: "2024-01-01T10:00:00+02": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01Z", `searchdate: "2024-01-01Z": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"２０２４-01-01", `searchdate: "２０２４-01-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},

		{"2024-13-01", `searchdate: "2024-13-01": month out of range`},
		{"2024-00-10", `searchdate: "2024-00-10": month out of range`},
		{"2024-02-30", `searchdate: "2024-02-30": day out of range`},
		{"2023-02-29", `searchdate: "2023-02-29": day out of range`},
		{"2024-04-31", `searchdate: "2024-04-31": day out of range`},
		{"2024-01-00", `searchdate: "2024-01-00": day out of range`},
		{"2024-01-01T24:00:00Z", `searchdate: "2024-01-01T24:00:00Z": hour out of range`},
		{"2024-01-01T10:60:00Z", `searchdate: "2024-01-01T10:60:00Z": minute out of range`},
		{"2016-12-31T23:59:60Z", `searchdate: "2016-12-31T23:59:60Z": second out of range`},
		{"2024-01-01T10:00:00+24:00", `searchdate: "2024-01-01T10:00:00+24:00": UTC offset out of range`},
		{"2024-01-01T10:00:00-05:60", `searchdate: "2024-01-01T10:00:00-05:60": UTC offset out of range`},

		{">", `searchdate: ">": missing date`},
		{"<=", `searchdate: "<=": missing date`},
		{">*", `searchdate: "*" in ">*": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{">>2024-01-01", `searchdate: ">2024-01-01" in ">>2024-01-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"<2024-02-30", `searchdate: "2024-02-30" in "<2024-02-30": day out of range`},
		{">=2024-01-01..*", `searchdate: ">=2024-01-01..*": an operator cannot be combined with a range`},

		{"*..*", `searchdate: "*..*": a range needs at least one date; leave the qualifier out to match every date`},
		{"..", `searchdate: "..": a range needs a date or * on each side of its ".."`},
		{"..2024-01-01", `searchdate: "..2024-01-01": a range needs a date or * on each side of its ".."`},
		{"2024-01-01..", `searchdate: "2024-01-01..": a range needs a date or * on each side of its ".."`},
		{"2024-01-01...2024-01-02", `searchdate: ".2024-01-02" in "2024-01-01...2024-01-02": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01..2024-01-02..2024-01-03", `searchdate: "2024-01-02..2024-01-03" in "2024-01-01..2024-01-02..2024-01-03": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},
		{"2024-01-01..2024-13-01", `searchdate: "2024-13-01" in "2024-01-01..2024-13-01": month out of range`},
		{"2024-02-30..*", `searchdate: "2024-02-30" in "2024-02-30..*": day out of range`},
		{"*..>2024-01-01", `searchdate: ">2024-01-01" in "*..>2024-01-01": not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm`},

		{"2024-01-02..2024-01-01", `searchdate: "2024-01-02..2024-01-01": start is after end`},
		{"2024-01-01T00:00:01Z..2024-01-01T00:00:00Z", `searchdate: "2024-01-01T00:00:01Z..2024-01-01T00:00:00Z": start is after end`},
		// 00:00Z to 23:00Z the day before: the clock reads 01:00 in both.
		{"2024-01-01T01:00:00+01:00..2024-01-01T01:00:00+02:00", `searchdate: "2024-01-01T01:00:00+01:00..2024-01-01T01:00:00+02:00": start is after end`},
		// January 1 ends just before this instant begins.
		{"2024-01-02T00:00:00Z..2024-01-01", `searchdate: "2024-01-02T00:00:00Z..2024-01-01": start is after end`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := searchdate.Parse(tt.in)
			assert.EqualError(t, err, tt.err)
		})
	}
}

func TestParseSameInstantInTwoZones(t *testing.T) {
	r, err := searchdate.Parse("2024-01-01T01:00:00+01:00..2024-01-01T02:00:00+02:00")
	require.NoError(t, err)
	assert.True(t, r.Contains(at(t, "2024-01-01T00:00:00Z")))
	assert.False(t, r.Contains(at(t, "2024-01-01T00:00:01Z")))
}

func TestContainsIgnoresLocationAndMonotonicClock(t *testing.T) {
	r, err := searchdate.Parse("2024-01-01")
	require.NoError(t, err)
	tokyo := time.FixedZone("JST", 9*3600)
	// 08:59 in Tokyo on January 2 is still January 1 in UTC.
	assert.True(t, r.Contains(time.Date(2024, 1, 2, 8, 59, 59, 0, tokyo)))
	assert.False(t, r.Contains(time.Date(2024, 1, 2, 9, 0, 0, 0, tokyo)))

	now, err := searchdate.Parse(">=2000-01-01")
	require.NoError(t, err)
	assert.True(t, now.Contains(time.Now()), "time.Now carries a monotonic reading")
}

func TestZeroRangeContainsEverything(t *testing.T) {
	var r searchdate.Range
	assert.True(t, r.Contains(time.Time{}))
	assert.True(t, r.Contains(time.Now()))
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-01-01", "2024-01-01T00:00:00Z..2024-01-01T23:59:59Z"},
		{">2024-01-01", ">=2024-01-02T00:00:00Z"},
		{">=2024-01-01", ">=2024-01-01T00:00:00Z"},
		{"<2024-01-01", "<=2023-12-31T23:59:59Z"},
		{"<=2024-01-01", "<=2024-01-01T23:59:59Z"},
		{"2024-01-01..2024-01-31", "2024-01-01T00:00:00Z..2024-01-31T23:59:59Z"},
		{"2024-01-01..*", ">=2024-01-01T00:00:00Z"},
		{"*..2024-01-01", "<=2024-01-01T23:59:59Z"},
		{">2024-01-01T10:00:00Z", ">=2024-01-01T10:00:01Z"},
		{"<2024-01-01T10:00:00+02:00", "<=2024-01-01T07:59:59Z"},
		{"2024-01-01T10:00:00-01:30", "2024-01-01T11:30:00Z..2024-01-01T11:30:00Z"},
		{"0000-01-01T00:30:00+01:00..2024-01-01", ""}, // a bound in the year -1
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := searchdate.Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.String())
		})
	}
	assert.Empty(t, searchdate.Range{}.String(), "the Range without bounds")
}

func TestThrough(t *testing.T) {
	tests := []struct {
		in, through, want string
		empty             bool
	}{
		{">=2024-01-01", "2024-03-05T10:11:12Z", "2024-01-01T00:00:00Z..2024-03-05T10:11:12Z", false},
		{"2024-01-01..2024-01-31", "2024-01-15T00:00:00Z", "2024-01-01T00:00:00Z..2024-01-15T00:00:00Z", false},
		{"2024-01-01..2024-01-31", "2024-02-15T00:00:00Z", "2024-01-01T00:00:00Z..2024-01-31T23:59:59Z", false},
		{"<2024-01-31", "2024-01-31T00:00:00Z", "<=2024-01-30T23:59:59Z", false},
		{"<=2024-01-31T00:00:00Z", "2024-01-31T00:00:00Z", "<=2024-01-31T00:00:00Z", false},
		{">=2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z..2024-01-01T00:00:00Z", false},
		{">=2024-01-01", "2023-12-31T23:59:59Z", "", true},
		{">2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "", true},
		{">2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5Z", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in+" through "+tt.through, func(t *testing.T) {
			r, err := searchdate.Parse(tt.in)
			require.NoError(t, err)
			got := r.Through(at(t, tt.through))
			assert.Equal(t, tt.want, got.String())
			assert.Equal(t, tt.empty, got.Empty())
		})
	}
	got := searchdate.Range{}.Through(at(t, "2024-03-05T10:11:12Z"))
	assert.Equal(t, "<=2024-03-05T10:11:12Z", got.String())
	assert.True(t, got.Contains(at(t, "2024-03-05T10:11:12Z")))
	assert.False(t, got.Contains(at(t, "2024-03-05T10:11:12.000000001Z")))
}

// FuzzParse checks that no input makes Parse or, for accepted input,
// Contains panic, and that Parse's answers keep the package's promises.
// Its seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	probes := []time.Time{
		{},
		time.Date(-10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 23, 59, 59, 999999999, time.FixedZone("", -86340)),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1e6, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	// Whole seconds, as GitHub's timestamps are, around the seeds' dates.
	seconds := []time.Time{
		time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 1, 0, time.UTC),
		time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 5, 10, 11, 12, 0, time.UTC),
		time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := searchdate.Parse(s)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "searchdate: "), "error %q lacks the package prefix", err)
			return
		}
		assert.NotEmpty(t, s)
		assert.Equal(t, -1, strings.IndexFunc(s, unicode.IsSpace), "accepted whitespace")
		for _, p := range probes {
			r.Contains(p)
		}
		// String writes what Parse reads back, holding the same whole
		// seconds; Through cuts at its instant, included.
		w := r.String()
		if w == "" {
			return
		}
		back, err := searchdate.Parse(w)
		require.NoError(t, err, "Parse(%q) of String of %q", w, s)
		assert.Equal(t, w, back.String())
		for _, p := range seconds {
			assert.Equal(t, r.Contains(p), back.Contains(p), "%v in %q and in its String %q", p, s, w)
			cut := r.Through(p)
			for _, q := range seconds {
				assert.Equal(t, r.Contains(q) && !q.After(p), cut.Contains(q), "%v in %q through %v", q, s, p)
			}
			if cut.Empty() {
				assert.Empty(t, cut.String())
				for _, q := range seconds {
					assert.False(t, cut.Contains(q))
				}
			}
		}
	})
}
