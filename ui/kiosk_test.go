package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// closeIntercepted reports whether the window's close button (and Alt+F4) is intercepted:
// the test window keeps the callback but offers no way to press the button.
func closeIntercepted(w fyne.Window) bool {
	return !reflect.ValueOf(w).Elem().FieldByName("onCloseIntercepted").IsNil()
}

func submitPIN(k *KioskScreen, pin string) {
	test.Type(k.ExitPIN, pin)
	k.ExitPIN.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func windowOpen(w fyne.Window) bool {
	return slices.Contains(fyne.CurrentApp().Driver().AllWindows(), w)
}

// TestKioskCloseNeedsPIN: kiosk mode is full-screen, its close button asks for a PIN with
// no staff names in sight, a wrong PIN keeps the window, repeated wrong PINs lock even the
// right one out, and leaving puts the window back as it was.
func TestKioskCloseNeedsPIN(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	u.EnterKiosk()
	k := u.Kiosk
	defer k.stop()
	if !u.win.FullScreen() || !closeIntercepted(u.win) {
		t.Fatalf("kiosk: full-screen %v, close intercepted %v", u.win.FullScreen(), closeIntercepted(u.win))
	}

	k.askClose()
	if texts := screenTexts(u.win.Canvas()); slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "田中") }) {
		t.Fatalf("the PIN prompt shows staff names: %q", texts)
	}
	if u.win.Canvas().Focused() != k.ExitPIN {
		t.Fatalf("focus on %T, want the PIN", u.win.Canvas().Focused())
	}
	submitPIN(k, "000000")
	if !windowOpen(u.win) || k.ExitError.Text != u.T("kiosk.bad_pin") {
		t.Fatalf("wrong PIN: window open %v, message %q", windowOpen(u.win), k.ExitError.Text)
	}
	for range 4 {
		submitPIN(k, "000000")
	}
	submitPIN(k, "123456") // right, but locked after five wrong ones
	if !windowOpen(u.win) || !strings.HasPrefix(k.ExitError.Text, "PINの誤りが続いたため") {
		t.Fatalf("after five wrong PINs: window open %v, message %q", windowOpen(u.win), k.ExitError.Text)
	}
	k.ExitDialog.Hide()

	// The exit button asks the same lock: still locked.
	test.Tap(k.Exit)
	submitPIN(k, "123456")
	if u.Kiosk == nil || !strings.HasPrefix(k.ExitError.Text, "PINの誤りが続いたため") {
		t.Fatalf("exit under the lock: left %v, message %q", u.Kiosk == nil, k.ExitError.Text)
	}
}

// TestKioskExitAndClose: the right PIN at the exit goes back to the staff screens, not
// full-screen, the close button closing again; at the close button it closes the window.
func TestKioskExitAndClose(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	u.EnterKiosk()
	test.Tap(u.Kiosk.Exit)
	submitPIN(u.Kiosk, "123456")
	if u.Kiosk != nil || u.win.FullScreen() || closeIntercepted(u.win) {
		t.Fatalf("after leaving: kiosk %v, full-screen %v, close intercepted %v", u.Kiosk != nil, u.win.FullScreen(), closeIntercepted(u.win))
	}

	u.EnterKiosk()
	k := u.Kiosk
	k.askClose()
	submitPIN(k, "123456")
	if windowOpen(u.win) {
		t.Fatal("the right PIN at the close button did not close the window")
	}
	if k.stopIdle != nil {
		t.Fatal("the idle watch still runs after the window closed")
	}
}

// TestKioskLockedFieldsSayWhy: before the purpose is agreed, the fields are disabled and say
// why; agreeing opens them and the explanation goes.
func TestKioskLockedFieldsSayWhy(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	u.EnterKiosk()
	k := u.Kiosk
	defer k.stop()
	if !k.Locked.Visible() || k.Locked.Text != "まず利用目的への同意にチェックしてください" {
		t.Fatalf("locked hint: visible %v, %q", k.Locked.Visible(), k.Locked.Text)
	}
	for f, e := range k.Fields {
		if !e.Disabled() || e.PlaceHolder != u.T("kiosk.locked_field") {
			t.Fatalf("%s: disabled %v, placeholder %q", f, e.Disabled(), e.PlaceHolder)
		}
	}
	test.Tap(k.Consents[capture.ConsentPurpose])
	if k.Locked.Visible() {
		t.Fatal("the locked hint stays after consent")
	}
	for f, e := range k.Fields {
		if e.Disabled() || e.PlaceHolder != "" {
			t.Fatalf("%s after consent: disabled %v, placeholder %q", f, e.Disabled(), e.PlaceHolder)
		}
	}
}

// within reports whether o lies inside the area of box on screen.
func within(o, box fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	p, b := d.AbsolutePositionForObject(o), d.AbsolutePositionForObject(box)
	return p.Y >= b.Y && p.Y+o.Size().Height <= b.Y+box.Size().Height && o.Visible()
}

// TestKioskScrollsForEachVisitor: on a short screen, a save and an idle wipe put both halves
// back at the top; after an error the submit button and the first field in error are in view.
func TestKioskScrollsForEachVisitor(t *testing.T) {
	u, s, _, e := newTestApp(t)
	u.win.Resize(fyne.NewSize(1280, 420))
	u.EnterKiosk()
	k := u.Kiosk
	defer k.stop()
	test.Tap(k.Consents[capture.ConsentPurpose])
	test.Type(k.Fields["name"], "来場 花子")
	test.Type(k.Fields["email"], "hanako@")
	k.Form.ScrollToBottom()
	k.Notice.ScrollToBottom()
	if k.Form.Offset.Y == 0 || k.Notice.Offset.Y == 0 {
		t.Fatalf("the screen is not short enough to scroll: %v %v", k.Form.Offset, k.Notice.Offset)
	}
	test.Tap(k.Submit)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID}); len(leads) != 0 {
		t.Fatal("saved a bad email")
	}
	canvas := u.win.Canvas().Content()
	if !within(k.Submit, canvas) || !within(k.Errors["email"], k.Form) {
		t.Fatalf("after the error: submit in view %v, email error in view %v", within(k.Submit, canvas), within(k.Errors["email"], k.Form))
	}

	k.Fields["email"].SetText("hanako@example.jp")
	k.Form.ScrollToBottom()
	k.Notice.ScrollToBottom()
	test.Tap(k.Submit)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID}); len(leads) != 1 {
		t.Fatalf("not saved: %q", k.Status.Text)
	}
	if k.Form.Offset.Y != 0 || k.Notice.Offset.Y != 0 {
		t.Fatalf("after a save the next visitor starts at %v / %v, not the top", k.Notice.Offset, k.Form.Offset)
	}

	test.Tap(k.Consents[capture.ConsentPurpose])
	test.Type(k.Fields["name"], "途中")
	k.Form.ScrollToBottom()
	k.Notice.ScrollToBottom()
	k.checkIdle(u.now().Add(kioskIdle + 1))
	if k.Fields["name"].Text != "" || k.Form.Offset.Y != 0 || k.Notice.Offset.Y != 0 {
		t.Fatalf("after an idle wipe: %q at %v / %v", k.Fields["name"].Text, k.Notice.Offset, k.Form.Offset)
	}
}
