package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	bsync "github.com/boothledger/boothledger/sync"
)

// Meta keys the app keeps in the local database.
const (
	metaLang         = "ui.lang"
	metaCurrentEvent = "ui.current_event"
)

// App is the booth window and its screens. Every screen is a struct that holds its widgets,
// so headless tests can type into them and tap them.
type App struct {
	fyne  fyne.App
	win   fyne.Window
	store *store.Store
	tx    assets.Texts
	now   func() time.Time

	// staff is who is signed in (nil: nobody); event is the event being captured.
	staff *capture.Staff
	event *capture.Event

	Setup    *SetupScreen
	Dash     *DashboardScreen
	Capture  *CaptureScreen
	Kiosk    *KioskScreen
	Leads    *LeadsScreen
	Notices  *NoticesScreen
	Export   *ExportScreen
	Dups     *DuplicatesScreen
	Settings *SettingsScreen
	tabs     *container.AppTabs

	// syncStop ends background sync; syncStatus is what its last round said.
	syncStop   context.CancelFunc
	syncStatus *bsync.Status

	// Open shows a written file or folder to the user (desktop.Open in the app). Nil, as in
	// headless tests, opens nothing.
	Open func(path string) error

	// SessionIdle ends a sign-in after this long without input (0: capture.SessionIdle).
	SessionIdle time.Duration
	// session is who signed in, with their full rights, and their last input; staff is
	// what it grants now. sessionNote is the text key saying why it ended or lost rights.
	session     *capture.Session
	sessionNote string
	lastFocus   fyne.Focusable
}

// New builds the app on an open store. lang is the language to use when the user has not
// chosen one in the settings ("ja" or "en").
func New(a fyne.App, s *store.Store, lang string) *App {
	a.Settings().SetTheme(Theme{})
	u := &App{fyne: a, store: s, now: time.Now}
	if chosen, _ := s.Meta(u.ctx(), metaLang); chosen != "" {
		lang = chosen
	}
	u.tx = assets.Texts{Lang: lang}
	u.win = a.NewWindow(u.tx.T("app.title"))
	u.win.Resize(startSize())
	u.win.CenterOnScreen()
	u.Start()
	if c, err := bsync.FromStore(u.ctx(), s); err == nil {
		u.StartSync(c)
	}
	return u
}

// StartSync syncs in the background every 30 seconds (with backoff while offline) and
// keeps the status line up to date.
func (u *App) StartSync(c *bsync.Client) {
	u.StopSync()
	ctx, cancel := context.WithCancel(context.Background())
	u.syncStop = cancel
	y := &bsync.Syncer{Client: c, OnStatus: func(st bsync.Status) {
		fyne.Do(func() {
			u.syncStatus = &st
			if u.Capture != nil {
				u.Capture.refreshHeader()
			}
			if u.Dash != nil {
				u.Dash.changed() // a round may have brought other devices' captures
			}
		})
	}}
	go y.Run(ctx)
}

// StopSync ends background sync.
func (u *App) StopSync() {
	if u.syncStop != nil {
		u.syncStop()
		u.syncStop = nil
	}
}

// Window is the main window.
func (u *App) Window() fyne.Window { return u.win }

// T translates an interface key.
func (u *App) T(key string, args ...any) string { return u.tx.T(key, args...) }

func (u *App) ctx() context.Context { return context.Background() }

// Start shows setup on the first run and the capture screen of the current event after.
func (u *App) Start() {
	events, err := u.store.Events(u.ctx())
	_, orgErr := u.store.Org(u.ctx())
	if err != nil || len(events) == 0 || errors.Is(orgErr, capture.ErrNotFound) {
		u.showSetup()
		return
	}
	u.event = &events[0]
	for i := range events { // with none chosen yet, the booth is at the event running today
		if events[i].Running(u.now()) {
			u.event = &events[i]
			break
		}
	}
	if id, _ := u.store.Meta(u.ctx(), metaCurrentEvent); id != "" {
		for i := range events {
			if events[i].ID == id {
				u.event = &events[i]
			}
		}
	}
	u.showMain()
}

func (u *App) showSetup() {
	u.Setup = newSetupScreen(u)
	u.win.SetContent(u.Setup.Content())
	u.win.Canvas().Focus(u.Setup.OrgName)
}

// showMain builds the staff screens as tabs: the managers' dashboard first, the capture
// screen open.
func (u *App) showMain() {
	u.Dash = newDashboardScreen(u)
	u.Capture = newCaptureScreen(u)
	u.Leads = newLeadsScreen(u)
	u.Notices = newNoticesScreen(u)
	u.Export = newExportScreen(u)
	u.Dups = newDuplicatesScreen(u)
	u.Settings = newSettingsScreen(u)
	captureTab := container.NewTabItem(u.T("tab.capture"), u.Capture.Content())
	u.tabs = container.NewAppTabs(
		container.NewTabItem(u.T("tab.dashboard"), u.Dash.Content()),
		captureTab,
		container.NewTabItem(u.T("tab.leads"), u.Leads.Content()),
		container.NewTabItem(u.T("tab.notices"), u.Notices.Content()),
		container.NewTabItem(u.T("tab.export"), u.Export.Content()),
		container.NewTabItem(u.T("tab.duplicates"), u.Dups.Content()),
		container.NewTabItem(u.T("tab.settings"), u.Settings.Content()),
	)
	u.tabs.OnSelected = func(t *container.TabItem) {
		u.touch()
		switch t.Content {
		case u.Dash.content:
			u.Dash.Refresh()
			if u.Dash.Locked() {
				u.win.Canvas().Focus(u.Dash.Gate.PIN)
			}
		case u.Capture.content:
			u.Capture.focusScanner()
		case u.Export.content:
			u.Export.Refresh()
		case u.Notices.content:
			u.Notices.Refresh()
		case u.Dups.content:
			u.Dups.Refresh()
		case u.Leads.content:
			u.Leads.Refresh()
			if u.Leads.Locked() {
				u.win.Canvas().Focus(u.Leads.Gate.PIN)
			}
		}
	}
	u.tabs.Select(captureTab)
	u.win.SetContent(u.tabs)
	u.win.SetMainMenu(u.menu())
	u.Capture.bindShortcuts(u.win.Canvas())
	u.Capture.focusScanner()
}

// menu lets the keyboard reach every screen: Ctrl+0 (the dashboard) to Ctrl+6 and Ctrl+K for
// kiosk mode.
// Menu shortcuts work whichever widget has focus.
func (u *App) menu() *fyne.MainMenu {
	item := func(key string, k fyne.KeyName, do func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(u.T(key), do)
		it.Shortcut = &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
		return it
	}
	tab := func(i int) func() { return func() { u.tabs.SelectIndex(i) } }
	return fyne.NewMainMenu(fyne.NewMenu(u.T("menu.view"),
		item("tab.dashboard", fyne.Key0, tab(0)), item("tab.capture", fyne.Key1, tab(1)), item("tab.leads", fyne.Key2, tab(2)),
		item("tab.notices", fyne.Key3, tab(3)), item("tab.export", fyne.Key4, tab(4)), item("tab.duplicates", fyne.Key5, tab(5)),
		item("tab.settings", fyne.Key6, tab(6)),
		fyne.NewMenuItemSeparator(), item("capture.kiosk", fyne.KeyK, u.EnterKiosk)))
}

// SetEvent makes e the event being captured.
func (u *App) SetEvent(e capture.Event) {
	u.event = &e
	u.store.SetMeta(u.ctx(), metaCurrentEvent, e.ID)
	u.showMain()
}

// SignIn signs a staff member in by name and PIN.
func (u *App) SignIn(name, pin string) error {
	m, err := u.store.SignIn(u.ctx(), name, pin)
	if err != nil {
		return err
	}
	u.staff = &m
	u.session, u.sessionNote = &capture.Session{Staff: m, Last: u.now(), Idle: u.SessionIdle}, ""
	if u.Capture != nil {
		u.Capture.refreshHeader()
	}
	u.refreshGates()
	return nil
}

// SignOut forgets the signed-in staff member.
func (u *App) SignOut() {
	u.staff, u.session, u.sessionNote = nil, nil, ""
	if u.Capture != nil {
		u.Capture.refreshHeader()
	}
	u.refreshGates()
}

// touch notes input from the person at the keyboard: the session is in use.
func (u *App) touch() {
	if u.session != nil {
		u.session.Last = u.now()
	}
}

// checkSession applies the session's idle limits at now: a manager's rights drop first,
// then the sign-in ends (capture.Session). Focus that moved since the last look counts as
// input, as does kiosk mode, which only a staff PIN leaves.
func (u *App) checkSession(now time.Time) {
	if u.staff == nil {
		return
	}
	if u.session == nil || u.session.Staff.Name != u.staff.Name { // signed in by setup
		u.session = &capture.Session{Staff: *u.staff, Last: now, Idle: u.SessionIdle}
	}
	if f := u.win.Canvas().Focused(); f != u.lastFocus || u.Kiosk != nil {
		u.lastFocus, u.session.Last = f, now
	}
	m, ok := u.session.At(now)
	switch {
	case !ok:
		u.SignOut()
		u.sessionNote = "signin.timed_out"
	case m.Manager != u.staff.Manager: // back only with the PIN, not with the next key
		u.session.Staff.Manager = false
		u.staff, u.sessionNote = &m, "signin.manager_dropped"
		u.refreshGates()
	default:
		return
	}
	if u.Capture != nil {
		u.Capture.refreshHeader()
	}
}

// RunSessions applies the sessions' idle limits every few seconds until ctx ends.
func (u *App) RunSessions(ctx context.Context) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fyne.Do(func() { u.checkSession(u.now()) })
		}
	}
}

// refocus gives the scanner field the keyboard back once a dialog closes.
func (u *App) refocus() {
	if u.Capture != nil {
		u.Capture.focusScanner()
	}
}

// refreshGates shows or hides what needs a signed-in staff member or manager.
func (u *App) refreshGates() {
	if u.Dash != nil {
		u.Dash.changed()
	}
	if u.Leads != nil {
		u.Leads.Refresh()
	}
	if u.Export != nil {
		u.Export.Refresh()
	}
	if u.Notices != nil {
		u.Notices.Refresh()
	}
	if u.Dups != nil {
		u.Dups.Refresh()
	}
	if u.Settings != nil {
		u.Settings.refreshStaff()
	}
}

// EnterKiosk hands the window to visitors.
func (u *App) EnterKiosk() {
	u.Kiosk = newKioskScreen(u)
	u.win.SetMainMenu(nil) // no way out of kiosk mode but the staff PIN
	u.win.SetContent(u.Kiosk.Content())
	// Full-screen, and the close button and Alt+F4 ask for a staff PIN as the exit does.
	u.win.SetFullScreen(true)
	u.win.SetCloseIntercept(u.Kiosk.askClose)
	u.Kiosk.start()
}

// LeaveKiosk returns to the staff screens; it needs a staff PIN (any staff member's: the
// prompt names no one).
func (u *App) LeaveKiosk(pin string) error {
	if _, err := u.store.SignInPIN(u.ctx(), pin); err != nil {
		return err
	}
	u.win.SetCloseIntercept(nil)
	u.win.SetFullScreen(false)
	u.Kiosk.stop()
	u.Kiosk = nil
	u.showMain()
	return nil
}

// SetLanguage switches the interface language and keeps the choice.
func (u *App) SetLanguage(lang string) {
	u.store.SetMeta(u.ctx(), metaLang, lang)
	u.tx = assets.Texts{Lang: lang}
	u.win.SetTitle(u.T("app.title"))
	u.Start()
}

// showError reports a failure that is not the user's input.
func (u *App) showError(err error) {
	d := dialog.NewError(errors.New(u.message(err)), u.win)
	d.SetOnClosed(u.refocus)
	d.Show()
}

// reveal opens path with the system's program for it, and returns the line to add to the
// result when that failed (the file is written all the same), else "".
func (u *App) reveal(path string) string {
	if u.Open == nil {
		return ""
	}
	if err := u.Open(path); err != nil {
		return "\n" + u.T("open.failed", path)
	}
	return ""
}
