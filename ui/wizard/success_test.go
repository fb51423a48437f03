package wizard

import (
	"context"
	"strings"
	"testing"

	"casreset/api"
)

// stillLockedBackend changes passwords as the service does but answers as
// a directory that keeps the account locked out would.
type stillLockedBackend struct{ Backend }

func (b stillLockedBackend) SetPassword(ctx context.Context, token string, req api.PasswordRequest) (api.PasswordResponse, error) {
	res, err := b.Backend.SetPassword(ctx, token, req)
	res.StillLocked = err == nil
	return res, err
}

// When the directory keeps the account locked out, the success screen says
// so and sends the person to IT Help; otherwise it does not.
func TestSuccessSaysWhenTheAccountStaysLocked(t *testing.T) {
	for _, locked := range []bool{false, true} {
		var opts []envOption
		if locked {
			opts = append(opts, withBackend(func(real Backend) Backend { return stillLockedBackend{real} }))
		}
		e := newEnv(t, opts...)
		s4 := e.toStep4(acctBoth.StaffNumber)
		e.typeIn(s4.pw, goodPassword)
		e.typeIn(s4.retype, goodPassword)
		e.tap(s4.update)
		done := screenAs[*success](e)
		if done.locked.Visible() != locked {
			t.Errorf("still locked %v: the note shows %v", locked, done.locked.Visible())
		}
		if locked && !strings.Contains(done.locked.Text, "contact IT Help") {
			t.Errorf("the note %q does not send the person to IT Help", done.locked.Text)
		}
		if done.contact.Box().Visible() != locked || (locked && !strings.Contains(done.contact.Lines(), e.c.deps.Settings.HelpEmail)) {
			t.Errorf("still locked %v: IT Help's contact shows %v (%q)", locked, done.contact.Box().Visible(), done.contact.Lines())
		}
	}
}
