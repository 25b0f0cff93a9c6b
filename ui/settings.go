package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger"
	"github.com/boothledger/boothledger/capture"
	bsync "github.com/boothledger/boothledger/sync"
)

// SettingsScreen holds the language, where the data lives, and the staff list.
type SettingsScreen struct {
	app     *App
	content fyne.CanvasObject

	Language   *widget.Select
	Database   *widget.Label
	Staff      *fyne.Container // one line per staff member
	NewName    *widget.Entry
	NewPIN     *widget.Entry
	NewManager *widget.Check
	AddStaff   *widget.Button
	StaffError *widget.Label

	Server   *widget.Entry
	Token    *widget.Entry
	Insecure *widget.Check
	Enrol    *widget.Button
	SyncMsg  *widget.Label
	Refusals *widget.Label
}

// languages are the interface's and notices' languages; languageNames name each in itself.
var (
	languages     = []string{"ja", "en"}
	languageNames = []string{"日本語", "English"}
)

func newSettingsScreen(u *App) *SettingsScreen {
	s := &SettingsScreen{app: u}
	s.Language = widget.NewSelect(languageNames, nil)
	for i, l := range languages {
		if l == u.tx.Lang {
			s.Language.SetSelectedIndex(i)
		}
	}
	s.Language.OnChanged = func(string) {
		if l := languages[s.Language.SelectedIndex()]; l != u.tx.Lang {
			u.SetLanguage(l)
		}
	}
	s.Database = wrapped(u.store.Path() + "\n" + u.T("settings.version", boothledger.Version))
	s.Staff = container.NewVBox()
	s.NewName = widget.NewEntry()
	s.NewName.SetPlaceHolder(u.T("settings.staff_name"))
	s.NewPIN = widget.NewPasswordEntry()
	s.NewPIN.SetPlaceHolder(u.T("settings.staff_pin"))
	s.NewManager = widget.NewCheck(u.T("settings.manager"), nil)
	s.AddStaff = widget.NewButton(u.T("settings.add_staff"), s.addStaff)
	s.StaffError = errorLabel()
	s.Server = widget.NewEntry()
	s.Server.SetPlaceHolder("https://sync.example.co.jp")
	s.Token = widget.NewPasswordEntry()
	s.Token.SetPlaceHolder(u.T("settings.sync_token"))
	s.Insecure = widget.NewCheck(u.T("settings.sync_insecure"), nil)
	if e, err := u.store.Enrolment(u.ctx()); err == nil { // the token stays unseen
		s.Server.SetText(e.Server)
		s.Insecure.SetChecked(e.Insecure)
	}
	s.Enrol = widget.NewButton(u.T("settings.sync_enrol"), s.enrol)
	s.SyncMsg = wrapped("")
	s.SyncMsg.Hide()
	s.Refusals = wrapped("")
	s.showRefusals()
	s.refreshStaff()
	s.content = container.NewVScroll(container.NewVBox(
		bold(u.T("settings.sync")), s.Server, s.Token, s.Insecure, s.Enrol, s.SyncMsg, s.Refusals,
		bold(u.T("settings.language")), s.Language,
		bold(u.T("settings.database")), s.Database,
		bold(u.T("settings.staff")), s.Staff, widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.NewManager, s.AddStaff), container.NewGridWithColumns(2, s.NewName, s.NewPIN)),
		s.StaffError,
	))
	return s
}

// Content is the screen's layout.
func (s *SettingsScreen) Content() fyne.CanvasObject { return s.content }

func (s *SettingsScreen) refreshStaff() {
	// A label per staff member, each a full row high: one label of many lines packed the
	// names against the add-staff row below it.
	s.Staff.Objects = nil
	list, err := s.app.store.StaffList(s.app.ctx())
	if err != nil {
		s.Staff.Add(wrapped(err.Error()))
	}
	for _, m := range list {
		role := s.app.T("settings.role_staff")
		if m.Manager {
			role = s.app.T("settings.role_manager")
		}
		s.Staff.Add(widget.NewLabel(s.app.T("settings.staff_line", m.Name, role)))
	}
	if err == nil && len(list) == 0 {
		s.Staff.Add(widget.NewLabel(s.app.T("settings.no_staff")))
	}
	s.Staff.Refresh()
	if err != nil {
		return
	}
	// Only a manager adds staff (or anyone, while there is nobody to be a manager): a new
	// PIN opens the lead list.
	if len(list) == 0 || (s.app.staff != nil && s.app.staff.Manager) {
		s.AddStaff.Enable()
		setError(s.StaffError, "")
	} else {
		s.AddStaff.Disable()
		setError(s.StaffError, s.app.T("settings.staff_managers_only"))
	}
}

// enrol checks the server and token with a first round, then keeps them and syncs in the
// background.
func (s *SettingsScreen) enrol() {
	u := s.app
	c := &bsync.Client{Store: u.store, URL: strings.TrimSpace(s.Server.Text), Token: strings.TrimSpace(s.Token.Text), Insecure: s.Insecure.Checked}
	if err := bsync.CheckURL(c.URL, c.Insecure); err != nil {
		showText(s.SyncMsg, err.Error())
		return
	}
	showText(s.SyncMsg, u.T("settings.sync_connecting"))
	s.Enrol.Disable()
	go func() {
		res, err := c.Round(u.ctx())
		if err == nil {
			err = c.Remember(u.ctx())
		}
		fyne.Do(func() {
			s.Enrol.Enable()
			if err != nil {
				showText(s.SyncMsg, u.T("settings.sync_failed", err.Error()))
				return
			}
			s.Token.SetText("")
			showText(s.SyncMsg, u.T("settings.sync_done", res.Pushed, res.Applied))
			s.showRefusals()
			u.StartSync(c)
		})
	}()
}

// showRefusals lists the ops set aside, with their reasons: this device's ops the server
// refused, and ops received that could not be applied here.
func (s *SettingsScreen) showRefusals() {
	list, _ := s.app.store.SetAside(s.app.ctx())
	var refused, received []string
	for _, r := range list {
		line := "・" + s.app.T("op."+string(r.Kind)) + ": " + r.Reason
		if r.Local {
			refused = append(refused, line)
		} else {
			received = append(received, line)
		}
	}
	var lines []string
	if len(refused) > 0 {
		lines = append(append(lines, s.app.T("settings.sync_refused")), refused...)
	}
	if len(received) > 0 {
		lines = append(append(lines, s.app.T("settings.sync_set_aside")), received...)
	}
	showText(s.Refusals, strings.Join(lines, "\n"))
}

func (s *SettingsScreen) addStaff() {
	m, err := capture.NewStaff(s.NewName.Text, s.NewPIN.Text, s.NewManager.Checked)
	if err == nil {
		err = s.app.store.SaveStaff(s.app.ctx(), m)
	}
	s.NewPIN.SetText("")
	if err != nil {
		setError(s.StaffError, s.app.message(err))
		return
	}
	setError(s.StaffError, "")
	s.NewName.SetText("")
	s.NewManager.SetChecked(false)
	s.refreshStaff()
}
