package ui

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
)

// NoticesScreen is for managers: notice versions with the checker's findings, prints for the
// booth, and events.
type NoticesScreen struct {
	app     *App
	content *fyne.Container
	gate    *widget.Label
	body    fyne.CanvasObject
	notices []capture.Notice
	events  []capture.Event

	Versions *widget.Select
	Editor   *noticeEditor
	SaveNew  *widget.Button
	Prints   map[notice.Layout]*widget.Button
	Message  *widget.Label

	EventName     *widget.Entry
	EventVenue    *widget.Entry
	EventDate     *widget.Entry
	EventEnd      *widget.Entry
	EventNotice   *widget.Select
	EventSurvey   *widget.Entry
	EventOverride *widget.Entry
	CreateEvent   *widget.Button
	EventError    *widget.Label
	Current       *widget.Select
}

func newNoticesScreen(u *App) *NoticesScreen {
	s := &NoticesScreen{app: u, Prints: map[notice.Layout]*widget.Button{}}
	s.Versions = widget.NewSelect(nil, func(string) { s.load() })
	s.Editor = newNoticeEditor(u)
	s.SaveNew = widget.NewButton(u.T("notices.save_version"), s.saveVersion)
	s.SaveNew.Importance = widget.HighImportance
	for _, l := range notice.Layouts {
		s.Prints[l] = widget.NewButton(u.T("notices.print."+string(l)), func() { s.print(l) })
	}
	s.Message = wrapped("")
	s.Message.Hide()
	s.EventName = widget.NewEntry()
	s.EventVenue = widget.NewEntry()
	s.EventDate = widget.NewEntry()
	s.EventDate.SetText(u.now().Format(capture.DateLayout))
	s.EventEnd = widget.NewEntry()
	s.EventEnd.SetPlaceHolder("YYYY-MM-DD")
	s.EventNotice = widget.NewSelect(nil, nil)
	s.EventSurvey = widget.NewMultiLineEntry()
	s.EventSurvey.SetPlaceHolder(u.T("events.survey_hint"))
	s.EventSurvey.SetMinRowsVisible(3)
	s.EventOverride = widget.NewEntry()
	s.EventOverride.SetPlaceHolder(u.T("events.override_hint"))
	s.CreateEvent = widget.NewButton(u.T("events.create"), s.createEvent)
	s.EventError = errorLabel()
	s.Current = widget.NewSelect(nil, s.switchEvent)
	s.reload()

	row := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), widget.NewLabel(u.T(key))), nil, w)
	}
	prints := container.NewHBox()
	for _, l := range notice.Layouts {
		prints.Add(s.Prints[l])
	}
	left := container.NewVScroll(container.NewVBox(
		bold(u.T("notices.title")), row("notices.version", s.Versions), prints, s.Message,
		s.Editor.Content(), container.NewHBox(s.SaveNew)))
	right := container.NewVScroll(container.NewVBox(
		bold(u.T("events.current")), s.Current, widget.NewSeparator(),
		bold(u.T("events.new")),
		row("events.name", s.EventName), row("events.venue", s.EventVenue), row("events.date", s.EventDate),
		row("events.end", s.EventEnd), row("events.notice", s.EventNotice),
		widget.NewLabel(u.T("events.survey")), s.EventSurvey, row("events.override", s.EventOverride),
		s.EventError, s.CreateEvent))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.6)
	s.body = split
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

func (s *NoticesScreen) reload() {
	u := s.app
	s.notices, _ = u.store.Notices(u.ctx())
	labels := make([]string, len(s.notices))
	for i, n := range s.notices {
		labels[i] = noticeLabel(n)
	}
	s.Versions.Options, s.EventNotice.Options = labels, labels
	if len(labels) > 0 {
		s.Versions.SetSelectedIndex(0)
		s.EventNotice.SetSelectedIndex(0)
	}
	s.events, _ = u.store.Events(u.ctx())
	names := make([]string, len(s.events))
	current := -1
	for i, e := range s.events {
		names[i] = e.Date + " " + e.Name
		if u.event != nil && e.ID == u.event.ID {
			current = i
		}
	}
	s.Current.Options = names
	if current >= 0 {
		s.Current.SetSelectedIndex(current)
	}
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
}

// saveVersion stores the edited text as a new version; the old one stays as it was.
func (s *NoticesScreen) saveVersion() {
	prev, _ := s.selected()
	n, err := s.app.store.AddNotice(s.app.ctx(), s.Editor.Body(), prev.ID)
	if err != nil {
		showText(s.Message, s.app.message(err))
		return
	}
	s.reload()
	showText(s.Message, s.app.T("notices.saved", n.Version, shortHash(n.Hash)))
}

// print writes the chosen print of the selected version and opens it in the system viewer.
func (s *NoticesScreen) print(layout notice.Layout) {
	u := s.app
	n, ok := s.selected()
	if !ok {
		return
	}
	doc := notice.Doc{Notice: n, Event: u.event}
	doc.Org, _ = u.store.Org(u.ctx())
	var buf bytes.Buffer
	if err := notice.Render(&buf, layout, doc); err != nil {
		showText(s.Message, u.message(err))
		return
	}
	path, err := printPath(n, layout)
	if err == nil {
		err = os.WriteFile(path, buf.Bytes(), 0o644)
	}
	if err != nil {
		showText(s.Message, err.Error())
		return
	}
	showText(s.Message, u.T("notices.printed", path))
	if u.fyne != nil {
		u.fyne.OpenURL(&url.URL{Scheme: "file", Path: path})
	}
}

// printPath is where prints are written: the user's cache directory, by version.
func printPath(n capture.Notice, layout notice.Layout) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "boothledger", "prints")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(dir, fmt.Sprintf("notice-v%d-%s-%s.pdf", n.Version, shortHash(n.Hash), layout)), nil
}

func (s *NoticesScreen) createEvent() {
	u := s.app
	e := capture.Event{Name: s.EventName.Text, Venue: s.EventVenue.Text, Date: strings.TrimSpace(s.EventDate.Text),
		End: strings.TrimSpace(s.EventEnd.Text), LintOverride: s.EventOverride.Text}
	if i := s.EventNotice.SelectedIndex(); i >= 0 && i < len(s.notices) {
		e.NoticeID = s.notices[i].ID
	}
	if text := strings.TrimSpace(s.EventSurvey.Text); text != "" {
		sv, err := capture.DecodeSurvey([]byte(text))
		if err != nil {
			setError(s.EventError, u.message(err))
			return
		}
		e.Survey = &sv
	}
	e, err := u.store.SaveEvent(u.ctx(), e)
	if err != nil {
		setError(s.EventError, u.message(err))
		return
	}
	setError(s.EventError, "")
	u.SetEvent(e)
}

func (s *NoticesScreen) switchEvent(string) {
	i := s.Current.SelectedIndex()
	if i < 0 || i >= len(s.events) || s.app.event == nil || s.events[i].ID == s.app.event.ID {
		return
	}
	s.app.SetEvent(s.events[i])
}
