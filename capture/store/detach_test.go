package store_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestDetachUndoesAWrongAttach: a capture attached to the wrong lead comes out into a lead
// of its own with its fields and consents; the lead it left is as it was before, corrections
// kept; the tables equal Apply over the op log; and a second store fed the log agrees.
func TestDetachUndoesAWrongAttach(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	first, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Staff: "田中",
		Person: capture.Person{Name: "山田 花子", Company: "株式会社サンプル", Email: "hanako@sample.jp", Title: "課長"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Correct(ctx, first.Lead.ID, map[string]string{"department": "営業部"}, "名刺の裏"); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Lead(ctx, first.Lead.ID)
	// Staff took someone else for her: another 山田 花子, who opted in.
	wrong, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Staff: "佐藤",
		Person:   capture.Person{Name: "山田 花子", Company: "ベータ株式会社", Email: "h.yamada@beta.jp", Mobile: "090-5555-6666", Title: "部長"},
		Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}, Method: capture.MethodCheckbox})
	if err != nil {
		t.Fatal(err)
	}
	if wrong.Lead.Person.Company != "ベータ株式会社" || wrong.Lead.Captures != 2 {
		t.Fatalf("attach: %+v", wrong.Lead)
	}

	own, err := s.Detach(ctx, wrong.Capture.ID, "別人でした")
	if err != nil {
		t.Fatal(err)
	}
	if own.ID != wrong.Capture.ID || own.Person.Company != "ベータ株式会社" || own.Person.Mobile != "090-5555-6666" || own.Captures != 1 ||
		!own.Permission(capture.ChannelEmailMarketing).Allowed {
		t.Fatalf("own lead %+v", own)
	}
	left, _ := s.Lead(ctx, first.Lead.ID)
	if mustJSON(t, left.Person) != mustJSON(t, before.Person) || left.Captures != 1 || left.Permission(capture.ChannelEmailMarketing).Basis == capture.BasisOptIn {
		t.Fatalf("lead left %+v, want %+v", left.Person, before.Person)
	}
	caps, _ := s.CapturesOf(ctx, own.ID)
	if len(caps) != 1 || caps[0].ID != wrong.Capture.ID || caps[0].Person.Mobile != "090-5555-6666" {
		t.Fatalf("captures of the own lead %+v", caps)
	}
	assertStateMatchesLog(t, s)

	other := storetest.Open(t)
	if n, err := other.ApplyOps(ctx, logged(t, s)); err != nil || n != len(logged(t, s)) {
		aside, _ := other.SetAside(ctx)
		t.Fatalf("apply elsewhere: %d %v %+v", n, err, aside)
	}
	a, _ := s.Snapshot(ctx)
	b, _ := other.Snapshot(ctx)
	if mustJSON(t, a) != mustJSON(t, b) {
		t.Fatal("a store fed the same ops holds a different state")
	}

	// Bad detaches change nothing.
	for name, tc := range map[string]struct{ id, code string }{
		"again":     {wrong.Capture.ID, "detached_already"},
		"alone":     {first.Capture.ID, "capture_alone"},
		"not known": {"no-such-capture", "not_found"},
	} {
		_, err := s.Detach(ctx, tc.id, "")
		var ve *capture.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Code != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if _, err := s.Detach(ctx, wrong.Capture.ID, "理由\u202e"); err == nil {
		t.Error("a bidi override in the reason was accepted")
	}
	// The reason is required here, as the lead screen requires it, and a refusal changes nothing.
	again, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Person: capture.Person{Name: "山田 花子", Email: "hanako@sample.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	ops := len(logged(t, s))
	for _, reason := range []string{"", " 　"} {
		_, err := s.Detach(ctx, again.Capture.ID, reason)
		var ve *capture.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "reason" || ve.Fields[0].Code != "required" {
			t.Errorf("detach with reason %q: %v", reason, err)
		}
	}
	if n := len(logged(t, s)); n != ops {
		t.Errorf("a refused detach wrote %d ops", n-ops)
	}
}

// TestErasureAfterDetach: an erasure made knowing of a detach leaves the other person's
// capture alone; one made elsewhere without knowing of it erases that capture too.
func TestErasureAfterDetach(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	// A second device holds the wrong attach but not the detach.
	other := storetest.Open(t)
	if _, err := other.ApplyOps(ctx, logged(t, s)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}

	knowing := storetest.Open(t)
	if _, err := knowing.ApplyOps(ctx, logged(t, s)); err != nil {
		t.Fatal(err)
	}
	if _, err := knowing.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	if l, _ := knowing.Lead(ctx, mixed.Capture.ID); l.Erased != nil || l.Person.Mobile == "" {
		t.Fatalf("an erasure that knew of the detach erased the other person: %+v", l)
	}
	assertStateMatchesLog(t, knowing)

	if _, err := other.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	// The unknowing erasure meets the detach: both stores end the same, the capture erased.
	exchange(t, s, other)
	for _, st := range []*store.Store{s, other} {
		l, _ := st.Lead(ctx, mixed.Capture.ID)
		caps, _ := st.CapturesOf(ctx, mixed.Capture.ID)
		if l.Erased == nil || len(caps) != 1 || caps[0].Person.Mobile != "" {
			t.Fatalf("concurrent erasure and detach: %+v %+v", l, caps)
		}
		for _, op := range logged(t, st) {
			if op.Entity == mixed.Capture.ID && op.Kind == capture.OpCaptureAdd && strings.Contains(string(op.Payload), "090-5555-6666") {
				t.Fatal("the erased capture's number is still in the op log")
			}
		}
		assertStateMatchesLog(t, st)
	}
	a, _ := s.Snapshot(ctx)
	b, _ := other.Snapshot(ctx)
	if mustJSON(t, a) != mustJSON(t, b) {
		t.Fatal("erasure and detach in two orders left two states")
	}
}

// TestEraseTheDetachedLead: erasing the lead a detach made scrubs the capture, its op and
// the detach's reason, and leaves the lead it came from alone.
func TestEraseTheDetachedLead(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	if _, err := s.Detach(ctx, mixed.Capture.ID, "090-5555-6666 の方は別人"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, mixed.Capture.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	for _, op := range logged(t, s) {
		if strings.Contains(string(op.Payload), "090-5555-6666") {
			t.Fatalf("%s still holds the number: %s", op.Kind, op.Payload)
		}
	}
	if l, _ := s.Lead(ctx, first.Lead.ID); l.Erased != nil || l.Person.Email != "hanako@sample.jp" {
		t.Fatalf("the lead the capture left: %+v", l)
	}
	assertStateMatchesLog(t, s)
}

// wrongAttach is a store where staff attached another 山田 花子's card (the mobile) to a lead.
func wrongAttach(t *testing.T) (s *store.Store, first, mixed store.CaptureResult) {
	t.Helper()
	s = storetest.Open(t)
	_, e := storetest.Setup(t, s)
	first, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 花子", Email: "hanako@sample.jp"}})
	if err == nil {
		mixed, err = s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Person: capture.Person{Name: "山田 花子", Mobile: "090-5555-6666"}})
	}
	if err != nil {
		t.Fatal(err)
	}
	return s, first, mixed
}

// TestErasureReachesDetachedInTurn: B's card, wrongly attached to A's lead, was detached;
// C's card then joined B's lead and was detached in turn, and B's lead was merged with B's
// other lead with a value chosen from it. An erasure of A's lead made on a device that knew
// of none of it erases everything ever attached to the lead, in turn — B's and C's captures
// and leads, the merge's chosen value — in both stores, whichever order the ops meet in, and
// each store's tables equal Apply over its op log.
func TestErasureReachesDetachedInTurn(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	other := storetest.Open(t) // knows only the wrong attach
	if _, err := other.ApplyOps(ctx, logged(t, s)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	third, err := s.AddCapture(ctx, capture.NewCapture{EventID: mixed.Capture.EventID, LeadID: mixed.Capture.ID,
		Person: capture.Person{Name: "山田 花男", Email: "hanao@gamma.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Detach(ctx, third.Capture.ID, "さらに別人"); err != nil {
		t.Fatal(err)
	}
	again, err := s.AddCapture(ctx, capture.NewCapture{EventID: mixed.Capture.EventID, NewLead: true, Person: capture.Person{Name: "山田 花子", Email: "h.yamada@beta.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeLeads(ctx, again.Lead.ID, []string{mixed.Capture.ID}, map[string]string{"mobile": "090-5555-6666"}, "同一人物"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, capture.RequestRecord{Kind: "stop-use", Lead: mixed.Capture.ID, By: "佐藤", Reason: "hanao@gamma.jp からの依頼"},
		store.Act{Withdraw: []capture.Channel{capture.ChannelPhone}, Reason: "依頼"}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	exchange(t, s, other)
	for _, st := range []*store.Store{s, other} {
		for _, id := range []string{first.Lead.ID, mixed.Capture.ID, third.Capture.ID} {
			if l, _ := st.Lead(ctx, id); l.Erased == nil {
				t.Errorf("lead %s not erased", id)
			}
		}
		assertNowhereInLog(t, st, "090-5555-6666")
		assertNowhereInLog(t, st, "hanao@gamma.jp")
		if l, _ := st.Lead(ctx, again.Lead.ID); l.Erased != nil || l.Person.Email != "h.yamada@beta.jp" || l.Person.Mobile != "" {
			t.Errorf("B's other lead, never attached to A's: %+v", l.Person)
		}
		assertStateMatchesLog(t, st)
	}
	reqs, _ := s.Requests(ctx)
	if len(reqs) != 1 || reqs[0].Reason != "" {
		t.Errorf("the request naming B's lead keeps its reason: %+v", reqs)
	}
	// A merge that meets an erased lead is set aside (mergeConflict), so the store that met
	// the erasure first holds no merge; the rest is the same.
	a, _ := s.Snapshot(ctx)
	b, _ := other.Snapshot(ctx)
	if m := slices.Collect(maps.Values(a.Merges)); len(m) != 1 || m[0].Fields["mobile"] != "" {
		t.Errorf("the merge keeps the value chosen from an erased lead: %+v", m)
	}
	clear(a.Merges)
	if x, y := mustJSON(t, a), mustJSON(t, b); x != y {
		i := 0
		for i < min(len(x), len(y)) && x[i] == y[i] {
			i++
		}
		t.Fatalf("two orders left two states:\n%s\n%s", x[max(0, i-300):min(len(x), i+200)], y[max(0, i-300):min(len(y), i+200)])
	}
}

// TestLateOpsOfAnErasedDetachedLead: ops about a detached capture's own lead that meet its
// erasure out of order leave no personal data in the op log, and the tables equal Apply over
// it: the capture itself arriving after its detach and its own lead's erasure; and a card
// attached to the own lead arriving before the detach that puts the lead under an erasure.
func TestLateOpsOfAnErasedDetachedLead(t *testing.T) {
	t.Run("the capture after its detach and erasure", func(t *testing.T) {
		s, _, mixed := wrongAttach(t)
		if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Erase(ctx, mixed.Capture.ID, "本人からの削除依頼"); err != nil {
			t.Fatal(err)
		}
		rest, card := splitLog(t, s, func(op capture.Op) bool { return op.Kind == capture.OpCaptureAdd && op.Entity == mixed.Capture.ID })
		// as the device that took the card still holds and pushes it
		late, _ := capture.NewOp(card[0].Device, card[0].HLC, card[0].Kind, card[0].Entity, mixed.Capture)
		late.ID = card[0].ID
		z := inTurn(t, rest, []capture.Op{late})
		assertNowhereInLog(t, z, "090-5555-6666")
		assertStateMatchesLog(t, z)
	})
	t.Run("a card of the own lead before the detach", func(t *testing.T) {
		s, first, mixed := wrongAttach(t)
		other := storetest.Open(t)
		if _, err := other.ApplyOps(ctx, logged(t, s)); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: mixed.Capture.EventID, LeadID: mixed.Capture.ID,
			Person: capture.Person{Name: "山田 花子", Email: "h.yamada@beta.jp"}}); err != nil {
			t.Fatal(err)
		}
		rest, detach := splitLog(t, s, isDetach)
		z := inTurn(t, logged(t, other), rest, detach)
		if l, _ := z.Lead(ctx, mixed.Capture.ID); l.Erased == nil {
			t.Fatalf("the own lead of a capture detached from an erased lead: %+v", l)
		}
		assertNowhereInLog(t, z, "h.yamada@beta.jp")
		assertStateMatchesLog(t, z)
	})
}

// TestSparedCaptureKeepsItsEvidence: an erasure that spares a detached capture, met before
// the detach, leaves that capture's op in the log as it leaves the capture.
func TestSparedCaptureKeepsItsEvidence(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	rest, detach := splitLog(t, s, isDetach)
	z := inTurn(t, rest, detach)
	if l, _ := z.Lead(ctx, mixed.Capture.ID); l.Erased != nil || l.Person.Mobile != "090-5555-6666" {
		t.Fatalf("the spared capture's lead: %+v", l)
	}
	assertStateMatchesLog(t, z)
}

// exchange gives each of two stores the other's op log, a's first.
func exchange(t *testing.T, a, b *store.Store) {
	t.Helper()
	if _, err := a.ApplyOps(ctx, logged(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApplyOps(ctx, logged(t, a)); err != nil {
		t.Fatal(err)
	}
}

// splitLog parts s's op log into the ops pick leaves and those it takes, each in log order.
func splitLog(t *testing.T, s *store.Store, pick func(capture.Op) bool) (rest, picked []capture.Op) {
	t.Helper()
	for _, op := range logged(t, s) {
		if pick(op) {
			picked = append(picked, op)
		} else {
			rest = append(rest, op)
		}
	}
	return rest, picked
}

func isDetach(op capture.Op) bool { return op.Kind == capture.OpCaptureDetach }

// inTurn is a new store fed batches one after another, as a device meets ops out of order.
func inTurn(t *testing.T, batches ...[]capture.Op) *store.Store {
	t.Helper()
	z := storetest.Open(t)
	for _, batch := range batches {
		if _, err := z.ApplyOps(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	return z
}

// assertNowhereInLog fails when any op in s's log still holds value.
func assertNowhereInLog(t *testing.T, s *store.Store, value string) {
	t.Helper()
	for _, op := range logged(t, s) {
		if strings.Contains(string(op.Payload), value) {
			t.Errorf("%s %s still holds %s", op.Kind, op.Entity, value)
		}
	}
}

// TestEraseAfterMergingBack: staff detached a capture, then merged its lead back (the same
// person after all); erasing the merged lead erases that capture too, in its row and its op.
func TestEraseAfterMergingBack(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人と思った"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeLeads(ctx, first.Lead.ID, []string{mixed.Capture.ID}, nil, "やはり同一人物"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, first.Lead.ID, "本人からの削除依頼"); err != nil {
		t.Fatal(err)
	}
	if caps, _ := s.CapturesOf(ctx, mixed.Capture.ID); len(caps) != 1 || !caps[0].Person.IsZero() {
		t.Fatalf("the capture merged back keeps %+v", caps)
	}
	assertNowhereInLog(t, s, "090-5555-6666")
	assertStateMatchesLog(t, s)
}

// TestWithdrawalGoesWithTheDetachedCapture: "stop phoning" recorded while another person's
// card sat in the lead holds for that card's own lead after the detach, in either order of
// arrival, and a later withdrawal on the lead it left does not.
func TestWithdrawalGoesWithTheDetachedCapture(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	if _, err := s.Withdraw(ctx, first.Lead.ID, []capture.Channel{capture.ChannelPhone}, "電話はしないで"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Withdraw(ctx, first.Lead.ID, []capture.Channel{capture.ChannelPostal}, "郵送も不要"); err != nil {
		t.Fatal(err)
	}
	own, _ := s.Lead(ctx, mixed.Capture.ID)
	if own.Permission(capture.ChannelPhone).Basis != capture.BasisWithdrawn || own.Permission(capture.ChannelPostal).Basis == capture.BasisWithdrawn {
		t.Fatalf("own lead permissions %+v", own.Permissions())
	}
	assertStateMatchesLog(t, s)
	// Another device receives the ops in another order: the detach before the withdrawal.
	ops := logged(t, s)
	other := storetest.Open(t)
	var late []capture.Op
	for _, op := range ops {
		if op.Kind == capture.OpLeadWithdraw {
			late = append(late, op)
			continue
		}
		if _, err := other.ApplyOps(ctx, []capture.Op{op}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := other.ApplyOps(ctx, late); err != nil {
		t.Fatal(err)
	}
	// A third receives the card itself last, after its detach and the withdrawals.
	third := storetest.Open(t)
	var card []capture.Op
	for _, op := range ops {
		if op.Kind == capture.OpCaptureAdd && op.Entity == mixed.Capture.ID {
			card = append(card, op)
			continue
		}
		if _, err := third.ApplyOps(ctx, []capture.Op{op}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := third.ApplyOps(ctx, card); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Snapshot(ctx)
	for _, st := range []*store.Store{other, third} {
		b, _ := st.Snapshot(ctx)
		if mustJSON(t, a.Leads) != mustJSON(t, b.Leads) {
			t.Fatal("the withdrawal reached the detached lead in one order only")
		}
	}
}

// TestProvisionsFollowTheDetachedCard: a list given to a third party while the card sat in
// the wrong lead is among the detached lead's provisions (Art.33); one given after is not.
func TestProvisionsFollowTheDetachedCard(t *testing.T) {
	s, first, mixed := wrongAttach(t)
	record := func(recipient string, at time.Time) capture.ExportRecord {
		t.Helper()
		r, err := s.RecordExport(ctx, capture.ExportRecord{By: "田中", Use: capture.UseThirdParty, Basis: capture.BasisThirdParty, At: at,
			Recipient: recipient, Format: "csv", Count: 1, Leads: []string{first.Lead.ID}, Events: []string{mixed.Capture.EventID}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	before := record("株式会社サンプル販売", time.Now().Add(-time.Hour))
	if _, err := s.Detach(ctx, mixed.Capture.ID, "別人"); err != nil {
		t.Fatal(err)
	}
	record("株式会社あとから販売", time.Now().Add(time.Minute))
	got, err := s.ExportRecords(ctx, mixed.Capture.ID, true)
	if err != nil || len(got) != 1 || got[0].ID != before.ID {
		t.Fatalf("provisions of the detached lead: %+v %v", got, err)
	}
	if left, _ := s.ExportRecords(ctx, first.Lead.ID, true); len(left) != 2 {
		t.Fatalf("provisions of the lead it left: %d, want 2", len(left))
	}
}
