package ghactions

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"
)

// StepLogReader reads the log of one step, the step of job numbered number,
// out of the job's whole log: what JobsService.Logs streams, or a job's
// file of a log archive that has no step files. The job's log has no marks
// of where GitHub's steps begin, but every line starts with the runner's
// timestamp, and the jobs API says when each step started and completed:
// a line goes to the step that was running when it was written.
//
// The API gives those times to the second, and a step often starts in the
// second the one before it ended; within that second, a line goes to the
// earlier step, unless it is the runner's "##[group]Run …" line, which
// opens an action or script step, or it follows the runner's "##[error]…"
// line that ends a failed step, in which cases it starts the next step. So
// a failed step keeps its last lines, error included, and at worst gains
// the first lines the next step printed in the same second. Lines before
// the first step's start go to the first step, lines after the last
// step's end to the last; steps that were skipped or never started have no
// lines.
//
// The reader streams: it holds no more than a buffer of the log, whatever
// its size. It leaves out a byte-order mark at the start, and ends at the
// end of the step, reading no further. A nil job, or a number that is none
// of job.Steps's, gives an error wrapping ErrInvalidArgument.
func StepLogReader(jobLog io.Reader, job *Job, number int) (io.Reader, error) {
	if job == nil {
		return nil, fmt.Errorf("%w: nil job", ErrInvalidArgument)
	}
	if !slices.ContainsFunc(job.Steps, func(s Step) bool { return s.Number == number }) {
		return nil, fmt.Errorf("%w: job %q has no step %d", ErrInvalidArgument, job.Name, number)
	}
	f := &stepFilter{br: bufio.NewReaderSize(jobLog, lineBufferSize), first: true, target: -1}
	for _, s := range job.Steps {
		if s.StartedAt.IsZero() || s.Conclusion == ConclusionSkipped {
			continue // it printed nothing
		}
		f.steps = append(f.steps, stepWindow{number: s.Number, start: s.StartedAt.Truncate(time.Second), end: s.CompletedAt.Truncate(time.Second)})
	}
	slices.SortStableFunc(f.steps, func(a, b stepWindow) int { return cmp.Compare(a.number, b.number) })
	for i, w := range f.steps {
		if w.number == number {
			f.target = i
		}
	}
	if f.target < 0 {
		f.done = true // the step did not run
	}
	return f, nil
}

// stepWindow is when a step ran, to the second; end is zero while it runs.
type stepWindow struct {
	number     int
	start, end time.Time
}

// stepFilter passes on the lines of one step of a job's log.
type stepFilter struct {
	br     *bufio.Reader
	steps  []stepWindow // the steps that ran, in order
	target int          // the index in steps of the step to pass on
	cur    int          // the step the line being read belongs to

	first     bool   // nothing read yet: a byte-order mark may come
	midLine   bool   // the next piece continues a long line
	passLine  bool   // the line being read is the target's
	lastError bool   // the current step's last line was an "##[error]" line
	pending   []byte // what is left to hand out of the piece read
	done      bool   // past the target step: nothing more to hand out
	err       error  // the error that ended reading
}

func (f *stepFilter) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		if f.done {
			return 0, io.EOF
		}
		if f.err != nil {
			return 0, f.err
		}
		f.readPiece()
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// readPiece reads the next piece of the log (a line, or part of a long
// one) and keeps it when it is the target step's.
func (f *stepFilter) readPiece() {
	piece, err := f.br.ReadSlice('\n')
	if f.first {
		f.first = false
		piece = bytes.TrimPrefix(piece, utf8BOM)
	}
	if !f.midLine && len(piece) > 0 {
		f.startLine(piece)
	}
	f.midLine = err == bufio.ErrBufferFull
	if f.passLine && !f.done {
		f.pending = piece
	}
	switch {
	case err == io.EOF:
		f.done = true
	case err != nil && err != bufio.ErrBufferFull:
		f.err = err
	}
}

// startLine finds the step a line belongs to, from its start.
func (f *stepFilter) startLine(start []byte) {
	t, text := splitStamp(bytes.TrimRight(start, "\r\n"))
	if !t.IsZero() {
		sec := t.Truncate(time.Second)
		for f.cur+1 < len(f.steps) {
			step, next := f.steps[f.cur], f.steps[f.cur+1]
			ended := !step.end.IsZero() && sec.After(step.end)
			opensNext := !sec.Before(next.start) && (bytes.HasPrefix(text, []byte(stepMarker)) ||
				f.lastError && !bytes.HasPrefix(text, []byte(errorMarker)))
			if !ended && !opensNext {
				break
			}
			f.cur++
			f.lastError = false
		}
		f.lastError = bytes.HasPrefix(text, []byte(errorMarker))
	}
	f.passLine = f.cur == f.target
	if f.cur > f.target {
		f.done = true
	}
}

// errorMarker starts the line with which the runner ends a failed step:
// "##[error]Process completed with exit code 1."
const errorMarker = "##[error]"
