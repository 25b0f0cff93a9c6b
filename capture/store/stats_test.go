package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestStatsOnKnownCaptures checks every figure of the dashboard and boothctl stats on
// captures made at known hours, days, staff, sources, ratings and consents, per event and
// per day, with an import told apart by its source and one pair waiting in 名寄せ.
func TestStatsOnKnownCaptures(t *testing.T) {
	s := storetest.Open(t)
	n, e := storetest.Setup(t, s)
	other, err := s.SaveEvent(ctx, capture.Event{Name: "別の展示会", Date: "2026-12-01", NoticeID: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	jst := time.FixedZone("JST", 9*3600)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 15, 0, 0, jst) }
	purpose := []capture.ConsentKind{capture.ConsentPurpose}
	all := []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn, capture.ConsentThirdParty}
	for i, c := range []capture.NewCapture{
		{EventID: e.ID, At: at(25, 9), Staff: "田中", Rating: "A", Consents: all},
		{EventID: e.ID, At: at(25, 9), Staff: "田中", Rating: "B", Consents: purpose},
		{EventID: e.ID, At: at(25, 14), Staff: "佐藤", Rating: "A", Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}},
		{EventID: e.ID, At: at(26, 10), Staff: "佐藤", Source: capture.SourceRepExchange},
		{EventID: e.ID, At: at(26, 10), Source: capture.SourceImport},
		{EventID: other.ID, At: at(25, 9), Staff: "田中", Rating: "C", Consents: all},
	} {
		c.Person = storetest.Person(i)
		c.NewLead = true
		if _, err := s.AddCapture(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// The same person on a second card, kept as a lead of its own: one pair for 名寄せ.
	twin := storetest.Person(0)
	twin.Title = "部長"
	if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, At: at(26, 11), Staff: "田中", Person: twin, NewLead: true}); err != nil {
		t.Fatal(err)
	}

	consent := func(purpose, optIn, third int) map[string]int {
		return map[string]int{"purpose": purpose, "email_optin": optIn, "third_party": third, "joint_use": 0}
	}
	for _, tc := range []struct {
		q    store.StatsQuery
		want store.Stats
	}{
		{store.StatsQuery{EventID: e.ID}, store.Stats{
			Captures: 6,
			ByStaff:  map[string]int{"田中": 3, "佐藤": 2, "": 1},
			ByHour:   map[string]int{"09": 2, "14": 1, "10": 2, "11": 1},
			ByDay:    map[string]int{"2026-11-25": 3, "2026-11-26": 3},
			BySource: map[string]int{"booth_card": 4, "rep_exchange": 1, "import": 1},
			ByRating: map[string]int{"A": 2, "B": 1, "": 3},
			Consent:  consent(3, 2, 1), PendingDuplicates: 1,
		}},
		{store.StatsQuery{EventID: e.ID, Day: "2026-11-25"}, store.Stats{
			Captures: 3,
			ByStaff:  map[string]int{"田中": 2, "佐藤": 1},
			ByHour:   map[string]int{"09": 2, "14": 1},
			ByDay:    map[string]int{"2026-11-25": 3},
			BySource: map[string]int{"booth_card": 3},
			ByRating: map[string]int{"A": 2, "B": 1},
			Consent:  consent(3, 2, 1), PendingDuplicates: 1,
		}},
		{store.StatsQuery{EventID: other.ID}, store.Stats{
			Captures: 1, ByStaff: map[string]int{"田中": 1}, ByHour: map[string]int{"09": 1}, ByDay: map[string]int{"2026-11-25": 1},
			BySource: map[string]int{"booth_card": 1}, ByRating: map[string]int{"C": 1}, Consent: consent(1, 1, 1),
		}},
		{store.StatsQuery{Day: "2026-11-25"}, store.Stats{
			Captures: 4, ByStaff: map[string]int{"田中": 3, "佐藤": 1}, ByHour: map[string]int{"09": 3, "14": 1},
			ByDay: map[string]int{"2026-11-25": 4}, BySource: map[string]int{"booth_card": 4},
			ByRating: map[string]int{"A": 2, "B": 1, "C": 1}, Consent: consent(4, 3, 2), PendingDuplicates: 1,
		}},
		{store.StatsQuery{EventID: e.ID, Day: "2026-11-27"}, store.Stats{
			ByStaff: map[string]int{}, ByHour: map[string]int{}, ByDay: map[string]int{}, BySource: map[string]int{},
			ByRating: map[string]int{}, Consent: consent(0, 0, 0), PendingDuplicates: 1,
		}},
	} {
		got, err := s.Stats(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("stats %+v:\n got %+v\nwant %+v", tc.q, got, tc.want)
		}
	}
	if got, err := s.Stats(ctx, store.StatsQuery{EventID: e.ID, Day: "2026/11/25"}); err != nil || got.Captures != 3 {
		t.Errorf("a day typed with slashes: %d captures (%v)", got.Captures, err)
	}
	for field, q := range map[string]store.StatsQuery{"event": {EventID: "nope"}, "day": {Day: "11/25"}} {
		var ve *capture.ValidationError
		if _, err := s.Stats(ctx, q); !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != field {
			t.Errorf("stats %+v: %v, want a message about %s", q, err, field)
		}
	}
	st, _ := s.Stats(ctx, store.StatsQuery{EventID: e.ID})
	if st.Share(capture.ConsentEmailOptIn) != 2.0/6 || (store.Stats{}).Share(capture.ConsentPurpose) != 0 {
		t.Errorf("email opt-in share %v", st.Share(capture.ConsentEmailOptIn))
	}

	// Every change is an op: the figures counted at one LastSeq hold until it moves.
	seq, err := s.LastSeq(ctx)
	if err != nil || seq == 0 {
		t.Fatalf("last seq %d (%v)", seq, err)
	}
	if again, _ := s.LastSeq(ctx); again != seq {
		t.Fatalf("last seq moved from %d to %d with no change", seq, again)
	}

	// A pair staff decided about is no longer waiting.
	d, err := s.Duplicates(ctx, e.ID)
	if err != nil || len(d.Pairs) != 1 {
		t.Fatalf("duplicates %+v %v", d.Pairs, err)
	}
	if err := s.LinkLeads(ctx, d.Pairs[0].A, d.Pairs[0].B, capture.RelationDistinct); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx, store.StatsQuery{EventID: e.ID}); st.PendingDuplicates != 0 {
		t.Errorf("pending duplicates after keeping the pair apart: %d", st.PendingDuplicates)
	}
	if after, _ := s.LastSeq(ctx); after <= seq {
		t.Errorf("last seq %d after keeping a pair apart, was %d", after, seq)
	}
}
