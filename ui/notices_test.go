package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

func managerApp(t *testing.T) (*App, *NoticesScreen) {
	t.Helper()
	u, _, _, _ := newTestApp(t)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	return u, u.Notices
}

// TestEventEditMakesANewVersion: the events tab opens on the event being captured; an edit
// is saved as its next version under the same id, and the capture screen shows it.
func TestEventEditMakesANewVersion(t *testing.T) {
	u, ns := managerApp(t)
	id := u.event.ID
	if ns.editing == nil || ns.editing.ID != id || ns.EventName.Text != "産業センサー展2026" {
		t.Fatal("the form does not open on the event being captured")
	}
	ns.EventVenue.SetText("幕張メッセ")
	ns.EventDate.SetText("2026/11/24")
	ns.EventEnd.SetText("2026/11/27")
	ns.EventRetention.SetText("1年")
	test.Tap(ns.CreateEvent)
	e, _ := u.store.Event(u.ctx(), id)
	if e.Version != 2 || e.Venue != "幕張メッセ" || e.Date != "2026-11-24" || e.Retention != "1年" || len(e.Survey.Questions) != 2 {
		t.Fatalf("stored after the edit: %+v (%s)", e, ns.EventError.Text)
	}
	if events, _ := u.store.Events(u.ctx()); len(events) != 1 {
		t.Fatalf("an edit made %d events", len(events))
	}
	if u.event.Version != 2 || !strings.Contains(u.Capture.EventLine.Text, "幕張メッセ") {
		t.Fatalf("the capture screen shows %q", u.Capture.EventLine.Text)
	}
	if !strings.Contains(u.Notices.EventVersion.Text, "第2版") || !u.Notices.EventStatus.Visible() {
		t.Fatalf("after saving: %q / %q", u.Notices.EventVersion.Text, u.Notices.EventStatus.Text)
	}
	// A bad date is refused with its field's message and changes nothing.
	u.Notices.EventDate.SetText("2026/11/31")
	test.Tap(u.Notices.CreateEvent)
	if again, _ := u.store.Event(u.ctx(), id); again.Version != 2 || !strings.Contains(u.Notices.EventError.Text, "2026/11/25") {
		t.Fatalf("bad date: version %d, %q", again.Version, u.Notices.EventError.Text)
	}
}

// TestSurveyChangeMidEventAsksFirst: once the event holds captures, a survey change is
// saved only after the manager confirms it.
func TestSurveyChangeMidEventAsksFirst(t *testing.T) {
	u, ns := managerApp(t)
	if _, err := u.store.AddCapture(u.ctx(), capture.NewCapture{EventID: u.event.ID, Source: capture.SourceBoothCard, Staff: "田中", Person: storetest.Person(1)}); err != nil {
		t.Fatal(err)
	}
	test.Tap(ns.Builder.Rows[1].Remove)
	test.Tap(ns.SaveSurvey)
	if ns.ConfirmSurvey == nil {
		t.Fatal("no confirmation asked")
	}
	if e, _ := u.store.Event(u.ctx(), u.event.ID); len(e.Survey.Questions) != 2 || e.Version != 1 {
		t.Fatalf("changed before confirming: %+v", e)
	}
	ns.ConfirmSurvey.Confirm()
	if e, _ := u.store.Event(u.ctx(), u.event.ID); len(e.Survey.Questions) != 1 || e.Version != 2 {
		t.Fatalf("not changed after confirming: %+v", e)
	}
	if u.Capture.Questions.Inputs["timing"] != nil {
		t.Fatal("the capture screen still asks the removed question")
	}
}

// TestEventStartingTomorrowSaysSo: a new event that starts tomorrow is made, but the booth
// keeps capturing where it was and the form says when it starts; at that event the capture
// header says so and the store refuses a card.
func TestEventStartingTomorrowSaysSo(t *testing.T) {
	u, ns := managerApp(t)
	was := u.event.ID
	ns.EventPick.SetSelectedIndex(len(ns.events))
	ns.EventName.SetText("冬の展示会")
	ns.EventDate.SetText(u.now().AddDate(0, 0, 1).Format("2006/01/02"))
	test.Tap(ns.CreateEvent)
	if u.event.ID != was {
		t.Fatal("capturing moved to an event that has not started")
	}
	if !strings.Contains(u.Notices.EventStatus.Text, "明日") {
		t.Fatalf("the form says %q", u.Notices.EventStatus.Text)
	}
	test.Tap(u.Notices.UseEvent)
	if u.event.Name != "冬の展示会" || !strings.Contains(u.Capture.EventLine.Text, "明日") {
		t.Fatalf("capture header %q", u.Capture.EventLine.Text)
	}
	if _, err := u.store.AddCapture(u.ctx(), capture.NewCapture{EventID: u.event.ID, Source: capture.SourceBoothCard, Staff: "田中", Person: storetest.Person(2)}); err == nil {
		t.Fatal("the store took a card the day before")
	}
}

// TestNoticeVersionWithErrorsAsksAndIsMarked: such a version is saved only when confirmed,
// is marked in every drop-down, is never a new event's default, and the event being
// captured moves to a version only through the store's lint gate; the capture screen names
// the version it shows.
func TestNoticeVersionWithErrorsAsksAndIsMarked(t *testing.T) {
	u, ns := managerApp(t)
	ns.Editor.Purposes.SetText("マーケティング活動に用いるため")
	test.Tap(ns.SaveNew)
	if ns.ConfirmSave == nil {
		t.Fatal("saved a version with errors without asking")
	}
	if all, _ := u.store.Notices(u.ctx()); len(all) != 1 {
		t.Fatal("saved before the manager confirmed")
	}
	ns.ConfirmSave.Confirm()
	all, _ := u.store.Notices(u.ctx())
	if len(all) != 2 {
		t.Fatalf("%d versions after confirming", len(all))
	}
	bad := all[0]
	for _, sel := range [][]string{ns.Versions.Options, ns.EventNotice.Options} {
		if !strings.Contains(sel[0], "v2") || !strings.Contains(sel[0], "⚠ エラー") || strings.Contains(sel[1], "⚠") {
			t.Fatalf("drop-down %q", sel)
		}
	}
	ns.EventPick.SetSelectedIndex(len(ns.events))
	if ns.EventNotice.SelectedIndex() != 1 {
		t.Fatalf("a new event defaults to %q", ns.EventNotice.Selected)
	}

	// Moving the running event to v2 meets the lint gate; a fixed v3 moves it.
	ns.Versions.SetSelectedIndex(0)
	if !ns.MoveEvent.Visible() {
		t.Fatal("no way to move the running event to the version shown")
	}
	test.Tap(ns.MoveEvent)
	if u.event.NoticeID == bad.ID || !strings.Contains(ns.Message.Text, "例外の理由") {
		t.Fatalf("moved to a version with errors: %q", ns.Message.Text)
	}
	ns.Editor.Purposes.SetText("産業用センサー事業の新製品のご案内を電子メールでお送りするため")
	test.Tap(ns.SaveNew)
	if !strings.Contains(ns.Message.Text, "第3版") {
		t.Fatalf("v3 not saved: %q", ns.Message.Text)
	}
	test.Tap(ns.MoveEvent)
	v3, _ := u.store.Notices(u.ctx())
	if u.event.NoticeID != v3[0].ID || u.Capture.notice.Version != 3 || !strings.Contains(u.Capture.EventLine.Text, "通知 v3") {
		t.Fatalf("capture screen after the move: %q", u.Capture.EventLine.Text)
	}
	if !strings.Contains(u.Notices.Message.Text, "v3") || u.tabs.Selected().Content != u.Notices.content {
		t.Fatalf("after the move the manager sees %q", u.Notices.Message.Text)
	}
}

// TestPrintsGoToDocuments: a print is saved in Documents/BoothLedger/prints, never a cache
// directory, the message says where, and the print, then its folder, are opened with the
// system's program for them; when that fails the message says so and the print stays.
func TestPrintsGoToDocuments(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	u, ns := managerApp(t)
	var opened []string
	u.Open = func(path string) error { opened = append(opened, path); return nil }
	dir := filepath.Join(documentsDir(home), "BoothLedger", "prints")
	for _, l := range notice.Layouts {
		test.Tap(ns.Prints[l])
		files, _ := filepath.Glob(filepath.Join(dir, "*-"+string(l)+".pdf"))
		if len(files) != 1 || !strings.Contains(ns.Message.Text, files[0]) {
			t.Fatalf("%s: files %v, message %q", l, files, ns.Message.Text)
		}
		t.Cleanup(func() { os.Remove(files[0]) }) // on Windows the folder is the real Documents
		if data, _ := os.ReadFile(files[0]); !strings.HasPrefix(string(data), "%PDF") {
			t.Fatalf("%s is not a PDF", files[0])
		}
		if len(opened) == 0 || opened[len(opened)-1] != files[0] {
			t.Fatalf("%s: opened %v", l, opened)
		}
	}
	if !ns.OpenFolder.Visible() {
		t.Fatal("no way to open the prints folder")
	}
	test.Tap(ns.OpenFolder)
	if opened[len(opened)-1] != dir {
		t.Fatalf("the folder button opened %v", opened)
	}
	u.Open = func(string) error { return errors.New("no viewer") }
	test.Tap(ns.Prints[notice.Poster])
	if !strings.Contains(ns.Message.Text, "開けませんでした") || !strings.Contains(ns.Message.Text, dir) {
		t.Fatalf("a failed open says %q", ns.Message.Text)
	}
}
