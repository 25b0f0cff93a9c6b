package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestOpensOnTheEventRunningToday: with no event chosen on this laptop yet (boothctl set
// them up), the capture screen opens on the event running today, not on the one added last
// for next month.
func TestOpensOnTheEventRunningToday(t *testing.T) {
	s := storetest.Open(t)
	n, _ := storetest.Setup(t, s)
	today := time.Now().Format(capture.DateLayout)
	running, err := s.SaveEvent(ctx(), capture.Event{Name: "春の展示会", Venue: "幕張メッセ", Date: today, NoticeID: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().AddDate(0, 1, 0).Format(capture.DateLayout)
	if _, err := s.SaveEvent(ctx(), capture.Event{Name: "来月の展示会", Venue: "東京ビッグサイト", Date: later, NoticeID: n.ID}); err != nil {
		t.Fatal(err)
	}
	u := New(test.NewTempApp(t), s, "ja")
	if u.event == nil || u.event.ID != running.ID {
		t.Fatalf("opened on %+v, want %s", u.event, running.Name)
	}
}
