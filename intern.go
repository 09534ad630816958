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
// can change. The table copies from a copy of its own, so a caller who
// changes a run it was already given (a decoder may hand out runs one by
// one) changes no run decoded after it. A table lives for one call, so
// nothing is kept between calls or shared between goroutines.
type internTable struct {
	users    map[string]*User
	repos    map[string]*Repository
	userOdds odds
	repoOdds odds
	opts     json.Options
}

// odds counts how often the values of one kind were met again. Looking a
// value up means reading it whole first, and reading it again to decode it
// when it is new, which costs about what a hit saves: once eight values of a
// kind have been new and fewer than a third of lookups hit, the table leaves
// that kind to the usual decoding. A page of runs of one repository never
// gets there: its repository comes again on every run, and the actor is most
// often the triggering actor too.
type odds struct{ hits, misses int }

func (o *odds) worthLooking() bool { return o.misses < 8 || 2*o.hits >= o.misses }

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
// is not an object (null, or a wrong type: the usual result or error), a
// value that already holds something (a key sent twice), which the usual
// decoding merges into, and the values of a kind not worth looking up.
func (t *internTable) unmarshalUser(dec *jsontext.Decoder, u *User) error {
	if dec.PeekKind() != '{' || *u != (User{}) || !t.userOdds.worthLooking() {
		return json.SkipFunc
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if seen, ok := t.users[string(v)]; ok {
		t.userOdds.hits++
		*u = *seen
		return nil
	}
	t.userOdds.misses++
	if err := t.decodeFirst(dec, v, (*plainUser)(u)); err != nil {
		return err
	}
	if onlyValues(reflect.ValueOf(u).Elem(), userRefs) {
		seen := *u
		t.users[string(v)] = &seen
	}
	return nil
}

func (t *internTable) unmarshalRepository(dec *jsontext.Decoder, r *Repository) error {
	if dec.PeekKind() != '{' || !reflect.ValueOf(r).Elem().IsZero() || !t.repoOdds.worthLooking() {
		return json.SkipFunc
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if seen, ok := t.repos[string(v)]; ok {
		t.repoOdds.hits++
		copyRepository(r, seen)
		return nil
	}
	t.repoOdds.misses++
	if err := t.decodeFirst(dec, v, (*plainRepository)(r)); err != nil {
		return err
	}
	if onlyValues(reflect.ValueOf(r).Elem(), repositoryRefs) &&
		(r.Owner == nil || onlyValues(reflect.ValueOf(r.Owner).Elem(), userRefs)) {
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

// userRefs and repositoryRefs are the fields of User and Repository that a
// copy would share, but Owner, which copyRepository copies. Finding them by
// reflection keeps them right when fields are added.
var (
	userRefs       = refFields(reflect.TypeFor[User](), "")
	repositoryRefs = refFields(reflect.TypeFor[Repository](), "Owner")
)

// refFields returns the indexes of the fields of struct type t, but the one
// named except, that hold references other than strings.
func refFields(t reflect.Type, except string) []int {
	var refs []int
	for i := range t.NumField() {
		if f := t.Field(i); f.Name != except && !isValueType(f.Type) {
			refs = append(refs, i)
		}
	}
	return refs
}

// onlyValues reports whether the fields refs of struct v are all zero, so
// that a copy of v shares nothing with it but string bytes.
func onlyValues(v reflect.Value, refs []int) bool {
	for _, i := range refs {
		if !v.Field(i).IsZero() {
			return false
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
