package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	k.content = k.layout()
	k.wipe()
	return k
}

func (k *KioskScreen) layout() fyne.CanvasObject {
	u := k.app
	noticeText := wrapped(noticeSummary(u, k.notice) + "\n" + u.T("notice.retention") + ": " + k.notice.Retention)
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
		bold(u.T("kiosk.step2")), fields, k.Survey.Content(),
		container.NewHBox(k.Submit), k.Status,
	)
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
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
			e.Enable()
		} else {
			e.Disable()
		}
	}
	k.Survey.setEnabled(on)
	if on {
		k.Submit.Enable()
	} else {
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
		var other []string
		for _, f := range ve.Fields {
			msg := f.Message(u.tx.Lang)
			if l, ok := k.Errors[f.Field]; ok {
				setError(l, strings.TrimPrefix(msg, f.Field+": "))
			} else if !k.Survey.showError(f.Field, msg) {
				other = append(other, msg)
			}
		}
		k.Status.SetText(strings.Join(other, "\n"))
		return
	case err != nil:
		u.showError(err)
		return
	}
	k.wipe()
	k.Status.SetText(u.T("kiosk.thanks"))
}

func (k *KioskScreen) askExit() {
	showSignIn(k.app, func(name, pin string) error { return k.app.LeaveKiosk(name, pin) })
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
