package helpdesk

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
)

// accountPage is what the help desk knows of one account: its state,
// eligibility, limits, channels (masked) and recent events, and the
// actions: verify the caller, unlock, issue a pass.
type accountPage struct {
	c       *controller
	acct    api.HelpdeskAccount
	fromRef *api.HelpdeskEvents

	title     *ui.WrapLabel
	facts     *fyne.Container // label, value, label, value…
	protected *ui.WrapLabel
	noticeLbl *ui.WrapLabel
	noticeRow *fyne.Container // a warning
	doneLbl   *ui.WrapLabel
	doneRow   *fyne.Container // what an action did
	errLbl    *ui.WrapLabel
	verify    *ui.ActionButton
	unlock    *ui.ActionButton
	pass      *ui.ActionButton
	again     *ui.ActionButton
	refTitle  *widget.Label
	refList   *fyne.Container
	evTitle   *widget.Label
	evList    *fyne.Container
	box       *fyne.Container
	bar       fyne.CanvasObject

	notice  notice
	errText shell.Text
}

func newAccountPage(c *controller, acct api.HelpdeskAccount, fromRef *api.HelpdeskEvents) *accountPage {
	p := &accountPage{
		c: c, acct: acct, fromRef: fromRef,
		title:     ui.NewHeading(),
		facts:     container.New(layout.NewFormLayout()),
		protected: ui.NewErrorLabel(),
		errLbl:    ui.NewErrorLabel(),
		refTitle:  boldLabel(),
		refList:   container.NewVBox(),
		evTitle:   boldLabel(),
		evList:    container.NewVBox(),
	}
	p.noticeLbl, p.noticeRow = ui.NewNotice()
	p.doneLbl = ui.NewWrapLabel()
	p.doneRow = container.NewBorder(nil, nil, widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())), nil, p.doneLbl)
	p.verify = ui.NewActionButton(func() { c.show(newVerifyPage(c, p.acct)) })
	p.unlock = ui.NewActionButton(func() { p.act(actionUnlock) })
	p.pass = ui.NewPrimaryButton(func() { p.act(actionPass) })
	p.again = ui.NewActionButton(func() { c.show(newSearchPage(c, noText)) })
	refBox := container.NewVBox(p.refTitle, p.refList)
	if fromRef == nil {
		refBox.Hide()
	}
	p.box = container.NewVBox(
		p.title, p.doneRow, p.noticeRow, p.protected, p.facts, p.errLbl,
		widget.NewSeparator(), refBox, p.evTitle, p.evList,
	)
	p.bar = container.NewHBox(p.again, layout.NewSpacer(), p.verify, p.unlock, p.pass)
	return p
}

func (p *accountPage) content() fyne.CanvasObject { return p.box }
func (p *accountPage) actions() fyne.CanvasObject { return p.bar }
func (p *accountPage) focus() fyne.Focusable      { return nil }

func (p *accountPage) setBusy(busy bool) {
	for _, b := range []*ui.ActionButton{p.verify, p.unlock, p.pass, p.again} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if !busy && p.acct.Protected != "" {
		p.verify.Disable()
		p.unlock.Disable()
		p.pass.Disable()
	}
}

// verified reports whether this operator verified the caller and it
// still holds.
func (p *accountPage) verified() bool {
	v := p.acct.VerifiedUntil
	return v != nil && p.c.clock.Now().Before(*v)
}

func (p *accountPage) refresh() {
	c := p.c
	t := c.t
	a := p.acct
	p.title.SetText(t("hd.account.title", "Name", a.Name, "Staff", a.StaffNumber))
	p.noticeRow.Hide()
	p.doneRow.Hide()
	if !p.notice.text.Empty() {
		row, lbl := p.doneRow, p.doneLbl
		if p.notice.warn {
			row, lbl = p.noticeRow, p.noticeLbl
		}
		lbl.SetText(p.notice.text.In(c.tr))
		row.Show()
	}
	if key, ok := protectedKeys[a.Protected]; ok {
		ui.SetText(p.protected, t(key))
	} else if a.Protected != "" {
		ui.SetText(p.protected, t("hd.err.forbidden"))
	} else {
		ui.SetText(p.protected, "")
	}

	p.facts.RemoveAll()
	fact := func(key, value string, danger bool) {
		k := widget.NewLabel(t(key))
		k.TextStyle.Bold = true
		v := ui.NewWrapLabel()
		v.SetText(value)
		if danger {
			v.Importance = widget.DangerImportance
		}
		p.facts.Add(k)
		p.facts.Add(v)
	}
	if a.Eligible {
		fact("hd.account.eligibility", t("hd.account.eligible"), false)
	} else {
		fact("hd.account.eligibility", t("hd.account.not_eligible"), true)
	}
	switch {
	case a.ContractEnd == "":
		fact("hd.account.contract_end", t("hd.account.no_end"), false)
	case a.LastEligibleDay != "":
		fact("hd.account.contract_end", t("hd.account.contract_end.value", "End", a.ContractEnd, "Last", a.LastEligibleDay), false)
	default:
		fact("hd.account.contract_end", a.ContractEnd, false)
	}
	var state []string
	switch {
	case a.Disabled:
		state = append(state, t("hd.account.disabled"))
	case a.LockedOut:
		state = append(state, t("hd.account.locked_out"))
	default:
		state = append(state, t("hd.account.active"))
	}
	if a.Privileged {
		state = append(state, t("hd.account.privileged"))
	}
	if a.LoginsEnd != nil {
		state = append(state, t("hd.account.logins_end", "Time", c.when(*a.LoginsEnd)))
	}
	fact("hd.account.state", strings.Join(state, "\n"), a.Disabled || a.LockedOut)
	if a.PasswordSetAt != nil {
		fact("hd.account.password_set", c.when(*a.PasswordSetAt), false)
	}
	if a.PasswordChangedAt != nil {
		fact("hd.account.password_changed", c.when(*a.PasswordChangedAt), false)
	} else {
		fact("hd.account.password_changed", t("hd.account.never"), false)
	}
	var chans []string
	for _, ch := range a.Channels {
		if key, ok := channelKeys[ch.Channel]; ok {
			chans = append(chans, t(key, "Destination", ch.Destination))
		}
	}
	if len(chans) == 0 {
		chans = append(chans, t("hd.account.no_channels"))
	}
	fact("hd.account.channels", strings.Join(chans, "\n"), len(a.Channels) == 0)
	reached := false
	var limits []string
	for _, l := range a.Limits {
		key, ok := limitKeys[l.Limit]
		if !ok {
			continue
		}
		line := c.tr.N(key, l.Max, "Used", l.Count, "Max", l.Max, "Hours", max(1, l.WindowSeconds/3600))
		if l.Reached && l.RetryAt != nil {
			line += " " + t("hd.limit.reached_until", "Time", c.when(*l.RetryAt))
			reached = true
		} else if l.Reached {
			line += " " + t("hd.limit.reached")
			reached = true
		}
		limits = append(limits, line)
	}
	if len(limits) > 0 {
		fact("hd.account.limits", strings.Join(limits, "\n"), reached)
	}
	if p.verified() {
		fact("hd.account.caller", t("hd.account.verified_until", "Time", c.clockTime(*a.VerifiedUntil)), false)
	} else {
		fact("hd.account.caller", t("hd.account.not_verified"), false)
	}

	ui.SetText(p.errLbl, p.errText.In(c.tr))
	p.verify.SetText(t("hd.account.verify"))
	p.unlock.SetText(t("hd.account.unlock"))
	p.pass.SetText(t("hd.account.pass"))
	p.again.SetText(t("hd.account.search_again"))

	if p.fromRef != nil {
		p.refTitle.SetText(t("hd.account.reference", "Reference", p.fromRef.Reference))
		p.refList.RemoveAll()
		for _, e := range p.fromRef.Events {
			p.refList.Add(eventRow(c, e))
		}
	}
	p.evTitle.SetText(t("hd.account.events"))
	p.evList.RemoveAll()
	for _, e := range a.Events {
		p.evList.Add(eventRow(c, e))
	}
	if len(a.Events) == 0 {
		l := ui.NewWrapLabel()
		l.SetText(t("hd.account.no_events"))
		p.evList.Add(l)
	}
	p.setBusy(c.calls.Busy())
}

// eventRow is one audit event: when, what (in the operator's language),
// its reference and address, and beneath, the service's detail as it
// recorded it.
func eventRow(c *controller, e api.HelpdeskEvent) fyne.CanvasObject {
	parts := []string{c.when(e.Time), eventName(c, e.Event)}
	if e.Reference != "" {
		parts = append(parts, c.t("hd.event.reference", "Reference", e.Reference))
	}
	if e.ClientAddr != "" {
		parts = append(parts, e.ClientAddr)
	}
	l := ui.NewWrapLabel()
	text := strings.Join(parts, " · ")
	if e.Detail != "" {
		text += "\n" + c.t("hd.event.record", "Detail", e.Detail)
	}
	l.SetText(text)
	return l
}

// eventName names an audit event type in the operator's language; a type
// of a newer service that the app does not know shows as it is.
func eventName(c *controller, event string) string {
	if key, ok := eventKeys[event]; ok {
		return c.t(key)
	}
	return event
}

// action is what the account page's Unlock and Issue pass do.
type action int

const (
	actionUnlock action = iota
	actionPass
)

// act runs a once the caller is verified; without a verification it asks
// for the in-person note first.
func (p *accountPage) act(a action) {
	if p.verified() {
		runAction(p.c, p.acct, a, "", func(err error) {
			p.errText = errorText(err)
			p.refresh()
		})
		return
	}
	p.c.show(newNotePage(p.c, p.acct, a, p))
}

// runAction unlocks the account or issues a pass, then shows the result:
// the account again with what the unlock did, or the pass.
func runAction(c *controller, acct api.HelpdeskAccount, a action, note string, onError func(error)) {
	staff := acct.StaffNumber
	var unlocked api.UnlockResponse
	var pass api.PassResponse
	c.call(func(ctx context.Context, token string) error {
		var err error
		if a == actionUnlock {
			unlocked, err = c.desk.HelpdeskUnlock(ctx, token, staff, note)
		} else {
			pass, err = c.desk.HelpdeskIssuePass(ctx, token, staff, note)
		}
		return err
	}, func(err error) {
		if err != nil {
			onError(err)
			return
		}
		if a == actionPass {
			c.show(newPassPage(c, acct, pass))
			return
		}
		c.openAccount(staff, nil, unlockNotice(unlocked), onError)
	})
}

// unlockNotice says what an unlock did: a warning when the directory
// kept the account locked.
func unlockNotice(r api.UnlockResponse) notice {
	switch {
	case r.StillLocked:
		return notice{shell.Msg("hd.unlock.still_locked", "Limits", r.LimitsLifted, "Flows", r.FlowsEnded), true}
	case r.DirectoryUnlocked:
		return notice{text: shell.Msg("hd.unlock.done_directory", "Limits", r.LimitsLifted, "Flows", r.FlowsEnded)}
	default:
		return notice{text: shell.Msg("hd.unlock.done", "Limits", r.LimitsLifted, "Flows", r.FlowsEnded)}
	}
}
