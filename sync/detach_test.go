package sync_test

import (
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
)

// TestCardOfADetachedLeadSyncs: after a wrong attach is undone, the person's next card joins
// the lead the detach made (the matcher's "merge"), and boothd takes it and passes it on.
func TestCardOfADetachedLeadSyncs(t *testing.T) {
	srv := newServer(t)
	admin := storetest.Open(t)
	_, e := storetest.Setup(t, admin)
	if _, err := srv.client(admin, srv.token(t, "admin", sync.RoleAdmin)).Round(ctx); err != nil {
		t.Fatal(err)
	}
	mgr := storetest.Open(t)
	mc := srv.client(mgr, srv.token(t, "manager", sync.RoleManager, e.ID))
	if _, err := mc.Round(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := mgr.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 花子", Email: "hanako@sample.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	beta := capture.Person{Name: "山田 花子", Company: "ベータ株式会社", Email: "h.yamada@beta.jp", Mobile: "090-5555-6666"}
	mixed, err := mgr.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Person: beta})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	again, err := mgr.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: beta})
	if err != nil || !again.Attached || again.Lead.ID != mixed.Capture.ID {
		t.Fatalf("the next card: %+v %v", again, err)
	}
	if res, err := mc.Round(ctx); err != nil || len(res.Refused) != 0 {
		t.Fatalf("push: %+v %v", res, err)
	}
	booth := storetest.Open(t)
	if _, err := srv.client(booth, srv.token(t, "booth", sync.RoleBooth, e.ID)).Round(ctx); err != nil {
		t.Fatal(err)
	}
	if l, err := booth.Lead(ctx, mixed.Capture.ID); err != nil || l.Captures != 2 {
		t.Fatalf("the booth's copy of the detached lead: %+v %v", l, err)
	}
}
