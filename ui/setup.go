package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

// SetupScreen is the first run: the organisation, a purpose notice written from the
// business area (checked as it is typed), the first event and the first staff member —
// prefilled so that a booth can start capturing within a minute.
type SetupScreen struct {
	app     *App
	content fyne.CanvasObject

	OrgName        *widget.Entry
	Address        *widget.Entry
	Representative *widget.Entry
	Contact        *widget.Entry
	PolicyURL      *widget.Entry
	Business       *widget.Entry
	Notice         *noticeEditor
	EventName      *widget.Entry
	Venue          *widget.Entry
	Date           *widget.Entry
	StaffName      *widget.Entry
	StaffPIN       *widget.Entry
	Start          *widget.Button
	Error          *widget.Label
}

func newSetupScreen(u *App) *SetupScreen {
	s := &SetupScreen{app: u}
	entry := func(key string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(u.T(key))
		return e
	}
	s.OrgName = entry("setup.org_name")
	s.Address = entry("setup.address")
	s.Representative = entry("setup.representative")
	s.Contact = entry("setup.contact")
	s.PolicyURL = entry("setup.policy_url")
	s.PolicyURL.SetText("https://")
	s.Business = entry("setup.business_example")
	s.Notice = newNoticeEditor(u)
	s.EventName = entry("events.name")
	s.Venue = entry("events.venue")
	s.Date = entry("events.date")
	s.Date.SetText(u.now().Format(capture.DateLayout))
	s.StaffName = entry("setup.staff_name")
	s.StaffPIN = widget.NewPasswordEntry()
	s.StaffPIN.SetPlaceHolder(u.T("setup.staff_pin"))
	s.Start = widget.NewButton(u.T("setup.start"), s.start)
	s.Start.Importance = widget.HighImportance
	s.Error = errorLabel()
	for _, e := range []*widget.Entry{s.Business, s.Contact, s.PolicyURL, s.OrgName} {
		e.OnChanged = func(string) { s.draftNotice() }
	}
	s.draftNotice()

	row := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(170, 36), widget.NewLabel(u.T(key))), nil, w)
	}
	left := container.NewVBox(
		bold(u.T("setup.welcome")), wrapped(u.T("setup.intro")),
		bold(u.T("setup.org")),
		row("setup.org_name", s.OrgName), row("setup.address", s.Address), row("setup.representative", s.Representative),
		row("setup.contact", s.Contact), row("setup.policy_url", s.PolicyURL),
		bold(u.T("setup.event")),
		row("events.name", s.EventName), row("events.venue", s.Venue), row("events.date", s.Date),
		bold(u.T("setup.staff")),
		row("setup.staff_name", s.StaffName), row("setup.staff_pin", s.StaffPIN),
		s.Error, s.Start,
	)
	right := container.NewVBox(bold(u.T("setup.notice")), row("setup.business", s.Business), s.Notice.Content())
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.SetOffset(0.45)
	s.content = split
	return s
}

// Content is the screen's layout.
func (s *SetupScreen) Content() fyne.CanvasObject { return s.content }

// draftNotice writes the notice from the business area and the organisation's contact.
func (s *SetupScreen) draftNotice() {
	u := s.app
	area := strings.TrimSpace(s.Business.Text)
	if area == "" {
		area = u.T("setup.business_placeholder")
	}
	contact := strings.TrimSpace(s.Contact.Text)
	if org := strings.TrimSpace(s.OrgName.Text); org != "" && contact != "" {
		contact = org + " " + contact
	}
	policy := strings.TrimSpace(s.PolicyURL.Text)
	if policy == "https://" {
		policy = ""
	}
	s.Notice.Set(capture.NoticeBody{
		Title: u.T("setup.notice_title"), Lang: u.tx.Lang,
		Purposes:  []string{u.T("setup.purpose_email", area), u.T("setup.purpose_contact", area)},
		Items:     splitList(u.T("setup.items")),
		Retention: u.T("setup.retention"), Contact: contact, PolicyURL: policy,
	})
}

func (s *SetupScreen) start() {
	u := s.app
	ctx := u.ctx()
	fail := func(err error) { setError(s.Error, u.message(err)) }
	org := capture.Org{Name: s.OrgName.Text, Address: s.Address.Text, Representative: s.Representative.Text,
		Contact: s.Contact.Text, PolicyURL: strings.TrimSpace(s.PolicyURL.Text)}
	if _, err := org.Clean(); err != nil {
		fail(err)
		return
	}
	if s.Notice.errors > 0 {
		setError(s.Error, u.T("setup.notice_errors"))
		return
	}
	staff, err := capture.NewStaff(s.StaffName.Text, s.StaffPIN.Text, true)
	if err != nil {
		fail(err)
		return
	}
	event := capture.Event{Name: s.EventName.Text, Venue: s.Venue.Text, Date: strings.TrimSpace(s.Date.Text), NoticeID: "pending"}
	if _, err := event.Clean(); err != nil {
		fail(err)
		return
	}
	if _, err := u.store.SetOrg(ctx, org); err != nil {
		fail(err)
		return
	}
	n, err := u.store.AddNotice(ctx, s.Notice.Body(), "")
	if err != nil {
		fail(err)
		return
	}
	event.NoticeID = n.ID
	if event, err = u.store.SaveEvent(ctx, event); err != nil {
		fail(err)
		return
	}
	if err := u.store.SaveStaff(ctx, staff); err != nil {
		fail(err)
		return
	}
	u.staff = &staff
	u.SetEvent(event)
}
