package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
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

// In demo mode, ages and times are reckoned on the fake's clock, however far
// it is from the time of day.
func TestDemoAgesFollowTheFakesClock(t *testing.T) {
	lastYear := time.Now().AddDate(-1, 0, 0)
	out := ghrunsAt(t, lastYear, "list")
	assert.Regexp(t, `(?m)^queued +Add OAuth login .* 1m ago$`, out)
	assert.NotContains(t, out, "365d ago")
}

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

// In demo mode, the runs under way move on: watching the CI run in
// progress ends by itself once it has completed. The fake's clock, shared
// with the client, makes the polls take no real time.
func TestWatchInDemoModeEnds(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_API_URL", "")
	start := time.Now().Truncate(time.Second)
	clock := ghactionstest.NewClock(start)
	inProgress := demoRun(t, withStatus(ghactions.StatusInProgress))
	var out, errOut bytes.Buffer
	bounded := boundedClock{clock, start.Add(time.Hour)}
	code := run([]string{"watch", "-exit-status", id(inProgress)}, &out, &errOut, ghactionstest.WithSharedClock(bounded))
	require.Equal(t, exitOK, code, errOut.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Regexp(t, `^run `+id(inProgress)+` \(CI, attempt 1\): in_progress after \d+s$`, lines[0])
	assert.Regexp(t, `^run `+id(inProgress)+` \(CI, attempt 1\): success after \d+s$`, lines[len(lines)-1])
	waited := clock.Now().Sub(start)
	assert.GreaterOrEqual(t, waited, 9*time.Second, "the run takes nine one-second steps")
	assert.Less(t, waited, 15*time.Second, "polls 5 s apart, give or take a tenth")
}

// boundedClock is a virtual clock that will not sleep past a limit: a watch
// that would never end fails instead of polling for ever.
type boundedClock struct {
	*ghactionstest.Clock
	limit time.Time
}

func (c boundedClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.Now().After(c.limit) {
		return errors.New("the virtual clock passed its limit")
	}
	return c.Clock.Sleep(ctx, d)
}
