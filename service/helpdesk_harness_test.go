package service_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

// The operators of the help-desk tests.
var (
	opWong = service.Operator{Name: "wong.it", Kind: service.LocalOperator}
	// opChan is a directory operator whose own account is acctSMS.
	opChan = service.Operator{Name: "chan.it", Kind: service.DirectoryOperator, StaffNumber: acctSMS.StaffNumber}
)

// as is ctx carrying op, as the help desk's session middleware makes it.
func as(op service.Operator) context.Context {
	return service.WithOperator(context.Background(), op)
}

// helpdeskDirectory is the built-in directory with the state a real
// directory keeps on top: lockouts that UnlockAccount ends (unless
// refuse says it may not), privileged and disabled accounts and the
// help-desk group.
// It stands in for LDAP in these tests of the domain; ldapdir's own tests
// run against slapd and Samba.
type helpdeskDirectory struct {
	service.Directory
	mu         sync.Mutex
	locked     map[string]bool
	privileged map[string]bool
	disabled   map[string]bool
	operators  map[string]bool
	refuse     bool
	unlocks    []string
}

func (d *helpdeskDirectory) Account(ctx context.Context, staffNumber string) (service.Account, error) {
	a, err := d.Directory.Account(ctx, staffNumber)
	d.mu.Lock()
	defer d.mu.Unlock()
	a.LockedOut, a.Privileged, a.Disabled = d.locked[staffNumber], d.privileged[staffNumber], d.disabled[staffNumber]
	return a, err
}

func (d *helpdeskDirectory) UnlockAccount(ctx context.Context, staffNumber string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.refuse {
		return service.ErrUnlockNotPermitted
	}
	d.unlocks = append(d.unlocks, staffNumber)
	d.locked[staffNumber] = false
	return nil
}

func (d *helpdeskDirectory) IsOperatorAccount(ctx context.Context, staffNumber string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.operators[staffNumber], nil
}

// newHelpdeskHarness is a harness whose service reads accounts through a
// helpdeskDirectory over its store.
func newHelpdeskHarness(t testing.TB, store service.Store) (*harness, *helpdeskDirectory) {
	t.Helper()
	cfg := testConfig()
	dir := &helpdeskDirectory{
		Directory:  service.NewStoreDirectory(store, cfg),
		locked:     map[string]bool{},
		privileged: map[string]bool{},
		disabled:   map[string]bool{},
		operators:  map[string]bool{},
	}
	h := &harness{
		tb:     t,
		store:  store,
		clock:  service.NewManualClock(t0),
		client: service.Client{Addr: "192.0.2.10", UserAgent: "casreset-test/1", Reference: "ref-test"},
	}
	svc, err := service.New(cfg, store, dir, h.clock, nil)
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	h.svc = svc
	svc.SetEventHook(func(e service.AuditEvent) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.events = append(h.events, e)
	})
	h.addAccounts(acctBoth, acctSMS, acctMail, acctNone, acctEnded)
	return h, dir
}

// onEachEngineHelpdesk runs test on a help-desk harness over each engine.
func onEachEngineHelpdesk(t *testing.T, test func(t *testing.T, h *harness, dir *helpdeskDirectory)) {
	for _, e := range storetest.Engines {
		t.Run(e.Name, func(t *testing.T) {
			h, dir := newHelpdeskHarness(t, e.Open(t))
			test(t, h, dir)
		})
	}
}

// helpdeskClient is the request of an operator's workstation.
func helpdeskClient(ref string) service.Client {
	return service.Client{Addr: "10.1.2.3", UserAgent: "casreset-helpdesk/1", Reference: ref}
}

// messagesOf returns the messages of kind queued to staff's contacts.
func (h *harness) messagesOf(kind string, to ...string) []service.Message {
	h.tb.Helper()
	var out []service.Message
	for id := int64(1); ; id++ {
		var m service.Message
		err := h.store.View(context.Background(), func(tx service.Tx) (err error) {
			m, err = tx.Message(id)
			return err
		})
		if errors.Is(err, service.ErrNotFound) {
			return out
		}
		if err != nil {
			h.tb.Fatal(err)
		}
		if m.Kind != kind {
			continue
		}
		for _, addr := range to {
			if m.To == addr {
				out = append(out, m)
			}
		}
	}
}

// verifyCaller has op verify the caller of staff by SMS, reading the code
// back from the queued message.
func (h *harness) verifyCaller(op service.Operator, staff string) {
	h.tb.Helper()
	ctx := as(op)
	if _, err := h.svc.HelpdeskStartVerification(ctx, helpdeskClient("ref-v"), staff, api.ChannelSMS); err != nil {
		h.tb.Fatalf("HelpdeskStartVerification: %v", err)
	}
	if _, err := h.svc.HelpdeskCheckVerification(ctx, helpdeskClient("ref-c"), staff, h.callerCode(op, staff)); err != nil {
		h.tb.Fatalf("HelpdeskCheckVerification: %v", err)
	}
}

// callerCode is the code of op's latest verification of staff's caller,
// read from its message as the caller reads it.
func (h *harness) callerCode(op service.Operator, staff string) string {
	h.tb.Helper()
	var v service.CallerVerification
	err := h.store.View(context.Background(), func(tx service.Tx) (err error) {
		v, err = tx.CallerVerification(service.HelpdeskOperatorKey(op), staff)
		return err
	})
	if err != nil {
		h.tb.Fatalf("read verification: %v", err)
	}
	return h.message(v.MessageID).Params["code"]
}

// auditWith returns the stored events whose detail contains s.
func (h *harness) auditWith(staff, s string) []service.AuditEvent {
	h.tb.Helper()
	var out []service.AuditEvent
	for _, e := range h.audit(staff) {
		if strings.Contains(e.Detail, s) {
			out = append(out, e)
		}
	}
	return out
}
