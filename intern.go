package ghactions

import (
	"errors"
	"reflect"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// internTable holds, for one decode call, the users and repositories met so
// far, by their JSON as sent. On a page of runs of one repository, the
// repository (twice a run, with its forty-odd URLs) and the few users
// (three or four a run) are the same JSON on every run: each is decoded once
// and its strings are allocated once.
//
// A user or repository met again is a copy of the first one decoded: each
// run still owns its structs, and only string bytes are shared, which no one
// can change. A table lives for one call, so nothing is kept between calls
// or shared between goroutines.
type internTable struct {
	users map[string]*User
	repos map[string]*Repository
	opts  json.Options
}

func newInternTable() *internTable {
	t := &internTable{users: make(map[string]*User), repos: make(map[string]*Repository)}
	t.opts = json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(t.unmarshalUser),
		json.UnmarshalFromFunc(t.unmarshalRepository),
	))
	return t
}

// options returns the decode options that make users and repositories
// decoded with them go through t. Use the same table, and these options,
// for a whole answer: the point is to meet values again.
func (t *internTable) options() json.Options { return t.opts }

// plainUser and plainRepository decode as User and Repository do, without
// the table's hook for their own type: a value met for the first time is
// decoded through them.
type (
	plainUser       User
	plainRepository Repository
)

// unmarshalUser and unmarshalRepository leave to the usual decoding what
// is not an object (null, or a wrong type: the usual result or error), and
// a value that already holds something (a key sent twice), which the usual
// decoding merges into.
func (t *internTable) unmarshalUser(dec *jsontext.Decoder, u *User) error {
	if dec.PeekKind() != '{' || *u != (User{}) {
		return json.SkipFunc
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if seen, ok := t.users[string(v)]; ok {
		*u = *seen
		return nil
	}
	if err := t.decodeFirst(dec, v, (*plainUser)(u)); err != nil {
		return err
	}
	if onlyValues(reflect.ValueOf(u).Elem(), -1) {
		seen := *u
		t.users[string(v)] = &seen
	}
	return nil
}

func (t *internTable) unmarshalRepository(dec *jsontext.Decoder, r *Repository) error {
	if dec.PeekKind() != '{' || !reflect.ValueOf(r).Elem().IsZero() {
		return json.SkipFunc
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if seen, ok := t.repos[string(v)]; ok {
		copyRepository(r, seen)
		return nil
	}
	if err := t.decodeFirst(dec, v, (*plainRepository)(r)); err != nil {
		return err
	}
	if onlyValues(reflect.ValueOf(r).Elem(), repositoryOwner) &&
		(r.Owner == nil || onlyValues(reflect.ValueOf(r.Owner).Elem(), -1)) {
		seen := new(Repository)
		copyRepository(seen, r)
		t.repos[string(v)] = seen
	}
	return nil
}

// decodeFirst decodes v, the value just read from dec, into out, and places
// an error in the whole answer, as decoding it in place would have.
func (t *internTable) decodeFirst(dec *jsontext.Decoder, v jsontext.Value, out any) error {
	err := json.Unmarshal(v, out, decodeOptions, t.opts)
	var se *json.SemanticError
	if errors.As(err, &se) {
		se.JSONPointer = dec.StackPointer() + se.JSONPointer
		se.ByteOffset += dec.InputOffset() - int64(len(v))
	}
	return err
}

// copyRepository sets *dst to a copy of *src with its own Owner.
func copyRepository(dst, src *Repository) {
	*dst = *src
	if src.Owner != nil {
		owner := *src.Owner
		dst.Owner = &owner
	}
}

// repositoryOwner is the index of Repository.Owner, the one reference field
// that copyRepository copies.
var repositoryOwner = func() int {
	f, _ := reflect.TypeFor[Repository]().FieldByName("Owner")
	return f.Index[0]
}()

// onlyValues reports whether a copy of the struct v would share nothing
// with it but string bytes: every pointer, slice, map and interface field is
// nil, but field skip, which the caller copies itself. Going by reflection
// keeps it true of fields added later.
func onlyValues(v reflect.Value, skip int) bool {
	for i := range v.NumField() {
		f := v.Field(i)
		if i == skip || isValueType(f.Type()) {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func:
			if !f.IsNil() {
				return false
			}
		default:
			if !f.IsZero() {
				return false
			}
		}
	}
	return true
}

// isValueType reports whether a value of type t holds no references but
// strings.
func isValueType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return isValueType(t.Elem())
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return true // its *Location is never changed once made
		}
		for i := range t.NumField() {
			if !isValueType(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}
