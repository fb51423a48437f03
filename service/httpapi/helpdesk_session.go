package httpapi

import (
	"net/http"

	"casreset/api"
	"casreset/service"
)

// signIn is POST /v1/helpdesk/sessions.
func (h *handler) signIn(w http.ResponseWriter, r *http.Request) error {
	var req api.HelpdeskSignInRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.SignInOperator(r.Context(), infoOf(r).client, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// signOut is DELETE /v1/helpdesk/sessions/current, behind signedIn.
func (h *handler) signOut(w http.ResponseWriter, r *http.Request) error {
	token, err := operatorToken(r)
	if err != nil {
		return err
	}
	if err := h.svc.SignOutOperator(r.Context(), infoOf(r).client, token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// signedIn lets a help-desk request through only with the bearer token of
// a live operator session, which it extends; the handler finds the
// operator with service.OperatorFrom(r.Context()). Without one the answer
// is 401 operator_auth_failed, with a WWW-Authenticate challenge (RFC
// 6750).
func (h *handler) signedIn(next apiFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, err := operatorToken(r)
		if err == nil {
			var op service.Operator
			op, err = h.svc.OperatorOfSession(r.Context(), infoOf(r).client, token)
			if err == nil {
				return next(w, r.WithContext(service.WithOperator(r.Context(), op)))
			}
		}
		if api.ErrorCode(err) == api.CodeOperatorAuthFailed {
			w.Header().Set("WWW-Authenticate", `Bearer realm="helpdesk"`)
		}
		return err
	}
}

// operatorToken reads a session token as bearerToken reads reset tokens;
// a missing or malformed one is operator_auth_failed.
func operatorToken(r *http.Request) (string, error) {
	token, err := bearerToken(r)
	if err != nil {
		return "", api.Errorf(api.CodeOperatorAuthFailed, "Please sign in to the help desk.")
	}
	return token, nil
}
