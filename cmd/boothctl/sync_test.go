package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

// TestSyncListsWhatIsSetAside: a booth laptop whose own event the server refuses is told so,
// op by op, on this sync and the next.
func TestSyncListsWhatIsSetAside(t *testing.T) {
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "boothd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	c := newCtl(t)
	_, event := c.setup()
	tok, hash := server.NewToken()
	if err := st.CreateToken(context.Background(), server.Token{ID: capture.NewID(), Name: "booth", Hash: hash, Role: capture.RoleBooth, Events: []string{event}, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		args := []string{"sync"}
		if round == 0 {
			args = append(args, "--server", srv.URL, "--token", tok)
		}
		out, errs, code := c.run(args...)
		if code != 0 || !strings.Contains(out, "refused") {
			t.Fatalf("round %d: exit %d\n%s%s", round, code, out, errs)
		}
		// A booth token may not push the organisation, notices or events this laptop made.
		for _, kind := range []string{"org.set", "notice.add", "event.set"} {
			if !strings.Contains(errs, "set aside: "+kind) || !strings.Contains(errs, "refused by the server") {
				t.Fatalf("round %d: %s not listed:\n%s", round, kind, errs)
			}
		}
	}
}
