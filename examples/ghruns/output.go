package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/seed42f0b14b/ghactions"
)

// table writes aligned columns, for people.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		// A tab or newline in a title would break the columns.
		cells[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// state is what a person wants to know of a run: its conclusion once it has
// one, its status before.
func state(r *ghactions.WorkflowRun) string {
	if r.Status == ghactions.StatusCompleted && r.Conclusion != "" {
		return string(r.Conclusion)
	}
	return string(r.Status)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// age says how long ago t was, in the largest unit that fits.
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return ""
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// workflowFile gives "(ci.yml)" for ".github/workflows/ci.yml@main".
func workflowFile(p string) string {
	if p == "" {
		return ""
	}
	p, _, _ = strings.Cut(p, "@")
	return "(" + path.Base(p) + ")"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func reviewers(rs []ghactions.DeploymentReviewer) string {
	names := make([]string, 0, len(rs))
	for _, r := range rs {
		switch {
		case r.User != nil:
			names = append(names, r.User.Login)
		case r.Team != nil:
			names = append(names, "team "+r.Team.Slug)
		}
	}
	return strings.Join(names, ", ")
}

func millis(ms int64) string {
	return (time.Duration(ms) * time.Millisecond).String()
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// isTerminal reports whether w is a terminal, where a status line may be
// redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printArchive prints every step's log, each line after its job and step,
// so that grep finds which step printed what.
func printArchive(w io.Writer, a *ghactions.LogArchive) error {
	bw := bufio.NewWriter(w)
	for _, j := range a.Jobs {
		if len(j.Steps) == 0 {
			if err := prefixLines(bw, j.Name+"\t", j.Open); err != nil {
				return err
			}
			continue
		}
		for _, s := range j.Steps {
			if err := prefixLines(bw, j.Name+"\t"+s.Name+"\t", s.Open); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func prefixLines(w *bufio.Writer, prefix string, open func() (io.ReadCloser, error)) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		w.WriteString(prefix)
		w.Write(sc.Bytes())
		w.WriteByte('\n')
	}
	return sc.Err()
}

func copyLog(w io.Writer, open func() (io.ReadCloser, error)) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(w, rc)
	return err
}

func jobNames(a *ghactions.LogArchive) string {
	names := make([]string, len(a.Jobs))
	for i, j := range a.Jobs {
		names[i] = fmt.Sprintf("%q", j.Name)
	}
	return strings.Join(names, ", ")
}
