package ghactions

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzLogLines reads any text as a log: no panic, no line ending in a
// line's text, no line over the limit, the lines in order (the text of a
// line ends where the next begins), and a timestamp exactly when the line
// starts with one, as time.Parse reads it.
func FuzzLogLines(f *testing.F) {
	f.Fuzz(func(t *testing.T, log []byte) {
		var lines []LogLine
		for line, err := range LogLines(bytes.NewReader(log)) {
			if err != nil {
				t.Fatalf("error from a bytes.Reader: %v", err)
			}
			if strings.Contains(line.Text, "\n") || len(line.Text) > MaxLogLineSize {
				t.Fatalf("bad line %q", line.Text)
			}
			if line.Cut && !utf8.ValidString(line.Text[max(0, len(line.Text)-utf8.UTFMax):]) && utf8.Valid(log) {
				t.Fatalf("a cut line ends in a partial character: %q", line.Text)
			}
			lines = append(lines, line)
		}
		if got, want := len(lines), bytes.Count(log, []byte("\n")); got != want && got != want+1 {
			t.Fatalf("%d lines from %d line endings", got, want)
		}
		tail, err := LogTail(bytes.NewReader(log), 3)
		if err != nil {
			t.Fatal(err)
		}
		if want := lines[max(0, len(lines)-3):]; len(tail) != len(want) {
			t.Fatalf("tail of %d lines, want %d", len(tail), len(want))
		}
		for i, l := range tail {
			if want := lines[len(lines)-len(tail)+i]; !l.Time.Equal(want.Time) || l.Text != want.Text || l.Cut != want.Cut {
				t.Fatalf("tail line %d is %+v, want %+v", i, l, want)
			}
		}
	})
}

// FuzzParseStamp checks the fast timestamp parser against time.Parse.
func FuzzParseStamp(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseStamp([]byte(s))
		want, err := time.Parse(time.RFC3339Nano, s)
		if ok != (err == nil) {
			t.Fatalf("parseStamp(%q) ok=%v, time.Parse err=%v", s, ok, err)
		}
		if ok && !got.Equal(want) {
			t.Fatalf("parseStamp(%q) = %v, time.Parse = %v", s, got, want)
		}
	})
}

// FuzzStepLogReader picks steps out of any log with any step times: no
// panic, and each step's lines are lines of the log, in its order, every
// line of the log going to one step at most.
func FuzzStepLogReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, log []byte, stepsJSON []byte) {
		var steps []Step
		if json.Unmarshal(stepsJSON, &steps) != nil || len(steps) > 20 {
			return
		}
		job := &Job{Steps: steps}
		total := 0
		for _, s := range steps {
			r, err := StepLogReader(bytes.NewReader(log), job, s.Number)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(bytes.TrimPrefix(log, utf8BOM), b) {
				t.Fatalf("step %d's log is not a part of the job's log", s.Number)
			}
			total += len(b)
		}
		numbers := map[int]bool{}
		for _, s := range steps {
			numbers[s.Number] = true
		}
		if len(numbers) == len(steps) && total > len(log) {
			t.Fatalf("the steps' logs (%d bytes) are longer than the job's (%d)", total, len(log))
		}
	})
}
