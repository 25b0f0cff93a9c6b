package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

var ctx = context.Background()

// testServer is boothd on loopback with an SQLite store.
type testServer struct {
	url   string
	store server.Store
}

func newServer(t *testing.T) *testServer {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "boothd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &testServer{url: srv.URL, store: st}
}

func (s *testServer) token(t *testing.T, name, role string, events ...string) string {
	t.Helper()
	tok, hash := server.NewToken()
	if err := s.store.CreateToken(ctx, server.Token{ID: capture.NewID(), Name: name, Hash: hash, Role: role, Events: events, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return tok
}

func (s *testServer) client(st *store.Store, token string) *sync.Client {
	return &sync.Client{Store: st, URL: s.url, Token: token, Batch: 37}
}

func snapshotJSON(t *testing.T, st *store.Store) string {
	t.Helper()
	s, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func TestEnrolAfterWorkingAlone(t *testing.T) {
	srv := newServer(t)
	laptop := storetest.Open(t)
	_, e := storetest.Setup(t, laptop) // first-run setup made its org, notice and event offline
	for i := 0; i < 120; i++ {
		if _, err := laptop.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(i)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := srv.client(laptop, srv.token(t, "laptop", sync.RoleAdmin)).Round(ctx)
	if err != nil || res.Pushed != 123 || len(res.Refused) != 0 {
		t.Fatalf("first sync: %+v %v", res, err)
	}
	manager := storetest.Open(t)
	if _, err := srv.client(manager, srv.token(t, "manager", sync.RoleManager, e.ID)).Round(ctx); err != nil {
		t.Fatal(err)
	}
	leads, _ := manager.Leads(ctx, store.LeadQuery{EventID: e.ID})
	if len(leads) != 120 {
		t.Fatalf("manager sees %d leads, want 120", len(leads))
	}
	// Nothing left to push; a second round moves nothing.
	res, err = srv.client(laptop, "").Round(ctx)
	var se *sync.ServerError
	if !errors.As(err, &se) || se.Status != 401 {
		t.Fatalf("round without a token: %v", err)
	}
}

func TestRefusedOpsAreShownAndDoNotBlock(t *testing.T) {
	srv := newServer(t)
	admin := storetest.Open(t)
	_, e := storetest.Setup(t, admin)
	if _, err := srv.client(admin, srv.token(t, "admin", sync.RoleAdmin)).Round(ctx); err != nil {
		t.Fatal(err)
	}
	booth := storetest.Open(t)
	c := srv.client(booth, srv.token(t, "booth", sync.RoleBooth, e.ID))
	if _, err := c.Round(ctx); err != nil { // pulls the configuration
		t.Fatal(err)
	}
	// The booth makes its own event locally, which a booth token may not push; its captures
	// at the assigned event still go through.
	other, err := booth.SaveEvent(ctx, capture.Event{Name: "勝手な展示会", Venue: "x", Date: "2026-12-01", NoticeID: e.NoticeID})
	if err != nil {
		t.Fatal(err)
	}
	booth.AddCapture(ctx, capture.NewCapture{EventID: other.ID, Person: storetest.Person(1)})
	booth.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(2)})
	res, err := c.Round(ctx)
	if err != nil || len(res.Refused) != 2 || res.Pushed != 3 {
		t.Fatalf("round: %+v %v", res, err)
	}
	shown, _ := booth.SetAside(ctx)
	if len(shown) != 2 || !shown[0].Local {
		t.Fatalf("refusals kept for the device to show: %+v", shown)
	}
	if n, _ := sync.Pending(ctx, booth); n != 0 {
		t.Fatalf("%d ops still pending after refusals", n)
	}
	if _, err := srv.client(admin, "").Round(ctx); err == nil {
		t.Fatal("empty token accepted")
	}
}

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	for url, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://[::1]:8080": true, "http://localhost:1": true,
		"https://sync.example.co.jp": true, "http://sync.example.co.jp": false, "http://192.168.1.10:8080": false, "ftp://x": false} {
		err := sync.CheckURL(url, false)
		if (err == nil) != ok {
			t.Errorf("%s: %v", url, err)
		}
	}
	if err := sync.CheckURL("http://sync.example.co.jp", true); err != nil {
		t.Errorf("--insecure: %v", err)
	}
}

// TestConvergence: five devices and one server; random captures, corrections, withdrawals
// and erasures made offline on each; syncs in random order. At the end every device that
// may see a lead holds the same state for it, and the full state equals Apply over the
// server's log.
func TestConvergence(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { converge(t, seed) })
	}
}

func converge(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 99))
	srv := newServer(t)
	admin := storetest.Open(t)
	_, e1 := storetest.Setup(t, admin)
	e2, err := admin.SaveEvent(ctx, capture.Event{Name: "第二会場", Venue: "幕張", Date: "2026-11-26", NoticeID: e1.NoticeID})
	if err != nil {
		t.Fatal(err)
	}
	devices := []*store.Store{admin}
	clients := []*sync.Client{srv.client(admin, srv.token(t, "admin", sync.RoleAdmin))}
	for i := 1; i < 5; i++ {
		d := storetest.Open(t)
		role, events := sync.RoleManager, []string{e1.ID, e2.ID}
		if i == 4 {
			role, events = sync.RoleBooth, []string{e2.ID} // a booth that sees only e2's leads
		}
		devices = append(devices, d)
		clients = append(clients, srv.client(d, srv.token(t, fmt.Sprint("device ", i), role, events...)))
	}
	round := func(i int) {
		if _, err := clients[i].Round(ctx); err != nil {
			t.Fatalf("device %d: %v", i, err)
		}
	}
	round(0)
	for i := range devices {
		round(i)
	}
	people := 12
	detaches := 0
	for step := 0; step < 400; step++ {
		i := r.IntN(len(devices))
		d := devices[i]
		switch k := r.IntN(10); {
		case k < 2:
			round(i)
		case k < 6:
			event := []string{e1.ID, e2.ID}[r.IntN(2)]
			if i == 4 {
				event = e2.ID
			}
			p := storetest.Person(r.IntN(people))
			p.Title = fmt.Sprintf("肩書%d", r.IntN(5))
			// People erased earlier come back with fresh consent, confirmed by staff.
			n := capture.NewCapture{EventID: event, Person: p, Consents: []capture.ConsentKind{capture.ConsentPurpose}, Shown: capture.ShownScreen, ConfirmSuppressed: true}
			if _, err := d.AddCapture(ctx, n); err != nil {
				t.Fatal(err)
			}
		default:
			leads, _ := d.Leads(ctx, store.LeadQuery{})
			if len(leads) == 0 {
				continue
			}
			l := leads[r.IntN(len(leads))]
			var err error
			switch {
			case k < 8:
				_, err = d.Correct(ctx, l.ID, map[string]string{"department": fmt.Sprintf("部署%d", r.IntN(9))}, "訂正")
			case k < 9 && i != 4: // withdrawals are a manager's (a booth token's would be refused)
				_, err = d.Withdraw(ctx, l.ID, []capture.Channel{capture.ChannelEmailMarketing}, "配信停止")
			case i != 4 && r.IntN(3) == 0:
				_, err = d.Erase(ctx, l.ID, "削除請求")
			case i != 4: // a wrong attach undone: detach one of the lead's captures
				caps, _ := d.CapturesOf(ctx, l.ID)
				if len(caps) > 1 {
					_, err = d.Detach(ctx, caps[r.IntN(len(caps))].ID, "別人")
					var ve *capture.ValidationError
					if errors.As(err, &ve) {
						err = nil // alone in its lead, or detached already: nothing to undo
					} else if err == nil {
						detaches++
					}
				}
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for pass := 0; pass < 2; pass++ { // everyone pushes, then everyone pulls what the others pushed
		for i := range devices {
			round(i)
		}
	}

	if detaches == 0 {
		t.Fatal("no capture was detached: the run does not test detaching")
	}
	// The full state: Apply over everything the server holds.
	var all []capture.Op
	for cursor := int64(0); ; {
		ops, next, more, err := srv.store.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, After: cursor, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		all, cursor = append(all, ops...), next
		if !more {
			break
		}
	}
	full, err := capture.Replay(all)
	if err != nil {
		t.Fatal(err)
	}
	want := func(id string) string { b, _ := json.Marshal(full.Leads[id]); return string(b) }
	for i, d := range devices {
		snap, err := d.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for id, l := range snap.Leads {
			if got, _ := json.Marshal(l); string(got) != want(id) {

				t.Fatalf("device %d holds lead %s differently:\n got %s\nwant %s", i, id, got, want(id))
			}
		}
		if i < 4 && len(snap.Leads) != len(full.Leads) {
			t.Fatalf("device %d holds %d leads, the server %d", i, len(snap.Leads), len(full.Leads))
		}
		if i == 4 {
			// A lead is seen at every event a capture was attached to it at, and a detached
			// capture's lead wherever the lead it left was seen when it left: replayed in the
			// server's order.
			seen := map[string]map[string]bool{}
			for _, op := range all {
				switch op.Kind {
				case capture.OpCaptureAdd:
					var c capture.Capture
					json.Unmarshal(op.Payload, &c)
					if seen[c.LeadID] == nil {
						seen[c.LeadID] = map[string]bool{}
					}
					seen[c.LeadID][c.EventID] = true
				case capture.OpCaptureDetach:
					var d capture.Detach
					json.Unmarshal(op.Payload, &d)
					if seen[d.Capture] == nil {
						seen[d.Capture] = map[string]bool{}
					}
					for e := range seen[d.From] {
						seen[d.Capture][e] = true
					}
					seen[d.Capture][d.Event] = true
				}
			}
			seenAtE2 := func(id string) bool { return seen[id][e2.ID] }
			for id := range full.Leads {
				atE2 := seenAtE2(id)
				if _, held := snap.Leads[id]; held != atE2 {
					t.Fatalf("booth of e2: lead %s held=%v, captured at e2=%v", id, held, atE2)
				}
			}
		}
	}
	if snapshotJSON(t, devices[1]) != snapshotJSON(t, devices[2]) {
		t.Fatal("two managers of the same events differ")
	}
}
