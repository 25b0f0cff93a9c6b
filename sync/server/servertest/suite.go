// Package servertest is the test suite every server store passes, SQLite and PostgreSQL
// alike, and helpers to make ops for it.
package servertest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
)

// allowAll lets every op in: the store's own behaviour, without the server's rules.
func allowAll(_ int, op capture.Op, _ server.View) (server.Decision, error) {
	return server.Decision{Refs: capture.RefsOf(op)}, nil
}

// CaptureOp makes a capture.add op for lead at event.
func CaptureOp(t testing.TB, device string, h capture.HLC, event, lead string, p capture.Person) capture.Op {
	t.Helper()
	c := capture.Capture{ID: capture.NewID(), LeadID: lead, EventID: event, Source: capture.SourceBoothCard, DeviceID: device,
		At: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), NoticeShown: capture.ShownNone, Person: p}
	op, err := capture.NewOp(device, h, capture.OpCaptureAdd, c.ID, c)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// Run runs the suite on stores made by open; each call must give an empty store.
func Run(t *testing.T, open func(t *testing.T) server.Store) {
	ctx := context.Background()
	dev := capture.NewID()

	t.Run("tokens", func(t *testing.T) {
		s := open(t)
		_, hash := server.NewToken()
		tok := server.Token{ID: capture.NewID(), Name: "booth 1", Hash: hash, Role: sync.RoleBooth, Events: []string{"e1"}, Created: time.Now()}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, server.Token{ID: capture.NewID(), Name: "booth 1", Hash: "other", Role: sync.RoleBooth, Created: time.Now()}); !errors.Is(err, server.ErrExists) {
			t.Fatalf("duplicate name: %v", err)
		}
		got, err := s.TokenByHash(ctx, hash)
		if err != nil || got.Name != "booth 1" || got.Events[0] != "e1" || got.Revoked != nil {
			t.Fatalf("TokenByHash: %+v %v", got, err)
		}
		if _, err := s.TokenByHash(ctx, "nope"); !errors.Is(err, server.ErrNotFound) {
			t.Fatalf("unknown hash: %v", err)
		}
		if err := s.RevokeToken(ctx, "booth 1", time.Now()); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.TokenByHash(ctx, hash); got.Revoked == nil {
			t.Fatal("revocation not kept")
		}
		if err := s.RevokeToken(ctx, "missing", time.Now()); !errors.Is(err, server.ErrNotFound) {
			t.Fatalf("revoke unknown: %v", err)
		}
		list, _ := s.Tokens(ctx)
		if len(list) != 1 {
			t.Fatalf("tokens %+v", list)
		}
	})

	t.Run("push is idempotent and pull is in order", func(t *testing.T) {
		s := open(t)
		var ops []capture.Op
		for i := 0; i < 30; i++ {
			ops = append(ops, CaptureOp(t, dev, capture.HLC(i+1)<<16, "e1", fmt.Sprintf("lead-%d", i%7), storetest.Person(i)))
		}
		res, err := s.Push(ctx, ops, allowAll)
		if err != nil || res.Applied != 30 {
			t.Fatalf("push: %+v %v", res, err)
		}
		res, err = s.Push(ctx, ops[10:], allowAll)
		if err != nil || res.Applied != 0 {
			t.Fatalf("repeat push applied again: %+v %v", res, err)
		}
		var got []capture.Op
		cursor := int64(0)
		for {
			page, next, more, err := s.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, After: cursor, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			cursor = next
			if !more {
				break
			}
		}
		if len(got) != 30 {
			t.Fatalf("pulled %d ops, want 30", len(got))
		}
		for i := range got {
			if got[i].ID != ops[i].ID || string(got[i].Payload) != string(ops[i].Payload) || got[i].HLC != ops[i].HLC {
				t.Fatalf("op %d differs or is out of order", i)
			}
		}
	})

	t.Run("refused ops are not kept and do not block", func(t *testing.T) {
		s := open(t)
		a := CaptureOp(t, dev, 1<<16, "e1", "L1", storetest.Person(1))
		b := CaptureOp(t, dev, 2<<16, "e2", "L2", storetest.Person(2))
		c := CaptureOp(t, dev, 3<<16, "e1", "L3", storetest.Person(3))
		res, err := s.Push(ctx, []capture.Op{a, b, c}, func(i int, op capture.Op, v server.View) (server.Decision, error) {
			if op.ID == b.ID {
				return server.Decision{Refused: "not your event"}, nil
			}
			return allowAll(i, op, v)
		})
		if err != nil || res.Applied != 2 || res.Refused[1] != "not your event" {
			t.Fatalf("push: %+v %v", res, err)
		}
		got, _, _, _ := s.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, Limit: 100})
		if len(got) != 2 || got[0].ID != a.ID || got[1].ID != c.ID {
			t.Fatalf("pulled %d ops", len(got))
		}
	})

	t.Run("scoped pull with backfill", func(t *testing.T) {
		s := open(t)
		tok := server.Token{ID: capture.NewID(), Name: "booth e1", Role: sync.RoleBooth, Events: []string{"e1"}}
		early := CaptureOp(t, dev, 1<<16, "e2", "L", storetest.Person(1)) // L first met at e2
		other := CaptureOp(t, dev, 2<<16, "e2", "M", storetest.Person(2))
		if _, err := s.Push(ctx, []capture.Op{early, other}, allowAll); err != nil {
			t.Fatal(err)
		}
		got, cursor, _, err := s.Pull(ctx, server.PullQuery{Role: tok.Role, Events: tok.Events, Limit: 100})
		if err != nil || len(got) != 0 {
			t.Fatalf("booth of e1 sees e2 leads: %d %v", len(got), err)
		}
		late := CaptureOp(t, dev, 3<<16, "e1", "L", storetest.Person(1)) // L now met at e1 too
		if _, err := s.Push(ctx, []capture.Op{late}, allowAll); err != nil {
			t.Fatal(err)
		}
		got, _, _, err = s.Pull(ctx, server.PullQuery{Role: tok.Role, Events: tok.Events, After: cursor, Limit: 100})
		if err != nil || len(got) != 2 || got[0].ID != early.ID || got[1].ID != late.ID {
			t.Fatalf("lead newly visible did not bring its earlier capture: %d ops %v", len(got), err)
		}
		var held []string
		res, err := s.Push(ctx, []capture.Op{mustOp(t, dev, 4<<16, capture.OpLeadCorrect, "L", capture.Correction{Fields: map[string]string{"title": "部長"}})},
			func(i int, op capture.Op, v server.View) (server.Decision, error) {
				held, _ = v.LeadEvents(op.Entity)
				return allowAll(i, op, v)
			})
		if err != nil || res.Applied != 1 || len(held) != 2 {
			t.Fatalf("lead events seen by allow: %v (%+v, %v)", held, res, err)
		}
	})

	t.Run("erasure scrubs the log", func(t *testing.T) {
		s := open(t)
		secret := capture.Person{Name: "消去 花子", Email: "hanako.erase@himitsu.example.jp", Phone: "03-9876-5432"}
		before := CaptureOp(t, dev, 1<<16, "e1", "L", secret)
		fix := mustOp(t, dev, 2<<16, capture.OpLeadCorrect, "L", capture.Correction{Fields: map[string]string{"email": "fixed@himitsu.example.jp"}})
		erase := mustOp(t, dev, 3<<16, capture.OpLeadErase, "L", capture.Erasure{Reason: "request"})
		after := CaptureOp(t, dev, 4<<16, "e1", "L", secret) // made offline before the device heard of the erasure
		for _, batch := range [][]capture.Op{{before, fix}, {erase}, {after}} {
			if _, err := s.Push(ctx, batch, allowAll); err != nil {
				t.Fatal(err)
			}
		}
		ops, _, _, err := s.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, Limit: 100})
		if err != nil || len(ops) != 4 {
			t.Fatalf("pulled %d ops, %v", len(ops), err)
		}
		for _, op := range ops {
			for _, needle := range []string{"himitsu", "消去 花子", "9876"} {
				if strings.Contains(string(op.Payload), needle) {
					t.Fatalf("%s op still holds %q: %s", op.Kind, needle, op.Payload)
				}
			}
		}
	})

	t.Run("retention erases organisation-wide", func(t *testing.T) {
		s := open(t)
		laptop := storetest.Open(t)
		_, e := storetest.Setup(t, laptop) // the notice keeps data 3 years
		old, fresh := storetest.Person(1), storetest.Person(2)
		expired, err := laptop.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: old, At: time.Date(2020, 1, 10, 10, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := laptop.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: fresh}); err != nil {
			t.Fatal(err)
		}
		local, _ := laptop.LocalOps(ctx, 0, 0)
		ops := make([]capture.Op, len(local))
		for i, o := range local {
			ops[i] = o.Op
		}
		if _, err := s.Push(ctx, ops, allowAll); err != nil {
			t.Fatal(err)
		}
		r := &server.Retention{Store: s, Mirror: storetest.Open(t)}
		erased, err := r.Run(ctx, time.Now(), true)
		if err != nil || len(erased) != 1 || erased[0].LeadID != expired.Lead.ID {
			t.Fatalf("retention on the server: %+v %v", erased, err)
		}
		all, _, _, err := s.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var log strings.Builder
		for _, op := range all {
			log.Write(op.Payload)
		}
		if strings.Contains(log.String(), old.Email) || !strings.Contains(log.String(), fresh.Email) {
			t.Fatal("the server log after retention: the expired email is kept or the fresh one is gone")
		}
		back, _, _, _ := s.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, Limit: 1000, Device: laptop.DeviceID()})
		if _, err := laptop.ApplyOps(ctx, back); err != nil {
			t.Fatal(err)
		}
		if l, _ := laptop.Lead(ctx, expired.Lead.ID); l.Erased == nil || l.Person.Email != "" {
			t.Fatalf("the laptop did not erase on pull: %+v", l.Person)
		}
		if again, err := r.Run(ctx, time.Now(), true); err != nil || len(again) != 0 {
			t.Fatalf("second run the same day: %v %v", again, err)
		}
	})

	t.Run("retention survives a log an older boothd took", func(t *testing.T) {
		s := open(t)
		a, b := CaptureOp(t, dev, 1<<16, "e1", "LA", storetest.Person(1)), CaptureOp(t, dev, 2<<16, "e1", "LB", storetest.Person(2))
		bad := []capture.Op{a, b,
			mustOp(t, dev, 3<<16, capture.OpLeadMerge, "M1", capture.MergeRecord{ID: "M1", Keep: "LA", Others: []string{"LA"}}),
			mustOp(t, dev, 4<<16, capture.OpLeadMerge, "M2", capture.MergeRecord{ID: "M2", Keep: "LA", Others: []string{"LB"}}),
			mustOp(t, dev, 5<<16, capture.OpLeadMerge, "M3", capture.MergeRecord{ID: "M3", Keep: "LB", Others: []string{"LA"}}),
			mustOp(t, dev, 6<<16, capture.OpLeadMerge, "M4", capture.MergeRecord{ID: "M4", Keep: "LA", Others: []string{"NOBODY"}}),
		}
		// An older boothd took whatever came: the store is handed the ops without the rules.
		for _, op := range bad {
			if _, err := s.Push(ctx, []capture.Op{op}, func(i int, op capture.Op, v server.View) (server.Decision, error) {
				if op.Kind == capture.OpLeadMerge { // keep the store's own merge bookkeeping out of the way
					return server.Decision{Refs: capture.Refs{Leads: []string{capture.NewID(), capture.NewID()}}}, nil
				}
				return allowAll(i, op, v)
			}); err != nil {
				t.Fatal(err)
			}
		}
		mirror := storetest.Open(t)
		r := &server.Retention{Store: s, Mirror: mirror}
		if _, err := r.Run(ctx, time.Now(), false); err != nil {
			t.Fatalf("retention over a bad log: %v", err)
		}
		aside, _ := mirror.SetAside(ctx)
		if len(aside) != 2 { // the self-merge and the cycle; the merge of an unknown lead applies
			t.Fatalf("set aside: %+v", aside)
		}
		if l, err := mirror.Lead(ctx, "LA"); err != nil || l.Captures != 2 {
			t.Fatalf("the merged lead on the mirror: %+v %v", l, err)
		}
		if _, err := r.Run(ctx, time.Now(), false); err != nil {
			t.Fatalf("second run: %v", err)
		}
	})

	t.Run("notices by hash", func(t *testing.T) {
		s := open(t)
		body := storetest.Notice()
		n := capture.Notice{ID: capture.NewID(), Version: 1, Hash: "forged", NoticeBody: body}
		if _, err := s.Push(ctx, []capture.Op{mustOp(t, dev, 1<<16, capture.OpNoticeAdd, n.ID, n)}, allowAll); err != nil {
			t.Fatal(err)
		}
		got, err := s.NoticeByHash(ctx, body.Hash())
		if err != nil || got.Title != body.Title || got.Hash != body.Hash() {
			t.Fatalf("notice by hash: %+v %v", got.Hash, err)
		}
		if _, err := s.NoticeByHash(ctx, "forged"); !errors.Is(err, server.ErrNotFound) {
			t.Fatal("a forged hash was trusted")
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func mustOp(t testing.TB, dev string, h capture.HLC, kind capture.OpKind, entity string, payload any) capture.Op {
	t.Helper()
	op, err := capture.NewOp(dev, h, kind, entity, payload)
	if err != nil {
		t.Fatal(err)
	}
	return op
}
