package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

func TestSyncCommand(t *testing.T) {
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "boothd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, hash := server.NewToken()
	st.CreateToken(context.Background(), server.Token{ID: capture.NewID(), Name: "laptop", Hash: hash, Role: sync.RoleAdmin, Created: time.Now()})
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	c := newCtl(t)
	_, eventID := c.setup()
	c.ok("capture", "add", "--event", eventID, "--name", "山田 太郎", "--email", "taro@example.co.jp")
	if _, errs, code := c.run("sync"); code != 2 || !strings.Contains(errs, "--server") {
		t.Fatalf("first sync without a server: exit %d %s", code, errs)
	}
	if _, errs, code := c.run("sync", "--server", "http://sync.example.co.jp", "--token", token); code != 1 || !strings.Contains(errs, "loopback") {
		t.Fatalf("plain http to another host: exit %d %s", code, errs)
	}
	var res sync.Result
	json.Unmarshal([]byte(c.ok("sync", "--server", srv.URL, "--token", token, "--json")), &res)
	if res.Pushed != 4 {
		t.Fatalf("first sync: %+v", res)
	}
	// The server and token are kept: later rounds need no flags.
	c.ok("capture", "add", "--event", eventID, "--name", "鈴木 花子")
	if out := c.ok("sync"); !strings.Contains(out, "pushed 1 ops") {
		t.Fatalf("second sync: %s", out)
	}
}
