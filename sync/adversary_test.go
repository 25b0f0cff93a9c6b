package sync_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

// TestAdversaries: hostile tokens push random well-formed and malformed ops (wrong scope,
// cycles, far clocks, reused ids, oversize payloads, forged devices) between the syncs of
// legitimate devices. Afterwards boothd restarts cleanly and runs retention over the log,
// every legitimate device syncs, every device that may see a lead holds what Apply makes of
// the server's log, and no token ever received a lead outside its events.
func TestAdversaries(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { adversaries(t, seed) })
	}
}

// adversary is a hostile token and the device id it pushes from.
type adversary struct {
	name, role, token, device string
	events                    []string
}

func adversaries(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	path := filepath.Join(t.TempDir(), "boothd.db")
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	ts := &testServer{url: srv.URL, store: st}

	admin := storetest.Open(t)
	_, e1 := storetest.Setup(t, admin)
	e2, err := admin.SaveEvent(ctx, capture.Event{Name: "第二会場", Venue: "幕張", Date: "2026-11-26", NoticeID: e1.NoticeID})
	if err != nil {
		t.Fatal(err)
	}
	type legit struct {
		st     *store.Store
		c      *sync.Client
		role   string
		events []string
	}
	devices := []*legit{{st: admin, c: ts.client(admin, ts.token(t, "admin", sync.RoleAdmin)), role: sync.RoleAdmin}}
	for i, spec := range []struct {
		role   string
		events []string
	}{{sync.RoleManager, []string{e1.ID, e2.ID}}, {sync.RoleBooth, []string{e1.ID}}, {sync.RoleBooth, []string{e2.ID}}, {sync.RoleManager, []string{e2.ID}}} {
		d := storetest.Open(t)
		devices = append(devices, &legit{st: d, c: ts.client(d, ts.token(t, fmt.Sprint("legit ", i), spec.role, spec.events...)), role: spec.role, events: spec.events})
	}
	var bad []*adversary
	for i, spec := range []struct {
		role   string
		events []string
	}{{sync.RoleBooth, []string{e1.ID}}, {sync.RoleManager, []string{e2.ID}}, {sync.RoleBooth, []string{e2.ID}}} {
		name := fmt.Sprint("hostile ", i)
		bad = append(bad, &adversary{name: name, role: spec.role, events: spec.events, device: capture.NewID(), token: ts.token(t, name, spec.role, spec.events...)})
	}
	// received records, per token, every op it pulled, for the scope check at the end.
	received := map[string][]capture.Op{}
	scopes := map[string][]string{}
	round := func(d *legit) {
		if _, err := d.c.Round(ctx); err != nil {
			t.Fatalf("legitimate device (%s): %v", d.role, err)
		}
	}
	for _, d := range devices {
		round(d)
	}
	// Hostile tokens know every id in the server's log: lead ids leak through exports,
	// screenshots and cloned disks.
	known := func() (leads []string, ops []capture.Op) {
		for cursor := int64(0); ; {
			page, next, more, err := ts.store.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, After: cursor, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			ops, cursor = append(ops, page...), next
			if !more {
				break
			}
		}
		for _, op := range ops {
			if op.Kind == capture.OpCaptureAdd {
				var c capture.Capture
				json.Unmarshal(op.Payload, &c)
				if !slices.Contains(leads, c.LeadID) {
					leads = append(leads, c.LeadID)
				}
			}
		}
		return leads, ops
	}
	hostileApplied, hostileRefused := 0, 0
	post := func(a *adversary, body []byte) int {
		req, _ := http.NewRequest("POST", ts.url+"/v1/sync/push", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+a.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer sync.PushResponse
		json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		hostileApplied, hostileRefused = hostileApplied+answer.Applied, hostileRefused+len(answer.Refused)
		if resp.StatusCode >= 500 {
			t.Fatalf("boothd answered %d to a hostile push", resp.StatusCode)
		}
		return resp.StatusCode
	}
	pushOps := func(a *adversary, device string, ops ...capture.Op) int {
		req := sync.PushRequest{Version: sync.Version, Device: device}
		for i, op := range ops {
			op.Device = device
			req.Ops = append(req.Ops, sync.SeqOp{Seq: int64(i + 1), Op: op})
		}
		body, _ := json.Marshal(req)
		return post(a, body)
	}
	pull := func(a *adversary) {
		cursor := int64(0)
		for {
			req, _ := http.NewRequest("GET", ts.url+"/v1/sync/pull?after="+fmt.Sprint(cursor), nil)
			req.Header.Set("Authorization", "Bearer "+a.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var page sync.PullResponse
			json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			received[a.name] = append(received[a.name], page.Ops...)
			scopes[a.name] = a.events
			cursor = page.Cursor
			if !page.More {
				return
			}
		}
	}
	person := func() capture.Person {
		p := storetest.Person(r.IntN(10))
		p.Title = fmt.Sprintf("肩書%d", r.IntN(4))
		return p
	}
	clock := capture.NewClock(0, nil)
	hostileOp := func(a *adversary, leads []string, logged []capture.Op) capture.Op {
		lead := "L-unknown"
		if len(leads) > 0 {
			lead = leads[r.IntN(len(leads))]
		}
		other := capture.NewID()
		if len(leads) > 1 {
			other = leads[r.IntN(len(leads))]
		}
		event := []string{e1.ID, e2.ID, "e-none"}[r.IntN(3)]
		h := clock.Now()
		mk := func(kind capture.OpKind, entity string, payload any) capture.Op {
			op, err := capture.NewOp(a.device, h, kind, entity, payload)
			if err != nil {
				t.Fatal(err)
			}
			return op
		}
		capt := func(leadID string, p capture.Person) capture.Op {
			c := capture.Capture{ID: capture.NewID(), LeadID: leadID, EventID: event, Source: capture.SourceBoothCard, DeviceID: a.device,
				At: time.Now(), NoticeID: e1.NoticeID, NoticeShown: capture.ShownNone, Person: p}
			return mk(capture.OpCaptureAdd, c.ID, c)
		}
		switch r.IntN(14) {
		case 0:
			return capt(lead, person()) // claim a lead, maybe of another event
		case 1:
			return capt(capture.NewID(), person()) // a new lead, maybe at another event
		case 2:
			return mk(capture.OpLeadCorrect, lead, capture.Correction{Fields: map[string]string{"title": "乗っ取り"}})
		case 3:
			return mk(capture.OpLeadErase, lead, capture.Erasure{Reason: "悪意"})
		case 4:
			id := capture.NewID()
			return mk(capture.OpLeadMerge, id, capture.MergeRecord{ID: id, Keep: lead, Others: []string{other}})
		case 5:
			id := capture.NewID()
			return mk(capture.OpLeadMerge, id, capture.MergeRecord{ID: id, Keep: lead, Others: []string{lead}})
		case 6:
			return mk(capture.OpLeadLink, capture.LinkKey(lead, other), capture.Link{Leads: []string{min(lead, other), max(lead, other)}, Relation: capture.RelationDistinct})
		case 7:
			id := capture.NewID()
			return mk(capture.OpExportRecord, id, capture.ExportRecord{ID: id, Use: capture.UseThirdParty, Basis: capture.BasisThirdParty, Recipient: "偽装", Events: []string{event}, Leads: []string{lead}})
		case 8:
			id := capture.NewID()
			return mk(capture.OpRequest, id, capture.RequestRecord{ID: id, Kind: "disclose", Lead: lead, Outcome: "偽の開示"})
		case 9: // a far clock
			op := capt(lead, person())
			op.HLC = []capture.HLC{1<<64 - 1, capture.HLC(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()) << 16}[r.IntN(2)]
			return op
		case 10: // a reused op id with other content
			if len(logged) > 0 {
				op := mk(capture.OpLeadCorrect, lead, capture.Correction{Fields: map[string]string{"department": "偽"}})
				op.ID = logged[r.IntN(len(logged))].ID
				return op
			}
			return capt(lead, person())
		case 11: // nonsense within the shape
			p := person()
			p.Name = []string{"NUL\x00", "逆\u202e", "\ufeff", "\u200b"}[r.IntN(4)]
			return capt(lead, p)
		case 12:
			return mk(capture.OpStaffSet, capture.NewID(), capture.Staff{ID: capture.NewID(), Name: "偽管理者", Manager: true})
		default:
			return mk(capture.OpLeadWithdraw, lead, capture.Withdrawal{Channels: []capture.Channel{capture.ChannelThirdParty}, Reason: "x"})
		}
	}

	for step := 0; step < 400; step++ {
		switch k := r.IntN(20); {
		case k < 6: // legitimate work
			d := devices[r.IntN(len(devices))]
			events := d.events
			if events == nil {
				events = []string{e1.ID, e2.ID}
			}
			leads, _ := d.st.Leads(ctx, store.LeadQuery{})
			switch j := r.IntN(6); {
			case j < 3 || len(leads) < 2:
				n := capture.NewCapture{EventID: events[r.IntN(len(events))], Person: person(), NewLead: r.IntN(3) == 0, ConfirmSuppressed: true,
					Consents: []capture.ConsentKind{capture.ConsentPurpose}, Shown: capture.ShownScreen}
				if _, err := d.st.AddCapture(ctx, n); err != nil {
					t.Fatal(err)
				}
			case j == 3:
				d.st.Correct(ctx, leads[r.IntN(len(leads))].ID, map[string]string{"department": fmt.Sprintf("部署%d", r.IntN(5))}, "")
			case j == 4 && d.role != sync.RoleBooth:
				a, b := leads[r.IntN(len(leads))], leads[r.IntN(len(leads))]
				d.st.MergeLeads(ctx, a.ID, []string{b.ID}, nil, "") // refused here when it cannot stand
			case j == 5 && d.role != sync.RoleBooth && r.IntN(3) == 0:
				if _, err := d.st.Erase(ctx, leads[r.IntN(len(leads))].ID, "削除請求"); err != nil {
					t.Fatal(err)
				}
			}
		case k < 10:
			round(devices[r.IntN(len(devices))])
		case k < 17: // a hostile push of a few ops
			a := bad[r.IntN(len(bad))]
			leads, logged := known()
			var ops []capture.Op
			for range 1 + r.IntN(4) {
				ops = append(ops, hostileOp(a, leads, logged))
			}
			if code := pushOps(a, a.device, ops...); code != 200 {
				t.Fatalf("a well-formed hostile push answered %d", code)
			}
		case k < 18: // malformed or oversize, or from a device that is not its own
			a := bad[r.IntN(len(bad))]
			leads, logged := known()
			switch r.IntN(3) {
			case 0:
				op := hostileOp(a, leads, logged)
				op.Payload = append(op.Payload[:len(op.Payload)-1], []byte(`,"sneaky":1}`)...)
				if code := pushOps(a, a.device, op); code != 400 {
					t.Fatalf("unknown field: %d", code)
				}
			case 1:
				op := hostileOp(a, leads, logged)
				op.Payload = json.RawMessage(`{"note":"` + strings.Repeat("x", capture.MaxOpBytes) + `"}`)
				if code := pushOps(a, a.device, op); code != 400 {
					t.Fatalf("oversize op: %d", code)
				}
			default: // as a device that is not its own: one whose ops it has seen in the log
				var victims []string
				for _, op := range logged {
					if op.Device != a.device {
						victims = append(victims, op.Device)
					}
				}
				if len(victims) > 0 {
					if code := pushOps(a, victims[r.IntN(len(victims))], hostileOp(a, leads, logged)); code != 403 {
						t.Fatalf("pushing as another device: %d", code)
					}
				}
			}
		default:
			pull(bad[r.IntN(len(bad))])
		}
	}

	// boothd restarts on the same file, and its retention run goes over the whole log.
	srv.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatalf("boothd does not start again: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	srv = httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	ts.url, ts.store = srv.URL, st
	mirror := storetest.Open(t)
	if _, err := (&server.Retention{Store: st, Mirror: mirror}).Run(ctx, time.Now(), false); err != nil {
		t.Fatalf("retention over the log: %v", err)
	}
	for pass := 0; pass < 2; pass++ {
		for _, d := range devices {
			d.c.URL = ts.url
			round(d)
		}
	}
	for _, a := range bad {
		pull(a)
	}

	_, all := known()
	full, err := capture.Replay(all)
	if err != nil {
		t.Fatal(err)
	}
	// The run must have done what it claims, or the checks below prove nothing.
	if hostileRefused < 100 || hostileApplied == 0 || len(full.Leads) < 20 || len(received) < len(bad) {
		t.Fatalf("a weak run: %d hostile ops refused, %d taken, %d leads, %d tokens pulled", hostileRefused, hostileApplied, len(full.Leads), len(received))
	}
	t.Logf("%d hostile ops refused, %d taken (within their scope), %d leads, %d ops", hostileRefused, hostileApplied, len(full.Leads), len(all))
	visibleTo := func(events []string, lead string) bool {
		if events == nil {
			return true
		}
		for _, c := range full.Captures {
			if c.LeadID == lead && slices.Contains(events, c.EventID) {
				return true
			}
		}
		return false
	}
	for i, d := range devices {
		snap, err := d.st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for id, l := range snap.Leads {
			got, _ := json.Marshal(l)
			want, _ := json.Marshal(full.Leads[id])
			if string(got) != string(want) {
				t.Fatalf("device %d (%s) holds lead %s differently:\n got %s\nwant %s", i, d.role, id, got, want)
			}
			if !visibleTo(d.events, id) {
				t.Fatalf("device %d (%s of %v) holds lead %s of another event", i, d.role, d.events, id)
			}
		}
		for id := range full.Leads {
			if _, held := snap.Leads[id]; !held && visibleTo(d.events, id) && full.Leads[id].Captures > 0 {
				t.Fatalf("device %d (%s) lacks lead %s it may see", i, d.role, id)
			}
		}
	}
	// What the server took from each hostile device named only leads within its events then,
	// or new ones it captured at its own events.
	leadEvents := map[string][]string{}
	for _, op := range all {
		refs := capture.RefsOf(op)
		if i := slices.IndexFunc(bad, func(a *adversary) bool { return a.device == op.Device }); i >= 0 {
			a := bad[i]
			for _, e := range refs.Events {
				if !slices.Contains(a.events, e) {
					t.Fatalf("%s wrote %s at event %s", a.name, op.Kind, e)
				}
			}
			for _, lead := range refs.Leads {
				if held := leadEvents[lead]; (len(held) > 0 || op.Kind != capture.OpCaptureAdd) && !slices.ContainsFunc(held, func(e string) bool { return slices.Contains(a.events, e) }) {
					t.Fatalf("%s wrote %s about lead %s of events %v", a.name, op.Kind, lead, held)
				}
			}
		}
		if op.Kind == capture.OpCaptureAdd && !slices.Contains(leadEvents[refs.Leads[0]], refs.Events[0]) {
			leadEvents[refs.Leads[0]] = append(leadEvents[refs.Leads[0]], refs.Events[0])
		}
	}
	for name, ops := range received {
		for _, op := range ops {
			refs := capture.RefsOf(op)
			for _, lead := range refs.Leads {
				if !visibleTo(scopes[name], lead) {
					t.Fatalf("%s received %s about lead %s, not captured at its events", name, op.Kind, lead)
				}
			}
			if op.Kind == capture.OpStaffSet && strings.Contains(string(op.Payload), `"pin_hash":"`) && !strings.Contains(string(op.Payload), `"pin_hash":""`) {
				t.Fatalf("%s received a PIN hash", name)
			}
		}
	}
}
