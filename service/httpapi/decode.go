package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"casreset/api"
)

// decodeJSON reads r's body into dst, a pointer to one of the api request
// structs. The body must be a JSON object of at most MaxBodyBytes in UTF-8,
// sent as application/json, with no member dst does not know, each member
// once and spelt exactly as the contract spells it, and nothing after it. Every refusal is invalid_request with a detail saying what to
// fix.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeBody(body, dst)
}

// decodeOptionalEmpty accepts an empty body or an empty JSON object, for
// calls such as POST /v1/captchas that take no input.
func decodeOptionalEmpty(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	return decodeBody(body, &struct{}{})
}

func invalid(format string, args ...any) *api.Error {
	return api.Errorf(api.CodeInvalidRequest, format, args...)
}

func checkContentType(v string) error {
	if v == "" {
		return invalid("The request needs the header Content-Type: application/json.")
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil || mt != "application/json" {
		return invalid("The body must be sent as Content-Type: application/json.")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return invalid("The body must be UTF-8.")
	}
	return nil
}

// readBody reads the whole body, refusing more than MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, tooLarge()
	case err != nil:
		return nil, invalid("The request body could not be read.")
	}
	return body, nil
}

func tooLarge() *api.Error {
	return invalid("The request body is larger than %d KiB.", MaxBodyBytes>>10)
}

// decodeBody decodes body, which must hold exactly one JSON object.
func decodeBody(body []byte, dst any) error {
	if !utf8.Valid(body) {
		return invalid("The body must be UTF-8.")
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return invalid("The request body is empty; a JSON object is expected.")
	}
	if trimmed[0] != '{' {
		return invalid("The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return invalid("%s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalid("The request body must hold a single JSON object and nothing after it.")
	}
	return checkMemberNames(body, memberNames(dst))
}

// checkMemberNames refuses an object (already decoded without error) that
// repeats a member or spells one other than exactly. encoding/json keeps
// the last of two duplicates and matches names without regard to case,
// with Unicode folding ("ſtaff_number" is staff_number), so a proxy, a log
// or a second parser could read another request than the service did.
// Only the top level is checked: every request of the contract is flat.
func checkMemberNames(body []byte, known map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // the opening brace
		return invalid("The request body is not valid JSON.")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return invalid("The request body is not valid JSON.")
		}
		name, _ := tok.(string)
		switch {
		case seen[name]:
			return invalid("The request body has the member %s more than once.", echoName(name))
		case !known[name]:
			return invalid("The request body has the member %s, which the contract spells %s.", echoName(name), echoName(spelling(name, known)))
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return invalid("The request body is not valid JSON.")
		}
	}
	return nil
}

// memberNames are the JSON member names of the struct dst points to.
func memberNames(dst any) map[string]bool {
	names := map[string]bool{}
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return names
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case name == "":
			names[f.Name] = true
		default:
			names[name] = true
		}
	}
	return names
}

// spelling is the known member name that name matches when case is
// ignored (encoding/json accepted it, so there is one).
func spelling(name string, known map[string]bool) string {
	for k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return "?"
}

// echoName quotes a member name for an error detail, or says nothing of
// it when it is too long to repeat.
func echoName(name string) string {
	if len(name) > maxEchoedName {
		return "(a long name)"
	}
	return strconv.Quote(name)
}

// describeJSONError says what is wrong in words a developer can act on,
// without echoing the body (it may hold a password).
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("The request body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The request body is not valid JSON (it ends too early)."
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("The member %q must be a %s.", typ.Field, jsonKind(typ.Type.Kind().String()))
		}
		return "The request body has a value of the wrong type."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no type for this error; it quotes the name.
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if len(name) > maxEchoedName {
			return "The request body has an unknown member."
		}
		return fmt.Sprintf("The request body has the unknown member %s.", name)
	default:
		return "The request body is not valid JSON."
	}
}

// maxEchoedName bounds a member name repeated in an error detail.
const maxEchoedName = 66

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "list"
	default:
		return "number"
	}
}
