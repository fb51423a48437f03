package service

import "fmt"

// MissingRightError is the directory refusing the service account a right
// that resetting passwords needs. Only IT can fix it by granting the right:
// people get unavailable (503) and /readyz fails naming the right.
type MissingRightError struct {
	// Right is named as the directory's own tools name it, e.g. "Reset
	// Password" (Active Directory).
	Right string
	// On is where the right is needed: the base DN of the accounts.
	On string
	// Err is the directory's answer, when there was one.
	Err error
}

func (e *MissingRightError) Error() string {
	msg := fmt.Sprintf("the directory's service account lacks the right %q on %s", e.Right, e.On)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap makes the error an unavailable one (503) that keeps the
// directory's answer.
func (e *MissingRightError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrUnavailable}
	}
	return []error{ErrUnavailable, e.Err}
}
