package ghactions

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"
	"unicode/utf8"
)

// MaxLogLineSize is the most of one log line that LogLines and LogTail
// keep, in bytes: 1 MiB. A longer line (a minified bundle printed whole, a
// base64 blob) is cut there, and LogLine.Cut says so; its rest is read and
// dropped, so that one line cannot fill memory.
const MaxLogLineSize = 1 << 20

// LogLine is one line of a job's or a step's log.
type LogLine struct {
	// Time is the runner's timestamp at the start of the line, which it
	// writes as RFC 3339 with seven fractional digits
	// ("2024-05-01T10:00:00.1234567Z"); zero for a line without one.
	Time time.Time
	// Text is the line without its timestamp, the space after it, and its
	// line ending ("\n" or "\r\n").
	Text string
	// Cut reports that the line was longer than MaxLogLineSize: Text holds
	// its start only.
	Cut bool
}

// LogLines reads r as the lines of a log, as the runner writes them, with
// their timestamps split off (see LogLine). A byte-order mark at the start
// is left out; a last line without a line ending is a line. Lines of any
// length are read, each cut at MaxLogLineSize, so no line is ever an error.
// It reads lazily, one line at a time; on a read error it yields
// (LogLine{}, err) once and stops.
func LogLines(r io.Reader) iter.Seq2[LogLine, error] {
	return func(yield func(LogLine, error) bool) {
		lr := newLineReader(r)
		for {
			line, cut, err := lr.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(LogLine{}, err)
				return
			}
			if !yield(toLogLine(line, cut), nil) {
				return
			}
		}
	}
}

// LogTail returns the last n lines of the log that r holds, read as
// LogLines reads them, oldest first: fewer when the log has fewer. It reads
// the whole log but holds no more than n lines at a time (each at most
// MaxLogLineSize), whatever the log's size. n of 0 gives no lines and reads
// nothing; a negative n gives an error wrapping ErrInvalidArgument. A read
// error is returned as it is.
func LogTail(r io.Reader, n int) ([]LogLine, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: tail of %d lines: must not be negative", ErrInvalidArgument, n)
	}
	if n == 0 {
		return nil, nil
	}
	// A ring of n line buffers, reused as lines pass: the lines dropped cost
	// no allocation, and only the n kept are turned into LogLines.
	ring := make([][]byte, n)
	cuts := make([]bool, n)
	count := 0
	lr := newLineReader(r)
	for {
		line, cut, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		i := count % n
		ring[i] = append(ring[i][:0], line...)
		cuts[i] = cut
		count++
	}
	kept := min(count, n)
	out := make([]LogLine, kept)
	for k := range kept {
		i := (count - kept + k) % n
		out[k] = toLogLine(ring[i], cuts[i])
	}
	return out, nil
}

// linesOf is LogLines of a log that open opens, closed when the loop ends.
func linesOf(open func() (io.ReadCloser, error)) iter.Seq2[LogLine, error] {
	return func(yield func(LogLine, error) bool) {
		rc, err := open()
		if err != nil {
			yield(LogLine{}, err)
			return
		}
		defer rc.Close()
		for line, err := range LogLines(rc) {
			if !yield(line, err) {
				return
			}
		}
	}
}

// tailOf is LogTail of a log that open opens, closed once read.
func tailOf(open func() (io.ReadCloser, error), n int) ([]LogLine, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: tail of %d lines: must not be negative", ErrInvalidArgument, n)
	}
	rc, err := open()
	if err != nil {
		return nil, err
	}
	lines, err := LogTail(rc, n)
	return lines, errors.Join(err, rc.Close())
}

// Lines reads the job's full log as lines (see LogLines), opening it as
// Open does; an error of Open is yielded once.
func (j *JobLog) Lines() iter.Seq2[LogLine, error] { return linesOf(j.Open) }

// Tail returns the last n lines of the job's full log (see LogTail), or the
// error of Open or of reading.
func (j *JobLog) Tail(n int) ([]LogLine, error) { return tailOf(j.Open, n) }

// Lines reads the step's log as lines (see LogLines), opening it as Open
// does; an error of Open is yielded once.
func (s *StepLog) Lines() iter.Seq2[LogLine, error] { return linesOf(s.Open) }

// Tail returns the last n lines of the step's log (see LogTail), or the
// error of Open or of reading.
func (s *StepLog) Tail(n int) ([]LogLine, error) { return tailOf(s.Open, n) }

// lineReader reads the lines of a log, of any length, through a fixed
// buffer.
type lineReader struct {
	br    *bufio.Reader
	long  []byte // a line longer than br's buffer, gathered up to MaxLogLineSize
	first bool   // no line read yet: a byte-order mark may come
}

const lineBufferSize = 64 << 10

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, lineBufferSize), first: true}
}

// next returns the next line without its line ending, valid until the next
// call, and whether it was cut at MaxLogLineSize; io.EOF after the last.
func (lr *lineReader) next() (line []byte, cut bool, err error) {
	line, err = lr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		line, cut, err = lr.gather(line)
	}
	if err == io.EOF && len(line) > 0 {
		err = nil // a last line without a line ending
	}
	if err != nil {
		return nil, false, err
	}
	if lr.first {
		lr.first = false
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	if !cut {
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
	}
	if len(line) > MaxLogLineSize {
		line, cut = line[:MaxLogLineSize], true
	}
	if cut {
		line = dropPartialRune(line)
	}
	return line, cut, nil
}

// dropPartialRune drops the start of a character that a cut left at the
// end of b, so that a cut line holds whole characters.
func dropPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// gather reads the rest of a line that does not fit the buffer, keeping at
// most MaxLogLineSize of it and its line ending; it reports whether it had
// to drop some.
func (lr *lineReader) gather(start []byte) ([]byte, bool, error) {
	const keep = MaxLogLineSize + len("\r\n")
	lr.long = append(lr.long[:0], start...)
	cut := false
	for {
		more, err := lr.br.ReadSlice('\n')
		room := keep - len(lr.long)
		if len(more) > room {
			more, cut = more[:room], true
		}
		lr.long = append(lr.long, more...)
		if err != bufio.ErrBufferFull {
			return lr.long, cut, err
		}
	}
}

// toLogLine splits a line into its timestamp and its text.
func toLogLine(line []byte, cut bool) LogLine {
	t, text := splitStamp(line)
	return LogLine{Time: t, Text: string(text), Cut: cut}
}

// splitStamp splits the runner's timestamp and the space after it off a
// line; a line that does not start with one is all text.
func splitStamp(line []byte) (time.Time, []byte) {
	i := bytes.IndexByte(line[:min(len(line), maxStampLen+1)], ' ')
	if i < minStampLen {
		return time.Time{}, line
	}
	t, ok := parseStamp(line[:i])
	if !ok {
		return time.Time{}, line
	}
	return t, line[i+1:]
}

const (
	minStampLen = len("2006-01-02T15:04:05Z")
	maxStampLen = len("2006-01-02T15:04:05.999999999+07:00")
)

// parseStamp reads an RFC 3339 timestamp, as time.Parse with
// time.RFC3339Nano does, without allocating for the runner's own form:
// UTC, with a fraction of up to nine digits. What that form does not
// cover, time.Parse reads.
func parseStamp(b []byte) (time.Time, bool) {
	if len(b) < minStampLen || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return parseStampSlow(b)
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return parseStampSlow(b)
		}
		digits := frac[1:]
		nsec = num(20, len(digits))
		for range 9 - len(digits) {
			nsec *= 10
		}
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 || nsec < 0 {
		return parseStampSlow(b)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // the 31st of a 30-day month, which time.Date moves on
		return parseStampSlow(b)
	}
	return t, true
}

// parseStampSlow reads the forms that parseStamp does not: offsets, and
// anything odd.
func parseStampSlow(b []byte) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, string(b))
	return t, err == nil
}
