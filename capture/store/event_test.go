package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestEventEditIsANewVersion: an edit keeps the event's id (its captures stay its own),
// counts up its version, and leaves the earlier definition in the op log.
func TestEventEditIsANewVersion(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	if e.Version != 1 {
		t.Fatalf("a new event is version %d", e.Version)
	}
	e.Name, e.Venue, e.Date, e.End, e.Retention = "産業センサー展2026 秋", "幕張メッセ", "2026/11/24", "2026/11/27", "1年"
	edited, err := s.SaveEvent(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Event(ctx, e.ID)
	if got.Version != 2 || got.Venue != "幕張メッセ" || got.Date != "2026-11-24" || got.Retention != "1年" || edited.Version != 2 {
		t.Fatalf("after the edit: %+v", got)
	}
	ops, _ := s.Ops(ctx, 0, 0)
	var versions []capture.Event
	for _, op := range ops {
		if op.Kind == capture.OpEventSet && op.Entity == e.ID {
			v, err := capture.DecodePayload(op.Op)
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, *v.(*capture.Event))
		}
	}
	if len(versions) != 2 || versions[0].Version != 1 || versions[0].Venue != "東京ビッグサイト" || versions[1].Version != 2 {
		t.Fatalf("op log versions %+v", versions)
	}
	// A bad edit changes nothing.
	got.Date = "2026/13/01"
	if _, err := s.SaveEvent(ctx, got); !errors.Is(err, capture.ErrInvalid) {
		t.Fatalf("bad date: %v", err)
	}
	if again, _ := s.Event(ctx, e.ID); again.Version != 2 || again.Date != "2026-11-24" {
		t.Fatalf("a refused edit changed the event: %+v", again)
	}
}

// TestSurveyChangeMidEventNeedsConfirming: once an event holds captures (or is on), its
// survey changes only when the manager confirms; other edits need no confirmation.
func TestSurveyChangeMidEventNeedsConfirming(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s) // 2026-11-25..27, no captures yet
	more := *e.Survey
	more.Questions = append(more.Questions, capture.Question{ID: "budget", Text: "ご予算", Kind: capture.QuestionText})
	e.Survey = &more
	e, err := s.SaveEvent(ctx, e)
	if err != nil {
		t.Fatalf("survey of an event with no captures and past its days: %v", err)
	}
	if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Source: capture.SourceBoothCard, Staff: "田中", Person: storetest.Person(1)}); err != nil {
		t.Fatal(err)
	}
	fewer := more
	fewer.Questions = more.Questions[:1]
	e.Survey = &fewer
	_, err = s.SaveEvent(ctx, e)
	var ve *capture.ValidationError
	if !errors.Is(err, store.ErrSurveyRunning) || !errors.As(err, &ve) || ve.Fields[0].Field != "survey" {
		t.Fatalf("unconfirmed survey change: %v", err)
	}
	if got, _ := s.Event(ctx, e.ID); len(got.Survey.Questions) != 3 {
		t.Fatal("a refused survey change was saved")
	}
	e.Survey = &more
	e.Venue = "東京ビッグサイト 東4ホール"
	if _, err := s.SaveEvent(ctx, e); err != nil {
		t.Fatalf("an edit that keeps the survey: %v", err)
	}
	e.Survey = &fewer
	if got, err := s.SaveEvent(ctx, e, store.ConfirmSurveyChange); err != nil || len(got.Survey.Questions) != 1 || got.Version != 4 {
		t.Fatalf("confirmed survey change: %+v %v", got, err)
	}

	// An event on today holds no captures yet and still asks.
	today := time.Now().Format(capture.DateLayout)
	on, err := s.SaveEvent(ctx, capture.Event{Name: "本日の展示会", Date: today, NoticeID: e.NoticeID, Survey: &more})
	if err != nil {
		t.Fatal(err)
	}
	on.Survey = nil
	if _, err := s.SaveEvent(ctx, on); !errors.Is(err, store.ErrSurveyRunning) {
		t.Fatalf("survey dropped on the day: %v", err)
	}
}

// TestNoCaptureBeforeTheEventStarts: the day before the show a card is refused with the
// day it starts; an imported list is not a booth capture and may come earlier.
func TestNoCaptureBeforeTheEventStarts(t *testing.T) {
	s := storetest.Open(t)
	n, _ := storetest.Setup(t, s)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(capture.DateLayout)
	e, err := s.SaveEvent(ctx, capture.Event{Name: "明日の展示会", Date: tomorrow, NoticeID: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Source: capture.SourceBoothCard, Staff: "田中", Person: storetest.Person(1)})
	var ve *capture.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Code != "event_starts_tomorrow" || ve.Fields[0].Field != "event" {
		t.Fatalf("capture the day before: %v", err)
	}
	if leads, _ := s.Leads(ctx, store.LeadQuery{}); len(leads) != 0 {
		t.Fatalf("%d leads after a refusal", len(leads))
	}
	if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Source: capture.SourceImport, Staff: "田中", Person: storetest.Person(2)}); err != nil {
		t.Fatalf("import before the show: %v", err)
	}
}
