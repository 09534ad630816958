package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// ghrunsAt runs the command line in demo mode with the fake GitHub's clock
// at start, and returns its output.
func ghrunsAt(t *testing.T, start time.Time, args ...string) string {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_API_URL", "")
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut, ghactionstest.WithClock(func() time.Time { return start }))
	require.Equal(t, exitOK, code, errOut.String())
	return out.String()
}

// What differs between two starts of the demo: the ages and times, the port,
// and the spaces that line up columns of ages.
var (
	ages    = regexp.MustCompile(`(just now|\d+[mhd] ago)`)
	times   = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`)
	address = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	spaces  = regexp.MustCompile(` +`)
)

// The demo shows the same runs, commits included, whenever it starts.
func TestDemoIsTheSameOnEveryStart(t *testing.T) {
	first := time.Now().Truncate(time.Second)
	second := first.Add(-25*time.Hour - 17*time.Second)
	for _, args := range [][]string{
		{"list", "-limit", "0"},
		{"view", "10000000039"},
		{"view", "-attempt", "1", "10000000040"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			normalise := func(out string) string {
				out = ages.ReplaceAllString(out, "AGE")
				out = times.ReplaceAllString(out, "TIME")
				out = address.ReplaceAllString(out, "HOST")
				return spaces.ReplaceAllString(out, " ")
			}
			out := ghrunsAt(t, first, args...)
			assert.Contains(t, out, "100000000")
			assert.Equal(t, normalise(out), normalise(ghrunsAt(t, second, args...)))
		})
	}
}
