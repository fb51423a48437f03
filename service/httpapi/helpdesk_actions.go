package httpapi

import (
	"bytes"
	"net/http"

	"casreset/api"
)

// The help desk's look-ups and actions, each behind signedIn: the
// operator is in the request's context for the service to read.

// helpdeskAccount is GET /v1/helpdesk/accounts/{staff_number}.
func (h *handler) helpdeskAccount(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.HelpdeskAccount(r.Context(), infoOf(r).client, r.PathValue("staff_number"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// helpdeskEvents is GET /v1/helpdesk/events/{reference}.
func (h *handler) helpdeskEvents(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.HelpdeskEvents(r.Context(), infoOf(r).client, r.PathValue("reference"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// helpdeskStartVerification is POST
// /v1/helpdesk/accounts/{staff_number}/verifications.
func (h *handler) helpdeskStartVerification(w http.ResponseWriter, r *http.Request) error {
	var req api.VerificationRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.HelpdeskStartVerification(r.Context(), infoOf(r).client, r.PathValue("staff_number"), req.Channel)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, out)
}

// helpdeskCheckVerification is POST
// /v1/helpdesk/accounts/{staff_number}/verifications/current/check.
func (h *handler) helpdeskCheckVerification(w http.ResponseWriter, r *http.Request) error {
	var req api.VerificationCheckRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.HelpdeskCheckVerification(r.Context(), infoOf(r).client, r.PathValue("staff_number"), req.Code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// helpdeskUnlock is POST /v1/helpdesk/accounts/{staff_number}/unlock. The
// body may be empty: a verified caller needs no note.
func (h *handler) helpdeskUnlock(w http.ResponseWriter, r *http.Request) error {
	var req api.UnlockRequest
	if err := decodeOptionalJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.HelpdeskUnlock(r.Context(), infoOf(r).client, r.PathValue("staff_number"), req.InPersonNote)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// helpdeskIssuePass is POST /v1/helpdesk/accounts/{staff_number}/passes.
func (h *handler) helpdeskIssuePass(w http.ResponseWriter, r *http.Request) error {
	var req api.PassRequest
	if err := decodeOptionalJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.HelpdeskIssuePass(r.Context(), infoOf(r).client, r.PathValue("staff_number"), req.InPersonNote)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// decodeOptionalJSON is decodeJSON for a body that may be left out: an
// empty body leaves dst as it is.
func decodeOptionalJSON(w http.ResponseWriter, r *http.Request, dst any) error {
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
	return decodeBody(body, dst)
}
