package service

import (
	"context"
	"errors"
	"syscall"

	"casreset/api"
)

// ErrUnavailable may be wrapped by stores and directories into errors that
// mean "could not reach the database or directory"; the service then
// answers CodeUnavailable rather than CodeInternal.
var ErrUnavailable = errors.New("unavailable")

// DetailInternal is all a caller learns of an internal error, from the
// domain or from an adapter; the cause is in the log under the request's
// reference.
const DetailInternal = "Something went wrong on our side. Please try again; if it happens again, contact IT Help with the reference."

// detailUnavailable is what a caller learns when the database or the
// directory cannot be reached.
const detailUnavailable = "The service cannot reach its database or directory at the moment. Please try again in a few minutes."

// refuse builds the *api.Error of an expected refusal.
func refuse(code api.Code, detail string) *api.Error {
	return api.Errorf(code, "%s", detail)
}

// unavailable reports whether err means a dependency could not be reached
// in time, as opposed to a bug or corrupt data.
func unavailable(err error) bool {
	var timeout interface{ Timeout() bool }
	return errors.Is(err, ErrUnavailable) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		(errors.As(err, &timeout) && timeout.Timeout())
}

// public turns any error into the *api.Error a caller may show: refusals
// pass through (with the request's reference added), anything else is
// logged here with its cause and replaced by a generic internal or
// unavailable error.
func (s *Service) public(c Client, op string, err error) *api.Error {
	var ae *api.Error
	if errors.As(err, &ae) {
		out := *ae
		if out.Reference == "" {
			out.Reference = c.Reference
		}
		return &out
	}
	var out *api.Error
	var missing *MissingRightError
	if errors.As(err, &missing) {
		s.log.Error("the directory refused the service account a right it needs", "op", op, "reference", c.Reference,
			"right", missing.Right, "on", missing.On, "error", err)
		out = refuse(api.CodeUnavailable, detailUnavailable)
	} else if unavailable(err) {
		s.log.Warn("dependency unavailable", "op", op, "reference", c.Reference, "error", err)
		out = refuse(api.CodeUnavailable, detailUnavailable)
	} else {
		s.log.Error("internal error", "op", op, "reference", c.Reference, "error", err)
		out = refuse(api.CodeInternal, DetailInternal)
	}
	out.Reference = c.Reference
	return out
}
