package ghactionstest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/seed42f0b14b/ghactions"
)

const (
	// maxNameUnits is where GitHub cuts job names in archive paths, counted
	// in UTF-16 code units: a .NET service writes the archive.
	maxNameUnits = 90
	// bom starts every file of the archive, as it starts GitHub's.
	bom = "\uFEFF"
	// logTime is the runner's timestamp: RFC 3339 with seven decimals.
	logTime = "2006-01-02T15:04:05.0000000Z"
)

// shells are what the runner prints as the shell of a run step, per runner.
var shells = map[string]string{
	"UBUNTU":  "/usr/bin/bash -e {0}",
	"MACOS":   "/bin/bash -e {0}",
	"WINDOWS": `C:\Program Files\PowerShell\7\pwsh.EXE -command ". '{0}'"`,
}

// buildArchive writes the log archive of an attempt as GitHub lays it out:
// for each job that ran in the attempt, in order, "N_name.txt" at the top
// (N counting from 1) with the job's whole log, followed by a folder "name"
// with "N_step.txt" for each step that ran. The job's name loses the
// characters a Windows file name cannot hold and is cut at 90 UTF-16 code
// units; jobs that share a name share a folder, as on GitHub.
func buildArchive(a *attemptState) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := 0
	for _, j := range a.jobs {
		if !j.ran() || j.attempt != a.number {
			continue // a job the attempt kept from an earlier one has its log there
		}
		n++
		name := archiveName(j.Name)
		steps := stepLogs(j, a.debugLogging)
		writeEntry(zw, fmt.Sprintf("%d_%s.txt", n, name), j.CompletedAt, bom+strings.Join(steps, ""))
		for i, text := range steps {
			writeEntry(zw, fmt.Sprintf("%s/%d_%s.txt", name, i+1, stepFileName(j.Steps[i].Name)), j.CompletedAt, bom+text)
		}
	}
	if err := zw.Close(); err != nil {
		panic(fmt.Sprintf("ghactionstest: writing a zip in memory: %v", err)) // a bytes.Buffer does not fail
	}
	return buf.Bytes()
}

func writeEntry(zw *zip.Writer, name string, modified time.Time, text string) {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err == nil {
		_, err = w.Write([]byte(text))
	}
	if err != nil {
		panic(fmt.Sprintf("ghactionstest: writing a zip in memory: %v", err)) // a bytes.Buffer does not fail
	}
}

// stepLogs writes the log of each step of a job that ran, its lines spread
// over the step's time. A step that runs a command opens with the runner's
// "##[group]Run …" block, which log readers split job logs at; the runner's
// own steps ("Set up job", "Complete job", "Post …") print their lines
// alone. With debug logging, each step is framed by the runner's debug
// lines. A step cut short ends as the job did (cancelled).
func stepLogs(j *Job, debug bool) []string {
	spans := j.stepSpans()
	logs := make([]string, len(spans))
	for i, sp := range spans {
		st := j.Steps[i]
		var lines []string
		if debug {
			lines = append(lines, "##[debug]Evaluating condition for step: '"+st.Name+"'", "##[debug]Starting: "+st.Name)
		}
		if !runnerStep(st.Name) {
			cmd := strings.TrimPrefix(st.Name, "Run ")
			lines = append(lines, "##[group]Run "+cmd, cmd, "shell: "+shells[j.RunnerOS], "##[endgroup]")
		}
		lines = append(lines, st.Log...)
		conclusion := st.Conclusion
		if sp.cut && conclusion == "" {
			conclusion = j.Conclusion
		}
		switch conclusion {
		case ghactions.ConclusionFailure:
			lines = append(lines, "##[error]Process completed with exit code 1.")
		case ghactions.ConclusionTimedOut:
			lines = append(lines, "##[error]The action '"+st.Name+"' has timed out after 360 minutes.")
		case ghactions.ConclusionCancelled:
			lines = append(lines, "##[error]The operation was canceled.")
		}
		if debug {
			lines = append(lines, "##[debug]Finishing: "+st.Name)
		}
		per := sp.end.Sub(sp.start)
		var b strings.Builder
		for k, line := range lines {
			at := sp.start.Add(per * time.Duration(k) / time.Duration(len(lines)+1))
			b.WriteString(at.UTC().Format(logTime) + " " + line + "\n")
		}
		logs[i] = b.String()
	}
	return logs
}

// stepSpan is when a step ran, and whether the job's end cut it short.
type stepSpan struct {
	start, end time.Time
	cut        bool
}

// stepSpans tells when each step of j that ran started and ended: as live
// mode ran them, up to the job's end when it was stopped early (cancelled);
// otherwise every step, sharing the job's time evenly.
func (j *Job) stepSpans() []stepSpan {
	if j.live.starts != nil {
		stop := j.live.end
		if !j.live.done && !j.CompletedAt.IsZero() && j.CompletedAt.Before(stop) {
			stop = j.CompletedAt
		}
		var spans []stepSpan
		for i, start := range j.live.starts {
			if i > 0 && !start.Before(stop) {
				break
			}
			end := j.live.end
			if i+1 < len(j.live.starts) {
				end = j.live.starts[i+1]
			}
			if end.After(stop) {
				spans = append(spans, stepSpan{start: start, end: later(stop, start), cut: true})
				break
			}
			spans = append(spans, stepSpan{start: start, end: end})
		}
		return spans
	}
	n := time.Duration(max(len(j.Steps), 1))
	end := j.CompletedAt
	if end.IsZero() {
		end = j.StartedAt.Add(stepTime * n)
	}
	per := end.Sub(j.StartedAt) / n
	spans := make([]stepSpan, len(j.Steps))
	for i := range spans {
		start := j.StartedAt.Add(per * time.Duration(i))
		spans[i] = stepSpan{start: start, end: start.Add(per)}
	}
	return spans
}

// runnerStep reports whether a step is one the runner adds around the
// workflow's own steps, which runs no command of the workflow's.
func runnerStep(name string) bool {
	return name == "Set up job" || name == "Complete job" || strings.HasPrefix(name, "Post ")
}

// windowsInvalid are the characters that a Windows file name cannot hold.
const windowsInvalid = `"*/:<>?\|`

// archiveName is a job's name in archive paths: without the characters a
// Windows file name cannot hold (control characters too), cut at 90 UTF-16
// code units as .NET's Substring cuts, and trimmed as its Trim trims. Where
// the cut splits a surrogate pair, the half left becomes U+FFFD in UTF-8, as
// it does when .NET encodes it.
func archiveName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(windowsInvalid, r) {
			return -1
		}
		return r
	}, name)
	if units := utf16.Encode([]rune(name)); len(units) > maxNameUnits {
		name = string(utf16.Decode(units[:maxNameUnits])) // a lone half decodes to U+FFFD
	}
	return strings.TrimSpace(name)
}

// stepFileName is a step's name in its file name: the characters a Windows
// file name cannot hold become "_", as in "2_Run actions_checkout@v4.txt".
func stepFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(windowsInvalid, r) {
			return '_'
		}
		return r
	}, name)
}
