package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

// SettingsScreen holds the language, where the data lives, and the staff list.
type SettingsScreen struct {
	app     *App
	content fyne.CanvasObject

	Language   *widget.Select
	Database   *widget.Label
	Staff      *widget.Label
	NewName    *widget.Entry
	NewPIN     *widget.Entry
	NewManager *widget.Check
	AddStaff   *widget.Button
	StaffError *widget.Label
}

var languages = []string{"ja", "en"}

func newSettingsScreen(u *App) *SettingsScreen {
	s := &SettingsScreen{app: u}
	s.Language = widget.NewSelect([]string{"日本語", "English"}, nil)
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
	s.Database = wrapped(u.store.Path())
	s.Staff = wrapped("")
	s.NewName = widget.NewEntry()
	s.NewName.SetPlaceHolder(u.T("settings.staff_name"))
	s.NewPIN = widget.NewPasswordEntry()
	s.NewPIN.SetPlaceHolder(u.T("settings.staff_pin"))
	s.NewManager = widget.NewCheck(u.T("settings.manager"), nil)
	s.AddStaff = widget.NewButton(u.T("settings.add_staff"), s.addStaff)
	s.StaffError = errorLabel()
	s.refreshStaff()
	s.content = container.NewVScroll(container.NewVBox(
		bold(u.T("settings.language")), s.Language,
		bold(u.T("settings.database")), s.Database,
		bold(u.T("settings.staff")), s.Staff,
		container.NewGridWithColumns(4, s.NewName, s.NewPIN, s.NewManager, s.AddStaff), s.StaffError,
	))
	return s
}

// Content is the screen's layout.
func (s *SettingsScreen) Content() fyne.CanvasObject { return s.content }

func (s *SettingsScreen) refreshStaff() {
	list, err := s.app.store.StaffList(s.app.ctx())
	if err != nil {
		s.Staff.SetText(err.Error())
		return
	}
	var lines []string
	for _, m := range list {
		role := s.app.T("settings.role_staff")
		if m.Manager {
			role = s.app.T("settings.role_manager")
		}
		lines = append(lines, fmt.Sprintf("%s（%s）", m.Name, role))
	}
	if len(lines) == 0 {
		lines = []string{s.app.T("settings.no_staff")}
	}
	s.Staff.SetText(strings.Join(lines, "\n"))
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
