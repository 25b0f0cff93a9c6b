package request_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/request"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

var ctx = context.Background()

func setup(t *testing.T) (*store.Store, capture.Lead) {
	t.Helper()
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 花子", Company: "株式会社サンプル", Email: "hanako@sample.jp", Mobile: "090-1234-5678"},
		Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}, Method: capture.MethodCheckbox})
	if err != nil {
		t.Fatal(err)
	}
	return s, r.Lead
}

func opCount(t *testing.T, s *store.Store) int {
	t.Helper()
	ops, err := s.Ops(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(ops)
}

// TestEachRequestActsAndRecordsTogether: every answer changes the lead and keeps its record,
// naming who handled it and when the request came in.
func TestEachRequestActsAndRecordsTogether(t *testing.T) {
	s, l := setup(t)
	received := time.Date(2026, 11, 30, 0, 0, 0, 0, time.Local)
	who := request.Request{By: "佐藤 花子", Received: received, Reason: "電話で依頼"}

	found, rec, err := request.Find(ctx, s, who, request.Query{Phone: "+81 90 1234 5678"})
	if err != nil || len(found) != 1 || found[0].ID != l.ID || rec.Lead != l.ID || rec.Outcome != "1 lead(s) found" {
		t.Fatalf("find: %v %v %+v", err, found, rec)
	}
	if _, err := request.Correct(ctx, s, who, l.ID, map[string]string{"title": "部長"}); err != nil {
		t.Fatal(err)
	}
	if _, err := request.StopUse(ctx, s, who, l.ID, []capture.Channel{capture.ChannelEmailMarketing}); err != nil {
		t.Fatal(err)
	}
	now, _ := s.Lead(ctx, l.ID)
	if now.Person.Title != "部長" || now.Permission(capture.ChannelEmailMarketing).Allowed {
		t.Fatalf("lead after correct and stop-use: %+v", now.Person)
	}
	if _, err := request.Erase(ctx, s, who, l.ID); err != nil {
		t.Fatal(err)
	}
	if now, _ = s.Lead(ctx, l.ID); now.Erased == nil {
		t.Fatal("not erased")
	}
	recs, err := s.Requests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]capture.RequestRecord{}
	for _, r := range recs {
		kinds[r.Kind] = r
		if r.By != "佐藤 花子" || !r.Received.Equal(received) || r.Lead != l.ID {
			t.Errorf("%s record %+v", r.Kind, r)
		}
	}
	if len(kinds) != 4 || kinds["correct"].Outcome != "corrected title" || kinds["stop-use"].Outcome != "stopped email_marketing" || kinds["erase"].Outcome != "erased; suppressed" {
		t.Fatalf("records %+v", kinds)
	}
	if kinds["erase"].Reason != "" {
		t.Error("the erased person's request reason is kept")
	}
}

// TestFailureBetweenActAndRecordLeavesNeither: a record that cannot be kept (the way boothd
// would refuse it) undoes the act made just before it in the same transaction, and a record
// that names nobody is refused before anything is done.
func TestFailureBetweenActAndRecordLeavesNeither(t *testing.T) {
	s, l := setup(t)
	before := opCount(t, s)
	bad := request.Request{By: "佐藤\u202e花子", Reason: "削除依頼"} // passes the act's checks, not the record's
	if _, err := request.Erase(ctx, s, bad, l.ID); err == nil {
		t.Fatal("a record with a bidi override was kept")
	}
	if _, err := request.StopUse(ctx, s, bad, l.ID, nil); err == nil {
		t.Fatal("a record with a bidi override was kept")
	}
	var ve *capture.ValidationError
	if _, err := request.Correct(ctx, s, request.Request{Reason: "x"}, l.ID, map[string]string{"title": "部長"}); !errors.As(err, &ve) || ve.Fields[0].Field != "by" {
		t.Fatalf("a record naming nobody: %v", err)
	}
	// A failure after the act and the record were applied, before the transaction ends (a
	// disclosure's file that cannot be put in place): both roll back.
	injected := errors.New("injected")
	rec := capture.RequestRecord{Kind: "erase", Lead: l.ID, By: "佐藤 花子", Outcome: "erased; suppressed"}
	if _, err := s.Answer(ctx, rec, store.Act{Erase: true, Reason: "削除依頼", Place: func() error { return injected }}); !errors.Is(err, injected) {
		t.Fatalf("injected failure: %v", err)
	}
	if got, _ := s.Lead(ctx, l.ID); got.Erased != nil || got.Person.Title != "" || !got.Permission(capture.ChannelEmailMarketing).Allowed {
		t.Fatalf("the act stayed without its record: %+v", got)
	}
	if n := opCount(t, s); n != before {
		t.Fatalf("%d op(s) written by refused requests", n-before)
	}
	if recs, _ := s.Requests(ctx); len(recs) != 0 {
		t.Fatalf("records %+v", recs)
	}
	if _, _, err := request.Find(ctx, s, request.Request{By: "佐藤"}, request.Query{}); !errors.As(err, &ve) || ve.Fields[0].Code != "request_needs_query" {
		t.Fatalf("find without a query: %v", err)
	}
}

// TestDiscloseIsFileAndRecordTogether: a disclosure lands with its record, or neither does.
func TestDiscloseIsFileAndRecordTogether(t *testing.T) {
	s, l := setup(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "開示.json")
	d, rec, err := request.Disclose(ctx, s, request.Request{By: "佐藤 花子"}, l.ID, request.FormatJSON, path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), "hanako@sample.jp") || len(d.Captures) != 1 || rec.Outcome != "disclosed 1 capture(s), 0 provision(s) as json" {
		t.Fatalf("disclosure %v %q %+v", err, data, rec)
	}
	for name, tc := range map[string]struct {
		r    request.Request
		path string
	}{
		"nobody named":      {request.Request{}, filepath.Join(dir, "nobody.json")},
		"no such directory": {request.Request{By: "佐藤"}, filepath.Join(dir, "missing", "x.json")},
	} {
		if _, _, err := request.Disclose(ctx, s, tc.r, l.ID, request.FormatJSON, tc.path); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, err := os.Stat(tc.path); !os.IsNotExist(err) {
			t.Errorf("%s: a file was left at %s", name, tc.path)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if recs, _ := s.Requests(ctx); len(recs) != 1 {
		t.Fatalf("%d records, want the one disclosure that landed", len(recs))
	}
}
