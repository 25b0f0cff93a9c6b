package ui

import (
	"errors"
	"strings"
	"unicode/utf8"

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
	PrivacyManager *widget.Entry
	Contact        *widget.Entry
	PolicyURL      *widget.Entry
	Business       *widget.Entry
	Notice         *noticeEditor
	EventName      *widget.Entry
	Venue          *widget.Entry
	Date           *widget.Entry
	End            *widget.Entry
	StaffName      *widget.Entry
	StaffPIN       *widget.Entry
	Start          *widget.Button
	Error          *widget.Label
	// Errors holds the message under each field, keyed "org.contact", "event.date",
	// "staff.pin" …: every problem is shown at once and goes when it is fixed.
	Errors map[string]*widget.Label

	// tried is set by the first Start: from then on the fields are checked as they change.
	tried bool
	// managerFill is what the privacy manager was last filled with from the representative;
	// once the field says something else, it is the user's.
	managerFill string
}

func newSetupScreen(u *App) *SetupScreen {
	s := &SetupScreen{app: u, Errors: map[string]*widget.Label{}}
	entry := func(key string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(u.T(key))
		return e
	}
	s.OrgName = entry("setup.org_name")
	s.Address = entry("setup.address")
	s.Representative = entry("setup.representative")
	s.PrivacyManager = entry("setup.privacy_manager_hint")
	s.Contact = entry("setup.contact_hint")
	s.PolicyURL = entry("setup.policy_url_hint")
	prefill(s.PolicyURL, "https://")
	s.Business = entry("setup.business_example")
	s.Notice = newNoticeEditor(u)
	s.EventName = entry("events.name")
	s.Venue = entry("events.venue")
	s.Date = entry("events.date")
	prefill(s.Date, u.now().Format(capture.DateLayout))
	s.End = entry("events.end_hint")
	s.StaffName = entry("setup.staff_name")
	s.StaffPIN = widget.NewPasswordEntry()
	s.StaffPIN.SetPlaceHolder(u.T("setup.staff_pin"))
	s.Start = widget.NewButton(u.T("setup.start"), s.start)
	s.Start.Importance = widget.HighImportance
	s.Error = errorLabel()
	for _, e := range []*widget.Entry{s.OrgName, s.Address, s.Representative, s.PrivacyManager, s.Contact, s.PolicyURL, s.Business,
		s.EventName, s.Venue, s.Date, s.End, s.StaffName, s.StaffPIN} {
		e.OnChanged = func(string) { s.changed(e) }
	}
	s.draftNotice()

	row := func(key, field string, w fyne.CanvasObject) fyne.CanvasObject {
		s.Errors[field] = errorLabel()
		return container.NewVBox(
			container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(170, 36), widget.NewLabel(u.T(key))), nil, w),
			s.Errors[field])
	}
	left := container.NewVBox(
		bold(u.T("setup.welcome")), newParagraph(u.T("setup.intro")),
		bold(u.T("setup.org")),
		row("setup.org_name", "org.name", s.OrgName), row("setup.address", "org.address", s.Address),
		row("setup.representative", "org.representative", s.Representative),
		row("setup.privacy_manager", "org.privacy_manager", s.PrivacyManager),
		row("setup.contact", "org.contact", s.Contact), row("setup.policy_url", "org.policy_url", s.PolicyURL),
		bold(u.T("setup.event")),
		row("events.name", "event.name", s.EventName), row("events.venue", "event.venue", s.Venue),
		row("events.date", "event.date", s.Date), row("events.end", "event.end", s.End),
		bold(u.T("setup.staff")),
		row("setup.staff_name", "staff.name", s.StaffName), row("setup.staff_pin", "staff.pin", s.StaffPIN),
		s.Error, s.Start,
	)
	right := container.NewVBox(bold(u.T("setup.notice")), row("setup.business", "business", s.Business), s.Notice.Content())
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.SetOffset(0.45)
	s.content = split
	return s
}

// prefill puts a suggested value in an entry with the cursor after it, so that typing
// continues it ("https://" then the host) instead of landing in front of it.
func prefill(e *widget.Entry, text string) {
	e.SetText(text)
	lines := strings.Split(text, "\n")
	e.CursorRow, e.CursorColumn = len(lines)-1, utf8.RuneCountInString(lines[len(lines)-1])
	e.Refresh()
}

// Content is the screen's layout.
func (s *SetupScreen) Content() fyne.CanvasObject { return s.content }

// changed keeps the privacy manager following the representative until someone writes
// another name there, redrafts the notice, and after a first Start checks again.
func (s *SetupScreen) changed(e *widget.Entry) {
	if s.Start == nil {
		return // still being built
	}
	if e == s.Representative && s.PrivacyManager.Text == s.managerFill {
		s.managerFill = s.Representative.Text
		s.PrivacyManager.SetText(s.managerFill)
	}
	switch e {
	case s.Business, s.Contact, s.PolicyURL, s.OrgName:
		s.draftNotice()
	}
	if s.tried {
		s.check()
	}
}

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

func (s *SetupScreen) org() capture.Org {
	return capture.Org{Name: s.OrgName.Text, Address: s.Address.Text, Representative: s.Representative.Text,
		PrivacyManager: s.PrivacyManager.Text, Contact: s.Contact.Text, PolicyURL: strings.TrimSpace(s.PolicyURL.Text)}
}

func (s *SetupScreen) event() capture.Event {
	return capture.Event{Name: s.EventName.Text, Venue: s.Venue.Text, Date: s.Date.Text, End: s.End.Text}
}

// check runs the domain's own checks on everything typed — organisation, event, staff
// member, notice — and shows every problem under its field at once. It reports whether
// there were none.
func (s *SetupScreen) check() bool {
	u := s.app
	for _, l := range s.Errors {
		setError(l, "")
	}
	var other []string
	show := func(prefix string, err error) {
		var ve *capture.ValidationError
		if !errors.As(err, &ve) {
			if err != nil {
				other = append(other, u.message(err))
			}
			return
		}
		for _, f := range ve.Fields {
			l, ok := s.Errors[prefix+f.Field]
			if !ok {
				other = append(other, u.fieldMessage(f))
				continue
			}
			if l.Text != "" {
				setError(l, l.Text+"\n"+u.fieldText(f))
			} else {
				setError(l, u.fieldText(f))
			}
		}
	}
	_, err := s.org().Clean()
	show("org.", err)
	e := s.event()
	e.NoticeID = "pending" // the notice is stored with the event, after these checks
	_, err = e.Clean()
	show("event.", err)
	_, err = capture.CheckStaff(s.StaffName.Text, s.StaffPIN.Text)
	show("staff.", err)
	n := 0
	for _, l := range s.Errors {
		if l.Visible() {
			n++
		}
	}
	var summary []string
	if n > 0 {
		summary = append(summary, u.T("setup.fix_fields", n))
	}
	if s.Notice.errors > 0 {
		summary = append(summary, u.T("setup.notice_errors"))
	}
	setError(s.Error, strings.Join(append(summary, other...), "\n"))
	return len(summary)+len(other) == 0
}

func (s *SetupScreen) start() {
	u := s.app
	ctx := u.ctx()
	s.tried = true
	if !s.check() {
		return
	}
	fail := func(err error) { setError(s.Error, u.message(err)) }
	staff, err := capture.NewStaff(s.StaffName.Text, s.StaffPIN.Text, true)
	if err != nil {
		fail(err)
		return
	}
	if _, err := u.store.SetOrg(ctx, s.org()); err != nil {
		fail(err)
		return
	}
	n, err := u.store.AddNotice(ctx, s.Notice.Body(), "")
	if err != nil {
		fail(err)
		return
	}
	event := s.event()
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
