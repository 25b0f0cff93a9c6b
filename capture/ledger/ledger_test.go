package ledger_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture/ledger"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestStoredNamesTheSyncServer: where the data lives is this file, and the sync server once
// the device is enrolled (read from the store's enrolment).
func TestStoredNamesTheSyncServer(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.Setup(t, s)
	stored := func() string {
		t.Helper()
		l, err := ledger.Build(ctx, s)
		if err != nil || len(l.Entries) != 1 {
			t.Fatalf("ledger: %+v %v", l, err)
		}
		return l.Entries[0].Stored
	}
	if got := stored(); !strings.Contains(got, s.Path()) || strings.Contains(got, "同期サーバー") {
		t.Fatalf("not enrolled: stored %q", got)
	}
	if err := s.Enrol(ctx, store.Enrolment{Server: "https://sync.example.co.jp", Token: "bl_x"}); err != nil {
		t.Fatal(err)
	}
	if got := stored(); !strings.Contains(got, "同期サーバー https://sync.example.co.jp") || strings.Contains(got, "bl_x") {
		t.Fatalf("enrolled: stored %q", got)
	}
}
