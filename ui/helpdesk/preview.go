package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"casreset/api"
	"casreset/ui/shell"
)

// PreviewScreens names the pages Preview can show, in the order an
// operator meets them.
var PreviewScreens = []string{"signin", "search", "account", "verify", "note", "pass"}

// Preview shows one page of the help desk filled with sample data and no
// service behind it, for screenshots and documentation. Nothing it shows
// is real and nothing typed into it leaves the window.
func Preview(a fyne.App, w fyne.Window, s shell.Settings, name string) (fyne.CanvasObject, error) {
	if !slices.Contains(PreviewScreens, name) {
		return nil, fmt.Errorf("no help-desk screen %q; choose one of %v", name, PreviewScreens)
	}
	d := sampleDeps(s)
	if s.DemoMode {
		d.DemoInbox = shell.NewQuietInbox(a, 0)
		d.Demo = sampleOperator{}
	}
	c := install(a, w, d, true)
	showSample(c, name)
	return c.shell.Root(), nil
}

// sampleDeps are the previews' and golden tests' dependencies: the
// sample desk, the sample time in Hong Kong.
func sampleDeps(s shell.Settings) Deps {
	return Deps{Desk: sampleDesk{}, Clock: sampleClock{}, Settings: s, Location: shell.SampleTime.Location()}
}

type sampleClock struct{}

func (sampleClock) Now() time.Time { return shell.SampleTime }

// sampleOperator is the demonstration operator of the previews.
type sampleOperator struct{}

func (sampleOperator) DemoSignIn(time.Time) (string, string, string) {
	return "ithelp.demo", "Demo-IT-Help-2026", "492817"
}

// showSample brings c to page name with sample data, the way an operator
// would have got there; the sample desk answers at once, so each call
// is applied before the next step.
func showSample(c *controller, name string) {
	if name == "signin" {
		c.signIn.user.SetText("wong.kf")
		c.signIn.password.SetText("correct horse")
		return
	}
	s, _ := sampleDesk{}.HelpdeskSignIn(context.Background(), "", "", "")
	c.token, c.operator = s.SessionToken, s.Operator
	acct, _ := sampleDesk{}.HelpdeskAccount(context.Background(), "", sampleStaff)
	switch name {
	case "search":
		p := newSearchPage(c, noText)
		c.show(p)
		p.query.SetText("KX4T 7QJM 2WPL 9RCE")
	case "account":
		evs, _ := sampleDesk{}.HelpdeskEvents(context.Background(), "", sampleReference)
		c.show(newAccountPage(c, acct, &evs))
	case "verify":
		p := newVerifyPage(c, acct)
		c.show(p)
		p.pick(0)
		r, _ := sampleDesk{}.HelpdeskStartVerification(context.Background(), "", sampleStaff, api.ChannelSMS)
		p.sentTo = r
		p.codeBox.Show()
		p.setBusy(false)
		p.refresh()
		p.code.SetText("5820")
	case "note":
		from := newAccountPage(c, acct, nil)
		p := newNotePage(c, acct, actionPass, from)
		c.show(p)
		p.note.SetText("Staff card 12345678 seen at the IT counter, photo matches.")
	case "pass":
		r, _ := sampleDesk{}.HelpdeskIssuePass(context.Background(), "", sampleStaff, "")
		c.show(newPassPage(c, acct, r))
	}
}

const (
	sampleStaff     = "12345678"
	sampleReference = "KX4T7QJM2WPL9RCE"
)

var errSample = errors.New("sample data only")

// sampleDesk answers every call with fixed sample data.
type sampleDesk struct{}

func at(minutes int) time.Time { return shell.SampleTime.Add(time.Duration(minutes) * time.Minute) }

func ptr(t time.Time) *time.Time { return &t }

func (sampleDesk) HelpdeskSignIn(context.Context, string, string, string) (api.HelpdeskSession, error) {
	return api.HelpdeskSession{
		SessionToken: "sample", ExpiresAt: at(15), EndsAt: at(8 * 60),
		Operator: api.HelpdeskOperator{Name: "wong.kf", Kind: "local"},
	}, nil
}

func (sampleDesk) HelpdeskSignOut(context.Context, string) error { return nil }

func (sampleDesk) HelpdeskAccount(context.Context, string, string) (api.HelpdeskAccount, error) {
	return api.HelpdeskAccount{
		StaffNumber: sampleStaff, Name: "CHAN Tai Man",
		Channels: []api.ChannelInfo{
			{Channel: api.ChannelSMS, Destination: "+852 ****4534"},
			{Channel: api.ChannelEmail, Destination: "c***@example.edu.hk"},
		},
		ContractEnd: "2027-08-31", LastEligibleDay: "2029-02-28", Eligible: true,
		LockedOut: true, PasswordSetAt: ptr(at(-60 * 24 * 40)),
		Limits: []api.HelpdeskLimit{
			{Limit: api.LimitSendsPerAccount, Count: 4, Max: 10, WindowSeconds: 86400},
			{Limit: api.LimitWrongCodesPerAccount, Count: 10, Max: 10, WindowSeconds: 86400, Reached: true, RetryAt: ptr(at(60 * 20))},
		},
		Events: []api.HelpdeskEvent{
			{Time: at(-4), Event: api.EventAuthnLoginFail, StaffNumber: sampleStaff, Reference: sampleReference, ClientAddr: "10.20.4.17", Detail: "code_invalid: wrong code; the account's limit is reached"},
			{Time: at(-6), Event: api.EventSensitiveCreate, StaffNumber: sampleStaff, Reference: "M2DQ8ZT4HV6NBKXA", ClientAddr: "10.20.4.17", Detail: "sms"},
			{Time: at(-7), Event: api.EventAuthnTokenCreated, StaffNumber: sampleStaff, Reference: "P9WJ3LRC7TYE5QGU", ClientAddr: "10.20.4.17"},
		},
	}, nil
}

func (d sampleDesk) HelpdeskEvents(ctx context.Context, _, ref string) (api.HelpdeskEvents, error) {
	a, _ := d.HelpdeskAccount(ctx, "", sampleStaff)
	return api.HelpdeskEvents{
		Reference: sampleReference, Events: a.Events[:1],
		Account: &api.HelpdeskAccountSummary{StaffNumber: sampleStaff, Name: a.Name, Eligible: true, LockedOut: true},
	}, nil
}

func (sampleDesk) HelpdeskStartVerification(_ context.Context, _, _ string, ch api.Channel) (api.VerificationResponse, error) {
	return api.VerificationResponse{Channel: ch, Destination: "+852 ****4534", CodeExpiresAt: at(10), ResendAfter: at(1)}, nil
}

func (sampleDesk) HelpdeskCheckVerification(context.Context, string, string, string) (api.VerificationCheckResponse, error) {
	return api.VerificationCheckResponse{}, errSample
}

func (sampleDesk) HelpdeskUnlock(context.Context, string, string, string) (api.UnlockResponse, error) {
	return api.UnlockResponse{}, errSample
}

func (sampleDesk) HelpdeskIssuePass(context.Context, string, string, string) (api.PassResponse, error) {
	return api.PassResponse{Pass: "7KQM-R4TX", ExpiresAt: at(15)}, nil
}
