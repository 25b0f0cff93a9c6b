package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

func TestRetentionErasesWhatHasExpired(t *testing.T) {
	s := storetest.Open(t)
	n, three := storetest.Setup(t, s) // the notice says 3 years
	var ve *capture.ValidationError
	if _, err := s.SaveEvent(ctx, capture.Event{Name: "長すぎ展", Date: "2024-06-01", NoticeID: n.ID, Retention: "10年"}); !errors.As(err, &ve) {
		t.Fatalf("an event kept data longer than its notice said: %v", err)
	} else if f, _ := ve.For("retention"); f.Code != "longer_than_notice" {
		t.Fatalf("error: %v", err)
	}
	one, err := s.SaveEvent(ctx, capture.Event{Name: "短期展", Date: "2024-06-01", NoticeID: n.ID, Retention: "1年"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(event string, at string, p capture.Person, lead string) string {
		t.Helper()
		when, _ := time.Parse(time.RFC3339, at)
		r, err := s.AddCapture(ctx, capture.NewCapture{EventID: event, Person: p, At: when, LeadID: lead})
		if err != nil {
			t.Fatal(err)
		}
		return r.Lead.ID
	}
	old := add(three.ID, "2022-01-10T10:00:00+09:00", storetest.Person(1), "")           // ends 2025-01-10
	short := add(one.ID, "2024-06-01T10:00:00+09:00", storetest.Person(2), "")           // ends 2025-06-01
	corrected := add(three.ID, "2022-01-10T10:00:00+09:00", storetest.Person(3), "")     // corrected today
	again := add(three.ID, "2022-01-10T10:00:00+09:00", storetest.Person(4), "")         // seen again in 2024
	add(three.ID, "2024-01-10T10:00:00+09:00", storetest.Person(4), again)               // ends 2027-01-10
	mergedAway := add(one.ID, "2024-06-01T10:00:00+09:00", storetest.Person(5), "")      // ends 2025-06-01,
	if _, err := s.MergeLeads(ctx, old, []string{mergedAway}, nil, "同一人物"); err != nil { // but lives on in old
		t.Fatal(err)
	}
	if _, err := s.Correct(ctx, corrected, map[string]string{"title": "部長"}, "本人から"); err != nil {
		t.Fatal(err)
	}

	march := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	due, err := s.RunRetention(ctx, march, true)
	if err != nil {
		t.Fatal(err)
	}
	if ids := leadIDs(due); !slices.Equal(ids, []string{}) {
		t.Fatalf("due on %s (dry run): %v", march, ids)
	}
	july := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	if due, err = s.RunRetention(ctx, july, true); err != nil {
		t.Fatal(err)
	}
	want := []string{short, old} // both end 2025-06-01: old through the capture merged into it
	slices.Sort(want)
	if ids := leadIDs(due); !slices.Equal(ids, want) {
		t.Fatalf("due on %s: %v, want %v", july, ids, want)
	}
	if l, _ := s.Lead(ctx, short); l.Erased != nil {
		t.Fatal("a dry run erased")
	}
	if due, err = s.RunRetention(ctx, july, false); err != nil || len(due) != 2 {
		t.Fatalf("run: %v %v", due, err)
	}
	for _, id := range want {
		l, err := s.Lead(ctx, id)
		if err != nil || l.Erased == nil || l.Person.Name != "" {
			t.Fatalf("lead %s after the run: %+v %v", id, l, err)
		}
	}
	for _, id := range []string{corrected, again} {
		if l, _ := s.Lead(ctx, id); l.Erased != nil {
			t.Fatalf("lead %s erased before its time", id)
		}
	}
	// Aged out, not objected: the same person is welcome at the next show.
	if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: three.ID, Person: storetest.Person(2)}); err != nil {
		t.Fatalf("recapture after retention: %v", err)
	}
	left, err := s.Expiries(ctx, time.Now().AddDate(10, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if ids := leadIDs(left); len(ids) != 3 || ids[0] != again || !slices.Contains(ids, corrected) {
		t.Fatalf("left to expire: %v", ids)
	}
	if got := left[0].Until.Format(capture.DateLayout); got != "2027-01-10" {
		t.Fatalf("seen again in 2024 ends %s", got)
	}
	for _, e := range left {
		if e.LeadID == corrected && e.Until.Before(time.Now().AddDate(3, 0, -1)) {
			t.Fatalf("the correction did not restart the clock: %s", e.Until)
		}
	}
	assertStateMatchesLog(t, s)
}

func leadIDs(list []capture.Expiry) []string {
	ids := []string{}
	for _, e := range list {
		ids = append(ids, e.LeadID)
	}
	return ids
}

func TestRetentionRunsOnceADay(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(1), At: time.Date(2020, 1, 10, 1, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	morning := time.Now()
	ran, erased, err := s.RunRetentionDaily(ctx, morning)
	if err != nil || !ran || len(erased) != 1 || erased[0].LeadID != r.Lead.ID {
		t.Fatalf("first run: %v %v %v", ran, erased, err)
	}
	// Captured again in 2020 on another device: arrives by sync after today's run.
	late, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(2), At: time.Date(2020, 2, 1, 1, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if ran, _, _ := s.RunRetentionDaily(ctx, morning.Add(23*time.Hour)); ran {
		t.Fatal("ran twice within a day")
	}
	if l, _ := s.Lead(ctx, late.Lead.ID); l.Erased != nil {
		t.Fatal("erased outside a run")
	}
	ran, erased, err = s.RunRetentionDaily(ctx, morning.Add(25*time.Hour))
	if err != nil || !ran || len(erased) != 1 || erased[0].LeadID != late.Lead.ID {
		t.Fatalf("next day: %v %v %v", ran, erased, err)
	}
}

func TestErasureNeedsAReason(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(1)})
	if err != nil {
		t.Fatal(err)
	}
	var ve *capture.ValidationError
	if _, err := s.Erase(ctx, r.Lead.ID, "  "); !errors.As(err, &ve) {
		t.Fatalf("erasure without a reason: %v", err)
	}
	if l, _ := s.Lead(ctx, r.Lead.ID); l.Erased != nil || l.Person.Email == "" {
		t.Fatal("a refused erasure changed the lead")
	}
}
