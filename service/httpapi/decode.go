package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"casreset/api"
)

// decodeJSON reads r's body into dst, a pointer to one of the api request
// structs. The body must be a JSON object of at most MaxBodyBytes in UTF-8,
// sent as application/json, with no member dst does not know and nothing
// after it. Every refusal is invalid_request with a detail saying what to
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
	return nil
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
