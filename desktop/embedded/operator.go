package embedded

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casreset/api"
	"casreset/service"
)

// The demonstration's IT Help operator, for casreset --helpdesk with no
// server: a local operator whose password is this one and whose TOTP
// secret is new at every start. The sign-in page shows both, and the
// code of the moment, in demo mode only.
const (
	DemoOperatorName     = "ithelp.demo"
	DemoOperatorPassword = "Demo-IT-Help-2026"
)

// DemoOperator is the demonstration's operator as this run enrolled it.
type DemoOperator struct {
	Name, Password string
	totpSecret     string // base32, as an authenticator app would hold it
}

// DemoSignIn is what the operator types at now: their name, password and
// the code their authenticator app shows.
func (o *DemoOperator) DemoSignIn(now time.Time) (name, password, code string) {
	code, err := service.TOTPCode(o.totpSecret, now, api.TOTPDigits)
	if err != nil {
		code = "" // unreachable: the secret is the service's own
	}
	return o.Name, o.Password, code
}

// addOperator enrols the demonstration's operator afresh: a new TOTP
// secret each run, so that no code of an earlier run works.
func (d *Demo) addOperator(ctx context.Context) error {
	svc := d.running.Service
	by := service.Client{UserAgent: "casreset demonstration"}
	err := svc.RemoveOperator(ctx, by, DemoOperatorName, "the demonstration")
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("demonstration operator: %w", err)
	}
	en, err := svc.AddOperator(ctx, by, service.NewOperator{Name: DemoOperatorName, Password: DemoOperatorPassword}, "the demonstration")
	if err != nil {
		return fmt.Errorf("demonstration operator: %w", err)
	}
	d.Operator = &DemoOperator{Name: DemoOperatorName, Password: DemoOperatorPassword, totpSecret: en.Secret}
	return nil
}
