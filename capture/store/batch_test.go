package store_test

import (
	"errors"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestBulkMergeAndItsUndo: every cluster above the score is merged in one batch, the rest
// is left for review, and one undo takes the whole batch back.
func TestBulkMergeAndItsUndo(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	for _, p := range []capture.Person{
		{Name: "山田 太郎", Email: "taro@alpha.jp"}, {Name: "山田太郎", Email: "Taro@alpha.jp", Title: "部長"}, // 0.97
		{Name: "鈴木 花子", Mobile: "090-1111-2222"}, {Name: "鈴木花子", Mobile: "09011112222"}, // 0.96
		{Name: "森 直樹", Kana: "もり なおき", Company: "株式会社ガンマ"}, {Name: "森 直樹", Kana: "モリ ナオキ", Company: "ガンマ"}, // 0.90
	} {
		if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: p, NewLead: true}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Duplicates(ctx, "")
	if err != nil || len(d.Clusters) != 3 {
		t.Fatalf("clusters %+v %v", d.Clusters, err)
	}
	batch, merged, err := s.MergeClusters(ctx, d.Clusters, 0.95, "一括統合")
	if err != nil || len(merged) != 2 || batch == "" {
		t.Fatalf("bulk merge: %v %d %q", err, len(merged), batch)
	}
	count := func() int { l, _ := s.Leads(ctx, store.LeadQuery{}); return len(l) }
	if n := count(); n != 4 {
		t.Fatalf("%d leads after the bulk merge, want 4", n)
	}
	if d, _ = s.Duplicates(ctx, ""); len(d.Clusters) != 1 || d.Clusters[0].Score >= 0.95 {
		t.Fatalf("left for review: %+v", d.Clusters)
	}
	history, _ := s.MergeHistory(ctx)
	if len(history) != 2 || history[0].Batch != batch || history[1].Batch != batch {
		t.Fatalf("history %+v", history)
	}
	if n, err := s.UnmergeBatch(ctx, batch); err != nil || n != 2 || count() != 6 {
		t.Fatalf("undo: %d %v, %d leads", n, err, count())
	}
	var ve *capture.ValidationError
	if _, err := s.UnmergeBatch(ctx, batch); !errors.As(err, &ve) || ve.Fields[0].Code != "merge_undone" {
		t.Fatalf("second undo: %v", err)
	}
	if b, merged, err := s.MergeClusters(ctx, d.Clusters, 0.99, "x"); err != nil || b != "" || merged != nil {
		t.Fatalf("nothing above 0.99: %q %v %v", b, merged, err)
	}
	assertStateMatchesLog(t, s)
}
