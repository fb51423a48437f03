package service

import (
	"context"
	"errors"
)

// OperatorDirectory is a Directory whose staff may sign in to the help
// desk: they bind as themselves and must be members of the help-desk
// group (resetd serve --helpdesk-group).
type OperatorDirectory interface {
	// AuthenticateOperator checks username (as NormalizeSignInName gives
	// it: a name, a userPrincipalName or DOMAIN\name) and password
	// against the directory and the group. It returns the operator (Kind
	// DirectoryOperator, Name the entry's own username in one form,
	// whichever form was typed, StaffNumber from the entry), or one of
	// ErrOperatorUnknown, ErrOperatorPassword, ErrOperatorNotInGroup (or an
	// error that is one of them by errors.Is and whose text is the
	// directory's reason, for the audit), or an error of the directory
	// itself. With ErrOperatorPassword and ErrOperatorNotInGroup the
	// operator's Name is set when the entry was found, for the audit.
	AuthenticateOperator(ctx context.Context, username, password string) (Operator, error)
}

// Why a directory refused an operator's sign-in: for the audit only, the
// answer is operator_auth_failed whatever the reason, so that sign-in
// tells nobody which staff passwords are right.
var (
	ErrOperatorUnknown    = errors.New("no such user")
	ErrOperatorPassword   = errors.New("wrong password")
	ErrOperatorNotInGroup = errors.New("not a member of the help-desk group")
)
