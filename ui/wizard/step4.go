package wizard

import (
	"context"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/validate"
)

// step4 takes the new password twice, with a checklist built from the
// service's policy that ticks as the person types.
type step4 struct {
	c      *controller
	policy api.Policy

	title       *ui.WrapLabel
	newLabel    *widget.Label
	pw          *ui.SecretEntry
	serverErr   *message
	rules       []*ui.CheckItem // one per rule of the policy, in its order
	advice      *ui.CheckItem
	strength    *widget.ProgressBar
	strengthLbl *widget.Label // what the bar means, beside it
	strengthRow *fyne.Container
	strengthBox *fyne.Container // lays the bar out again when it shows
	moreInfo    *widget.Hyperlink
	retypeLabel *widget.Label
	retype      *ui.SecretEntry
	match       *ui.CheckItem
	show        *ui.CheckBox
	casNote     *ui.WrapLabel
	update      *ui.ActionButton
	box         *fyne.Container
	bar         fyne.CanvasObject

	serverErrText text
	refused       []api.RuleID // rules the service refused the current password for

	// retypeLeft: the person left the re-typed field (Tab, a click, Enter)
	// since last typing in it, so a beginning of the password there is a
	// mismatch, not one still being typed.
	retypeLeft bool
}

func newStep4(c *controller) *step4 {
	s := &step4{
		c:           c,
		policy:      c.policy,
		title:       ui.NewHeading(),
		newLabel:    widget.NewLabel(""),
		pw:          ui.NewSecretEntry(true),
		serverErr:   newMessage(c),
		advice:      ui.NewCheckItem(),
		strength:    widget.NewProgressBar(),
		strengthLbl: widget.NewLabel(""),
		moreInfo:    widget.NewHyperlink("", nil),
		retypeLabel: widget.NewLabel(""),
		retype:      ui.NewSecretEntry(true),
		match:       ui.NewCheckItem(),
		casNote:     ui.NewWrapLabel(),
	}
	for range s.policy.Requirements {
		s.rules = append(s.rules, ui.NewCheckItem())
	}
	changed := func(string) { c.touch(); s.refused = nil; s.serverErrText = text{}; s.refresh() }
	// The show/hide box below replaces the entries' own eye icons, so that
	// one switch, reachable with Tab, shows or hides both fields.
	for _, e := range []*ui.SecretEntry{s.pw, s.retype} {
		e.ActionItem = canvas.NewRectangle(color.Transparent)
		e.OnChanged = changed
		e.OnSubmitted = func(string) { s.onSubmit() }
	}
	s.retype.OnChanged = func(re string) { s.retypeLeft = false; changed(re) }
	s.retype.OnFocusLost = func() { s.leftRetype() }
	s.retype.OnSubmitted = func(string) { s.leftRetype(); s.onSubmit() }
	s.pw.Validator = ui.QuietWhenEmpty(validate.Password(s.policy))
	// The re-typed field has no Validator: it would turn red at the first
	// character. The "match" line of the checklist says it instead.
	s.newLabel.TextStyle.Bold = true
	s.retypeLabel.TextStyle.Bold = true
	s.show = ui.NewCheckBox(s.onShow)
	s.strength.Max = 4
	// The words go beside the bar, not on it: on the bar they would be
	// drawn half on its colour and half on its faded track, below 4.5:1
	// on one or the other in either theme.
	s.strength.TextFormatter = func() string { return "" }
	s.strengthLbl.Hide()
	s.moreInfo.OnTapped = c.showHelp
	s.casNote.TextStyle.Bold = true
	s.update = ui.NewPrimaryButton(s.onSubmit)
	// A grid cell keeps its size while the bar is hidden, so that the
	// first character typed moves nothing below it.
	s.strengthBox = container.NewGridWrap(fyne.NewSize(320, s.strength.MinSize().Height), s.strength)
	s.strengthRow = container.NewHBox(s.strengthBox, s.strengthLbl)

	s.box = container.NewVBox(
		s.title,
		container.NewBorder(nil, nil, s.newLabel, s.show),
		s.pw, s.serverErr.box,
		// The recommendation ends the list, as on the seed's page, where
		// it is one of the numbered lines.
		ui.CompactList(slices.Concat(s.rules, []*ui.CheckItem{s.advice})...),
		s.strengthRow,
		s.retypeLabel, s.retype,
		ui.CompactList(s.match),
		s.casNote,
	)
	// More Info comes after the fields, so that Tab goes from the new
	// password straight to the re-typed one.
	s.bar = container.NewBorder(nil, nil, container.NewCenter(s.moreInfo), s.update)
	return s
}

// flowPolicy is the password policy of the flow of token: the flow's own,
// or the global one from a service whose flows carry none.
func flowPolicy(ctx context.Context, b Backend, token string) (api.Policy, error) {
	f, err := b.Flow(ctx, token)
	if err != nil {
		return api.Policy{}, err
	}
	if f.Policy != nil {
		return *f.Policy, nil
	}
	return b.Policy(ctx)
}

func (s *step4) step() int                  { return 4 }
func (s *step4) content() fyne.CanvasObject { return s.box }
func (s *step4) actions() fyne.CanvasObject { return s.bar }
func (s *step4) focus() fyne.Focusable      { return s.pw }
func (s *step4) setBusy(bool)               { s.refresh() }

func (s *step4) wipe() {
	s.pw.Wipe()
	s.retype.Wipe()
}

func (s *step4) onShow(on bool) {
	s.c.touch()
	for _, e := range []*ui.SecretEntry{s.pw, s.retype} {
		e.Password = !on
		e.Refresh()
	}
}

// strengthCap is the highest strength a password that breaks a required
// rule is shown with: "weak". Strength measures how hard a password is to
// guess, but one the service will refuse is no good however long it is.
const strengthCap = 1

// refreshStrength shows the strength of pw: nothing before anything is
// typed (an empty field is not "very weak", it is empty), and never more
// than strengthCap while a rule of the policy fails here or was refused
// by the service.
func (s *step4) refreshStrength(pw string) {
	if pw == "" {
		s.strength.Hide()
		s.strengthLbl.Hide()
		return
	}
	score := validate.Strength(pw, s.c.staff)
	if validate.Password(s.policy)(pw) != nil || len(s.refused) > 0 {
		score = min(score, strengthCap)
	}
	s.strength.SetValue(float64(score))
	s.strengthLbl.SetText(s.c.t("step4.strength", "Level", s.c.t(strengthKey(score))))
	s.strength.Show()
	s.strengthLbl.Show()
	s.strengthRow.Refresh() // the words' width changes with the level
}

func strengthKey(score int) string {
	return []string{"strength.0", "strength.1", "strength.2", "strength.3", "strength.4"}[max(0, min(score, 4))]
}

// ready reports whether every rule this computer can check holds and the
// re-typed password matches.
func (s *step4) ready() bool {
	return validate.Password(s.policy)(s.pw.Text) == nil &&
		validate.Match(func() string { return s.pw.Text })(s.retype.Text) == nil
}

// leftRetype marks the re-typed field as finished: a beginning of the
// password left there now reads "The two passwords do not match" rather
// than waiting for more, which never comes.
func (s *step4) leftRetype() {
	s.retypeLeft = true
	if s.c.current == s {
		s.refresh()
	}
}

func (s *step4) refresh() {
	c := s.c
	t := c.t
	p := s.policy
	pw := s.pw.Text
	s.title.SetText(t("step4.title"))
	s.newLabel.SetText(t("step4.new.label"))
	s.serverErr.set(s.serverErrText)

	s.refreshRules(pw)

	a := p.Advice
	adviceOn := a.MinLength > 0 || a.NeedsUpper || a.NeedsLower || a.NeedsDigit
	adviceState := ui.CheckPending
	if pw != "" {
		adviceState = ui.CheckInfo
		if validate.AdviceMet(a, pw) {
			adviceState = ui.CheckMet
		}
	}
	showItem(s.advice, adviceOn, adviceState, t("rule.advice", "Min", a.MinLength))
	s.refreshStrength(pw)
	s.moreInfo.SetText(t("step4.more_info"))

	s.retypeLabel.SetText(t("step4.retype.label"))
	matchState := ui.CheckPending
	switch re := s.retype.Text; {
	case re == "":
	case re == pw:
		matchState = ui.CheckMet
	case len(re) < len(pw) && strings.HasPrefix(pw, re) && !s.retypeLeft:
		// Still typing, and right so far.
	default:
		matchState = ui.CheckFailed
	}
	matchLine := t("rule.match")
	if matchState == ui.CheckFailed {
		matchLine = t(failKey(api.RuleMismatch))
	}
	s.match.Set(matchState, matchLine)
	s.show.Text = t("step4.show")
	s.show.Refresh()
	s.casNote.SetText(t("step4.cas_note", "Org", c.orgName()))
	s.update.SetText(t("step4.update"))
	enable(s.update, !c.busy() && s.ready())
}

// refreshRules shows each rule of the policy: pending, ticked or crossed
// as the password is typed, for the rules this computer checks; for the
// others, that the service checks them on "Update". A rule the service
// refused the password for is crossed until the password changes. Rules
// no translation names share one line.
func (s *step4) refreshRules(pw string) {
	tr := s.c.tr
	var other *ui.CheckItem
	otherState := ui.CheckInfo
	for i, ch := range validate.PasswordChecks(s.policy, pw) {
		item := s.rules[i]
		var state ui.CheckState
		switch {
		case slices.Contains(s.refused, ch.Rule.ID):
			state = ui.CheckFailed
		case !ch.Checked:
			state = ui.CheckInfo
		case pw == "":
			state = ui.CheckPending
		case ch.OK:
			state = ui.CheckMet
		default:
			state = ui.CheckFailed
		}
		line, known := ruleLine(tr, ch.Rule)
		switch {
		case !known:
			if other == nil {
				other = item
			}
			showItem(item, item == other, state, "")
			if state == ui.CheckFailed {
				otherState = ui.CheckFailed
			}
			continue
		case state == ui.CheckFailed:
			line = failLine(tr, ch.Rule)
			if found := foundText(tr, ch.Rule, ch.Found); found != "" {
				line += " " + found
			}
		case !ch.Checked:
			line = tr.T("rule.on_update", "Rule", line)
		}
		showItem(item, true, state, line)
	}
	switch {
	case other == nil:
	case otherState == ui.CheckFailed:
		other.Set(otherState, tr.T(failKey("other")))
	default:
		other.Set(otherState, tr.T("rule.on_update", "Rule", tr.T("rule.other")))
	}
}

func showItem(i *ui.CheckItem, on bool, st ui.CheckState, text string) {
	i.Set(st, text)
	if on {
		i.Show()
	} else {
		i.Hide()
	}
}

func (s *step4) onSubmit() {
	c := s.c
	if c.busy() || !s.ready() {
		return
	}
	token, req := c.token, api.PasswordRequest{NewPassword: s.pw.Text, Language: c.shell.Lang()}
	var changed api.PasswordResponse
	c.call(func(ctx context.Context) error {
		var err error
		changed, err = c.backend.SetPassword(ctx, token, req)
		return err
	}, func(err error) {
		if err == nil {
			s.wipe()
			c.token = ""
			c.show(newSuccess(c, changed.StillLocked))
			return
		}
		if isFatal(err) {
			c.fail(err)
			return
		}
		var violations []api.RuleID
		switch errorCode(err) {
		case api.CodePasswordReused:
			violations = []api.RuleID{api.RuleReused}
		case api.CodePasswordPolicy:
			violations = violationsOf(err)
		}
		s.serverErrText = s.refusalText(err, violations)
		s.refused = violations
		s.refresh()
		c.win.Canvas().Focus(s.pw)
	})
}

// refusalText explains why the service refused the password, naming the
// first rule it named that has words of its own.
func (s *step4) refusalText(err error, violations []api.RuleID) text {
	for _, v := range violations {
		if key := refusedKey(v); s.c.tr.Has(key) {
			return msg(key)
		}
	}
	return s.c.errorText(err)
}
