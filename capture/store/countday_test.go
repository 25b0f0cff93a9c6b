package store_test

import (
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestCountOnLeavesOutImports: a list read in on the day is not counted among the day's
// captures at the booth.
func TestCountOnLeavesOutImports(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	day := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	for i, src := range []capture.Source{capture.SourceBoothCard, capture.SourceImport, capture.SourceImport, capture.SourceSurvey} {
		n := capture.NewCapture{EventID: e.ID, Source: src, Person: storetest.Person(i), At: day}
		if src == capture.SourceSurvey {
			n.Consents = []capture.ConsentKind{capture.ConsentPurpose}
		}
		if _, err := s.AddCapture(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.CountOn(ctx, e.ID, "2026-11-25"); err != nil || n != 2 {
		t.Fatalf("CountOn = %d, %v; want 2 (the card and the survey, not the imports)", n, err)
	}
}
