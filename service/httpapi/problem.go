package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"casreset/api"
	"casreset/service"
)

// writeError is the one way a failure leaves the adapter: an RFC 9457
// problem document whose status comes from the code's table, carrying the
// request's reference (also in X-Request-Id, set earlier).
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	info := infoOf(r)
	p := h.problem(info, err)
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	if p.Code == api.CodeTokenInvalid {
		// RFC 6750 3: a 401 names the scheme the client should use.
		w.Header().Set("WWW-Authenticate", `Bearer realm="resetd"`)
	}
	writeProblem(w, p)
}

// problem turns err into the document to send. Refusals of the contract
// pass through with their detail; anything else is logged with its cause
// and answered with a generic internal error.
func (h *handler) problem(info *requestInfo, err error) api.Error {
	var ae *api.Error
	if !errors.As(err, &ae) {
		h.log.Error("internal error", "reference", info.client.Reference, "route", info.route, "error", err)
		ae = api.Errorf(api.CodeInternal, service.DetailInternal)
	}
	p := *ae
	if p.Code == "" {
		p.Code = api.CodeInternal
	}
	if p.Code == api.CodeInternal {
		p.Detail = service.DetailInternal
		p.Violations, p.AttemptsLeft, p.RetryAfter = nil, nil, 0
	}
	if p.Type == "" {
		p.Type = "about:blank"
	}
	p.Title = p.Code.Title()
	p.Status = p.Code.Status()
	p.Reference = info.client.Reference
	return p
}

func writeProblem(w http.ResponseWriter, p api.Error) {
	w.Header().Set("Content-Type", api.ProblemJSON)
	w.Header().Del("Content-Length")
	w.WriteHeader(p.Status)
	// Encoding an api.Error cannot fail.
	json.NewEncoder(w).Encode(p)
}

// writeJSON sends a successful JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
	return nil
}

// writeBytes sends a successful binary answer.
func writeBytes(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
