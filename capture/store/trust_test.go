package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

func logged(t *testing.T, s *store.Store) []capture.Op {
	t.Helper()
	list, err := s.Ops(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]capture.Op, len(list))
	for i, o := range list {
		out[i] = o.Op
	}
	return out
}

func opOf(t *testing.T, device string, h capture.HLC, kind capture.OpKind, entity string, payload any) capture.Op {
	t.Helper()
	op, err := capture.NewOp(device, h, kind, entity, payload)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// TestRemoteOpsThatCannotApplyAreSetAside: a device fed a log with a self-merge, a merge cycle,
// a far-future clock and nonsense keeps going, sets each bad op aside with its reason, and
// holds exactly what Apply makes of the rest.
func TestRemoteOpsThatCannotApplyAreSetAside(t *testing.T) {
	a := storetest.Open(t)
	_, e := storetest.Setup(t, a)
	var leads []string
	for i := range 2 {
		r, err := a.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(i)})
		if err != nil {
			t.Fatal(err)
		}
		leads = append(leads, r.Lead.ID)
	}
	good := logged(t, a)
	dev, now := capture.NewID(), capture.NewClock(0, nil).Now()
	bad := []capture.Op{
		opOf(t, dev, now, capture.OpLeadMerge, "0000self", capture.MergeRecord{ID: "0000self", Keep: leads[0], Others: []string{leads[0]}}),
		opOf(t, dev, now+2, capture.OpLeadMerge, "0000back", capture.MergeRecord{ID: "0000back", Keep: leads[1], Others: []string{leads[0]}}), // after the one below: a cycle
		opOf(t, dev, capture.HLC(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())<<16, capture.OpLeadCorrect, leads[0], capture.Correction{Fields: map[string]string{"title": "未来"}}),
		opOf(t, dev, now+3, capture.OpLeadCorrect, leads[0], capture.Correction{Fields: map[string]string{"title": "NUL\x00"}}),
		{ID: capture.NewID(), Device: dev, HLC: now + 4, Kind: "lead.teleport", Entity: leads[0], Payload: json.RawMessage(`{}`)},
	}
	merge := opOf(t, dev, now+1, capture.OpLeadMerge, "0000fwd", capture.MergeRecord{ID: "0000fwd", Keep: leads[0], Others: []string{leads[1]}})
	feed := append(append(slices.Clone(good), merge), bad[1:]...)
	feed = append(feed, bad[0])

	b := storetest.Open(t)
	n, err := b.ApplyOps(ctx, feed)
	if err != nil || n != len(good)+1 {
		t.Fatalf("apply: %d of %d, %v", n, len(good)+1, err)
	}
	aside, err := b.SetAside(ctx)
	if err != nil || len(aside) != len(bad) {
		t.Fatalf("set aside: %+v %v", aside, err)
	}
	for _, x := range aside {
		if x.Local || x.Reason == "" || !slices.ContainsFunc(bad, func(o capture.Op) bool { return o.ID == x.OpID }) {
			t.Fatalf("set aside: %+v", x)
		}
	}
	if l, err := b.Lead(ctx, leads[0]); err != nil || l.Captures != 2 {
		t.Fatalf("the merged lead: %+v %v", l, err)
	}
	// The far clock did not drag this device's clock with it.
	if _, err := b.Correct(ctx, leads[0], map[string]string{"title": "今"}, ""); err != nil {
		t.Fatal(err)
	}
	ops := logged(t, b)
	if h := ops[len(ops)-1].HLC; h.Time().After(time.Now().Add(capture.MaxClockSkew + time.Minute)) {
		t.Fatalf("the device's clock jumped to %s", h.Time())
	}
	assertStateMatchesLog(t, b)
	// A repeat of the same feed changes nothing.
	if n, err := b.ApplyOps(ctx, feed); err != nil || n != 0 {
		t.Fatalf("repeat: %d %v", n, err)
	}
}

// TestErasureScrubsWhatStaffWroteAboutThePerson: values chosen in a merge, its reason, the
// reasons of withdrawals and requests go with the erasure, in the state and in the op log,
// also for a request record that arrives after the erasure.
func TestErasureScrubsWhatStaffWroteAboutThePerson(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	const secret = "himitsu.note@example.jp"
	var leads []string
	for i := range 2 {
		r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(i), NewLead: true})
		if err != nil {
			t.Fatal(err)
		}
		leads = append(leads, r.Lead.ID)
	}
	m, err := s.MergeLeads(ctx, leads[0], leads[1:], map[string]string{"email": secret}, "同じ人 "+secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Withdraw(ctx, leads[1], []capture.Channel{capture.ChannelEmailMarketing}, "電話で "+secret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, capture.RequestRecord{Kind: "stop-use", Lead: leads[1], By: "佐藤", Reason: "本人 " + secret, Outcome: "stopped"},
		store.Act{Withdraw: []capture.Channel{capture.ChannelPostal}, Reason: "本人 " + secret}); err != nil {
		t.Fatal(err)
	}
	holds := func() string {
		for _, op := range logged(t, s) {
			if strings.Contains(string(op.Payload), secret) {
				return string(op.Kind) + " op"
			}
		}
		snap, _ := s.Snapshot(ctx)
		if strings.Contains(mustJSON(t, snap), secret) {
			return "state"
		}
		return ""
	}
	if holds() == "" {
		t.Fatal("the secret was never stored: the check below could not fail")
	}
	if _, err := s.Erase(ctx, leads[0], "削除請求"); err != nil {
		t.Fatal(err)
	}
	late := opOf(t, capture.NewID(), capture.NewClock(0, nil).Now(), capture.OpRequest, "0000late",
		capture.RequestRecord{ID: "0000late", Kind: "erase", Lead: leads[1], Reason: "遅れて届いた " + secret, Outcome: "erased", Received: time.Now(), Done: time.Now()})
	if n, err := s.ApplyOps(ctx, []capture.Op{late}); err != nil || n != 1 {
		t.Fatalf("late request: %d %v", n, err)
	}
	if where := holds(); where != "" {
		t.Fatalf("the %s still holds what staff wrote about the erased person", where)
	}
	if got, _ := s.Merge(ctx, m.ID); got.Reason != "" || got.Fields["email"] != "" {
		t.Fatalf("merge after erasure: %+v", got)
	}
	assertStateMatchesLog(t, s)
}

// TestRefusedMergeIsUndoneHere: when the server refuses a merge made here (another device
// merged the same leads the other way round first), this device undoes it and lists it.
func TestRefusedMergeIsUndoneHere(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	var leads []string
	for i := range 2 {
		r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: storetest.Person(i), NewLead: true})
		if err != nil {
			t.Fatal(err)
		}
		leads = append(leads, r.Lead.ID)
	}
	m, err := s.MergeLeads(ctx, leads[0], leads[1:], nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if into, _ := s.MergedInto(ctx, leads[1]); into != leads[0] {
		t.Fatal("merge not made")
	}
	var opID string
	for _, op := range logged(t, s) {
		if op.Kind == capture.OpLeadMerge {
			opID = op.ID
		}
	}
	if err := s.Refused(ctx, opID, "lead is already merged into another"); err != nil {
		t.Fatal(err)
	}
	if into, _ := s.MergedInto(ctx, leads[1]); into != "" {
		t.Fatalf("refused merge %s still stands", m.ID)
	}
	aside, _ := s.SetAside(ctx)
	if len(aside) != 1 || !aside[0].Local || aside[0].OpID != opID {
		t.Fatalf("set aside: %+v", aside)
	}
	// The other way round, as the server has it, now applies.
	other := opOf(t, capture.NewID(), capture.NewClock(0, nil).Now(), capture.OpLeadMerge, "0000them", capture.MergeRecord{ID: "0000them", Keep: leads[1], Others: leads[:1]})
	if n, err := s.ApplyOps(ctx, []capture.Op{other}); err != nil || n != 1 {
		t.Fatalf("the server's merge: %d %v", n, err)
	}
	if into, _ := s.MergedInto(ctx, leads[0]); into != leads[1] {
		t.Fatal("the server's merge does not show")
	}
}
