package service

import "context"

// OperatorKind says where an IT Help operator's sign-in is checked.
type OperatorKind string

const (
	// LocalOperator is kept by resetd itself (resetd operators add):
	// an Argon2id password and a TOTP secret.
	LocalOperator OperatorKind = "local"
	// DirectoryOperator binds to the directory as themselves and is a
	// member of the help-desk group.
	DirectoryOperator OperatorKind = "directory"
)

// Operator is a signed-in IT Help operator: who every help-desk look-up
// and action is done by, and whose name the audit records.
type Operator struct {
	Name string // the sign-in name, as audited
	Kind OperatorKind
	// StaffNumber is the operator's own staff number when the directory
	// knows one (directory operators), so that they may not act on their
	// own account; empty otherwise.
	StaffNumber string
}

type operatorKey struct{}

// WithOperator returns ctx carrying the signed-in operator.
func WithOperator(ctx context.Context, op Operator) context.Context {
	return context.WithValue(ctx, operatorKey{}, op)
}

// OperatorFrom returns the operator ctx carries, if any.
func OperatorFrom(ctx context.Context) (Operator, bool) {
	op, ok := ctx.Value(operatorKey{}).(Operator)
	return op, ok
}
