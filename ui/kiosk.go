package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
)

// kioskIdle is how long a half-filled visitor form stays before it wipes itself.
const kioskIdle = 60 * time.Second

// kioskFields are what a visitor types about themselves.
var kioskFields = []string{"name", "kana", "company", "department", "title", "email", "phone"}

// KioskScreen is visitor self-entry: the notice first, fields locked until the purpose is
// agreed, nothing of anyone else to see, and a wipe after each save and after a minute idle.
// The window is full-screen and only a staff PIN leaves it or closes it.
type KioskScreen struct {
	app     *App
	content fyne.CanvasObject
	notice  capture.Notice

	Consents map[capture.ConsentKind]*widget.Check
	Fields   map[string]*widget.Entry
	Errors   map[string]*widget.Label
	Survey   *surveyForm
	Submit   *widget.Button
	Status   *widget.Label
	Exit     *widget.Button
	// Locked says why the fields take no input while the purpose is not agreed.
	Locked *widget.Label
	// Notice and Form scroll the two halves; both go back to the top for each visitor.
	Notice, Form *container.Scroll
	// ExitPIN, ExitError and ExitDialog are the staff PIN prompt while it is open.
	ExitPIN    *widget.Entry
	ExitError  *widget.Label
	ExitDialog dialog.Dialog

	lastInput time.Time
	stopIdle  chan struct{}
}

func newKioskScreen(u *App) *KioskScreen {
	k := &KioskScreen{app: u, Consents: map[capture.ConsentKind]*widget.Check{}, Fields: map[string]*widget.Entry{}, Errors: map[string]*widget.Label{}}
	k.notice, _ = u.store.Notice(u.ctx(), u.event.NoticeID)
	for _, kind := range capture.ConsentKinds {
		if !k.notice.Declares(kind) {
			continue
		}
		label := u.T("kiosk.consent." + string(kind))
		k.Consents[kind] = widget.NewCheck(label, func(bool) { k.touched(); k.lockUntilConsent() })
	}
	for _, f := range kioskFields {
		e := widget.NewEntry()
		e.OnChanged = func(string) { k.touched() }
		k.Fields[f] = e
		k.Errors[f] = errorLabel()
	}
	k.Survey = newSurveyForm(u, u.event.Survey, true)
	k.Submit = widget.NewButton(u.T("kiosk.submit"), k.save)
	k.Submit.Importance = widget.HighImportance
	k.Status = widget.NewLabel("")
	k.Status.Importance = widget.SuccessImportance
	k.Status.Wrapping = fyne.TextWrapWord
	k.Exit = widget.NewButton(u.T("kiosk.exit"), k.askExit)
	k.Locked = widget.NewLabel(u.T("kiosk.locked"))
	k.Locked.Importance = widget.WarningImportance
	k.Locked.Wrapping = fyne.TextWrapWord
	k.content = k.layout()
	k.wipe()
	return k
}

func (k *KioskScreen) layout() fyne.CanvasObject {
	u := k.app
	noticeText := newParagraph(noticeSummary(u, k.notice) + "\n" + u.T("notice.retention") + u.T("punct.colon") + k.notice.Retention)
	consents := container.NewVBox()
	for _, kind := range capture.ConsentKinds {
		if c, ok := k.Consents[kind]; ok {
			consents.Add(c)
		}
	}
	fields := container.NewGridWithColumns(2)
	for _, f := range kioskFields {
		fields.Add(container.NewVBox(widget.NewLabel(u.T("field."+f)), k.Fields[f], k.Errors[f]))
	}
	left := container.NewVBox(
		bold(u.T("kiosk.welcome")), bold(k.notice.Title), noticeText,
		container.NewCenter(qrImage(notice.QRURL(k.notice), 180)),
	)
	right := container.NewVBox(
		bold(u.T("kiosk.step1")), consents,
		bold(u.T("kiosk.step2")), k.Locked, fields, k.Survey.Content(),
	)
	k.Notice, k.Form = container.NewVScroll(left), container.NewVScroll(right)
	// The submit button and what it answers sit below the scrolled form, so they stay in
	// view however long the form grows with error messages.
	form := container.NewBorder(nil, container.NewVBox(k.Status, container.NewHBox(k.Submit)), nil, nil, k.Form)
	split := container.NewHSplit(k.Notice, form)
	split.SetOffset(0.42)
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), k.Exit), nil, nil, split)
	return container.NewThemeOverride(body, kioskTheme{})
}

// Content is the screen's layout.
func (k *KioskScreen) Content() fyne.CanvasObject { return k.content }

// start begins watching for an idle form.
func (k *KioskScreen) start() {
	k.stopIdle = make(chan struct{})
	stop := k.stopIdle
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				fyne.Do(func() { k.checkIdle(now) })
			}
		}
	}()
}

func (k *KioskScreen) stop() {
	if k.stopIdle != nil {
		close(k.stopIdle)
		k.stopIdle = nil
	}
}

func (k *KioskScreen) touched() { k.lastInput = k.app.now() }

// checkIdle wipes a form nobody has touched for a minute.
func (k *KioskScreen) checkIdle(now time.Time) {
	if !k.lastInput.IsZero() && now.Sub(k.lastInput) >= kioskIdle {
		k.wipe()
	}
}

// lockUntilConsent enables the fields only while the purpose box is ticked (Art.21(2):
// the purpose is shown, and agreed, before anything is collected).
func (k *KioskScreen) lockUntilConsent() {
	on := k.Consents[capture.ConsentPurpose] != nil && k.Consents[capture.ConsentPurpose].Checked
	for _, e := range k.Fields {
		if on {
			e.SetPlaceHolder("")
			e.Enable()
		} else {
			e.SetPlaceHolder(k.app.T("kiosk.locked_field"))
			e.Disable()
		}
	}
	k.Survey.setEnabled(on)
	if on {
		k.Locked.Hide()
		k.Submit.Enable()
	} else {
		k.Locked.Show()
		k.Submit.Disable()
	}
}

// wipe empties the form and locks it again.
func (k *KioskScreen) wipe() {
	for _, c := range k.Consents {
		c.SetChecked(false)
	}
	for _, e := range k.Fields {
		e.SetText("")
	}
	for _, l := range k.Errors {
		setError(l, "")
	}
	k.Survey.reset()
	k.Survey.clearErrors()
	k.lastInput = time.Time{}
	k.lockUntilConsent()
	showText(k.Status, "")
	// The next visitor starts at the notice, not where the last one left the form.
	k.Notice.ScrollToTop()
	k.Form.ScrollToTop()
}

func (k *KioskScreen) save() {
	u := k.app
	n := capture.NewCapture{EventID: u.event.ID, Source: capture.SourceKiosk, Shown: capture.ShownScreen,
		Method: capture.MethodCheckbox, Answers: k.Survey.answers()}
	if u.staff != nil {
		n.Staff = u.staff.Name
	}
	for _, f := range kioskFields {
		*n.Person.Field(f) = k.Fields[f].Text
	}
	for _, kind := range capture.ConsentKinds {
		if c, ok := k.Consents[kind]; ok && c.Checked {
			n.Consents = append(n.Consents, kind)
		}
	}
	_, err := u.store.AddCapture(u.ctx(), n)
	for _, l := range k.Errors {
		setError(l, "")
	}
	k.Survey.clearErrors()
	var ve *capture.ValidationError
	switch {
	case errors.As(err, &ve):
		other := []string{u.T("kiosk.check_fields")}
		var first fyne.CanvasObject
		for _, f := range ve.Fields {
			msg := u.fieldMessage(f)
			if l, ok := k.Errors[f.Field]; ok {
				setError(l, u.fieldText(f))
				if first == nil {
					first = k.Fields[f.Field]
				}
			} else if !k.Survey.showError(f.Field, u.fieldText(f)) {
				other = append(other, msg)
			}
		}
		k.Status.Importance = widget.DangerImportance
		showText(k.Status, strings.Join(other, "\n"))
		if first != nil {
			k.scrollTo(first)
		}
		return
	case err != nil:
		u.showError(err)
		return
	}
	k.wipe()
	k.Status.Importance = widget.SuccessImportance
	showText(k.Status, u.T("kiosk.thanks"))
}

// scrollTo scrolls the form so that o, a field with an error, is at the top of the view.
func (k *KioskScreen) scrollTo(o fyne.CanvasObject) {
	k.Form.Refresh() // lay out the error lines just shown before measuring
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(k.Form.Content).Y
	k.Form.ScrollToOffset(fyne.NewPos(0, y-theme.Padding()))
}

// askExit asks for a staff PIN to go back to the staff screens.
func (k *KioskScreen) askExit() { k.askPIN(k.app.LeaveKiosk) }

// askClose is the window's close button and Alt+F4 in kiosk mode: they too need a staff PIN.
func (k *KioskScreen) askClose() {
	k.askPIN(func(pin string) error {
		if _, err := k.app.store.SignInPIN(k.app.ctx(), pin); err != nil {
			return err
		}
		k.stop()
		k.app.win.Close()
		return nil
	})
}

// askPIN asks for a staff PIN and nothing else: a list of names would tell every visitor who
// the staff are. Wrong PINs lock the prompt with the store's growing delay.
func (k *KioskScreen) askPIN(submit func(pin string) error) {
	u := k.app
	if k.ExitDialog != nil {
		k.ExitDialog.Hide() // one prompt at a time, however often the close button is pressed
	}
	k.ExitPIN = widget.NewPasswordEntry()
	k.ExitPIN.SetPlaceHolder(u.T("signin.pin"))
	k.ExitError = errorLabel()
	try := func() {
		err := submit(k.ExitPIN.Text)
		k.ExitPIN.SetText("")
		switch {
		case errors.Is(err, capture.ErrBadPIN):
			setError(k.ExitError, u.T("kiosk.bad_pin"))
			return
		case err != nil:
			setError(k.ExitError, u.message(err))
			return
		}
		k.ExitDialog.Hide()
	}
	k.ExitPIN.OnSubmitted = func(string) { try() }
	ok := widget.NewButton(u.T("kiosk.exit_ok"), try)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(u.T("dialog.cancel"), func() { k.ExitDialog.Hide() })
	k.ExitDialog = dialog.NewCustomWithoutButtons(u.T("kiosk.exit_title"),
		container.NewVBox(k.ExitPIN, k.ExitError, container.NewGridWithColumns(2, cancel, ok)), u.win)
	k.ExitDialog.Resize(fyne.NewSize(360, 220))
	k.ExitDialog.Show()
	u.win.Canvas().Focus(k.ExitPIN)
}

// kioskTheme is the app theme with type large enough to read standing at a booth.
type kioskTheme struct{ Theme }

func (kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 20
	case theme.SizeNameHeadingText:
		return 28
	case theme.SizeNameInputBorder:
		return 2
	}
	return Theme{}.Size(n) * 1.25
}
