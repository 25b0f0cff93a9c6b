package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// seedTable captures n people over two events, two staff members, two sources, three days,
// every rating and two kinds of consent, and returns the store with the second event.
func seedTable(t *testing.T, n int) (*store.Store, capture.Event, capture.Event) {
	t.Helper()
	s := storetest.Open(t)
	notice, e1 := storetest.Setup(t, s)
	e2, err := s.SaveEvent(ctx, capture.Event{Name: "第二展示会", Venue: "幕張メッセ", Date: "2026-11-28", NoticeID: notice.ID})
	if err != nil {
		t.Fatal(err)
	}
	var batch []capture.NewCapture
	for i := 0; i < n; i++ {
		batch = append(batch, tableCapture(i, e1, e2))
	}
	if _, err := s.AddCaptures(ctx, batch); err != nil {
		t.Fatal(err)
	}
	return s, e1, e2
}

// tableCapture is the i-th card of seedTable: what each filter below expects of lead i.
func tableCapture(i int, e1, e2 capture.Event) capture.NewCapture {
	n := capture.NewCapture{EventID: e1.ID, Staff: "田中", Source: capture.SourceBoothCard,
		Rating: []capture.Rating{"A", "B", "C", ""}[i%4], Person: storetest.Person(i),
		At: time.Date(2026, 11, 25+i%3, 10, 0, i%60, 0, time.Local)}
	n.Person.Kana = fmt.Sprintf("ライジョウシャ%03d", (i*7)%1000)
	if i%2 == 1 {
		n.Staff = "佐藤"
	}
	if i%5 == 0 {
		n.EventID, n.Source, n.At = e2.ID, capture.SourceSurvey, time.Date(2026, 11, 28, 9, 0, i%60, 0, time.Local)
		n.Consents = []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentThirdParty}
	}
	if i%3 == 0 {
		n.Person.Title = ""
	}
	return n
}

// TestLeadPagesCoverEveryLead: pages of 50 in every order give every lead exactly once, in
// the order the whole list has, with the true total; each order sorts what it names, and
// its reverse is the same list backwards.
func TestLeadPagesCoverEveryLead(t *testing.T) {
	const n = 230
	s, e1, e2 := seedTable(t, n)
	eventName := map[string]string{e1.ID: e1.Name, e2.ID: e2.Name}
	for _, sort := range store.LeadSorts {
		for _, reverse := range []bool{false, true} {
			q := store.LeadQuery{Sort: sort, Reverse: reverse, Listing: true}
			whole, err := s.LeadPage(ctx, q)
			if err != nil || whole.Total != n || len(whole.Rows) != n {
				t.Fatalf("%s: %d rows of %d, %v", sort, len(whole.Rows), whole.Total, err)
			}
			var paged []string
			for off := 0; off < n+50; off += 50 {
				q.Offset, q.Limit = off, 50
				p, err := s.LeadPage(ctx, q)
				if err != nil || p.Total != n {
					t.Fatalf("%s page at %d: total %d, %v", sort, off, p.Total, err)
				}
				for _, r := range p.Rows {
					paged = append(paged, r.ID)
				}
			}
			var ids []string
			for _, r := range whole.Rows {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(paged, ids) {
				t.Fatalf("%s reverse=%v: pages differ from the whole list", sort, reverse)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != n {
				t.Fatalf("%s: a lead twice", sort)
			}
			// The column sorted by is in order (blanks last in the natural direction).
			key := func(r store.LeadRow) string {
				switch sort {
				case store.SortName:
					return r.Person.Kana
				case store.SortTitle:
					return blankLast(r.Person.Title)
				case store.SortEmail:
					return r.Person.Email
				case store.SortEvent:
					return r.EventID
				case store.SortStaff:
					return r.Staff
				case store.SortRating:
					return blankLast(string(r.Rating))
				case store.SortLastSeen:
					return r.LastSeen.Format(time.RFC3339Nano)
				}
				return ""
			}
			desc := (sort == store.SortLastSeen || sort == store.SortEvent) != reverse // newest first, or reversed
			want := slices.Clone(whole.Rows)
			slices.SortStableFunc(want, func(a, b store.LeadRow) int {
				if desc {
					return strings.Compare(key(b), key(a))
				}
				return strings.Compare(key(a), key(b))
			})
			for i := range want {
				if key(want[i]) != key(whole.Rows[i]) {
					t.Fatalf("%s reverse=%v: row %d is %q (%s), want %q", sort, reverse, i, key(whole.Rows[i]), eventName[whole.Rows[i].EventID], key(want[i]))
				}
			}
		}
	}
	// Filtered by captures, the pages past the middle are read from the other end: the
	// pages still give the filtered list in its order.
	for _, sort := range []store.LeadSort{store.SortLastSeen, store.SortName} {
		for _, reverse := range []bool{false, true} {
			q := store.LeadQuery{Staff: "田中", Sort: sort, Reverse: reverse, Listing: true}
			whole, _ := s.Leads(ctx, q)
			var paged []string
			for off := 0; off < len(whole); off += 30 {
				q.Offset, q.Limit = off, 30
				p, err := s.LeadPage(ctx, q)
				if err != nil || p.Total != len(whole) {
					t.Fatalf("田中's page at %d: %d of %d, %v", off, p.Total, len(whole), err)
				}
				for _, r := range p.Rows {
					paged = append(paged, r.ID)
				}
			}
			if len(paged) != len(whole) || len(whole) != n/2 {
				t.Fatalf("田中's pages hold %d of %d", len(paged), len(whole))
			}
			for i := range whole {
				if whole[i].ID != paged[i] {
					t.Fatalf("%s reverse=%v: 田中's row %d differs", sort, reverse, i)
				}
			}
		}
	}
	// Permissions: channel by channel in the table's order, allowed first: the leads one
	// may contact come before those one may only email, and so on.
	p, _ := s.LeadPage(ctx, store.LeadQuery{Sort: store.SortPermissions, Listing: true})
	weight := func(l capture.Lead) (w int) {
		for _, perm := range l.Permissions() {
			w *= 2
			if perm.Allowed {
				w++
			}
		}
		return w
	}
	for i := 1; i < n; i++ {
		if weight(p.Rows[i-1].Lead) < weight(p.Rows[i].Lead) {
			t.Fatalf("permission order at %d: %v before %v", i, p.Rows[i-1].Permissions(), p.Rows[i].Permissions())
		}
	}
	if weight(p.Rows[0].Lead) == weight(p.Rows[n-1].Lead) {
		t.Fatal("the fixture has one permission set only")
	}
}

func blankLast(s string) string {
	if s == "" {
		return "\uffff"
	}
	return s
}

// TestLeadSortByReading: names sort by their reading, not by the code points of the kanji
// (阿部 あべ before 渡辺 わたなべ, though 渡 comes before 阿 in Unicode); companies without
// their legal form (株式会社ベータ under ベ, after アルファ株式会社).
func TestLeadSortByReading(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	for _, p := range []capture.Person{
		{Name: "渡辺 健", Kana: "わたなべ けん", Company: "株式会社ベータ", Email: "ken@beta.jp"},
		{Name: "阿部 誠", Kana: "あべ まこと", Company: "アルファ株式会社", Email: "makoto@alpha.jp"},
	} {
		if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: p}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(sort store.LeadSort) string {
		leads, err := s.Leads(ctx, store.LeadQuery{Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range leads {
			out = append(out, l.Person.Name)
		}
		return strings.Join(out, ",")
	}
	if got := names(store.SortName); got != "阿部 誠,渡辺 健" {
		t.Fatalf("by name: %s", got)
	}
	if got := names(store.SortCompany); got != "阿部 誠,渡辺 健" {
		t.Fatalf("by company: %s", got)
	}
}

// TestLeadFilters: each filter keeps exactly the leads it names, and the total says how many.
func TestLeadFilters(t *testing.T) {
	const n = 120
	s, e1, e2 := seedTable(t, n)
	count := func(keep func(i int, c capture.NewCapture) bool) int {
		k := 0
		for i := 0; i < n; i++ {
			if keep(i, tableCapture(i, e1, e2)) {
				k++
			}
		}
		return k
	}
	for name, tc := range map[string]struct {
		q    store.LeadQuery
		keep func(i int, c capture.NewCapture) bool
	}{
		"event":      {store.LeadQuery{EventID: e2.ID}, func(i int, c capture.NewCapture) bool { return c.EventID == e2.ID }},
		"staff":      {store.LeadQuery{Staff: "佐藤"}, func(i int, c capture.NewCapture) bool { return c.Staff == "佐藤" }},
		"source":     {store.LeadQuery{Source: capture.SourceSurvey}, func(i int, c capture.NewCapture) bool { return c.Source == capture.SourceSurvey }},
		"from":       {store.LeadQuery{From: "2026-11-26"}, func(i int, c capture.NewCapture) bool { return c.At.Day() >= 26 }},
		"range":      {store.LeadQuery{From: "2026-11-26", To: "2026-11-26"}, func(i int, c capture.NewCapture) bool { return c.At.Day() == 26 }},
		"rating":     {store.LeadQuery{Ratings: []capture.Rating{"A", "C"}}, func(i int, c capture.NewCapture) bool { return c.Rating == "A" || c.Rating == "C" }},
		"unrated":    {store.LeadQuery{Ratings: []capture.Rating{""}}, func(i int, c capture.NewCapture) bool { return c.Rating == "" }},
		"permission": {store.LeadQuery{Allowed: capture.ChannelThirdParty}, func(i int, c capture.NewCapture) bool { return len(c.Consents) > 0 }},
		"together": {store.LeadQuery{EventID: e1.ID, Staff: "田中", Ratings: []capture.Rating{"C"}, To: "2026-11-26"},
			func(i int, c capture.NewCapture) bool {
				return c.EventID == e1.ID && c.Staff == "田中" && c.Rating == "C" && c.At.Day() <= 26
			}},
	} {
		want := count(tc.keep)
		if want == 0 || want == n {
			t.Fatalf("%s: the fixture does not test the filter (%d)", name, want)
		}
		tc.q.Listing, tc.q.Limit = true, 10
		p, err := s.LeadPage(ctx, tc.q)
		if err != nil || p.Total != want || len(p.Rows) != min(10, want) {
			t.Fatalf("%s: %d rows of %d, want %d (%v)", name, len(p.Rows), p.Total, want, err)
		}
		// A page probed lead by lead (most leads pass here) is the page read from the
		// list of leads the captures name (Leads always reads so).
		listed, _ := s.Leads(ctx, tc.q)
		for i := range listed {
			if listed[i].ID != p.Rows[i].ID {
				t.Fatalf("%s: row %d differs between probing and listing", name, i)
			}
		}
	}
	for _, bad := range []struct {
		q     store.LeadQuery
		field string
	}{
		{store.LeadQuery{From: "25/11/2026"}, "from"},
		{store.LeadQuery{From: "2026-11-27", To: "2026-11-25"}, "to"},
		{store.LeadQuery{Ratings: []capture.Rating{"D"}}, "rating"},
		{store.LeadQuery{Allowed: "fax"}, "channel"},
		{store.LeadQuery{Sort: "age"}, "sort"},
	} {
		_, err := s.LeadPage(ctx, bad.q)
		var ve *capture.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != bad.field {
			t.Fatalf("%+v: %v, want a message for %s", bad.q, err, bad.field)
		}
	}
}

// TestLeadColumnsFollowMergesAndDetaches: a lead merged into another brings its captures
// to the kept lead's filters; a detach moves the latest capture's event and staff.
func TestLeadColumnsFollowMergesAndDetaches(t *testing.T) {
	s, e1, e2 := seedTable(t, 10)
	only2, _ := s.Leads(ctx, store.LeadQuery{EventID: e2.ID})
	only1, _ := s.Leads(ctx, store.LeadQuery{EventID: e1.ID, Staff: "田中"})
	if len(only2) != 2 || len(only1) == 0 {
		t.Fatalf("fixture: %d, %d", len(only2), len(only1))
	}
	keep := only1[0].ID
	if _, err := s.MergeLeads(ctx, keep, []string{only2[0].ID}, nil, "同一人物"); err != nil {
		t.Fatal(err)
	}
	at2, _ := s.Leads(ctx, store.LeadQuery{EventID: e2.ID})
	if len(at2) != 2 || !slices.ContainsFunc(at2, func(l capture.Lead) bool { return l.ID == keep }) {
		t.Fatalf("after the merge, at the second event: %v", at2)
	}
	if p, _ := s.LeadPage(ctx, store.LeadQuery{EventID: e2.ID, Limit: 5}); p.Total != 2 ||
		!slices.ContainsFunc(p.Rows, func(r store.LeadRow) bool { return r.ID == keep }) {
		t.Fatalf("after the merge, a page at the second event: %+v", p)
	}
	// A card taken by 佐藤 at the second event, attached by staff, then detached.
	res, err := s.AddCapture(ctx, capture.NewCapture{EventID: e2.ID, LeadID: keep, Staff: "佐藤", Person: capture.Person{Name: "別人 太郎"},
		At: time.Date(2026, 11, 28, 15, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	row := func(id string) store.LeadRow {
		p, err := s.LeadPage(ctx, store.LeadQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("lead %s not listed", id)
		return store.LeadRow{}
	}
	if r := row(keep); r.EventID != e2.ID || r.Staff != "佐藤" {
		t.Fatalf("latest capture: %s by %s", r.EventID, r.Staff)
	}
	if _, err := s.Detach(ctx, res.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	if r := row(keep); r.EventID != e1.ID || r.Staff != "田中" {
		t.Fatalf("after the detach: %s by %s", r.EventID, r.Staff)
	}
	if r := row(res.Capture.ID); r.EventID != e2.ID || r.Staff != "佐藤" {
		t.Fatalf("the detached lead: %s by %s", r.EventID, r.Staff)
	}
}

// TestRateLeads: a selection rated at once is rated, in the list's rating filter too, and
// syncs as corrections; a rating that is not A, B or C changes none of them.
func TestRateLeads(t *testing.T) {
	s, _, _ := seedTable(t, 8)
	unrated, _ := s.Leads(ctx, store.LeadQuery{Ratings: []capture.Rating{""}})
	ids := []string{unrated[0].ID, unrated[1].ID}
	err := s.Rate(ctx, ids, "D", "")
	var ve *capture.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "rating" {
		t.Fatalf("rating D: %v", err)
	}
	if n, _ := s.CountLeads(ctx, store.LeadQuery{Ratings: []capture.Rating{""}}); n != len(unrated) {
		t.Fatalf("a refused rating changed %d leads", len(unrated)-n)
	}
	if err := s.Rate(ctx, ids, "A", "商談化"); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if l, _ := s.Lead(ctx, id); l.Rating != "A" {
			t.Fatalf("lead %s rated %q", id, l.Rating)
		}
	}
	if n, _ := s.CountLeads(ctx, store.LeadQuery{Ratings: []capture.Rating{""}}); n != len(unrated)-2 {
		t.Fatalf("%d unrated after rating 2 of %d", n, len(unrated))
	}
	ops, _ := s.Ops(ctx, 0, 0)
	corrections := 0
	for _, op := range ops {
		if op.Kind == capture.OpLeadCorrect {
			corrections++
		}
	}
	if corrections != 2 {
		t.Fatalf("%d correction ops", corrections)
	}
}
