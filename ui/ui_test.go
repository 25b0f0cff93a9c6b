package ui

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
	bsync "github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

// newTestApp runs the app headless on a real store with an org, a notice, an event and a
// staff member 田中 (PIN 123456).
func newTestApp(t *testing.T) (*App, *store.Store, capture.Notice, capture.Event) {
	t.Helper()
	a := test.NewTempApp(t)
	s := storetest.Open(t)
	n, e := storetest.Setup(t, s)
	m, err := capture.NewStaff("田中", "123456", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveStaff(ctx(), m); err != nil {
		t.Fatal(err)
	}
	u := New(a, s, "ja")
	u.win.Resize(fyne.NewSize(1280, 800))
	return u, s, n, e
}

func ctx() context.Context { return context.Background() }

// press sends a shortcut the way the desktop driver does: to the focused widget when it
// takes shortcuts, else to the window.
func press(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// tabTo presses Tab until target has focus, failing if it is not reachable by keyboard.
func tabTo(t *testing.T, c fyne.Canvas, target fyne.Focusable) {
	t.Helper()
	for i := 0; i < 80; i++ {
		if c.Focused() == target {
			return
		}
		test.FocusNext(c)
	}
	t.Fatalf("%T not reachable with Tab", target)
}

func typeLines(e *formEntry, text string) {
	for _, line := range strings.Split(text, "\n") {
		test.Type(e, line)
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

func TestKeyboardOnlyCapture(t *testing.T) {
	u, s, n, e := newTestApp(t)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	c := u.win.Canvas()
	cs := u.Capture
	if c.Focused() != cs.Scanner {
		t.Fatalf("focus starts on %T, want the scanner field", c.Focused())
	}
	// Tab follows the card: 氏名, ふりがな, 会社名, 部署, 役職, メール, 電話, 携帯, 郵便番号, 住所.
	values := map[string]string{"name": "山田 太郎", "kana": "やまだ たろう", "company": "株式会社サンプル", "department": "営業部", "title": "部長",
		"email": "taro@example.co.jp", "phone": "03-1234-5678", "mobile": "090-1111-2222", "postal": "100-0005", "address": "東京都千代田区丸の内1-1-1"}
	for _, f := range formFields {
		test.FocusNext(c)
		if c.Focused() != cs.Fields[f] {
			t.Fatalf("Tab reached %T, want the %s field", c.Focused(), f)
		}
		test.Type(c.Focused(), values[f])
	}
	tabTo(t, c, cs.Consents[capture.ConsentPurpose])
	test.Type(c.Focused(), " ")
	tabTo(t, c, cs.Consents[capture.ConsentEmailOptIn])
	test.Type(c.Focused(), " ")
	press(c, saveShortcut) // Ctrl+Enter from a check box

	leads, err := s.Leads(ctx(), store.LeadQuery{EventID: e.ID})
	if err != nil || len(leads) != 1 {
		t.Fatalf("leads %d %v (form errors: %q)", len(leads), err, cs.FormError.Text)
	}
	caps, _ := s.CapturesOf(ctx(), leads[0].ID)
	got := caps[0]
	if got.NoticeHash != n.Hash || got.NoticeShown != capture.ShownScreen || got.Staff != "田中" || got.Person.Email != values["email"] {
		t.Fatalf("capture evidence %+v", got)
	}
	if len(got.Consents) != 2 || !got.Has(capture.ConsentPurpose) || !got.Has(capture.ConsentEmailOptIn) || got.Has(capture.ConsentThirdParty) {
		t.Fatalf("consents %+v", got.Consents)
	}
	for _, f := range formFields {
		if cs.Fields[f].Text != "" {
			t.Fatalf("%s not cleared after save: %q", f, cs.Fields[f].Text)
		}
	}
	if cs.Consents[capture.ConsentPurpose].Checked || c.Focused() != cs.Scanner {
		t.Fatal("form not ready for the next card: consent still ticked or focus elsewhere")
	}
	if !strings.Contains(cs.Status.Text, "山田 太郎") || !strings.Contains(cs.Today.Text, "1") {
		t.Fatalf("confirmation %q, count %q", cs.Status.Text, cs.Today.Text)
	}

	// Esc clears a half-typed card once Enter says so.
	test.Type(cs.Fields["name"], "途中")
	cs.Fields["name"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cs.Fields["name"].Text != "" || c.Focused() != cs.Scanner {
		t.Fatal("Esc did not clear the form")
	}
}

func TestBadInputShowsFieldErrorAndSavesNothing(t *testing.T) {
	u, s, _, _ := newTestApp(t)
	cs := u.Capture
	test.Type(cs.Fields["name"], "山田")
	test.Type(cs.Fields["email"], "taro@")
	test.Type(cs.Fields["phone"], "電話して")
	cs.Fields["phone"].TypedShortcut(saveShortcut)
	if !cs.Errors["email"].Visible() || !strings.Contains(cs.Errors["email"].Text, "メールアドレス") || !cs.Errors["phone"].Visible() {
		t.Fatalf("field errors not shown: email %q phone %q", cs.Errors["email"].Text, cs.Errors["phone"].Text)
	}
	if cs.Fields["name"].Text != "山田" {
		t.Fatal("form wiped after a refused save")
	}
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 0 {
		t.Fatal("refused capture was stored")
	}
}

func TestScannerFillsForm(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	cs := u.Capture
	typeLines(cs.Scanner, "BEGIN:VCARD\nVERSION:3.0\nN:山田;太郎;;;\nORG:株式会社サンプル;営業部\nTITLE:部長\nEMAIL;TYPE=WORK:taro@sample.co.jp\nTEL;TYPE=CELL:090-1111-2222\nEND:VCARD")
	if cs.Fields["name"].Text != "山田 太郎" || cs.Fields["company"].Text != "株式会社サンプル" || cs.Fields["department"].Text != "営業部" ||
		cs.Fields["email"].Text != "taro@sample.co.jp" || cs.Fields["mobile"].Text != "090-1111-2222" {
		t.Fatalf("vCard did not fill the form: %+v", cs.person())
	}
	cs.clear()
	typeLines(cs.Scanner, "MECARD:N:鈴木,花子;SOUND:すずき,はなこ;TEL:03-5555-6666;EMAIL:hanako@example.jp;ORG:サンプル商事;;")
	if cs.Fields["name"].Text != "鈴木 花子" || cs.Fields["kana"].Text != "すずき はなこ" || cs.Fields["phone"].Text != "03-5555-6666" || cs.Fields["email"].Text != "hanako@example.jp" {
		t.Fatalf("MeCard did not fill the form: %+v", cs.person())
	}
	if cs.Scanner.Text != "" {
		t.Fatal("scanner field keeps the scan")
	}
}

func TestDuplicateHintForKnownEmail(t *testing.T) {
	u, s, _, e := newTestApp(t)
	first, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Staff: "佐藤", Person: capture.Person{Name: "山田 太郎", Company: "株式会社サンプル", Email: "taro@example.co.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "総務 受付", Email: "info@example.co.jp"}}); err != nil {
		t.Fatal(err)
	}
	u.SignIn("田中", "123456") // a capture naming its staff member is saved without a question
	cs := u.Capture
	test.Type(cs.Fields["name"], "山田　太郎")
	if cs.hintBox.Visible() {
		t.Fatal("hint shown before anything matched")
	}
	// A team mailbox alone is no match (the matcher decides, not the lookup).
	test.Type(cs.Fields["email"], "info@example.co.jp")
	if cs.hintBox.Visible() {
		t.Fatal("hint for a shared mailbox")
	}
	cs.Fields["email"].SetText("")
	test.Type(cs.Fields["email"], "TARO@example.co.jp")
	if !cs.hintBox.Visible() || !strings.Contains(cs.Hint.Text, "山田 太郎") || !strings.Contains(cs.Hint.Text, "佐藤") || !strings.Contains(cs.Hint.Text, "この展示会で") {
		t.Fatalf("hint %q (visible %v)", cs.Hint.Text, cs.hintBox.Visible())
	}
	test.Tap(cs.SameLead)
	test.Tap(cs.Save)
	caps, _ := s.CapturesOf(ctx(), first.Lead.ID)
	if len(caps) != 2 {
		t.Fatalf("accepting the hint should add a capture to the known lead; it has %d", len(caps))
	}
}

func TestKioskMode(t *testing.T) {
	u, s, _, e := newTestApp(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	u.now = func() time.Time { return now }
	u.EnterKiosk()
	k := u.Kiosk
	defer k.stop()
	name := k.Fields["name"]
	if !name.Disabled() || !k.Submit.Disabled() {
		t.Fatal("fields open before the purpose is agreed")
	}
	test.Type(name, "山田")
	if name.Text != "" {
		t.Fatal("typed into a field before consent")
	}
	test.Tap(k.Submit)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 0 {
		t.Fatal("kiosk saved before consent")
	}

	test.Tap(k.Consents[capture.ConsentPurpose])
	test.Type(name, "来場 花子")
	test.Type(k.Fields["email"], "hanako@example.jp")
	test.Tap(k.Submit)
	leads, _ := s.Leads(ctx(), store.LeadQuery{EventID: e.ID})
	if len(leads) != 1 {
		t.Fatalf("kiosk capture not stored: %q", k.Status.Text)
	}
	caps, _ := s.CapturesOf(ctx(), leads[0].ID)
	if caps[0].Source != capture.SourceKiosk || !caps[0].Has(capture.ConsentPurpose) || caps[0].NoticeShown != capture.ShownScreen {
		t.Fatalf("kiosk capture %+v", caps[0])
	}
	if name.Text != "" || k.Consents[capture.ConsentPurpose].Checked || !name.Disabled() {
		t.Fatal("kiosk not wiped and locked after save")
	}

	// Idle: a half-filled form stays for a minute, then wipes itself.
	test.Tap(k.Consents[capture.ConsentPurpose])
	test.Type(name, "途中まで")
	k.checkIdle(now.Add(30 * time.Second))
	if name.Text == "" {
		t.Fatal("wiped before a minute of idleness")
	}
	k.checkIdle(now.Add(61 * time.Second))
	if name.Text != "" || k.Consents[capture.ConsentPurpose].Checked {
		t.Fatal("not wiped after a minute of idleness")
	}

	// Leaving needs a staff PIN.
	if err := u.LeaveKiosk("000000"); err == nil || u.Kiosk == nil {
		t.Fatal("left kiosk mode with a wrong PIN")
	}
	if err := u.LeaveKiosk("123456"); err != nil || u.Kiosk != nil {
		t.Fatalf("could not leave with the right PIN: %v", err)
	}
}

func TestLeadListNeedsPIN(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 太郎", Email: "taro@example.co.jp"}}); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	if !l.Locked() || len(l.leads) != 0 {
		t.Fatal("lead list open without sign-in")
	}
	l.Gate.Name.SetSelected("田中")
	test.Type(l.Gate.PIN, "999999")
	test.Tap(l.Gate.Button)
	if !l.Locked() || !l.Gate.Error.Visible() {
		t.Fatal("wrong PIN opened the lead list")
	}
	test.Type(l.Gate.PIN, "123456")
	test.Tap(l.Gate.Button)
	if l.Locked() || len(l.leads) != 1 {
		t.Fatalf("right PIN: locked %v, %d leads", l.Locked(), len(l.leads))
	}
	selectRow(l, 0)
	openNotices(l)
	if got := shownText(l.Timeline); !strings.Contains(got, storetest.Notice().Purposes[0]) {
		t.Fatalf("capture history lacks the notice text shown: %q", got)
	}
	// A correction is a new op; the capture keeps what was taken.
	l.Fix["title"].SetText("部長")
	l.FixReason.SetText("名刺の読み違い")
	test.Tap(l.FixSave)
	lead, _ := s.Lead(ctx(), l.leads[0].ID)
	caps, _ := s.CapturesOf(ctx(), lead.ID)
	if lead.Person.Title != "部長" || caps[0].Person.Title != "" {
		t.Fatalf("correction: lead %q, capture %q", lead.Person.Title, caps[0].Person.Title)
	}
	u.SignOut()
	if !l.Locked() {
		t.Fatal("list stays open after sign-out")
	}
}

// TestSignInLockoutMessage: after five wrong PINs the form says the name is locked and until
// when, not that the PIN is wrong, and the right PIN does not open the list meanwhile.
func TestSignInLockoutMessage(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	l := u.Leads
	l.Gate.Name.SetSelected("田中")
	for range 5 {
		test.Type(l.Gate.PIN, "999999")
		test.Tap(l.Gate.Button)
	}
	test.Type(l.Gate.PIN, "123456")
	test.Tap(l.Gate.Button)
	if !l.Locked() {
		t.Fatal("the right PIN opened the list while the name was locked")
	}
	if got := l.Gate.Error.Text; !strings.Contains(got, "までサインインできません") || !regexp.MustCompile(`\d\d:\d\d:\d\d`).MatchString(got) {
		t.Fatalf("locked message %q", got)
	}
}

func TestFirstRunSetup(t *testing.T) {
	a := test.NewTempApp(t)
	s := storetest.Open(t)
	u := New(a, s, "ja")
	st := u.Setup
	if st == nil {
		t.Fatal("first run did not open setup")
	}
	test.Type(st.OrgName, "ブースレジャー株式会社")
	test.Type(st.Contact, "privacy@example.co.jp")
	st.PolicyURL.SetText("https://example.co.jp/privacy")
	test.Type(st.EventName, "産業センサー展")
	test.Type(st.Venue, "東京ビッグサイト")
	test.Type(st.StaffName, "田中")
	test.Type(st.StaffPIN, "123456")
	test.Tap(st.Start)
	if u.Capture != nil || !st.Error.Visible() {
		t.Fatal("started with a notice that still has its placeholder")
	}
	test.Type(st.Business, "産業用センサー")
	if st.Notice.errors != 0 {
		t.Fatalf("drafted notice has errors: %s", st.Notice.Findings.Text)
	}
	test.Tap(st.Start)
	if u.Capture == nil || u.staff == nil || u.event == nil || u.event.Name != "産業センサー展" {
		t.Fatalf("setup did not start capturing: %s", st.Error.Text)
	}
	// The next run opens straight on the capture screen.
	again := New(test.NewTempApp(t), s, "ja")
	if again.Capture == nil || again.Setup != nil {
		t.Fatal("second run did not open on the capture screen")
	}
}

func TestNoticeEditorLintsLiveAndSavesVersions(t *testing.T) {
	u, s, n, _ := newTestApp(t)
	ns := u.Notices
	if !ns.Locked() {
		t.Fatal("notices and events open without a manager")
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	if ns.Locked() {
		t.Fatal("a manager cannot open notices and events")
	}
	ed := ns.Editor
	if ed.errors != 0 || ed.Title.Text != n.Title {
		t.Fatalf("editor did not load the current notice: %d errors", ed.errors)
	}
	ed.Purposes.SetText("マーケティング活動に用いるため")
	if ed.errors == 0 || !strings.Contains(ed.Findings.Text, "利用目的1") {
		t.Fatalf("no live finding: %q", ed.Findings.Text)
	}
	ed.Purposes.SetText("産業用センサー事業の新製品のご案内を電子メールでお送りするため")
	test.Tap(ns.SaveNew)
	all, _ := s.Notices(ctx())
	if len(all) != 2 || all[0].Version != 2 || all[0].Supersedes != n.ID {
		t.Fatalf("versions %+v", all)
	}
	if old, _ := s.Notice(ctx(), n.ID); old.Hash != n.Hash {
		t.Fatal("saving a version changed the old one")
	}
}

func TestTranslationsAreComplete(t *testing.T) {
	ja, en := assets.Catalog("ja"), assets.Catalog("en")
	for k := range ja {
		if en[k] == "" {
			t.Errorf("en lacks %s", k)
		}
	}
	for k := range en {
		if ja[k] == "" {
			t.Errorf("ja lacks %s", k)
		}
	}
	// Every key built from a domain value exists.
	var keys []string
	for _, f := range capture.PersonFields {
		keys = append(keys, "field."+f)
	}
	for _, x := range capture.Sources {
		keys = append(keys, "source."+string(x))
	}
	for _, x := range capture.ConsentKinds {
		keys = append(keys, "consent."+string(x), "kiosk.consent."+string(x))
	}
	for _, x := range consentMethods {
		keys = append(keys, "method."+string(x))
	}
	for _, x := range capture.Channels {
		keys = append(keys, "channel."+string(x))
	}
	for _, x := range capture.Kinds() { // the settings list of set-aside ops names each kind
		keys = append(keys, "op."+string(x))
	}
	for _, x := range []string{"opt_in", "consent", "purpose_consent", "card_exchange", "business_card", "withdrawn", "none"} {
		keys = append(keys, "basis."+x)
	}
	for _, k := range keys {
		if ja[k] == "" {
			t.Errorf("no text for %s", k)
		}
	}
}

// waitFor polls cond until it holds; background work reaches the widgets through fyne.Do.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestEnrolAndBackgroundSync(t *testing.T) {
	st, err := sqlitestore.Open(ctx(), filepath.Join(t.TempDir(), "boothd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, hash := server.NewToken()
	st.CreateToken(ctx(), server.Token{ID: capture.NewID(), Name: "laptop", Hash: hash, Role: bsync.RoleAdmin, Created: time.Now()})
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	u, _, _, _ := newTestApp(t)
	defer u.StopSync()
	if !strings.Contains(u.Capture.SyncLine.Text, "未登録") {
		t.Fatalf("status line before enrolment: %q", u.Capture.SyncLine.Text)
	}
	set := u.Settings
	set.Server.SetText("http://sync.example.co.jp")
	set.Token.SetText(token)
	test.Tap(set.Enrol)
	if !strings.Contains(set.SyncMsg.Text, "loopback") {
		t.Fatalf("plain http to another host: %q", set.SyncMsg.Text)
	}
	set.Server.SetText(srv.URL)
	test.Tap(set.Enrol)
	waitFor(t, "enrolment", func() bool { return strings.Contains(set.SyncMsg.Text, "登録しました") })
	ops, _, _, err := st.Pull(ctx(), server.PullQuery{Role: bsync.RoleAdmin, Limit: 100})
	if err != nil || len(ops) != 4 { // org, notice, event, staff
		t.Fatalf("server holds %d ops after enrolment (%v)", len(ops), err)
	}
	waitFor(t, "status line", func() bool { return strings.Contains(u.Capture.SyncLine.Text, "未送信 0件") })
}

func TestExportWizard(t *testing.T) {
	u, s, _, e := newTestApp(t)
	for i := 0; i < 3; i++ {
		if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: storetest.Person(i)}); err != nil {
			t.Fatal(err)
		}
	}
	x := u.Export
	if x.form.Visible() {
		t.Fatal("export wizard open without a manager signed in")
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	if !x.form.Visible() || len(x.Events.Options) != 1 {
		t.Fatalf("wizard after sign-in: visible %v, events %v", x.form.Visible(), x.Events.Options)
	}
	x.Dir = t.TempDir()
	x.Events.SetSelected(x.Events.Options)
	x.Use.SetSelectedIndex(1) // marketing email
	test.Type(x.Recipient, "マーケティング部")
	test.Tap(x.Write)
	if entries, _ := os.ReadDir(x.Dir); len(entries) != 0 {
		t.Fatal("wrote before the count was seen")
	}
	test.Tap(x.Preview)
	if !strings.Contains(x.Summary.Text, "3件を出力") {
		t.Fatalf("preview: %q", x.Summary.Text)
	}
	test.Tap(x.Write)
	entries, _ := os.ReadDir(x.Dir)
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".xlsx") {
		t.Fatalf("files %v (%s)", entries, x.Result.Text)
	}
	recs, _ := s.ExportRecords(ctx(), "", false)
	if len(recs) != 1 || recs[0].By != "田中" || recs[0].Count != 3 {
		t.Fatalf("export records %+v", recs)
	}
}

// TestExportWizardWithholdsUndeclaredItems: the wizard shows what the notice did not declare
// for a provision before writing, and the file and its record carry only what it did, under
// the signed-in manager's name.
func TestExportWizardWithholdsUndeclaredItems(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Source: capture.SourceKiosk,
		Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentThirdParty},
		Answers:  map[string]any{"interest": []string{"温度センサー"}},
		Person: capture.Person{Name: "全項 太郎", Kana: "ぜんこう たろう", Company: "株式会社フル", Department: "開発部", Title: "部長",
			Email: "full@example.jp", Phone: "03-1234-5678", Mobile: "090-1234-5678", Postal: "100-0001", Address: "東京都千代田区千代田1-1"}}); err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	x := u.Export
	x.Dir = t.TempDir()
	x.Events.SetSelected(x.Events.Options)
	x.Use.SetSelectedIndex(slices.Index(capture.Uses, capture.UseThirdParty))
	x.Basis.SetSelectedIndex(slices.Index(capture.Bases, capture.BasisThirdParty))
	x.Format.SetSelectedIndex(slices.Index(export.Formats, export.FormatCSV))
	test.Type(x.Recipient, "株式会社サンプル販売")
	test.Tap(x.Preview)
	if !strings.Contains(x.Summary.Text, "1件を出力") || !strings.Contains(x.Summary.Text, "出力しない列: ふりがな、部署、役職、電話番号、携帯電話、郵便番号、住所、展示会") {
		t.Fatalf("preview: %q", x.Summary.Text)
	}
	test.Tap(x.Write)
	files, _ := filepath.Glob(filepath.Join(x.Dir, "*.csv"))
	if len(files) != 1 {
		t.Fatalf("files %v (%s)", files, x.Result.Text)
	}
	data, _ := os.ReadFile(files[0])
	if lines := strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\r\n"); lines[0] != "氏名,会社名,メールアドレス" || lines[1] != "全項 太郎,株式会社フル,full@example.jp" {
		t.Fatalf("file:\n%s", data)
	}
	recs, _ := s.ExportRecords(ctx(), "", true)
	if len(recs) != 1 || recs[0].By != "田中" || !slices.Equal(recs[0].Items, []string{"氏名", "会社名", "メールアドレス"}) {
		t.Fatalf("provision records %+v", recs)
	}
}

func TestOnlyManagersAddStaff(t *testing.T) {
	u, s, _, _ := newTestApp(t)
	set := u.Settings
	if !set.AddStaff.Disabled() {
		t.Fatal("anyone may add staff while a manager exists")
	}
	m, _ := capture.NewStaff("佐藤", "567890", false)
	s.SaveStaff(ctx(), m)
	if err := u.SignIn("佐藤", "567890"); err != nil || !set.AddStaff.Disabled() {
		t.Fatalf("staff who is not a manager may add staff (%v)", err)
	}
	if err := u.SignIn("田中", "123456"); err != nil || set.AddStaff.Disabled() {
		t.Fatalf("a manager cannot add staff (%v)", err)
	}
	test.Type(set.NewName, "鈴木")
	test.Type(set.NewPIN, "246810")
	test.Tap(set.AddStaff)
	if list, _ := s.StaffList(ctx()); len(list) != 3 {
		t.Fatalf("staff %d, want 3", len(list))
	}
}

func TestDuplicatesReview(t *testing.T) {
	u, s, _, e := newTestApp(t)
	add := func(p capture.Person) string {
		r, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: p, NewLead: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.Lead.ID
	}
	add(capture.Person{Name: "髙橋 一郎", Kana: "たかはし いちろう", Company: "株式会社アルファ", Title: "課長"})
	add(capture.Person{Name: "高橋一郎", Kana: "タカハシ イチロウ", Company: "(株)アルファ", Title: "部長"})
	d := u.Dups
	if d.body.Visible() {
		t.Fatal("duplicates review open without a manager")
	}
	u.SignIn("田中", "123456")
	if len(d.pairs) != 1 {
		t.Fatalf("%d pairs to review, want 1", len(d.pairs))
	}
	d.List.Select(0)
	if d.Left["title"].Importance != widget.WarningImportance || d.Left["company"].Importance != widget.WarningImportance || d.Left["kana"].Importance != widget.WarningImportance {
		t.Fatal("differing fields not marked")
	}
	test.Tap(d.Merge)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 1 || len(d.pairs) != 0 {
		t.Fatalf("after merge: %d leads, %d pairs", len(leads), len(d.pairs))
	}
	test.Tap(d.Undo)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 2 || len(d.pairs) != 1 {
		t.Fatalf("after undo: %d leads, %d pairs", len(leads), len(d.pairs))
	}
	d.List.Select(0)
	test.Tap(d.KeepApart)
	if len(d.pairs) != 0 {
		t.Fatal("a pair kept apart is proposed again")
	}
}

func TestSuppressedPersonNeedsConfirmedConsent(t *testing.T) {
	u, s, _, e := newTestApp(t)
	r, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "再来 太郎", Email: "again@example.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx(), r.Lead.ID, "本人の請求"); err != nil {
		t.Fatal(err)
	}
	u.SignIn("田中", "123456") // a capture naming its staff member is saved without a question
	cs := u.Capture
	test.Type(cs.Fields["name"], "再来 太郎")
	test.Type(cs.Fields["email"], "again@example.jp")
	test.Tap(cs.Consents[capture.ConsentPurpose])
	test.Tap(cs.Save)
	if cs.Suppressed == nil || cs.Fields["name"].Text == "" {
		t.Fatal("a suppressed person was saved without asking")
	}
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 0 {
		t.Fatal("saved before the confirmation")
	}
	cs.Suppressed.Confirm()
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 1 || cs.Fields["name"].Text != "" {
		t.Fatalf("confirmed capture: %d leads", len(leads))
	}
}

func TestLeadListWarnsOfRetentionEnding(t *testing.T) {
	u, s, _, e := newTestApp(t)
	soon := time.Now().AddDate(-3, 0, 10) // the notice keeps data 3 years: ends in 10 days
	for _, c := range []capture.NewCapture{
		{EventID: e.ID, Person: capture.Person{Name: "期限 近子", Email: "soon@example.jp"}, At: soon},
		{EventID: e.ID, Person: capture.Person{Name: "新規 太郎", Email: "new@example.jp"}},
	} {
		if _, err := s.AddCapture(ctx(), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	u.Leads.Refresh()
	waitFor(t, "the 30-day list", func() bool { return strings.Contains(u.Leads.Expiring.Text, "30日以内") })
	got := u.Leads.Expiring.Text
	if !strings.Contains(got, "30日以内") || !strings.Contains(got, "1件") || !strings.Contains(got, "期限 近子") ||
		!strings.Contains(got, soon.AddDate(3, 0, 0).Format(capture.DateLayout)) || strings.Contains(got, "新規 太郎") {
		t.Fatalf("expiring list: %q", got)
	}
}

func TestManagerAnswersRequestsFromTheLeadScreen(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "請求 花子", Email: "seikyu@example.jp"},
		Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}}); err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	selectRow(l, 0)
	p := l.Requests
	if !p.box.Visible() {
		t.Fatal("a manager does not see the request panel")
	}
	id := l.selected.ID

	// A correction the person asked for is logged with the day the request came in.
	test.Type(p.Received, "2026-11-20")
	l.Fix["title"].SetText("部長")
	l.FixReason.SetText("本人から役職の訂正")
	l.FixByRequest.SetChecked(true)
	test.Tap(l.FixSave)
	if lead, _ := s.Lead(ctx(), id); lead.Person.Title != "部長" {
		t.Fatalf("correction: %q (%s)", lead.Person.Title, l.FixError.Text)
	}
	selectRow(l, 0)

	p.Dir = t.TempDir()
	test.Tap(p.Disclose)
	files, _ := filepath.Glob(filepath.Join(p.Dir, "disclosure-*.pdf"))
	if len(files) != 1 {
		t.Fatalf("disclosure files: %v (%s)", files, p.Result.Text)
	}
	// The panel writes it with request.Disclose, boothctl's code: what it says is read back by
	// boothctl's TestDisclosurePDFInWords (pdftotext, not on Windows); here, that it is a PDF
	// of this lead (the request log below).
	if data, err := os.ReadFile(files[0]); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("disclosure file is not a PDF: %v", err)
	}

	p.Channel.SetSelectedIndex(2) // email_marketing
	test.Tap(p.StopUse)
	if lead, _ := s.Lead(ctx(), id); !lead.Permission(capture.ChannelEmailMarketing).Allowed || !strings.Contains(p.Result.Text, "理由") {
		t.Fatalf("stop-use without a reason: %q", p.Result.Text)
	}
	test.Type(p.Reason, "配信停止の依頼")
	test.Tap(p.StopUse)
	if lead, _ := s.Lead(ctx(), id); lead.Permission(capture.ChannelEmailMarketing).Allowed || !lead.Permission(capture.ChannelIndividualContact).Allowed {
		t.Fatalf("stop-use of email: %+v (%s)", lead.Permissions(), p.Result.Text)
	}

	test.Type(p.Reason, "本人の請求")
	test.Tap(p.Erase)
	if p.EraseConfirm == nil {
		t.Fatal("erasure without asking")
	}
	if lead, _ := s.Lead(ctx(), id); lead.Erased != nil {
		t.Fatal("erased before the confirmation")
	}
	p.EraseConfirm.Confirm()
	if lead, _ := s.Lead(ctx(), id); lead.Erased == nil || lead.Person.Email != "" || strings.Contains(shownText(l.detailBox), "seikyu@") {
		t.Fatalf("after confirmed erasure: %+v, detail %q", lead, shownText(l.detailBox))
	}
	recs, _ := s.Requests(ctx())
	var kinds []string
	for _, r := range recs {
		if r.By != "田中" {
			t.Errorf("request %s by %q", r.Kind, r.By)
		}
		kinds = append(kinds, r.Kind)
	}
	if strings.Join(kinds, ",") != "correct,disclose,stop-use,erase" {
		t.Fatalf("request log: %v", kinds)
	}
	if recs[1].Lead != id {
		t.Fatalf("disclosed lead %s, want %s", recs[1].Lead, id)
	}
	if got := recs[0].Received.Format(capture.DateLayout); got != "2026-11-20" || recs[0].Outcome != "corrected title" {
		t.Fatalf("correction request: received %s, outcome %q", got, recs[0].Outcome)
	}
	// The record boothctl request erase keeps for the same request (TestRequests there).
	if er := recs[3]; er.Lead != id || er.Outcome != "erased; suppressed" || er.Reason != "" || er.Done.IsZero() {
		t.Fatalf("erase record %+v", er)
	}

	clerk, _ := capture.NewStaff("鈴木", "567890", false)
	if err := s.SaveStaff(ctx(), clerk); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "別人", Email: "other@example.jp"}}); err != nil {
		t.Fatal(err)
	}
	u.SignOut()
	if err := u.SignIn("鈴木", "567890"); err != nil {
		t.Fatal(err)
	}
	l.Refresh()
	selectRow(l, 0)
	if p.box.Visible() {
		t.Fatal("staff who is not a manager sees the request panel")
	}
}

func TestManagerWritesTheLedger(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "台帳 一郎", Email: "daicho@example.jp"}}); err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	x := u.Export
	x.Refresh()
	x.Dir = t.TempDir()
	test.Tap(x.Ledger)
	files, _ := filepath.Glob(filepath.Join(x.Dir, "ledger-*.xlsx"))
	if len(files) != 1 {
		t.Fatalf("ledger files: %v (%s)", files, x.Result.Text)
	}
	f, err := excelize.OpenFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("個人情報管理台帳")
	if len(rows) != 3 || !strings.HasPrefix(rows[2][0], e.Name) || !strings.Contains(strings.Join(rows[2], "|"), "1名（消去済み 0名）") {
		t.Fatalf("ledger rows: %v", rows)
	}
}
