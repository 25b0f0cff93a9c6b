package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/request"
	"github.com/boothledger/boothledger/capture/store"
)

// LeadsScreen lists and searches leads and shows each one's evidence. It needs a signed-in
// staff member: the list is personal data of everyone captured.
type LeadsScreen struct {
	app     *App
	content *fyne.Container
	leads   []capture.Lead

	Gate     *signInForm
	Search   *widget.Entry
	List     *widget.List
	Detail   *widget.Label
	Captures *widget.Label

	selected  *capture.Lead
	Fix       map[string]*widget.Entry
	FixReason *widget.Entry
	FixSave   *widget.Button
	FixError  *widget.Label
	// FixByRequest marks a correction the person asked for (Art.34): it is kept in the
	// request log with the date the request came in (the panel's 受付日).
	FixByRequest *widget.Check
	Requests     *RequestsPanel

	// Detach (managers): a capture wrongly attached to this lead becomes a lead of its own.
	DetachPick   *widget.Select
	DetachReason *widget.Entry
	Detach       *widget.Button
	DetachMsg    *widget.Label
	detachBox    *fyne.Container
	detachIDs    []string

	gateView, listView fyne.CanvasObject
	// Pick asks to choose a lead; detailBox shows the chosen one.
	Pick      *widget.Label
	detailBox *fyne.Container
	// Expiring lists the leads whose retention ends within 30 days (the app erases them
	// then), so that a manager sees what goes before it goes.
	Expiring *widget.Label
}

func newLeadsScreen(u *App) *LeadsScreen {
	s := &LeadsScreen{app: u, Fix: map[string]*widget.Entry{}}
	s.Gate = newSignInForm(u, nil)
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(u.T("leads.search"))
	s.Search.OnChanged = func(string) { s.reload() }
	s.List = widget.NewList(
		func() int { return len(s.leads) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := s.leads[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %s  %s", l.Person.Name, l.Person.Company, l.Person.Email))
		})
	s.List.OnSelected = func(i widget.ListItemID) { s.show(s.leads[i]) }
	s.Detail = wrapped("")
	s.Captures = wrapped("")
	for _, f := range formFields {
		s.Fix[f] = widget.NewEntry()
		s.Fix[f].SetPlaceHolder(u.T("field." + f))
	}
	s.FixReason = widget.NewEntry()
	s.FixReason.SetPlaceHolder(u.T("leads.fix_reason"))
	s.FixSave = widget.NewButton(u.T("leads.fix_save"), s.saveFix)
	s.FixError = errorLabel()
	s.FixByRequest = widget.NewCheck(u.T("leads.fix_by_request"), nil)

	s.gateView = container.NewCenter(container.NewVBox(bold(u.T("leads.locked")), container.NewGridWrap(fyne.NewSize(360, 200), s.Gate.box)))
	fix := container.NewGridWithColumns(2)
	for _, f := range formFields {
		fix.Add(container.NewBorder(nil, nil, widget.NewLabel(u.T("field."+f)), nil, s.Fix[f]))
	}
	s.Requests = newRequestsPanel(u, func() *capture.Lead { return s.selected }, func() {
		if l, err := u.store.Lead(u.ctx(), s.selected.ID); err == nil {
			s.show(l)
		}
	})
	s.DetachPick = widget.NewSelect(nil, func(string) { s.setDetach() })
	s.DetachPick.PlaceHolder = u.T("leads.detach_pick")
	s.DetachReason = widget.NewEntry()
	s.DetachReason.SetPlaceHolder(u.T("leads.detach_reason"))
	s.DetachReason.OnChanged = func(string) { s.setDetach() }
	s.Detach = widget.NewButton(u.T("leads.detach"), s.detach)
	s.DetachMsg = wrapped("")
	s.DetachMsg.Hide()
	s.detachBox = container.NewVBox(bold(u.T("leads.detach_title")), wrapped(u.T("leads.detach_help")),
		container.NewGridWithColumns(2, s.DetachPick, s.DetachReason), container.NewHBox(s.Detach))
	s.detailBox = container.NewVBox(s.Detail, bold(u.T("leads.history")), s.Captures, s.DetachMsg, s.detachBox,
		bold(u.T("leads.fix")), fix, s.FixReason, s.FixByRequest, s.FixError, s.FixSave, s.Requests.box)
	s.Pick = widget.NewLabel(u.T("leads.pick"))
	s.Expiring = wrapped("")
	detail := container.NewVScroll(container.NewVBox(s.Pick, s.Expiring, s.detailBox))
	split := container.NewHSplit(container.NewBorder(s.Search, nil, nil, nil, s.List), detail)
	split.SetOffset(0.35)
	s.listView = split
	s.content = container.NewStack(s.gateView, s.listView)
	s.Refresh()
	return s
}

// Content is the screen's layout.
func (s *LeadsScreen) Content() fyne.CanvasObject { return s.content }

// Locked reports whether the screen is asking for a PIN instead of showing leads.
func (s *LeadsScreen) Locked() bool { return s.gateView.Visible() && !s.listView.Visible() }

// Refresh shows the sign-in gate, or the leads to a signed-in staff member.
func (s *LeadsScreen) Refresh() {
	if s.app.staff == nil {
		s.leads, s.selected = nil, nil
		s.Detail.SetText("")
		s.Captures.SetText("")
		s.Gate.reload()
		s.listView.Hide()
		s.gateView.Show()
		return
	}
	s.gateView.Hide()
	s.listView.Show()
	s.reload()
	// Not on every keystroke of the search: it reads every capture.
	s.showExpiring()
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.Search); c != nil {
		c.Focus(s.Search)
	}
}

func (s *LeadsScreen) reload() {
	if s.app.staff == nil {
		return
	}
	leads, err := s.app.store.Leads(s.app.ctx(), store.LeadQuery{Search: s.Search.Text, Limit: 500})
	if err != nil {
		s.app.showError(err)
		return
	}
	s.leads = leads
	s.List.UnselectAll()
	s.List.Refresh()
	s.selected = nil
	s.detailBox.Hide()
	s.Pick.Show()
	s.Expiring.Show()
}

// expiringDays is how far ahead the lead list warns of retention ending.
const expiringDays = 30

// showExpiring fills the 30-day list in the background: it reads every capture (0.4 s on
// 100,000 leads), which the tab switch should not wait for.
func (s *LeadsScreen) showExpiring() {
	u := s.app
	s.Expiring.SetText(u.T("leads.expiring_loading"))
	horizon := u.now().AddDate(0, 0, expiringDays)
	go func() {
		soon, err := u.store.Expiries(u.ctx(), horizon)
		fyne.Do(func() {
			if err != nil {
				s.Expiring.SetText(u.message(err))
				return
			}
			var b strings.Builder
			for i, e := range soon {
				if i == 50 {
					b.WriteString(u.T("leads.expiring_more", len(soon)-50) + "\n")
					break
				}
				fmt.Fprintf(&b, "%s  %s  %s\n", e.Until.Local().Format(capture.DateLayout), e.Name, e.Company)
			}
			s.Expiring.SetText(u.T("leads.expiring", expiringDays, len(soon)) + "\n" + b.String())
		})
	}()
}

// show displays one lead: its fields, its permissions and, for every capture, the exact
// notice text that capture was shown.
func (s *LeadsScreen) show(l capture.Lead) {
	u := s.app
	s.selected = &l
	s.Pick.Hide()
	s.Expiring.Hide()
	showText(s.Requests.Result, "")
	if u.staff != nil && u.staff.Manager {
		s.Requests.box.Show()
	} else {
		s.Requests.box.Hide()
	}
	s.detailBox.Show()
	var b strings.Builder
	for _, f := range capture.PersonFields {
		if v := *l.Person.Field(f); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", u.T("field."+f), v)
		}
		if e, ok := s.Fix[f]; ok {
			e.SetText(*l.Person.Field(f))
		}
	}
	b.WriteString("\n" + u.T("leads.permissions") + "\n")
	for _, p := range l.Permissions() {
		mark := "×"
		if p.Allowed {
			mark = "○"
		}
		fmt.Fprintf(&b, "%s %s — %s\n", mark, u.T("channel."+string(p.Channel)), u.T("basis."+p.Basis))
	}
	s.Detail.SetText(b.String())

	caps, err := u.store.CapturesOf(u.ctx(), l.ID)
	if err != nil {
		u.showError(err)
		return
	}
	var h strings.Builder
	s.detachIDs = nil
	var picks []string
	for _, c := range caps {
		e, _ := u.store.Event(u.ctx(), c.EventID)
		n, _ := u.store.Notice(u.ctx(), c.NoticeID)
		var consents []string
		for _, k := range c.Consents {
			consents = append(consents, u.T("consent."+string(k.Kind))+"（"+u.T("method."+string(k.Method))+"）")
		}
		line := fmt.Sprintf("%s  %s  %s  %s", c.At.Local().Format("2006-01-02 15:04"), e.Name, c.Staff, u.T("source."+string(c.Source)))
		fmt.Fprintf(&h, "■ %s\n", line)
		if c.AttachedBy != "" {
			fmt.Fprintf(&h, "%s\n", u.T("leads.attached_"+c.AttachedBy))
		}
		s.detachIDs, picks = append(s.detachIDs, c.ID), append(picks, line)
		fmt.Fprintf(&h, "%s\n", u.T("leads.notice_shown", n.Version, c.NoticeHash, u.T("shown."+string(c.NoticeShown))))
		fmt.Fprintf(&h, "「%s」\n", n.Title)
		for i, p := range n.Purposes {
			fmt.Fprintf(&h, "  %d. %s\n", i+1, p)
		}
		fmt.Fprintf(&h, "%s: %s\n\n", u.T("leads.consents"), strings.Join(consents, "、"))
	}
	s.Captures.SetText(h.String())
	s.DetachMsg.Hide()
	s.DetachPick.Options = picks
	s.DetachPick.ClearSelected()
	s.DetachReason.SetText("")
	if u.staff != nil && u.staff.Manager && len(caps) > 1 {
		s.detachBox.Show()
	} else {
		s.detachBox.Hide()
	}
	s.setDetach()
}

// setDetach enables the detach button once a capture is chosen and a reason written: the
// reason is kept with the detach.
func (s *LeadsScreen) setDetach() {
	if s.DetachPick.SelectedIndex() >= 0 && strings.TrimSpace(s.DetachReason.Text) != "" {
		s.Detach.Enable()
	} else {
		s.Detach.Disable()
	}
}

// detach takes the chosen capture out into a lead of its own and shows the lead it left.
func (s *LeadsScreen) detach() {
	u := s.app
	i := s.DetachPick.SelectedIndex()
	if s.selected == nil || i < 0 {
		return
	}
	left := s.selected.ID
	own, err := u.store.Detach(u.ctx(), s.detachIDs[i], s.DetachReason.Text)
	if err != nil {
		showText(s.DetachMsg, u.message(err))
		return
	}
	s.reselect(left)
	showText(s.DetachMsg, u.T("leads.detached", own.Person.Name, own.Person.Company))
}

// saveFix records a correction as a new op; the captures keep what was taken.
func (s *LeadsScreen) saveFix() {
	if s.selected == nil {
		return
	}
	changed := map[string]string{}
	for _, f := range formFields {
		if v := s.Fix[f].Text; v != *s.selected.Person.Field(f) {
			changed[f] = v
		}
	}
	if len(changed) == 0 {
		return
	}
	received, err := s.Requests.received()
	if err != nil && s.FixByRequest.Checked {
		setError(s.FixError, s.app.message(err))
		return
	}
	id := s.selected.ID
	if s.FixByRequest.Checked {
		r := s.Requests.request(received)
		r.Reason = s.FixReason.Text
		_, err = request.Correct(s.app.ctx(), s.app.store, r, id, changed)
	} else {
		_, err = s.app.store.Correct(s.app.ctx(), id, changed, s.FixReason.Text)
	}
	if err != nil {
		setError(s.FixError, s.app.message(err))
		return
	}
	setError(s.FixError, "")
	s.FixReason.SetText("")
	s.FixByRequest.SetChecked(false)
	s.reselect(id)
}

// reselect reloads the list and shows lead id again.
func (s *LeadsScreen) reselect(id string) {
	s.reload()
	for i := range s.leads {
		if s.leads[i].ID == id {
			s.List.Select(i)
		}
	}
}
