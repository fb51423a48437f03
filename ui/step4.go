package ui

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
	"casreset/ui/validate"
)

// step4 takes the new password twice, with a checklist built from the
// service's policy that ticks as the person types.
type step4 struct {
	c      *controller
	policy api.Policy

	title       *widget.Label
	newLabel    *widget.Label
	pw          *secretEntry
	serverErr   *widget.Label
	ruleLength  *checkItem
	ruleMax     *checkItem
	ruleLetters *checkItem
	ruleChars   *checkItem
	ruleHistory *checkItem
	ruleServer  *checkItem
	adviceTitle *widget.Label
	advice      *checkItem
	strength    *widget.ProgressBar
	moreInfo    *widget.Hyperlink
	retypeLabel *widget.Label
	retype      *secretEntry
	match       *checkItem
	show        *widget.Check
	casNote     *widget.Label
	update      *actionButton
	box         *fyne.Container

	serverErrText text
	refused       []string // rules the service refused the current password for
}

func newStep4(c *controller) *step4 {
	s := &step4{
		c:           c,
		policy:      c.policy,
		title:       newHeading(),
		newLabel:    widget.NewLabel(""),
		pw:          newSecretEntry(true),
		serverErr:   newErrorLabel(),
		ruleLength:  newCheckItem(),
		ruleMax:     newCheckItem(),
		ruleLetters: newCheckItem(),
		ruleChars:   newCheckItem(),
		ruleHistory: newCheckItem(),
		ruleServer:  newCheckItem(),
		adviceTitle: widget.NewLabel(""),
		advice:      newCheckItem(),
		strength:    widget.NewProgressBar(),
		moreInfo:    widget.NewHyperlink("", nil),
		retypeLabel: widget.NewLabel(""),
		retype:      newSecretEntry(true),
		match:       newCheckItem(),
		casNote:     newWrapLabel(),
	}
	// The show/hide box below replaces the entries' own eye icons, so that
	// one switch, reachable with Tab, shows or hides both fields.
	for _, e := range []*secretEntry{s.pw, s.retype} {
		e.ActionItem = canvas.NewRectangle(color.Transparent)
		e.OnChanged = func(string) { c.touch(); s.refused = nil; s.serverErrText = text{}; s.refresh() }
		e.OnSubmitted = func(string) { s.onSubmit() }
	}
	s.pw.Validator = quietWhenEmpty(validate.Password(s.policy))
	// The re-typed field has no Validator: it would turn red at the first
	// character. The "match" line of the checklist says it instead.
	s.newLabel.TextStyle.Bold = true
	s.retypeLabel.TextStyle.Bold = true
	s.adviceTitle.TextStyle.Bold = true
	s.show = widget.NewCheck("", s.onShow)
	s.strength.Max = 4
	s.strength.TextFormatter = func() string {
		return c.t("step4.strength", "Level", c.t(strengthKey(int(s.strength.Value))))
	}
	s.moreInfo.OnTapped = c.showHelp
	s.casNote.TextStyle.Bold = true
	s.update = newPrimaryButton(s.onSubmit)

	s.box = container.NewVBox(
		s.title,
		container.NewBorder(nil, nil, s.newLabel, s.show),
		s.pw, s.serverErr,
		compactList(s.ruleLength, s.ruleMax, s.ruleLetters, s.ruleChars, s.ruleHistory, s.ruleServer),
		s.adviceTitle,
		compactList(s.advice),
		container.NewHBox(container.NewGridWrap(fyne.NewSize(320, s.strength.MinSize().Height), s.strength)),
		s.retypeLabel, s.retype,
		compactList(s.match),
		s.casNote,
		// More Info comes after the fields, so that Tab goes from the new
		// password straight to the re-typed one.
		container.NewBorder(nil, nil, container.NewCenter(s.moreInfo), s.update),
	)
	return s
}

func (s *step4) step() int                  { return 4 }
func (s *step4) content() fyne.CanvasObject { return s.box }
func (s *step4) focus() fyne.Focusable      { return s.pw }
func (s *step4) setBusy(bool)               { s.refresh() }

func (s *step4) wipe() {
	s.pw.wipe()
	s.retype.wipe()
}

func (s *step4) onShow(on bool) {
	s.c.touch()
	for _, e := range []*secretEntry{s.pw, s.retype} {
		e.Password = !on
		e.Refresh()
	}
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

func (s *step4) refresh() {
	c := s.c
	t := c.t
	p := s.policy
	pw := s.pw.Text
	s.title.SetText(t("step4.title"))
	s.newLabel.SetText(t("step4.new.label"))
	setText(s.serverErr, s.serverErrText.in(c.tr))

	checks := map[string]validate.Check{}
	for _, ch := range validate.PasswordChecks(p, pw) {
		checks[ch.Rule] = ch
	}
	state := func(rules ...string) (checkState, bool) {
		present := false
		for _, r := range rules {
			ch, ok := checks[r]
			if !ok {
				continue
			}
			present = true
			if pw != "" && !ch.OK {
				return checkFailed, true
			}
		}
		if pw == "" {
			return checkPending, present
		}
		return checkMet, present
	}

	st, on := state(api.RuleTooShort)
	showItem(s.ruleLength, on, st, t("rule.length", "Min", p.MinLength))
	st, on = state(api.RuleTooLong)
	showItem(s.ruleMax, on && st == checkFailed, st, t("rule.max_length", "Max", p.MaxLength))

	lettersKey := "rule.letter_digit"
	switch {
	case p.NeedsLetter && !p.NeedsDigit:
		lettersKey = "rule.letter"
	case !p.NeedsLetter && p.NeedsDigit:
		lettersKey = "rule.digit"
	}
	st, on = state(api.RuleNeedsLetter, api.RuleNeedsDigit)
	showItem(s.ruleLetters, on, st, t(lettersKey))

	st, on = state(api.RuleHasWhitespace, api.RuleForbiddenChar)
	charsText := t("rule.chars", "Chars", spaced(p.ForbiddenChars))
	if !p.NoWhitespace {
		charsText = t("rule.chars_only", "Chars", spaced(p.ForbiddenChars))
	} else if p.ForbiddenChars == "" {
		charsText = t("rule.whitespace")
	}
	if ch, ok := checks[api.RuleHasWhitespace]; ok && !ch.OK && pw != "" {
		charsText += " " + t("rule.found_space")
	} else if ch, ok := checks[api.RuleForbiddenChar]; ok && !ch.OK && pw != "" {
		charsText += " " + t("rule.found_char", "Char", ch.Found)
	}
	showItem(s.ruleChars, on, st, charsText)

	historyState := checkInfo
	if slices.Contains(s.refused, "reused") {
		historyState = checkFailed
	}
	showItem(s.ruleHistory, p.History > 0, historyState, c.tr.N("rule.history", p.History))

	serverKey := ""
	switch {
	case p.RejectCommon && p.RejectIdentity:
		serverKey = "rule.common_identity"
	case p.RejectCommon:
		serverKey = "rule.common"
	case p.RejectIdentity:
		serverKey = "rule.identity"
	}
	serverState := checkInfo
	if slices.Contains(s.refused, api.RuleTooCommon) || slices.Contains(s.refused, api.RuleContainsIdentity) {
		serverState = checkFailed
	}
	showItem(s.ruleServer, serverKey != "", serverState, t(serverKey))

	a := p.Advice
	adviceOn := a.MinLength > 0 || a.NeedsUpper || a.NeedsLower || a.NeedsDigit
	s.adviceTitle.SetText(t("step4.advice_title"))
	adviceState := checkPending
	if pw != "" {
		adviceState = checkInfo
		if validate.AdviceMet(a, pw) {
			adviceState = checkMet
		}
	}
	showItem(s.advice, adviceOn, adviceState, t("rule.advice", "Min", a.MinLength))
	if adviceOn {
		s.adviceTitle.Show()
	} else {
		s.adviceTitle.Hide()
	}
	s.strength.SetValue(float64(validate.Strength(pw, c.staff)))
	s.moreInfo.SetText(t("step4.more_info"))

	s.retypeLabel.SetText(t("step4.retype.label"))
	matchState := checkPending
	switch re := s.retype.Text; {
	case re == "":
	case re == pw:
		matchState = checkMet
	case len(re) < len(pw) && strings.HasPrefix(pw, re):
		// Still typing, and right so far.
	default:
		matchState = checkFailed
	}
	s.match.set(matchState, t("rule.match"))
	s.show.Text = t("step4.show")
	s.show.Refresh()
	s.casNote.SetText(t("step4.cas_note", "Org", c.orgName()))
	s.update.SetText(t("step4.update"))
	enable(s.update, !c.busy && s.ready())
}

func showItem(i *checkItem, on bool, st checkState, text string) {
	i.set(st, text)
	if on {
		i.row.Show()
	} else {
		i.row.Hide()
	}
}

// spaced writes each character apart, as the seed does: $ " \ / `
func spaced(chars string) string {
	return strings.Join(strings.Split(chars, ""), " ")
}

func (s *step4) onSubmit() {
	c := s.c
	if c.busy || !s.ready() {
		return
	}
	token, pw := c.token, s.pw.Text
	c.call(func(ctx context.Context) error {
		_, err := c.backend.SetPassword(ctx, token, pw)
		return err
	}, func(err error) {
		if err == nil {
			s.wipe()
			c.token = ""
			c.show(newSuccess(c))
			return
		}
		if isFatal(err) {
			c.fail(err)
			return
		}
		var violations []string
		switch errorCode(err) {
		case api.CodePasswordReused:
			violations = []string{"reused"}
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
// rule when it said which.
func (s *step4) refusalText(err error, violations []string) text {
	for _, v := range violations {
		switch v {
		case api.RuleTooCommon, api.RuleContainsIdentity, api.RuleTooShort, api.RuleTooLong,
			api.RuleNeedsLetter, api.RuleNeedsDigit, api.RuleHasWhitespace, api.RuleForbiddenChar:
			return msg("refused." + v)
		}
	}
	return s.c.errorText(err)
}
