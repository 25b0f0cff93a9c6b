package ui

import (
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestEventUnderNoticeWithErrorsNeedsOverride: the app holds no lint rule of its own; it
// shows the store's refusal word for word (the one boothctl event add prints), and the
// override field is what lets the event be made.
func TestEventUnderNoticeWithErrorsNeedsOverride(t *testing.T) {
	u, s, _, _ := newTestApp(t)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	bad := storetest.Notice()
	bad.Purposes = []string{"マーケティング活動に用いるため"}
	n, err := s.AddNotice(ctx(), bad, "")
	if err != nil {
		t.Fatal(err)
	}
	ns := u.Notices
	ns.reload()
	i := slices.IndexFunc(ns.notices, func(x capture.Notice) bool { return x.ID == n.ID })
	ns.EventNotice.SetSelectedIndex(i)
	ns.EventName.SetText("冬の展示会")
	ns.EventVenue.SetText("幕張メッセ")
	test.Tap(ns.CreateEvent)

	_, want := s.SaveEvent(ctx(), capture.Event{Name: "冬の展示会", Venue: "幕張メッセ", Date: ns.EventDate.Text, NoticeID: n.ID})
	var ve *capture.ValidationError
	if !errors.As(want, &ve) || ns.EventError.Text != ve.Message("ja") {
		t.Fatalf("app says %q; the store says %v", ns.EventError.Text, want)
	}
	if events, _ := s.Events(ctx()); len(events) != 1 {
		t.Fatalf("%d events after a refusal", len(events))
	}
	ns.EventOverride.SetText("印刷済みのため今回のみ")
	test.Tap(u.Notices.CreateEvent)
	if u.event == nil || u.event.NoticeID != n.ID || u.event.LintOverride != "印刷済みのため今回のみ" {
		t.Fatalf("event not made with the override: %+v", u.event)
	}
}
