package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

const meCard = "MECARD:N:鈴木,花子;SOUND:すずき,はなこ;TEL:03-5555-6666;EMAIL:hanako@example.jp;ORG:サンプル商事;;"

// scanHere types a scan the way a keyboard-wedge scanner does: into whatever has the focus,
// ending with Enter.
func scanHere(t *testing.T, c fyne.Canvas, scan string) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatal("nothing has the focus: the scan is lost")
	}
	test.Type(f, scan)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// assertScanLands checks that a scan typed now fills the capture form.
func assertScanLands(t *testing.T, u *App, when string) {
	t.Helper()
	c := u.win.Canvas()
	if c.Focused() != u.Capture.Scanner {
		t.Fatalf("%s: focus on %T, want the scanner field", when, c.Focused())
	}
	scanHere(t, c, meCard)
	if got := u.Capture.Fields["name"].Text; got != "鈴木 花子" || u.Capture.Fields["email"].Text != "hanako@example.jp" {
		t.Fatalf("%s: the scan did not fill the form (name %q)", when, got)
	}
	u.Capture.clear()
}

// pressTab sends Tab (Shift+Tab with back) as the desktop driver does: to a widget that
// takes Tab itself, else it moves the focus.
func pressTab(c fyne.Canvas, back bool) {
	if t, ok := c.Focused().(fyne.Tabbable); ok && t.AcceptsTab() {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
		return
	}
	if back {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
}

// tabbed presses Tab (Shift+Tab with back) and says what has the focus then.
func tabbed(c fyne.Canvas, back bool) fyne.Focusable {
	pressTab(c, back)
	return c.Focused()
}

func key(c fyne.Canvas, k fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: k}) }

// saveCard types a name and an email (if any) and saves with Ctrl+Enter.
func saveCard(cs *CaptureScreen, name, email string) {
	test.Type(cs.Fields["name"], name)
	test.Type(cs.Fields["email"], email)
	cs.Fields["name"].TypedShortcut(saveShortcut)
}

func signedIn(t *testing.T, u *App) {
	t.Helper()
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
}

func TestScanRightAfterStartFillsTheForm(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	assertScanLands(t, u, "at start")
}

func TestScannerHasFocusAfterSetup(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, storetest.Open(t), "ja")
	st := u.Setup
	test.Type(st.OrgName, "ブースレジャー株式会社")
	test.Type(st.Contact, "privacy@example.co.jp")
	st.PolicyURL.SetText("https://example.co.jp/privacy")
	test.Type(st.Business, "産業用センサー")
	test.Type(st.EventName, "産業センサー展")
	test.Type(st.Venue, "東京ビッグサイト")
	test.Type(st.StaffName, "田中")
	test.Type(st.StaffPIN, "123456")
	test.Tap(st.Start)
	if u.Capture == nil {
		t.Fatalf("setup did not start capturing: %s", st.Error.Text)
	}
	assertScanLands(t, u, "after setup")
}

func TestScannerHasFocusAfterKioskSaveAndDialogs(t *testing.T) {
	u, s, _, e := newTestApp(t)
	// Another window open (a print preview, say) must not take the focus calls.
	other := fyne.CurrentApp().NewWindow("other")
	defer other.Close()
	c := u.win.Canvas()

	u.EnterKiosk()
	if err := u.LeaveKiosk("123456"); err != nil {
		t.Fatal(err)
	}
	assertScanLands(t, u, "after leaving the kiosk")

	// The sign-in dialog: the PIN has the focus; once it closes the scanner has it again.
	u.Capture.toggleSignIn()
	test.Type(c.Focused(), "123456")
	key(c, fyne.KeyReturn)
	if u.staff == nil {
		t.Fatal("the sign-in dialog did not sign in")
	}
	assertScanLands(t, u, "after the sign-in dialog")

	cs := u.Capture
	saveCard(cs, "保存 一郎", "hozon@example.jp")
	if leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID}); len(leads) != 1 {
		t.Fatalf("not saved: %q", cs.FormError.Text)
	}
	assertScanLands(t, u, "after a save")

	// A question (the weak-capture warning) answered with Esc.
	saveCard(cs, "連絡先 なし", "")
	if cs.Weak == nil || !cs.Weak.open {
		t.Fatal("no warning for a card without email or phone")
	}
	key(c, fyne.KeyEscape)
	cs.clear()
	assertScanLands(t, u, "after the warning closed")

	// An error dialog, opened while the memo had the keyboard.
	c.Focus(cs.Memo)
	u.showError(errors.New("disk full"))
	var ok *widget.Button
	for _, o := range test.LaidOutObjects(c.Overlays().Top()) {
		if b, isButton := o.(*widget.Button); isButton {
			ok = b
		}
	}
	test.Tap(ok)
	assertScanLands(t, u, "after an error dialog")
}

func TestTabLeavesTheMemoAndCtrlEnterSavesFromIt(t *testing.T) {
	u, s, _, e := newTestApp(t)
	signedIn(t, u)
	c := u.win.Canvas()
	cs := u.Capture
	test.Type(cs.Fields["name"], "メモ 太郎")
	test.Type(cs.Fields["email"], "memo@example.jp")
	tabTo(t, c, cs.Memo)
	test.Type(cs.Memo, "来月デモ希望")
	if tabbed(c, false) == cs.Memo || strings.Contains(cs.Memo.Text, "\t") {
		t.Fatalf("Tab stayed in the memo (memo %q)", cs.Memo.Text)
	}
	if f := tabbed(c, true); f != cs.Memo {
		t.Fatalf("Shift+Tab from after the memo reached %T", f)
	}
	if tabbed(c, true) == cs.Memo {
		t.Fatal("Shift+Tab stayed in the memo")
	}
	pressTab(c, false)
	press(c, saveShortcut)
	leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID})
	if len(leads) != 1 {
		t.Fatalf("Ctrl+Enter in the memo did not save: %q", cs.FormError.Text)
	}
	if caps, _ := s.CapturesOf(ctx(), leads[0].ID); caps[0].Note != "来月デモ希望" {
		t.Fatalf("note %q", caps[0].Note)
	}
}

func TestDuplicateHintAnsweredByKeyboard(t *testing.T) {
	u, s, _, e := newTestApp(t)
	signedIn(t, u)
	first, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Staff: "佐藤", Person: capture.Person{Name: "山田 太郎", Company: "株式会社サンプル", Email: "taro@example.co.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	c := u.win.Canvas()
	cs := u.Capture
	if !strings.Contains(cs.SameLead.Text, "Alt+S") || !strings.Contains(cs.NewLead.Text, "Alt+N") {
		t.Fatalf("hint buttons do not show their keys: %q, %q", cs.SameLead.Text, cs.NewLead.Text)
	}
	test.Type(cs.Fields["name"], "山田 太郎")
	c.Focus(cs.Fields["email"])
	test.Type(cs.Fields["email"], "taro@example.co.jp")
	if !cs.hintBox.Visible() {
		t.Fatal("no hint for a known email")
	}
	press(c, sameLeadShortcut) // from the entry that has the focus
	if cs.chosenLead != first.Lead.ID || c.Focused() != cs.Fields["email"] {
		t.Fatalf("Alt+S: chosen %q, focus %T", cs.chosenLead, c.Focused())
	}
	press(c, saveShortcut)
	if caps, _ := s.CapturesOf(ctx(), first.Lead.ID); len(caps) != 2 {
		t.Fatalf("the known lead has %d captures, want 2 (%s)", len(caps), cs.FormError.Text)
	}

	// Alt+N from a check box, which takes no shortcuts itself: the window's shortcut answers.
	test.Type(cs.Fields["name"], "山田 太郎")
	test.Type(cs.Fields["email"], "taro@example.co.jp")
	c.Focus(cs.Consents[capture.ConsentPurpose])
	press(c, newLeadShortcut)
	if !cs.newLead || cs.hintBox.Visible() {
		t.Fatal("Alt+N did not say it is someone else")
	}
	press(c, saveShortcut)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID}); len(leads) != 2 {
		t.Fatalf("%d leads, want a second one for someone else (%s)", len(leads), cs.FormError.Text)
	}
}

func TestRatingIsOneTabStop(t *testing.T) {
	u, s, _, e := newTestApp(t)
	signedIn(t, u)
	c := u.win.Canvas()
	cs := u.Capture
	test.Type(cs.Fields["name"], "評価 太郎")
	test.Type(cs.Fields["email"], "hyoka@example.jp")
	tabTo(t, c, cs.Method)
	if f := tabbed(c, false); f != cs.Rating {
		t.Fatalf("Tab after the consent method reached %T, want the rating", f)
	}
	if tabbed(c, false) == cs.Rating || tabbed(c, true) != cs.Rating {
		t.Fatal("the rating is not exactly one Tab stop")
	}
	for _, step := range []struct {
		key  fyne.KeyName
		rune rune
		want string
	}{{rune: 'b', want: "B"}, {key: fyne.KeyRight, want: "C"}, {key: fyne.KeyRight, want: "C"}, {key: fyne.KeyLeft, want: "B"},
		{key: fyne.KeyBackspace, want: ""}, {key: fyne.KeyLeft, want: "C"}, {rune: 'A', want: "A"}} {
		if step.rune != 0 {
			c.Focused().TypedRune(step.rune)
		} else {
			key(c, step.key)
		}
		if cs.Rating.Selected != step.want {
			t.Fatalf("after %q%c the rating is %q, want %q", step.key, step.rune, cs.Rating.Selected, step.want)
		}
	}
	press(c, saveShortcut)
	leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID})
	if len(leads) != 1 {
		t.Fatalf("not saved: %q", cs.FormError.Text)
	}
	if caps, _ := s.CapturesOf(ctx(), leads[0].ID); caps[0].Rating != "A" {
		t.Fatalf("rating %q", caps[0].Rating)
	}
	if cs.Rating.Selected != "" {
		t.Fatal("the rating is not cleared for the next card")
	}
}

// TestFullCardKeyCount types a whole card by keyboard (every field, purpose and email
// consent, a rating, a memo) and counts the keys that are not the card's own text.
func TestFullCardKeyCount(t *testing.T) {
	u, s, _, e := newTestApp(t)
	signedIn(t, u)
	c := u.win.Canvas()
	cs := u.Capture
	keys := 0
	tab := func() { pressTab(c, false); keys++ }
	values := []string{"山田 太郎", "やまだ たろう", "株式会社サンプル", "営業部", "部長", "taro@example.co.jp", "03-1234-5678", "090-1111-2222", "100-0005", "東京都千代田区丸の内1-1-1"}
	for _, v := range values {
		tab()
		test.Type(c.Focused(), v)
	}
	for c.Focused() != cs.Consents[capture.ConsentPurpose] {
		tab()
	}
	c.Focused().TypedRune(' ')
	keys++
	tab()
	if c.Focused() != cs.Consents[capture.ConsentEmailOptIn] {
		t.Fatalf("after the purpose consent Tab reached %T", c.Focused())
	}
	c.Focused().TypedRune(' ')
	keys++
	for c.Focused() != cs.Rating {
		tab()
	}
	c.Focused().TypedRune('A')
	keys++
	for c.Focused() != cs.Memo {
		tab()
	}
	test.Type(cs.Memo, "来月デモ希望")
	press(c, saveShortcut)
	keys++
	leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID})
	if len(leads) != 1 {
		t.Fatalf("not saved: %q", cs.FormError.Text)
	}
	caps, _ := s.CapturesOf(ctx(), leads[0].ID)
	if got := caps[0]; got.Rating != "A" || !got.Has(capture.ConsentEmailOptIn) || got.Note != "来月デモ希望" || got.Person.Address != values[9] {
		t.Fatalf("capture %+v", got)
	}
	// 10 Tabs through the fields, 2 past the source to the purpose consent, Space, Tab, Space,
	// 4 past third party, joint use and the method to the rating, A, 7 past the survey's six
	// choices to the memo, Ctrl+Enter. Fixed here so that a new Tab stop in the way shows.
	const want = 28
	if keys != want {
		t.Fatalf("a full card took %d keys besides its text, want %d", keys, want)
	}
}

func TestWeakCaptureIsNamedBeforeSaving(t *testing.T) {
	u, s, _, e := newTestApp(t)
	c := u.win.Canvas()
	cs := u.Capture
	count := func() int { leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID}); return len(leads) }

	// Nobody signed in, a survey with no consent and no way to reach the person.
	cs.selectSource(capture.SourceSurvey)
	test.Type(cs.Fields["name"], "弱い 記録")
	cs.Fields["name"].TypedShortcut(saveShortcut)
	if cs.Weak == nil || !cs.Weak.open || count() != 0 {
		t.Fatalf("saved without a word (%d leads)", count())
	}
	text := cs.WeakText.Text + cs.Weak.Yes.Text + cs.Weak.No.Text
	for _, want := range []string{"同意が一つも記録されていません", "担当者が記録されません", "メールアドレスも電話番号もありません", "このまま保存（Enter）", "戻って直す（Esc）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning does not say %q: %q", want, text)
		}
	}
	if !cs.WeakText.Visible() || cs.WeakText.Importance != widget.WarningImportance {
		t.Fatal("the warning is not shown as one")
	}
	if c.Focused() != cs.Weak.Yes {
		t.Fatalf("the warning's answer is not one key away: focus on %T", c.Focused())
	}
	key(c, fyne.KeyEscape)
	if count() != 0 || cs.Fields["name"].Text != "弱い 記録" || cs.Weak.open {
		t.Fatal("Esc did not go back to the form as it was")
	}
	cs.Fields["name"].TypedShortcut(saveShortcut)
	key(c, fyne.KeyReturn)
	if count() != 1 || cs.Fields["name"].Text != "" {
		t.Fatalf("Enter did not save anyway: %d leads (%s)", count(), cs.FormError.Text)
	}

	// A signed-in card with an email is not weak: it saves at once.
	signedIn(t, u)
	cs.selectSource(capture.SourceBoothCard)
	saveCard(cs, "普通 の名刺", "futsu@example.jp")
	if count() != 2 || cs.Weak.open {
		t.Fatalf("an ordinary card asked first or was not saved: %d leads", count())
	}

	// Bad input is shown as field errors first, not as a warning.
	saveCard(cs, "誤り", "taro@")
	if cs.Weak.open || !cs.Errors["email"].Visible() {
		t.Fatal("an invalid card was warned about instead of refused")
	}
}

func TestSessionTimesOutManagerRightsFirst(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	u.now = func() time.Time { return now }
	signedIn(t, u)
	u.checkSession(now)
	u.checkSession(now.Add(9 * time.Minute))
	if u.staff == nil || !u.staff.Manager || u.Notices.Locked() {
		t.Fatal("manager rights gone before 10 minutes idle")
	}
	now = now.Add(11 * time.Minute)
	u.checkSession(now)
	if u.staff == nil || u.staff.Manager || !u.Notices.Locked() || !strings.Contains(u.Capture.StaffLine.Text, "管理者権限を外しました") {
		t.Fatalf("after 11 idle minutes: staff %+v, notices locked %v, %q", u.staff, u.Notices.Locked(), u.Capture.StaffLine.Text)
	}
	// Typing keeps the session but does not bring the rights back; a focus move is input.
	test.Type(u.Capture.Fields["name"], "入力中")
	now = now.Add(15 * time.Minute)
	test.FocusNext(u.win.Canvas())
	u.checkSession(now)
	if u.staff == nil || u.staff.Manager {
		t.Fatalf("15 minutes after input: staff %+v", u.staff)
	}
	now = now.Add(30 * time.Minute)
	u.checkSession(now)
	if u.staff != nil || !strings.Contains(u.Capture.StaffLine.Text, "操作がなかったためサインアウト") {
		t.Fatalf("after 30 idle minutes: staff %+v, %q", u.staff, u.Capture.StaffLine.Text)
	}
	signedIn(t, u)
	if !u.staff.Manager || strings.Contains(u.Capture.StaffLine.Text, "操作がなかった") {
		t.Fatal("signing in again does not restore the rights")
	}
}

func TestEscAsksBeforeDiscardingAHalfTypedCard(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	c := u.win.Canvas()
	cs := u.Capture
	key(c, fyne.KeyEscape) // an empty card: nothing to ask
	if cs.Discard != nil {
		t.Fatal("asked before clearing an empty card")
	}
	test.Type(cs.Fields["company"], "株式会社途中")
	key(c, fyne.KeyEscape)
	if cs.Discard == nil || !cs.Discard.open || cs.Fields["company"].Text == "" {
		t.Fatal("Esc wiped a half-typed card without asking")
	}
	test.Type(cs.Fields["name"], "途中 太郎")
	press(c, saveShortcut) // a held Ctrl+Enter while the question is open
	if cs.Weak != nil {
		t.Fatal("Ctrl+Enter under the open question went on to save")
	}
	key(c, fyne.KeyEscape)
	if cs.Discard.open || cs.Fields["company"].Text != "株式会社途中" {
		t.Fatal("Esc on the question did not keep the card")
	}
	c.Focus(cs.Rating)
	key(c, fyne.KeyEscape)
	key(c, fyne.KeyReturn)
	if cs.Fields["company"].Text != "" || c.Focused() != cs.Scanner {
		t.Fatalf("Enter did not discard the card: %q, focus %T", cs.Fields["company"].Text, c.Focused())
	}
}

func TestSavedMessageGoesWhenTheNextCardStarts(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	signedIn(t, u)
	cs := u.Capture
	saveCard(cs, "保存 花子", "hozon@example.jp")
	if !strings.Contains(cs.Status.Text, "保存しました") {
		t.Fatalf("status %q", cs.Status.Text)
	}
	test.Type(cs.Scanner, "M")
	if cs.Status.Text != "" {
		t.Fatalf("the last card's confirmation stays on the next card: %q", cs.Status.Text)
	}
}

func TestImportsDoNotCountAsTodaysCaptures(t *testing.T) {
	u, s, _, e := newTestApp(t)
	signedIn(t, u)
	for i := range 3 {
		if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Source: capture.SourceImport, Person: storetest.Person(i)}); err != nil {
			t.Fatal(err)
		}
	}
	cs := u.Capture
	cs.refreshHeader()
	if cs.Today.Text != "本日 0件" {
		t.Fatalf("imports counted: %q", cs.Today.Text)
	}
	saveCard(cs, "来場 一郎", "raijo@example.jp")
	if cs.Today.Text != "本日 1件" {
		t.Fatalf("after a card: %q", cs.Today.Text)
	}
}
