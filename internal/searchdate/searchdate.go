// Package searchdate parses the date qualifier values of GitHub's search
// syntax, which the created parameter of the workflow-runs list endpoint
// takes. One parser serves both the client, which rejects a bad value
// before sending anything, and the fake server, which filters runs with it,
// so the two cannot disagree about what a value means.
//
// A value has one of these forms, where D is a date or a date-time:
//
//	D          every instant D denotes
//	>D         after D
//	>=D        on or after D
//	<D         before D
//	<=D        on or before D
//	D1..D2     from D1 through D2, both included
//	D..*       the same as >=D
//	*..D       the same as <=D
//
// A date is YYYY-MM-DD. A date-time is YYYY-MM-DDTHH:MM:SS followed by Z or
// by a UTC offset ±hh:mm. These are the forms GitHub documents in
// "Understanding the search syntax" (section "Query for dates"), and the
// only ones Parse accepts.
//
// A date denotes its whole UTC day: from its midnight, included, to the
// next midnight, excluded. GitHub does not document the zone of a bare
// date; UTC is the zone of every timestamp the REST API returns, so it is
// the one a caller can reason about. Hence >2024-01-01 starts at
// 2024-01-02T00:00:00Z, <=2024-01-01 includes the last nanosecond of
// January 1, and 2024-01-01..2024-01-31 includes all of January 31.
// A date-time denotes exactly the instant it names, to the nanosecond:
// <=2024-01-01T10:00:00Z excludes 10:00:00.5.
//
// Parse rejects everything else, in particular:
//   - the empty string and any value containing whitespace, which is also
//     what an offset's + becomes when sent unescaped in a URL query;
//   - date-times without seconds (YYYY-MM-DDTHH:MM), without a UTC offset,
//     with fractional seconds or with a lower-case t or z, none of which
//     GitHub documents;
//   - impossible dates and times, such as 2024-02-30, 24:00:00 or a leap
//     second, and UTC offsets past ±23:59;
//   - an operator combined with a range, such as >=2024-01-01..*;
//   - *..*, which GitHub does not document and which would filter nothing:
//     leave the parameter out instead;
//   - a range whose start lies after its end.
package searchdate

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Range is a set of instants, as denoted by a qualifier value. The zero
// Range has no bounds and contains every instant.
type Range struct {
	lo, hi bound
}

// bound is one end of a Range. The zero bound is absent: it limits nothing.
type bound struct {
	at     time.Time
	set    bool // whether the bound limits the Range at all
	strict bool // whether at itself lies outside the Range
}

// flip turns the last (or first) instant a bound admits into the first (or
// last) one it excludes, which is how > and < are built from a date's ends.
func (b bound) flip() bound {
	b.strict = !b.strict
	return b
}

// Contains reports whether t is in r. Only the instant t names matters, not
// its location or monotonic clock reading.
func (r Range) Contains(t time.Time) bool {
	if r.lo.set {
		if c := t.Compare(r.lo.at); c < 0 || c == 0 && r.lo.strict {
			return false
		}
	}
	if r.hi.set {
		if c := t.Compare(r.hi.at); c > 0 || c == 0 && r.hi.strict {
			return false
		}
	}
	return true
}

// Parse parses a GitHub search date qualifier value, such as
// ">=2024-01-01" or "2024-01-01T00:00:00+02:00..*", into the Range it
// denotes. The package documentation gives the syntax and its meaning.
// Errors name the offending value.
func Parse(s string) (Range, error) {
	if s == "" {
		return Range{}, errors.New("searchdate: empty value")
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return Range{}, fmt.Errorf("searchdate: %q: contains whitespace", s)
	}
	// Two-byte operators come first so that ">=D" is not read as ">" "=D".
	for _, op := range []string{">=", "<=", ">", "<"} {
		rest, ok := strings.CutPrefix(s, op)
		if !ok {
			continue
		}
		if strings.Contains(rest, "..") {
			return Range{}, fmt.Errorf("searchdate: %q: an operator cannot be combined with a range", s)
		}
		d, err := parseOperand(s, rest)
		if err != nil {
			return Range{}, err
		}
		switch op {
		case ">":
			return Range{lo: d.hi.flip()}, nil
		case ">=":
			return Range{lo: d.lo}, nil
		case "<":
			return Range{hi: d.lo.flip()}, nil
		default: // "<="
			return Range{hi: d.hi}, nil
		}
	}
	first, last, ok := strings.Cut(s, "..")
	if !ok {
		return parseOperand(s, s)
	}
	switch {
	case first == "" || last == "":
		return Range{}, fmt.Errorf("searchdate: %q: a range needs a date or * on each side of its \"..\"", s)
	case first == "*" && last == "*":
		return Range{}, fmt.Errorf("searchdate: %q: a range needs at least one date; leave the qualifier out to match every date", s)
	}
	var r Range
	if first != "*" {
		d, err := parseOperand(s, first)
		if err != nil {
			return Range{}, err
		}
		r.lo = d.lo
	}
	if last != "*" {
		d, err := parseOperand(s, last)
		if err != nil {
			return Range{}, err
		}
		r.hi = d.hi
	}
	if r.lo.set && r.hi.set {
		if c := r.lo.at.Compare(r.hi.at); c > 0 || c == 0 && (r.lo.strict || r.hi.strict) {
			return Range{}, fmt.Errorf("searchdate: %q: start is after end", s)
		}
	}
	return r, nil
}

// parseOperand parses part, one date or date-time within the value s, into
// the Range it denotes on its own. Errors name part and, when it is only a
// piece of s, s too, so that a bad end of a range is easy to spot.
func parseOperand(s, part string) (Range, error) {
	if part == "" {
		return Range{}, fmt.Errorf("searchdate: %q: missing date", s)
	}
	r, err := parseDate(part)
	switch {
	case err == nil:
		return r, nil
	case part == s:
		return Range{}, fmt.Errorf("searchdate: %q: %v", s, err)
	default:
		return Range{}, fmt.Errorf("searchdate: %q in %q: %v", part, s, err)
	}
}

// Shapes for digitsOf: a date, and a date-time up to the start of its zone.
const (
	dateShape     = "dddd-dd-dd"
	dateTimeShape = "dddd-dd-ddTdd:dd:dd"
)

var errForm = errors.New("not a date or date-time; want YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS±hh:mm")

// parseDate parses a date, which denotes its whole UTC day, or a date-time,
// which denotes one instant.
func parseDate(v string) (Range, error) {
	if n, ok := digitsOf(v, dateShape); ok {
		start, err := instant(n[0], n[1], n[2], 0, 0, 0, 0)
		if err != nil {
			return Range{}, err
		}
		return Range{
			lo: bound{at: start, set: true},
			hi: bound{at: start.AddDate(0, 0, 1), set: true, strict: true},
		}, nil
	}
	if len(v) < len(dateTimeShape) {
		return Range{}, errForm
	}
	n, ok := digitsOf(v[:len(dateTimeShape)], dateTimeShape)
	if !ok {
		return Range{}, errForm
	}
	offset, err := parseZone(v[len(dateTimeShape):])
	if err != nil {
		return Range{}, err
	}
	at, err := instant(n[0], n[1], n[2], n[3], n[4], n[5], offset)
	if err != nil {
		return Range{}, err
	}
	b := bound{at: at, set: true}
	return Range{lo: b, hi: b}, nil
}

// parseZone parses the zone of a date-time, "Z" or "±hh:mm", and returns
// its offset east of UTC in seconds.
func parseZone(z string) (int, error) {
	if z == "Z" {
		return 0, nil
	}
	if z == "" || z[0] != '+' && z[0] != '-' {
		return 0, errForm
	}
	n, ok := digitsOf(z[1:], "dd:dd")
	if !ok {
		return 0, errForm
	}
	if n[0] > 23 || n[1] > 59 {
		return 0, errors.New("UTC offset out of range")
	}
	offset := n[0]*3600 + n[1]*60
	if z[0] == '-' {
		offset = -offset
	}
	return offset, nil
}

// instant checks the fields of a date-time, whose zone is offset seconds
// east of UTC, and returns the instant it names. It checks them itself
// because time.Date would silently carry 2024-02-30 into March.
func instant(year, month, day, hour, minute, second, offset int) (time.Time, error) {
	switch {
	case month < 1 || month > 12:
		return time.Time{}, errors.New("month out of range")
	case day < 1 || day > daysIn(year, month):
		return time.Time{}, errors.New("day out of range")
	case hour > 23:
		return time.Time{}, errors.New("hour out of range")
	case minute > 59:
		return time.Time{}, errors.New("minute out of range")
	case second > 59:
		return time.Time{}, errors.New("second out of range")
	}
	zone := time.FixedZone("", offset)
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, zone).UTC(), nil
}

// daysIn returns the number of days in month of year: day 0 of the next
// month is the last day of this one.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// digitsOf matches v against shape, in which each 'd' stands for one ASCII
// digit and every other byte for itself, and returns the number each run of
// digits spells. Matching by hand keeps the syntax exactly as documented,
// where time.Parse would also take other forms.
func digitsOf(v, shape string) ([]int, bool) {
	if len(v) != len(shape) {
		return nil, false
	}
	var nums []int
	for i := 0; i < len(shape); i++ {
		if shape[i] != 'd' {
			if v[i] != shape[i] {
				return nil, false
			}
			continue
		}
		if v[i] < '0' || v[i] > '9' {
			return nil, false
		}
		if i == 0 || shape[i-1] != 'd' {
			nums = append(nums, 0)
		}
		nums[len(nums)-1] = nums[len(nums)-1]*10 + int(v[i]-'0')
	}
	return nums, true
}

// Through returns the part of r at or before t: r with an upper bound of t,
// included, unless r's own upper bound is earlier.
func (r Range) Through(t time.Time) Range {
	b := bound{at: t, set: true}
	if !r.hi.set {
		r.hi = b
		return r
	}
	if t.Before(r.hi.at) {
		r.hi = b
	}
	return r
}

// Empty reports whether r holds no whole second. GitHub's timestamps are
// whole seconds, so a Range that holds none of them matches nothing.
func (r Range) Empty() bool {
	if !r.lo.set || !r.hi.set {
		return false
	}
	return r.firstSecond().After(r.lastSecond())
}

// firstSecond is the first whole second r holds, for a lower bound.
func (r Range) firstSecond() time.Time {
	s := r.lo.at.Truncate(time.Second)
	if s.Before(r.lo.at) || r.lo.strict {
		s = s.Add(time.Second)
	}
	return s
}

// lastSecond is the last whole second r holds, for an upper bound.
func (r Range) lastSecond() time.Time {
	s := r.hi.at.Truncate(time.Second)
	if s.Equal(r.hi.at) && r.hi.strict {
		s = s.Add(-time.Second)
	}
	return s
}

// String writes r in the syntax Parse reads, with bounds that are UTC
// date-times to the second and included: ">=2024-01-01T00:00:00Z",
// "<=2024-03-05T10:11:12Z", "2024-01-01T00:00:00Z..2024-03-05T10:11:12Z".
// It is exact for whole seconds, which are GitHub's timestamps: a bound
// that excludes its own instant, or lies between two seconds, becomes the
// nearest second inside the Range. It returns "" for a Range that GitHub's
// syntax cannot write: one without bounds (leave the qualifier out), one
// that is Empty, and one with a bound outside the years 0000 to 9999 (UTC).
func (r Range) String() string {
	var lo, hi string
	if r.lo.set {
		if lo = formatSecond(r.firstSecond()); lo == "" {
			return ""
		}
	}
	if r.hi.set {
		if hi = formatSecond(r.lastSecond()); hi == "" {
			return ""
		}
	}
	switch {
	case r.Empty():
		return ""
	case lo != "" && hi != "":
		return lo + ".." + hi
	case lo != "":
		return ">=" + lo
	case hi != "":
		return "<=" + hi
	}
	return ""
}

// formatSecond writes t as a UTC date-time to the second, or "" when its
// year has other than four digits.
func formatSecond(t time.Time) string {
	t = t.UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return ""
	}
	return t.Format("2006-01-02T15:04:05Z")
}
