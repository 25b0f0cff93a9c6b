package store_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestMatcherDecidesAttaching: a capture joins a known lead only on the matcher's "merge";
// what it would only propose, or not pair at all, makes a new lead (with the proposal).
func TestMatcherDecidesAttaching(t *testing.T) {
	cases := []struct {
		name       string
		known, new capture.Person
		attached   bool
		candidate  string // the decision returned about the known lead; "" for none
	}{
		{"same kanji, two readings, one role mailbox",
			capture.Person{Name: "山崎 翔", Kana: "やまざき しょう", Company: "株式会社アルファ", Email: "info@alpha.jp"},
			capture.Person{Name: "山崎 翔", Kana: "やまさき しょう", Company: "株式会社アルファ", Email: "info@alpha.jp"}, false, ""},
		{"same name and mobile at another company",
			capture.Person{Name: "田中 誠", Company: "株式会社アルファ", Mobile: "090-1111-2222"},
			capture.Person{Name: "田中 誠", Company: "ベータ株式会社", Mobile: "09011112222"}, false, match.Propose},
		{"same personal email under another name",
			capture.Person{Name: "森 直樹", Email: "n.mori@gamma.jp"},
			capture.Person{Name: "林 直樹", Email: "n.mori@gamma.jp"}, false, match.Propose},
		{"same name and email",
			capture.Person{Name: "髙橋 健一", Company: "株式会社アルファ", Email: "k.takahashi@alpha.jp"},
			capture.Person{Name: "高橋 健一", Company: "アルファ", Email: "K.Takahashi@alpha.jp"}, true, ""},
		{"same name at the same company, the legal form left out",
			capture.Person{Name: "渡邊 美咲", Kana: "わたなべ みさき", Company: "株式会社サンプル"},
			capture.Person{Name: "渡邊 美咲", Kana: "ワタナベ ミサキ", Company: "サンプル"}, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.Open(t)
			_, e := storetest.Setup(t, s)
			known, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: tc.known})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: tc.new})
			if err != nil {
				t.Fatal(err)
			}
			if r.Attached != tc.attached || (r.Lead.ID == known.Lead.ID) != tc.attached {
				t.Fatalf("attached %v to %s, want %v", r.Attached, r.Lead.ID, tc.attached)
			}
			wantBy := ""
			if tc.attached {
				wantBy = capture.AttachMatcher
			}
			if r.Capture.AttachedBy != wantBy {
				t.Errorf("attached by %q, want %q", r.Capture.AttachedBy, wantBy)
			}
			got := ""
			for _, c := range r.Candidates {
				if c.Lead.ID == known.Lead.ID {
					got = c.Decision
				}
			}
			if got != tc.candidate {
				t.Errorf("candidate %q, want %q (%+v)", got, tc.candidate, r.Candidates)
			}
			leads, _ := s.Leads(ctx, store.LeadQuery{})
			if want := map[bool]int{true: 1, false: 2}[tc.attached]; len(leads) != want {
				t.Errorf("%d leads, want %d", len(leads), want)
			}
		})
	}
}

// TestHintAndDedupAgree: the candidates the capture hint shows for a new card and the pairs
// boothctl dedup and the 名寄せ tab show once it is saved are one decision, with one set of
// reasons.
func TestHintAndDedupAgree(t *testing.T) {
	pairs := []struct {
		name string
		a, b capture.Person
	}{
		{"variant kanji, same phone", capture.Person{Name: "髙橋 健一", Phone: "03-1234-5678"}, capture.Person{Name: "高橋 健一", Phone: "0312345678"}},
		{"variant kanji, same company", capture.Person{Name: "渡邊 美咲", Company: "株式会社サンプル"}, capture.Person{Name: "渡辺 美咲", Company: "株式会社サンプル"}},
		{"legal form left out", capture.Person{Name: "山田 花子", Company: "株式会社サンプル", Mobile: "090-2222-3333"}, capture.Person{Name: "山田 花子", Company: "サンプル", Mobile: "090-2222-3333"}},
		{"前株 and 後株", capture.Person{Name: "佐藤 健", Company: "株式会社アルファ"}, capture.Person{Name: "佐藤 健", Company: "アルファ株式会社"}},
		{"shared mailbox", capture.Person{Name: "佐藤 健", Company: "株式会社アルファ", Email: "info@alpha.jp"}, capture.Person{Name: "鈴木 花子", Company: "株式会社アルファ", Email: "info@alpha.jp"}},
		{"shared mailbox, same name", capture.Person{Name: "佐藤 健", Company: "株式会社アルファ", Email: "info@alpha.jp"}, capture.Person{Name: "佐藤健", Company: "㈱アルファ", Email: "info@alpha.jp"}},
		{"same email, another name", capture.Person{Name: "森 直樹", Email: "n.mori@gamma.jp"}, capture.Person{Name: "林 直樹", Email: "n.mori@gamma.jp"}},
		{"job change", capture.Person{Name: "田中 誠", Company: "株式会社アルファ", Mobile: "090-1111-2222"}, capture.Person{Name: "田中 誠", Company: "ベータ株式会社", Mobile: "090-1111-2222"}},
	}
	decided := 0
	for _, tc := range pairs {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.Open(t)
			_, e := storetest.Setup(t, s)
			a, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: tc.a})
			if err != nil {
				t.Fatal(err)
			}
			hint, err := s.Candidates(ctx, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: tc.b, NewLead: true})
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.Duplicates(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			var fromHint, fromDedup []string
			for _, c := range hint {
				if c.Lead.ID == a.Lead.ID {
					fromHint = append([]string{c.Decision}, c.On...)
				}
			}
			for _, p := range d.Pairs {
				if p.A+p.B == min(a.Lead.ID, b.Lead.ID)+max(a.Lead.ID, b.Lead.ID) {
					fromDedup = append([]string{p.Decision}, p.Reasons...)
				}
			}
			if !slices.Equal(fromHint, fromDedup) {
				t.Fatalf("hint %v, dedup %v", fromHint, fromDedup)
			}
			if len(fromHint) > 0 {
				decided++
			}
			t.Logf("%v", fromHint)
		})
	}
	if decided < 4 {
		t.Errorf("only %d of the pairs got a decision: the table no longer tests agreement", decided)
	}
}

// TestStaffAttachIsTheirs: staff who say "same person" attach whatever the matcher thinks,
// the capture records that it was their decision, and a shorter writing of the company does
// not replace the lead's.
func TestStaffAttachIsTheirs(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	known, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 花子", Company: "株式会社サンプル", Email: "hanako@sample.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: known.Lead.ID,
		Person: capture.Person{Name: "山田 花子", Company: "サンプル", Title: "課長", Phone: "03-1111-2222"}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Attached || r.Lead.ID != known.Lead.ID || r.Capture.AttachedBy != capture.AttachStaff {
		t.Fatalf("staff attach: %+v", r.Capture)
	}
	if r.Lead.Person.Company != "株式会社サンプル" || r.Lead.Person.Title != "課長" || r.Capture.Person.Company != "サンプル" {
		t.Fatalf("lead %+v from capture %+v: the fuller company is kept, the rest updated, the evidence as written", r.Lead.Person, r.Capture.Person)
	}
	// Another company is a change, not a shorter writing.
	r, err = s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: known.Lead.ID, Person: capture.Person{Name: "山田 花子", Company: "ベータ株式会社"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Lead.Person.Company != "ベータ株式会社" {
		t.Fatalf("company %q after a move", r.Lead.Person.Company)
	}
}

// TestOldKeysAreRedone: leads keyed before the keys were the matcher's are keyed again on
// open, so an old database finds the candidates a new one does.
func TestOldKeysAreRedone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.db")
	s := storetest.OpenAt(t, path)
	_, e := storetest.Setup(t, s)
	known, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "渡邊 美咲", Kana: "わたなべ みさき", Company: "株式会社サンプル"}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open(store.DriverName, path)
	if err != nil {
		t.Fatal(err)
	}
	// As the previous version wrote them: the company with its legal form, no reading key.
	if _, err := db.Exec(`UPDATE leads SET name_company_key = '渡邊 美咲' || char(31) || '株式会社サンプル', reading_company_key = '';
		DELETE FROM meta WHERE key = 'lead_keys'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = storetest.OpenAt(t, path)
	cands, err := s.Candidates(ctx, capture.Person{Name: "渡辺 美咲", Company: "サンプル"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].Lead.ID != known.Lead.ID {
		t.Fatalf("candidates after reopening %+v", cands)
	}
}
