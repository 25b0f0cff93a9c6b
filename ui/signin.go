package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// signInForm asks for a staff member's name and PIN.
type signInForm struct {
	app    *App
	Name   *widget.Select
	PIN    *widget.Entry
	Button *widget.Button
	Error  *widget.Label
	submit func(name, pin string) error
	box    *fyne.Container
}

// newSignInForm builds the form; submit is called with what was typed (default: sign in).
func newSignInForm(u *App, submit func(name, pin string) error) *signInForm {
	f := &signInForm{app: u, submit: submit}
	if f.submit == nil {
		f.submit = u.SignIn
	}
	f.Name = widget.NewSelect(nil, nil)
	f.Name.PlaceHolder = u.T("signin.name")
	f.PIN = widget.NewPasswordEntry()
	f.PIN.SetPlaceHolder(u.T("signin.pin"))
	f.PIN.OnSubmitted = func(string) { f.Submit() }
	f.Button = widget.NewButton(u.T("signin.in"), f.Submit)
	f.Button.Importance = widget.HighImportance
	f.Error = errorLabel()
	f.reload()
	f.box = container.NewVBox(f.Name, f.PIN, f.Error, f.Button)
	return f
}

func (f *signInForm) reload() {
	list, _ := f.app.store.StaffList(f.app.ctx())
	names := make([]string, len(list))
	for i, m := range list {
		names[i] = m.Name
	}
	f.Name.Options = names
	if len(names) == 1 {
		f.Name.SetSelectedIndex(0)
	}
	f.Name.Refresh()
}

// Submit checks the name and PIN; a wrong one leaves a message and changes nothing.
func (f *signInForm) Submit() {
	err := f.submit(f.Name.Selected, f.PIN.Text)
	f.PIN.SetText("")
	if err != nil {
		setError(f.Error, f.app.message(err))
	} else {
		setError(f.Error, "")
	}
}

// showSignIn asks for a name and PIN in a dialog.
func showSignIn(u *App, submit func(name, pin string) error) {
	var d dialog.Dialog
	f := newSignInForm(u, nil)
	f.submit = func(name, pin string) error {
		do := u.SignIn
		if submit != nil {
			do = submit
		}
		err := do(name, pin)
		if err == nil {
			d.Hide()
		}
		return err
	}
	if len(f.Name.Options) == 0 {
		dialog.ShowInformation(u.T("signin.title"), u.T("signin.no_staff"), u.win)
		return
	}
	d = dialog.NewCustomWithoutButtons(u.T("signin.title"), container.NewVBox(f.box, widget.NewButton(u.T("dialog.cancel"), func() { d.Hide() })), u.win)
	d.Resize(fyne.NewSize(360, 260))
	d.SetOnClosed(u.refocus)
	d.Show()
	u.win.Canvas().Focus(f.PIN)
}
