package ghactions

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Answers are decoded with github.com/go-json-experiment/json, the prototype
// of encoding/json/v2: on a page of 100 runs it is several times faster than
// encoding/json and allocates far less (see bench_test.go and the README).
//
// It is lenient where the API's answers are concerned: a duplicate key or a
// stray invalid UTF-8 byte should not turn a usable answer into an error.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// maxBody caps a successful JSON answer. A page of 100 runs is about 1.3 MB;
// the cap only stops a broken or hostile server from exhausting memory.
const maxBody = 64 << 20

var errBodyTooLarge = fmt.Errorf("answer larger than %d bytes", maxBody)

// decodeJSON decodes one JSON value from r into v. A user or repository
// that comes again in it is decoded once (see internTable).
func decodeJSON(r io.Reader, v any) error {
	lr := &limitedReader{r: r, n: maxBody}
	err := json.UnmarshalRead(lr, v, decodeOptions, newInternTable().options())
	if lr.n < 0 {
		return errBodyTooLarge
	}
	return err
}

// limitedReader is io.LimitedReader that lets the caller tell a body cut at
// the limit from one that ended there.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errBodyTooLarge
	}
	return n, err
}

// errorBody is GitHub's "basic-error" with the "errors" list of a 422.
type errorBody struct {
	Message          string
	DocumentationURL string
	Errors           []FieldError
}

// parseErrorBody reads what it can of an error answer. A body that is not
// JSON (an HTML page from a proxy, an empty body) gives an empty errorBody:
// the status alone still makes a useful error.
func parseErrorBody(b []byte) errorBody {
	var raw struct {
		Message          jsontext.Value   `json:"message"`
		DocumentationURL jsontext.Value   `json:"documentation_url"`
		Errors           []jsontext.Value `json:"errors"`
	}
	if err := json.Unmarshal(b, &raw, decodeOptions); err != nil {
		var semErr *json.SemanticError
		if !errors.As(err, &semErr) {
			return errorBody{}
		}
		// A field of an unexpected type: keep the fields that did decode.
	}
	eb := errorBody{
		Message:          stringOf(raw.Message),
		DocumentationURL: stringOf(raw.DocumentationURL),
	}
	for _, v := range raw.Errors {
		var fe FieldError
		switch v.Kind() {
		case '"':
			// Some endpoints send plain strings in "errors".
			fe.Message = stringOf(v)
		case '{':
			var obj struct {
				Resource, Field, Code, Message jsontext.Value
			}
			if json.Unmarshal(v, &obj, decodeOptions, json.MatchCaseInsensitiveNames(true)) != nil {
				continue
			}
			fe = FieldError{
				Resource: stringOf(obj.Resource),
				Field:    stringOf(obj.Field),
				Code:     stringOf(obj.Code),
				Message:  stringOf(obj.Message),
			}
		default:
			continue
		}
		eb.Errors = append(eb.Errors, fe)
	}
	return eb
}

// stringOf gives a JSON string's value, or the raw text of any other JSON
// value (GitHub has sent numbers and objects where strings were documented).
func stringOf(v jsontext.Value) string {
	if len(v) == 0 || v.Kind() == 'n' {
		return ""
	}
	var s string
	if v.Kind() == '"' && json.Unmarshal(v, &s, decodeOptions) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}
