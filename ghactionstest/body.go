package ghactionstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// body is the JSON object of a request, read field by field as GitHub's
// schema validation reads it: each getter checks its field and notes what
// GitHub would say of it, and invalid gives the 422 that says it all, once
// every field has been read. A field that is null counts as absent.
type body struct {
	fields   map[string]json.RawMessage
	problems []string
	missing  []string
}

// readBody reads the body of r: none, null or a JSON object. It answers 400
// as GitHub does to what is not.
func readBody(r *http.Request) (*body, *answer) {
	raw, _ := io.ReadAll(r.Body) // serve has read it into memory already
	b := &body{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return b, nil
	}
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal(raw, &b.fields); errors.As(err, &typeErr) {
		return nil, errorAnswer(http.StatusBadRequest, "Body should be a JSON object")
	} else if err != nil {
		return nil, errorAnswer(http.StatusBadRequest, "Problems parsing JSON")
	}
	return b, nil
}

// get returns the raw value of a field, noting it missing when required.
func (b *body) get(name string, required bool) (json.RawMessage, bool) {
	v, ok := b.fields[name]
	if !ok || string(v) == "null" {
		if required {
			b.missing = append(b.missing, name)
		}
		return nil, false
	}
	return v, true
}

// wrong notes a field whose value is not of its type.
func (b *body) wrong(name string, v json.RawMessage, what string) {
	b.problems = append(b.problems, "For 'properties/"+name+"', "+string(v)+" is not "+what+".")
}

// boolean reads an optional boolean field.
func (b *body) boolean(name string) bool {
	v, ok := b.get(name, false)
	var out bool
	if ok && json.Unmarshal(v, &out) != nil {
		b.wrong(name, v, "a boolean")
	}
	return out
}

// text reads a string field.
func (b *body) text(name string, required bool) string {
	v, ok := b.get(name, required)
	var out string
	if ok && json.Unmarshal(v, &out) != nil {
		b.wrong(name, v, "a string")
	}
	return out
}

// enum reads a string field that takes one of values.
func (b *body) enum(name string, required bool, values ...string) string {
	v, ok := b.get(name, required)
	if !ok {
		return ""
	}
	var out string
	if json.Unmarshal(v, &out) != nil {
		b.wrong(name, v, "a string")
		return ""
	}
	for _, allowed := range values {
		if out == allowed {
			return out
		}
	}
	b.wrong(name, v, "a member of ["+quoteAll(values)+"]")
	return ""
}

// integers reads a field that is an array of integers.
func (b *body) integers(name string, required bool) []int64 {
	v, ok := b.get(name, required)
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		b.wrong(name, v, "an array")
		return nil
	}
	out := make([]int64, 0, len(items))
	for _, item := range items {
		var n int64
		if json.Unmarshal(item, &n) != nil {
			b.problems = append(b.problems, "For 'items', "+string(item)+" is not an integer.")
			continue
		}
		out = append(out, n)
	}
	return out
}

// anyOf checks that every field of at least one of the shapes is there, as
// a schema's anyOf of required lists does; when none is whole, GitHub says
// so and what each one lacks.
func (b *body) anyOf(shapes ...[]string) {
	var lacks []string
	for _, shape := range shapes {
		var absent []string
		for _, name := range shape {
			if v, ok := b.fields[name]; !ok || string(v) == "null" {
				absent = append(absent, name)
			}
		}
		if len(absent) == 0 {
			return
		}
		lacks = append(lacks, notSupplied(absent))
	}
	b.problems = append(b.problems, `No subschema in "anyOf" matched.`)
	b.problems = append(b.problems, lacks...)
}

// invalid is GitHub's 422 for what the getters found, or nil when the body
// is valid.
func (b *body) invalid() *answer {
	lines := b.problems
	if len(b.missing) > 0 {
		lines = append(lines, notSupplied(b.missing))
	}
	if len(lines) == 0 {
		return nil
	}
	return errorAnswer(http.StatusUnprocessableEntity, "Invalid request.\n\n"+strings.Join(lines, "\n"))
}

// notSupplied is GitHub's line for required fields that are absent.
func notSupplied(names []string) string {
	if len(names) == 1 {
		return quoteAll(names) + " wasn't supplied."
	}
	return quoteAll(names) + " weren't supplied."
}

// quoteAll lists strings as GitHub's messages do: "a", "b".
func quoteAll(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}
