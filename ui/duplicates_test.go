package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// TestDuplicatesAtListScale: no pairs says so; reasons are words; the kept value is chosen
// per field; a bulk merge of every cluster above the score has one undo; the history undoes
// any merge.
func TestDuplicatesAtListScale(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	d := u.Dups
	d.Refresh()
	if d.Why.Text != "確認する組はありません" {
		t.Fatalf("empty: %q", d.Why.Text)
	}
	add := func(p capture.Person) string {
		r, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: p, NewLead: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.Lead.ID
	}
	older := add(capture.Person{Name: "山田 太郎", Email: "taro@alpha.jp", Title: "課長"})
	add(capture.Person{Name: "山田太郎", Email: "Taro@alpha.jp", Title: "部長"})
	add(capture.Person{Name: "鈴木 花子", Mobile: "090-1111-2222"})
	add(capture.Person{Name: "鈴木花子", Mobile: "09011112222"})
	add(capture.Person{Name: "森 直樹", Kana: "もり なおき", Company: "株式会社ガンマ"})
	add(capture.Person{Name: "森 直樹", Kana: "モリ ナオキ", Company: "ガンマ"})
	count := func() int { l, _ := s.Leads(ctx(), store.LeadQuery{}); return len(l) }

	d.Refresh()
	if len(d.pairs) != 3 || !strings.Contains(d.Why.Text, "メール一致") || strings.Contains(d.Why.Text, "email") {
		t.Fatalf("%d pairs, why %q", len(d.pairs), d.Why.Text)
	}
	// The first pair (the best, 山田) keeps the older title, chosen by hand.
	if !d.Keep["title"].Visible() || d.Keep["company"].Visible() {
		t.Fatal("the choice shows for differing fields only")
	}
	d.Keep["title"].SetSelected(map[bool]string{true: "A", false: "B"}[d.current.a.ID == older])
	test.Tap(d.Merge)
	kept, _ := s.Leads(ctx(), store.LeadQuery{Search: "taro@"})
	if len(kept) != 1 || kept[0].Person.Title != "課長" {
		t.Fatalf("merged lead %+v", kept)
	}
	if len(d.history) != 1 {
		t.Fatalf("history %d", len(d.history))
	}
	d.History.Select(0)
	test.Tap(d.HistoryUndo)
	if n := count(); n != 6 || !d.history[0].Undone {
		t.Fatalf("history undo: %d leads, %+v", n, d.history)
	}

	d.MinScore.SetSelected("0.95")
	if !strings.Contains(d.MergeAll.Text, "2組") {
		t.Fatalf("bulk button %q", d.MergeAll.Text)
	}
	test.Tap(d.MergeAll)
	if n := count(); n != 4 || len(d.pairs) != 1 {
		t.Fatalf("after the bulk merge: %d leads, %d pairs", n, len(d.pairs))
	}
	test.Tap(d.UndoBatch)
	if n := count(); n != 6 || !strings.Contains(d.Status.Text, "2組") {
		t.Fatalf("after undoing the batch: %d leads (%s)", n, d.Status.Text)
	}
}
