package ui

// The app holds no rule of its own: what it shows and records comes from capture and the store.

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestEventUnderNoticeWithErrorsNeedsOverride: the app holds no lint rule of its own; it
// shows the store's refusal in the store's words (those boothctl event add prints, there
// after the field's code, here after its label), and the override field lets the event be made.
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
	ns.EventPick.SetSelectedIndex(len(ns.events)) // a new event
	i := slices.IndexFunc(ns.notices, func(x capture.Notice) bool { return x.ID == n.ID })
	ns.EventNotice.SetSelectedIndex(i)
	ns.EventName.SetText("冬の展示会")
	ns.EventVenue.SetText("幕張メッセ")
	test.Tap(ns.CreateEvent)

	_, want := s.SaveEvent(ctx(), capture.Event{Name: "冬の展示会", Venue: "幕張メッセ", Date: ns.EventDate.Text, NoticeID: n.ID})
	var ve *capture.ValidationError
	// The store's words, under the field's label rather than its code.
	if !errors.As(want, &ve) || ns.EventError.Text != u.message(want) || !strings.Contains(ns.EventError.Text, ve.Fields[0].JA) {
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

// TestHowShownIsTheDomainDefault: the app leaves "how shown" to capture's default, so a
// survey typed in at the booth records the printed sheet and a card with no consent records
// that nothing was shown, as boothctl would.
func TestHowShownIsTheDomainDefault(t *testing.T) {
	u, s, _, e := newTestApp(t)
	cs := u.Capture
	for _, tc := range []struct {
		source capture.Source
		name   string
	}{{capture.SourceSurvey, "山田 太郎"}, {capture.SourceBoothCard, "佐藤 花子"}} {
		cs.Source.SetSelectedIndex(slices.Index(captureSources, tc.source))
		cs.Fields["name"].SetText(tc.name)
		test.Tap(cs.Save)
		test.Tap(cs.Weak.Yes) // a name alone, nobody signed in: weak, and staff say save it
		want, err := capture.NewCapture{EventID: e.ID, Source: tc.source, Person: capture.Person{Name: tc.name}}.Clean(capture.NoticeBody{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		leads, _ := s.Leads(ctx(), store.LeadQuery{Search: tc.name})
		if len(leads) != 1 {
			t.Fatalf("%s: %d leads (form: %q)", tc.source, len(leads), cs.FormError.Text)
		}
		caps, _ := s.CapturesOf(ctx(), leads[0].ID)
		if caps[0].NoticeShown != want.Shown {
			t.Errorf("%s: app recorded %q, the domain's default is %q", tc.source, caps[0].NoticeShown, want.Shown)
		}
	}
}

// TestAppReadsEnrolmentFromStore: a device enrolled earlier (by boothctl sync or another
// run) starts syncing when the app opens, shows its server and insecure flag, never its token.
func TestAppReadsEnrolmentFromStore(t *testing.T) {
	a := test.NewTempApp(t)
	s := storetest.Open(t)
	storetest.Setup(t, s)
	if err := s.Enrol(ctx(), store.Enrolment{Server: "http://127.0.0.1:9", Token: "bl_secret", Insecure: true}); err != nil {
		t.Fatal(err)
	}
	u := New(a, s, "ja")
	defer u.StopSync()
	if u.syncStop == nil {
		t.Fatal("an enrolled device does not sync")
	}
	if u.Settings.Server.Text != "http://127.0.0.1:9" || !u.Settings.Insecure.Checked || u.Settings.Token.Text != "" {
		t.Fatalf("settings show server %q, insecure %v, token %q", u.Settings.Server.Text, u.Settings.Insecure.Checked, u.Settings.Token.Text)
	}
}
