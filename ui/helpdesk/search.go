package helpdesk

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/ui"
	"casreset/ui/shell"
	"casreset/ui/validate"
)

// referenceLength is the length of the references the service puts on
// error screens (16 characters of base32), which no staff number has.
const referenceLength = 16

// searchPage finds a staff member by staff number, or by the reference
// their error screen shows.
type searchPage struct {
	c         *controller
	title     *ui.WrapLabel
	intro     *ui.WrapLabel
	label     *widget.Label
	query     *widget.Entry
	errLbl    *ui.WrapLabel
	notice    *ui.WrapLabel
	noticeRow *fyne.Container
	find      *ui.ActionButton
	box       *fyne.Container
	bar       fyne.CanvasObject

	noticeText shell.Text
	errText    shell.Text
	// refEvents are the events of a reference that names no account.
	refList *fyne.Container
}

func newSearchPage(c *controller, notice shell.Text) *searchPage {
	p := &searchPage{
		c: c, title: ui.NewHeading(), intro: ui.NewWrapLabel(), label: boldLabel(),
		query: widget.NewEntry(), errLbl: ui.NewErrorLabel(), noticeText: notice,
		refList: container.NewVBox(),
	}
	p.notice, p.noticeRow = ui.NewNotice()
	p.find = ui.NewPrimaryButton(p.onSubmit)
	p.query.OnChanged = func(string) {
		c.shell.Touch()
		if !p.errText.Empty() {
			p.errText = noText
			p.refresh()
		}
	}
	p.query.OnSubmitted = func(string) { p.onSubmit() }
	p.box = container.NewVBox(p.title, p.intro, p.noticeRow, p.label, p.query, p.errLbl, p.refList)
	p.bar = shell.ButtonRow(p.find)
	return p
}

func (p *searchPage) content() fyne.CanvasObject { return p.box }
func (p *searchPage) actions() fyne.CanvasObject { return p.bar }
func (p *searchPage) focus() fyne.Focusable      { return p.query }

func (p *searchPage) setBusy(busy bool) {
	if busy {
		p.find.Disable()
	} else {
		p.find.Enable()
	}
}

func (p *searchPage) refresh() {
	c := p.c
	p.title.SetText(c.t("hd.search.title"))
	p.intro.SetText(c.t("hd.search.intro"))
	ui.SetText(p.notice, p.noticeText.In(c.tr))
	if p.noticeText.Empty() {
		p.noticeRow.Hide()
	} else {
		p.noticeRow.Show()
	}
	p.label.SetText(c.t("hd.search.label"))
	p.query.SetPlaceHolder(c.t("hd.search.placeholder"))
	ui.SetText(p.errLbl, p.errText.In(c.tr))
	p.find.SetText(c.t("hd.search.find"))
}

// asReference reads q as a reference when it has the references' length
// once spaces and dashes are dropped.
func asReference(q string) (string, bool) {
	ref := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(q))
	return ref, len(ref) == referenceLength
}

func (p *searchPage) onSubmit() {
	c := p.c
	if c.calls.Busy() {
		return
	}
	q := validate.Normalize(p.query.Text)
	if q == "" {
		p.errText = shell.Msg("hd.search.empty")
		p.refresh()
		return
	}
	p.noticeText = noText
	p.refList.RemoveAll()
	fail := func(err error) {
		p.errText = errorText(err)
		p.refresh()
		c.win.Canvas().Focus(p.query)
	}
	if ref, ok := asReference(q); ok {
		var evs api.HelpdeskEvents
		c.call(func(ctx context.Context, token string) error {
			var err error
			evs, err = c.desk.HelpdeskEvents(ctx, token, ref)
			return err
		}, func(err error) {
			switch {
			case err != nil:
				fail(err)
			case evs.Account != nil:
				c.openAccount(evs.Account.StaffNumber, &evs, notice{}, fail)
			default:
				p.showEvents(evs)
			}
		})
		return
	}
	if err := validate.StaffNumber(q); err != nil {
		p.errText = shell.Msg("hd.search.not_staff")
		p.refresh()
		return
	}
	c.openAccount(q, nil, notice{}, fail)
}

// showEvents lists the events of a reference that names no account.
func (p *searchPage) showEvents(evs api.HelpdeskEvents) {
	p.refList.RemoveAll()
	h := boldLabel()
	h.SetText(p.c.t("hd.account.reference", "Reference", evs.Reference))
	p.refList.Add(h)
	for _, e := range evs.Events {
		p.refList.Add(eventRow(p.c, e))
	}
	p.refresh()
}
