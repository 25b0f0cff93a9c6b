package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
	"github.com/boothledger/boothledger/capture/store"
)

// The notices screen's inner tabs.
const (
	tabNotices = iota
	tabEvents
	tabSurvey
)

// NoticesScreen is for managers: notice versions with the checker's findings and prints for
// the booth; events, each edit a new version; and the event's survey builder.
type NoticesScreen struct {
	app     *App
	content *fyne.Container
	gate    *widget.Label
	body    fyne.CanvasObject
	notices []capture.Notice
	events  []capture.Event
	// errs is the checker's error count per notice id: versions with errors are marked.
	errs map[string]int
	// editing is the event the form edits (nil: a new one).
	editing *capture.Event

	Tabs *container.AppTabs

	Versions    *widget.Select
	Editor      *noticeEditor
	SaveNew     *widget.Button
	ConfirmSave *dialog.ConfirmDialog // asks before a version with errors is saved
	MoveEvent   *widget.Button        // moves the event being captured to the version shown
	Prints      map[notice.Layout]*widget.Button
	OpenFolder  *widget.Button
	Message     *widget.Label

	EventPick      *widget.Select // the events, then "new event"
	EventVersion   *widget.Label
	EventName      *widget.Entry
	EventVenue     *widget.Entry
	EventDate      *widget.Entry
	EventEnd       *widget.Entry
	EventNotice    *widget.Select
	EventRetention *widget.Entry
	EventOverride  *widget.Entry
	SurveySummary  *widget.Label
	EditSurvey     *widget.Button
	CreateEvent    *widget.Button // creates the event, or saves the edit as its next version
	UseEvent       *widget.Button // captures at the event shown
	EventError     *widget.Label
	EventStatus    *widget.Label
	ConfirmSurvey  *dialog.ConfirmDialog // asks before a survey changes mid-event

	Builder *surveyBuilder
	// SaveSurvey saves the event with the survey as built.
	SaveSurvey   *widget.Button
	PaperPDF     *widget.Button // the paper survey as it will print, from the survey as built
	BuilderFor   *widget.Label
	SurveyStatus *widget.Label
	printFolder  string
}

func newNoticesScreen(u *App) *NoticesScreen {
	s := &NoticesScreen{app: u, Prints: map[notice.Layout]*widget.Button{}, errs: map[string]int{}}
	s.Versions = widget.NewSelect(nil, func(string) { s.load() })
	s.Editor = newNoticeEditor(u)
	s.SaveNew = widget.NewButton(u.T("notices.save_version"), s.saveVersion)
	s.SaveNew.Importance = widget.HighImportance
	s.MoveEvent = widget.NewButton("", s.moveEvent)
	s.MoveEvent.Hide()
	for _, l := range notice.Layouts {
		s.Prints[l] = widget.NewButton(u.T("notices.print."+string(l)), func() { s.print(l) })
	}
	s.OpenFolder = widget.NewButton(u.T("notices.open_folder"), func() { s.openFolder() })
	s.OpenFolder.Hide()
	s.Message = wrapped("")
	s.Message.Hide()

	s.EventPick = widget.NewSelect(nil, func(string) { s.pickEvent() })
	s.EventVersion = widget.NewLabel("")
	s.EventName = widget.NewEntry()
	s.EventVenue = widget.NewEntry()
	s.EventDate = widget.NewEntry()
	s.EventDate.SetPlaceHolder("2026-11-25")
	s.EventEnd = widget.NewEntry()
	s.EventEnd.SetPlaceHolder(u.T("events.end_hint"))
	s.EventNotice = widget.NewSelect(nil, func(string) { s.Builder.changed() })
	s.EventRetention = widget.NewEntry()
	s.EventRetention.SetPlaceHolder(u.T("events.retention_hint"))
	s.EventOverride = widget.NewEntry()
	s.EventOverride.SetPlaceHolder(u.T("events.override_hint"))
	s.SurveySummary = wrapped("")
	s.CreateEvent = widget.NewButton(u.T("events.create"), func() { s.saveEvent(tabEvents) })
	s.CreateEvent.Importance = widget.HighImportance
	s.UseEvent = widget.NewButton(u.T("events.use"), s.useEvent)
	s.EventError = errorLabel()
	s.EventStatus = wrapped("")
	s.EventStatus.Hide()
	s.Builder = newSurveyBuilder(u, s.formNoticeLang)
	s.Builder.onChange = func() { s.SurveySummary.SetText(s.Builder.summary()) }
	s.BuilderFor = bold("")
	s.SaveSurvey = widget.NewButton(u.T("builder.save"), func() { s.saveEvent(tabSurvey) })
	s.SaveSurvey.Importance = widget.HighImportance
	s.SurveyStatus = wrapped("")
	s.SurveyStatus.Hide()
	s.PaperPDF = widget.NewButton(u.T("builder.paper_pdf"), s.paperPDF)
	s.reload()

	row := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), widget.NewLabel(u.T(key))), nil, w)
	}
	prints := container.NewHBox()
	for _, l := range notice.Layouts {
		prints.Add(s.Prints[l])
	}
	prints.Add(s.OpenFolder)
	notices := container.NewVScroll(container.NewVBox(
		row("notices.version", s.Versions), container.NewHBox(s.MoveEvent), prints, s.Message,
		s.Editor.Content(), container.NewHBox(s.SaveNew)))
	s.EditSurvey = widget.NewButton(u.T("events.edit_survey"), func() { s.Tabs.SelectIndex(tabSurvey) })
	form := container.NewVBox(
		row("events.pick", s.EventPick), s.EventVersion, s.EventStatus,
		row("events.name", s.EventName), row("events.venue", s.EventVenue), row("events.date", s.EventDate),
		row("events.end", s.EventEnd), row("events.notice", s.EventNotice), row("events.retention", s.EventRetention),
		row("events.survey", container.NewBorder(nil, nil, nil, s.EditSurvey, s.SurveySummary)),
		row("events.override", s.EventOverride),
		s.EventError, container.NewHBox(s.CreateEvent, s.UseEvent))
	events := container.NewVScroll(container.NewPadded(form))
	builder := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, s.BuilderFor, container.NewHBox(s.PaperPDF, s.SaveSurvey)), s.SurveyStatus, widget.NewSeparator()), nil, nil, nil,
		s.Builder.Content())
	s.Tabs = container.NewAppTabs(
		container.NewTabItem(u.T("notices.tab_notices"), notices),
		container.NewTabItem(u.T("notices.tab_events"), events),
		container.NewTabItem(u.T("notices.tab_survey"), builder))
	s.body = s.Tabs
	s.gate = widget.NewLabel(u.T("notices.managers_only"))
	s.content = container.NewStack(container.NewCenter(s.gate), s.body)
	s.Refresh()
	return s
}

// Refresh shows the notices and events to a signed-in manager only: a notice is what the
// company declares, and an override reason is a manager's decision.
func (s *NoticesScreen) Refresh() {
	if s.app.staff == nil || !s.app.staff.Manager {
		s.body.Hide()
		s.gate.Show()
		return
	}
	s.gate.Hide()
	s.body.Show()
}

// Locked reports whether the screen is waiting for a manager.
func (s *NoticesScreen) Locked() bool { return !s.body.Visible() }

// Content is the screen's layout.
func (s *NoticesScreen) Content() fyne.CanvasObject { return s.content }

func noticeLabel(n capture.Notice) string {
	return fmt.Sprintf("v%d %s (%s)", n.Version, n.Title, shortHash(n.Hash))
}

// label names a version in every drop-down, marked when the checker finds errors in it.
func (s *NoticesScreen) label(n capture.Notice) string {
	if k := s.errs[n.ID]; k > 0 {
		return noticeLabel(n) + " " + s.app.T("notices.has_errors", k)
	}
	return noticeLabel(n)
}

func (s *NoticesScreen) reload() {
	u := s.app
	s.notices, _ = u.store.Notices(u.ctx())
	labels := make([]string, len(s.notices))
	for i, n := range s.notices {
		s.errs[n.ID] = capture.Errors(n.Lint())
		labels[i] = s.label(n)
	}
	s.Versions.Options, s.EventNotice.Options = labels, labels
	if len(labels) > 0 {
		s.Versions.SetSelectedIndex(0)
	}
	s.events, _ = u.store.Events(u.ctx())
	names := make([]string, 0, len(s.events)+1)
	current := len(s.events) // "new event" when there is no event being captured
	for i, e := range s.events {
		name := e.Date + " " + e.Name
		if u.event != nil && e.ID == u.event.ID {
			name += " " + u.T("events.capturing")
			current = i
		}
		names = append(names, name)
	}
	s.EventPick.Options = append(names, u.T("events.new"))
	s.EventPick.SetSelectedIndex(current)
	s.pickEvent()
	s.showMove()
}

func (s *NoticesScreen) selected() (capture.Notice, bool) {
	i := s.Versions.SelectedIndex()
	if i < 0 || i >= len(s.notices) {
		return capture.Notice{}, false
	}
	return s.notices[i], true
}

func (s *NoticesScreen) load() {
	if n, ok := s.selected(); ok {
		s.Editor.Set(n.NoticeBody)
	}
	s.showMove()
}

// saveVersion stores the edited text as a new version; the old one stays as it was. A
// version the checker finds errors in is saved only when the manager says so, and is then
// marked wherever versions are listed.
func (s *NoticesScreen) saveVersion() {
	u := s.app
	if k := s.Editor.errors; k > 0 {
		s.ConfirmSave = dialog.NewConfirm(u.T("notices.confirm_errors_title"), u.T("notices.confirm_errors", k), func(ok bool) {
			if ok {
				s.addVersion()
			}
		}, u.win)
		s.ConfirmSave.SetConfirmText(u.T("notices.confirm_errors_save"))
		s.ConfirmSave.SetDismissText(u.T("notices.confirm_errors_back"))
		s.ConfirmSave.Show()
		return
	}
	s.addVersion()
}

func (s *NoticesScreen) addVersion() {
	u := s.app
	prev, _ := s.selected()
	n, err := u.store.AddNotice(u.ctx(), s.Editor.Body(), prev.ID)
	if err != nil {
		showText(s.Message, u.message(err))
		return
	}
	s.reload()
	for i, x := range s.notices {
		if x.ID == n.ID {
			s.Versions.SetSelectedIndex(i)
		}
	}
	showText(s.Message, u.T("notices.saved", n.Version, shortHash(n.Hash)))
}

// showMove offers to move the event being captured to the version shown, when it is
// another version than the event's.
func (s *NoticesScreen) showMove() {
	n, ok := s.selected()
	if e := s.app.event; !ok || e == nil || e.NoticeID == n.ID {
		s.MoveEvent.Hide()
		return
	}
	s.MoveEvent.SetText(s.app.T("notices.move_event", s.app.event.Name, n.Version))
	s.MoveEvent.Show()
}

// moveEvent shows the selected version at the event being captured from now on: a new
// version of the event, through the store's lint gate; captures so far keep the version
// they were shown.
func (s *NoticesScreen) moveEvent() {
	u := s.app
	n, ok := s.selected()
	if !ok || u.event == nil {
		return
	}
	e := *u.event
	e.NoticeID = n.ID
	e, err := u.store.SaveEvent(u.ctx(), e)
	if err != nil {
		showText(s.Message, u.message(err))
		return
	}
	u.SetEvent(e)
	u.Notices.show(tabNotices, u.T("notices.moved", e.Name, n.Version))
}

// show brings this screen forward at inner tab i with a message: saving an event rebuilds
// every screen, and the manager stays where they were.
func (s *NoticesScreen) show(tab int, msg string) {
	u := s.app
	for i, item := range u.tabs.Items {
		if item.Content == s.content {
			u.tabs.SelectIndex(i)
		}
	}
	s.Tabs.SelectIndex(tab)
	switch tab {
	case tabNotices:
		showText(s.Message, msg)
	case tabEvents:
		showText(s.EventStatus, msg)
	default:
		showText(s.SurveyStatus, msg)
	}
}

// print writes the chosen print of the selected version, opens it in the system's PDF
// viewer (which prints it) and says where it was saved.
func (s *NoticesScreen) print(layout notice.Layout) {
	u := s.app
	n, ok := s.selected()
	if !ok {
		return
	}
	path, err := s.writePrint(layout, n, u.event)
	if err != nil {
		showText(s.Message, u.message(err))
		return
	}
	showText(s.Message, u.T("notices.printed", path)+u.reveal(path))
}

// writePrint renders a print into the prints folder.
func (s *NoticesScreen) writePrint(layout notice.Layout, n capture.Notice, e *capture.Event) (string, error) {
	u := s.app
	doc := notice.Doc{Notice: n, Event: e}
	doc.Org, _ = u.store.Org(u.ctx())
	var buf bytes.Buffer
	if err := notice.Render(&buf, layout, doc); err != nil {
		return "", err
	}
	dir, err := printsDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("notice-v%d-%s-%s.pdf", n.Version, shortHash(n.Hash), layout))
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write print: %w", err)
	}
	s.printFolder = dir
	s.OpenFolder.Show()
	return path, nil
}

func (s *NoticesScreen) openFolder() {
	if s.printFolder == "" {
		return
	}
	if failed := s.app.reveal(s.printFolder); failed != "" {
		showText(s.Message, strings.TrimSpace(failed))
	}
}

// printsDir is where prints are saved: Documents/BoothLedger/prints, a folder people find
// again and the system never empties (the desktop's own Documents folder where it names
// one, such as ~/ドキュメント or a Documents folder Windows keeps in OneDrive).
func printsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the home folder: %w", err)
	}
	dir := filepath.Join(documentsDir(home), "BoothLedger", "prints")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make the prints folder: %w", err)
	}
	return dir, nil
}

// pickEvent loads the chosen event into the form, or empties it for a new one.
func (s *NoticesScreen) pickEvent() {
	u := s.app
	i := s.EventPick.SelectedIndex()
	s.editing = nil
	e := capture.Event{Date: u.now().Format(capture.DateLayout)}
	if d, ok := capture.DefaultNotice(s.notices); ok {
		e.NoticeID = d.ID
	}
	if i >= 0 && i < len(s.events) {
		s.editing = &s.events[i]
		e = s.events[i]
	}
	s.EventName.SetText(e.Name)
	s.EventVenue.SetText(e.Venue)
	s.EventDate.SetText(e.Date)
	s.EventEnd.SetText(e.End)
	s.EventRetention.SetText(e.Retention)
	s.EventOverride.SetText(e.LintOverride)
	s.EventNotice.ClearSelected()
	for k, n := range s.notices {
		if n.ID == e.NoticeID {
			s.EventNotice.SetSelectedIndex(k)
		}
	}
	s.Builder.Set(e.Survey)
	setError(s.EventError, "")
	if s.editing == nil {
		s.EventVersion.SetText(u.T("events.new_hint"))
		s.CreateEvent.SetText(u.T("events.create"))
		s.BuilderFor.SetText(u.T("builder.for_new"))
		s.UseEvent.Hide()
	} else {
		s.EventVersion.SetText(u.T("events.version", max(e.Version, 1)))
		s.CreateEvent.SetText(u.T("events.save_version"))
		s.BuilderFor.SetText(u.T("builder.for", e.Name))
		s.UseEvent.Show()
		if u.event != nil && u.event.ID == e.ID {
			s.UseEvent.Hide()
		}
	}
	showText(s.EventStatus, eventNotice(u, e))
}

// eventNotice is what the manager should know about an event before capturing: that it has
// not started (the domain's rule, in its words).
func eventNotice(u *App, e capture.Event) string {
	var ve *capture.ValidationError
	if err := e.NotStarted(u.now()); errors.As(err, &ve) {
		return u.fieldText(ve.Fields[0])
	}
	return ""
}

// formNoticeLang is the language of the notice chosen for the event: the paper survey is
// printed in it.
func (s *NoticesScreen) formNoticeLang() string {
	if i := s.EventNotice.SelectedIndex(); i >= 0 && i < len(s.notices) {
		return s.notices[i].Lang
	}
	return s.app.tx.Lang
}

func (s *NoticesScreen) formEvent() capture.Event {
	e := capture.Event{Name: s.EventName.Text, Venue: s.EventVenue.Text, Date: s.EventDate.Text, End: s.EventEnd.Text,
		Retention: s.EventRetention.Text, LintOverride: s.EventOverride.Text, Survey: s.Builder.Survey()}
	if s.editing != nil {
		e.ID, e.Version = s.editing.ID, s.editing.Version
	}
	if i := s.EventNotice.SelectedIndex(); i >= 0 && i < len(s.notices) {
		e.NoticeID = s.notices[i].ID
	}
	return e
}

// saveEvent creates the event or saves the edit as its next version, and says so on the
// inner tab it was asked from. A survey change mid-event is saved only when the manager
// confirms it. A new event that has begun is captured at once; one that has not says when it
// starts and leaves the booth where it is.
func (s *NoticesScreen) saveEvent(tab int, opts ...store.SaveOption) {
	u := s.app
	isNew := s.editing == nil
	e, err := u.store.SaveEvent(u.ctx(), s.formEvent(), opts...)
	if errors.Is(err, store.ErrSurveyRunning) {
		s.ConfirmSurvey = dialog.NewConfirm(u.T("events.confirm_survey_title"), u.message(err), func(ok bool) {
			if ok {
				s.saveEvent(tab, append(opts, store.ConfirmSurveyChange)...)
			}
		}, u.win)
		s.ConfirmSurvey.SetConfirmText(u.T("events.confirm_survey_save"))
		s.ConfirmSurvey.Show()
		return
	}
	if err != nil {
		setError(s.EventError, u.message(err))
		return
	}
	setError(s.EventError, "")
	msg := u.T("events.saved_version", e.Name, e.Version)
	if isNew {
		msg = u.T("events.created", e.Name)
	}
	if later := eventNotice(u, e); later != "" {
		msg += "\n" + later
	}
	switch {
	case isNew && eventNotice(u, e) == "":
		u.SetEvent(e) // on today: capture at once
	case u.event != nil && u.event.ID == e.ID:
		u.SetEvent(e) // the capture screen shows the new version
		u.Notices.show(tab, msg)
	default:
		s.reload()
		for i, x := range s.events {
			if x.ID == e.ID {
				s.EventPick.SetSelectedIndex(i)
			}
		}
		s.show(tab, msg)
	}
}

// paperPDF prints the survey sheet of the event as edited, before it is saved.
func (s *NoticesScreen) paperPDF() {
	u := s.app
	i := s.EventNotice.SelectedIndex()
	if i < 0 || i >= len(s.notices) {
		showText(s.SurveyStatus, u.message(capture.Invalid("notice", "required")))
		return
	}
	e := s.formEvent()
	path, err := s.writePrint(notice.Survey, s.notices[i], &e)
	if err != nil {
		showText(s.SurveyStatus, u.message(err))
		return
	}
	showText(s.SurveyStatus, u.T("notices.printed", path)+u.reveal(path))
}

// useEvent makes the event shown the one the booth captures at.
func (s *NoticesScreen) useEvent() {
	if s.editing != nil {
		s.app.SetEvent(*s.editing)
	}
}

// liveNotice is the capture header's word on the notice shown: its version (the hash is
// under the QR code) and, before the event starts, on a line of its own, that capturing has
// not opened.
func liveNotice(u *App, e capture.Event, n capture.Notice) string {
	line := u.T("capture.live_notice", n.Version)
	if later := eventNotice(u, e); later != "" {
		line += "\n" + later
	}
	return line
}
