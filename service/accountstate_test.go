package service_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// stateDirectory is the store directory with what an LDAP directory adds:
// the account's state, its own password policy and unlocking.
type stateDirectory struct {
	service.Directory

	mu        sync.Mutex
	state     map[string]func(*service.Account) // by staff number
	hidden    map[string]bool                   // numbers Account does not find (shared by several entries)
	policy    service.DirectoryPolicy
	unlockErr error
	unlocked  []string
	sets      int // SetPassword calls
}

func newStateDirectory(h *harness) *stateDirectory {
	d := &stateDirectory{
		Directory: service.NewStoreDirectory(h.store, testConfig()),
		state:     map[string]func(*service.Account){},
		hidden:    map[string]bool{},
	}
	svc, err := service.New(testConfig(), h.store, d, h.clock, nil)
	if err != nil {
		h.tb.Fatal(err)
	}
	h.svc = svc
	return d
}

func (d *stateDirectory) with(staff string, f func(*service.Account)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state[staff] = f
}

func (d *stateDirectory) apply(a service.Account) service.Account {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f := d.state[a.StaffNumber]; f != nil {
		f(&a)
	}
	return a
}

func (d *stateDirectory) Account(ctx context.Context, staff string) (service.Account, error) {
	d.mu.Lock()
	hidden := d.hidden[staff]
	d.mu.Unlock()
	if hidden {
		return service.Account{}, service.ErrNotFound
	}
	a, err := d.Directory.Account(ctx, staff)
	return d.apply(a), err
}

func (d *stateDirectory) AccountsByContact(ctx context.Context, contact string) ([]service.Account, error) {
	accounts, err := d.Directory.AccountsByContact(ctx, contact)
	for i := range accounts {
		accounts[i] = d.apply(accounts[i])
	}
	return accounts, err
}

func (d *stateDirectory) SetPassword(ctx context.Context, staff, password string) error {
	d.mu.Lock()
	d.sets++
	d.mu.Unlock()
	return d.Directory.SetPassword(ctx, staff, password)
}

func (d *stateDirectory) PasswordPolicy(ctx context.Context, staff string) (service.DirectoryPolicy, error) {
	if _, err := d.Account(ctx, staff); err != nil {
		return service.DirectoryPolicy{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.policy, nil
}

func (d *stateDirectory) UnlockAccount(_ context.Context, staff string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.unlockErr != nil {
		return d.unlockErr
	}
	d.unlocked = append(d.unlocked, staff)
	return nil
}

func TestStartRefusesAccountsThatCannotLogIn(t *testing.T) {
	h := newHarness(t)
	d := newStateDirectory(h)
	now := h.clock.Now()
	d.with(acctBoth.StaffNumber, func(a *service.Account) { a.Disabled = true })
	d.with(acctSMS.StaffNumber, func(a *service.Account) { a.LoginsEnd = now.Add(-time.Hour) })
	d.with(acctMail.StaffNumber, func(a *service.Account) { a.LoginsEnd = now.Add(time.Hour) })

	_, err := h.startErr(acctBoth.StaffNumber)
	wantCode(t, err, api.CodeAccountDisabled)
	_, err = h.startErr(acctSMS.StaffNumber)
	wantCode(t, err, api.CodeAccountExpired)
	if _, err := h.startErr(acctMail.StaffNumber); err != nil {
		t.Errorf("an account whose logins end in an hour: %v", err)
	}
	if ev := h.audit(acctBoth.StaffNumber); len(ev) != 1 || ev[0].Event != service.EventAccessRefused {
		t.Errorf("audit of the disabled account: %+v", ev)
	}
	if len(h.queued(service.MessageCode)) != 0 {
		t.Error("a code was queued")
	}
}

func TestAnAccountDisabledMidFlowGetsNoCodeNorPassword(t *testing.T) {
	h := newHarness(t)
	d := newStateDirectory(h)
	started := h.start(acctBoth.StaffNumber)
	verified := h.verified(acctSMS.StaffNumber)
	d.with(acctBoth.StaffNumber, func(a *service.Account) { a.Disabled = true })
	d.with(acctSMS.StaffNumber, func(a *service.Account) { a.Disabled = true })

	_, err := h.svc.SendCode(context.Background(), h.client, started, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeAccountDisabled)
	_, err = h.svc.SetPassword(context.Background(), h.client, verified, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	wantCode(t, err, api.CodeAccountDisabled)
	if d.sets != 0 {
		t.Errorf("the directory was asked to set %d passwords", d.sets)
	}
}

func TestRemindersSkipAccountsThatCannotLogInOrShareTheirNumber(t *testing.T) {
	tests := []struct {
		name  string
		state func(d *stateDirectory, now time.Time)
	}{
		{"disabled", func(d *stateDirectory, _ time.Time) {
			d.with(acctBoth.StaffNumber, func(a *service.Account) { a.Disabled = true })
		}},
		{"logins ended", func(d *stateDirectory, now time.Time) {
			d.with(acctBoth.StaffNumber, func(a *service.Account) { a.LoginsEnd = now })
		}},
		{"staff number on several entries", func(d *stateDirectory, _ time.Time) {
			d.hidden[acctBoth.StaffNumber] = true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d := newStateDirectory(h)
			tt.state(d, h.clock.Now())
			if err := h.remind(acctBoth.Email); err != nil {
				t.Fatal(err)
			}
			if msgs := h.queued(service.MessageReminder); len(msgs) != 0 {
				t.Errorf("a reminder was queued: %+v", msgs)
			}
		})
	}
	t.Run("a usable account still gets its reminder", func(t *testing.T) {
		h := newHarness(t)
		newStateDirectory(h)
		if err := h.remind(acctBoth.Email); err != nil {
			t.Fatal(err)
		}
		if msgs := h.queued(service.MessageReminder); len(msgs) != 1 {
			t.Errorf("%d reminders queued, want 1", len(msgs))
		}
	})
}

// The directory's policy (AD's domain or fine-grained policy) merges into
// the flow's: what the wizard shows is what SetPassword checks, before the
// directory is asked.
func TestTheDirectorysPolicyIsTheFlowsAndCheckedFirst(t *testing.T) {
	h := newHarness(t)
	d := newStateDirectory(h)
	d.policy = service.DirectoryPolicy{MinLength: 12, Complexity: true, History: 24}
	d.with(acctBoth.StaffNumber, func(a *service.Account) { a.LoginName, a.DisplayName = "tmwong", "CHAN, Tai-man" })
	ctx := context.Background()

	started := h.start(acctBoth.StaffNumber)
	f, err := h.svc.Flow(ctx, h.client, started)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Policy
	for _, want := range []api.Rule{
		{ID: api.RuleTooShort, Min: 12},
		{ID: api.RuleNeedsThreeClasses, Count: 3},
		{ID: api.RuleReused, Count: 24},
		{ID: api.RuleContainsAccountName, Min: 3},
	} {
		if got, ok := p.Rule(want.ID); !ok || got != want {
			t.Errorf("the flow's policy has %+v (%v), want %+v", got, ok, want)
		}
	}
	if !slices.Contains(p.Rules, api.RuleNeedsThreeClasses) || !slices.Contains(p.Rules, api.RuleContainsAccountName) {
		t.Errorf("violations may not name the directory's rules: %v", p.Rules)
	}
	if p.AccountNames != nil {
		t.Errorf("an unverified flow's policy names the account: %v", p.AccountNames)
	}
	if g := h.svc.Policy(); slices.Contains(g.Rules, api.RuleNeedsThreeClasses) {
		t.Error("the directory's rule leaked into the global policy")
	}

	token := h.verified(acctBoth.StaffNumber)
	f, err = h.svc.Flow(ctx, h.client, token)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"tmwong", "CHAN", "Tai", "man"}; !slices.Equal(f.Policy.AccountNames, want) {
		t.Errorf("a verified flow's account names = %v, want %v", f.Policy.AccountNames, want)
	}

	for pw, want := range map[string]api.RuleID{
		"abcdefgh1234":  api.RuleNeedsThreeClasses,
		"Xyz-TMWONG-12": api.RuleContainsAccountName,
		"Kx7pQ2mZr9v":   api.RuleTooShort,
	} {
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: pw})
		e := wantCode(t, err, api.CodePasswordPolicy)
		if !slices.Equal(e.Violations, []api.RuleID{want}) {
			t.Errorf("%q: violations %v, want %s", pw, e.Violations, want)
		}
	}
	if d.sets != 0 {
		t.Errorf("the directory was asked %d times for passwords its policy refuses", d.sets)
	}
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"}); err != nil {
		t.Fatalf("a password that meets both policies: %v", err)
	}
}

func TestAPasswordSetTooRecentlyIsRefusedAsTooSoon(t *testing.T) {
	h := newHarness(t)
	d := newStateDirectory(h)
	d.policy = service.DirectoryPolicy{MinAge: 2 * time.Hour}
	setAt := h.clock.Now().Add(-2*time.Hour + 5*time.Minute)
	d.with(acctBoth.StaffNumber, func(a *service.Account) { a.PasswordSetAt = setAt })

	token := h.verified(acctBoth.StaffNumber)
	_, err := h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
	e := wantCode(t, err, api.CodePasswordPolicy)
	if !slices.Equal(e.Violations, []api.RuleID{api.RuleTooSoon}) || d.sets != 0 {
		t.Errorf("violations %v, directory asked %d times; want too_soon before the directory", e.Violations, d.sets)
	}
	f, err := h.svc.Flow(context.Background(), h.client, token)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(f.Policy.Rules, api.RuleTooSoon) {
		t.Errorf("the flow's policy may not name too_soon: %v", f.Policy.Rules)
	}
	if _, listed := f.Policy.Rule(api.RuleTooSoon); listed {
		t.Error("too_soon is listed as a requirement of the password")
	}

	h.clock.Advance(5 * time.Minute)
	if _, err := h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"}); err != nil {
		t.Errorf("once the minimum age has passed: %v", err)
	}
}

func TestALockedOutAccountIsUnlockedByItsChange(t *testing.T) {
	locked := func(a *service.Account) { a.LockedOut = true }
	tests := []struct {
		name        string
		unlockErr   error
		wantLocked  bool
		wantUnlocks int
	}{
		{"the service account may unlock", nil, false, 1},
		{"it may not", service.ErrUnlockNotPermitted, true, 0},
		{"the directory fails", errors.New("ldap: connection reset"), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d := newStateDirectory(h)
			d.unlockErr = tt.unlockErr
			d.with(acctBoth.StaffNumber, locked)
			token := h.verified(acctBoth.StaffNumber)
			res, err := h.svc.SetPassword(context.Background(), h.client, token, api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
			if err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			if res.StillLocked != tt.wantLocked || len(d.unlocked) != tt.wantUnlocks {
				t.Errorf("still_locked %v after %d unlocks, want %v after %d", res.StillLocked, len(d.unlocked), tt.wantLocked, tt.wantUnlocks)
			}
		})
	}
	t.Run("an account that is not locked is left alone", func(t *testing.T) {
		h := newHarness(t)
		d := newStateDirectory(h)
		res, err := h.svc.SetPassword(context.Background(), h.client, h.verified(acctBoth.StaffNumber), api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
		if err != nil || res.StillLocked || len(d.unlocked) != 0 {
			t.Errorf("SetPassword = %+v, %v after %d unlocks", res, err, len(d.unlocked))
		}
	})
	t.Run("a directory that cannot unlock", func(t *testing.T) {
		h := newHarness(t)
		dir := &flakyDirectory{Directory: service.NewStoreDirectory(h.store, testConfig())}
		lockedDir := lockedDirectory{dir}
		svc, err := service.New(testConfig(), h.store, lockedDir, h.clock, nil)
		if err != nil {
			t.Fatal(err)
		}
		h.svc = svc
		res, err := h.svc.SetPassword(context.Background(), h.client, h.verified(acctBoth.StaffNumber), api.PasswordRequest{NewPassword: "Kx7pQ2mZr9vT"})
		if err != nil || !res.StillLocked {
			t.Errorf("SetPassword = %+v, %v; want still_locked", res, err)
		}
	})
}

// lockedDirectory says every account is locked out and cannot unlock.
type lockedDirectory struct{ service.Directory }

func (d lockedDirectory) Account(ctx context.Context, staff string) (service.Account, error) {
	a, err := d.Directory.Account(ctx, staff)
	a.LockedOut = true
	return a, err
}
