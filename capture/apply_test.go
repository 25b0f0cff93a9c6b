package capture

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// randomOps builds a random history made offline on several devices: org and event edits,
// captures of a small pool of people (so leads collide), corrections, withdrawals, erasures.
func randomOps(t *testing.T, r *rand.Rand, n int) []Op {
	t.Helper()
	devices := []string{"dev-a", "dev-b", "dev-c"}
	leads := []string{"lead-1", "lead-2", "lead-3", "lead-4"}
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var ops []Op
	used := map[Stamp]bool{}
	mk := func(kind OpKind, entity string, payload any) {
		// Readings collide across devices on purpose, to exercise the device tie-break; one
		// device never issues the same reading twice, as a real clock does not.
		var st Stamp
		for st.Device == "" || used[st] {
			st = Stamp{HLC: HLC(r.IntN(40)) << hlcLogicalBits, Device: devices[r.IntN(len(devices))]}
		}
		used[st] = true
		op, err := NewOp(st.Device, st.HLC, kind, entity, payload)
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	notice := Notice{ID: "notice-1", Version: 1, NoticeBody: NoticeBody{Title: "t", Lang: "ja", Purposes: []string{"p"}}}
	notice.Hash = notice.NoticeBody.Hash()
	mk(OpNoticeAdd, notice.ID, notice)
	var merges []string
	type made struct{ id, lead string }
	var captures []made
	detached := map[string][]string{} // lead → captures detached from it
	for i := 0; i < n; i++ {
		lead := leads[r.IntN(len(leads))]
		switch k := r.IntN(10); {
		case k == 0:
			mk(OpOrgSet, "org", Org{Name: fmt.Sprintf("org %d", r.IntN(5))})
		case k == 1:
			mk(OpEventSet, "event-1", Event{ID: "event-1", Name: fmt.Sprintf("expo %d", r.IntN(5)), Date: "2026-11-20", NoticeID: "notice-1"})
		case k <= 5:
			c := Capture{
				ID: fmt.Sprintf("cap-%d", i), LeadID: lead, EventID: "event-1", Source: Sources[r.IntN(len(Sources))],
				At: base.Add(time.Duration(r.IntN(1000)) * time.Minute), NoticeID: "notice-1", NoticeShown: ShownScreen,
				Person: Person{Name: fmt.Sprintf("名前%d", r.IntN(3)), Email: fmt.Sprintf("p%d@example.jp", r.IntN(3)), Phone: "03-1234-5678"},
				Rating: []Rating{"", "A", "B"}[r.IntN(3)],
			}
			for _, kind := range ConsentKinds {
				if r.IntN(2) == 0 {
					c.Consents = append(c.Consents, Consent{Kind: kind, Method: MethodCheckbox})
				}
			}
			mk(OpCaptureAdd, c.ID, c)
			captures = append(captures, made{c.ID, lead})
		case k <= 7:
			mk(OpLeadCorrect, lead, Correction{Fields: map[string]string{"title": fmt.Sprintf("部長%d", r.IntN(4)), "email": ""}, Reason: "card"})
		case k == 8:
			mk(OpLeadWithdraw, lead, Withdrawal{Channels: []Channel{Channels[r.IntN(len(Channels))]}, Reason: "asked"})
		default:
			switch r.IntN(5) {
			case 0:
				// The eraser may or may not know of the captures detached from the lead.
				var spares []string
				for _, id := range detached[lead] {
					if r.IntN(2) == 0 {
						spares = append(spares, id)
					}
				}
				mk(OpLeadErase, lead, Erasure{Reason: "request", Spares: spares})
			case 4:
				if len(captures) > 0 {
					c := captures[r.IntN(len(captures))]
					mk(OpCaptureDetach, c.id, Detach{Capture: c.id, From: c.lead, Event: "event-1", Reason: "取り違え"})
					detached[c.lead] = append(detached[c.lead], c.id)
					leads = append(leads, c.id) // its own lead: corrected, erased, merged like any
				}
			case 1:
				id := fmt.Sprintf("merge-%d", i)
				merges = append(merges, id)
				mk(OpLeadMerge, id, MergeRecord{ID: id, Keep: lead, Others: []string{leads[(r.IntN(3)+1+slices.Index(leads, lead))%len(leads)]}})
			case 2:
				if len(merges) > 0 {
					id := merges[r.IntN(len(merges))]
					mk(OpLeadUnmerge, id, Unmerge{MergeID: id})
				}
			default:
				other := leads[r.IntN(len(leads))]
				mk(OpLeadLink, LinkKey(lead, other), Link{Leads: []string{lead, other}, Relation: []string{RelationConcurrent, RelationDistinct}[r.IntN(2)]})
			}
		}
	}
	return ops
}

func stateJSON(t *testing.T, s *State) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestApplyConvergesForAnyOrderAndRepeats(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		ops := randomOps(t, r, 60)
		want, err := Replay(ops)
		if err != nil {
			t.Fatal(err)
		}
		wantJSON := stateJSON(t, want)
		for trial := 0; trial < 5; trial++ {
			shuffled := append([]Op(nil), ops...)
			for i := 0; i < len(ops)/3; i++ { // repeats, as a retried sync delivers them
				shuffled = append(shuffled, ops[r.IntN(len(ops))])
			}
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got, err := Replay(dedupeFirst(shuffled))
			if err != nil {
				t.Fatal(err)
			}
			if g := stateJSON(t, got); g != wantJSON {
				t.Fatalf("seed %d trial %d: state differs by order:\n%s", seed, trial, firstDifference(wantJSON, g))
			}
		}
	}
}

// dedupeFirst drops ops already seen, as the op log's UNIQUE(op_id) does. Apply itself is
// only required to be idempotent for captures and notices; the log guarantees the rest.
func dedupeFirst(ops []Op) []Op {
	seen := map[string]bool{}
	var out []Op
	for _, op := range ops {
		if !seen[op.ID] {
			seen[op.ID] = true
			out = append(out, op)
		}
	}
	return out
}

func TestErasureBeatsEverything(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	capOp, _ := NewOp("a", 5<<16, OpCaptureAdd, "c1", Capture{ID: "c1", LeadID: "L", At: at, Person: Person{Name: "山田太郎", Email: "t@example.jp"}, Note: "met at booth"})
	erase, _ := NewOp("b", 1<<16, OpLeadErase, "L", Erasure{Reason: "request"})
	fix, _ := NewOp("a", 9<<16, OpLeadCorrect, "L", Correction{Fields: map[string]string{"name": "山田"}})
	for _, order := range [][]Op{{capOp, erase, fix}, {erase, fix, capOp}, {fix, capOp, erase}} {
		s, err := Replay(order)
		if err != nil {
			t.Fatal(err)
		}
		l := s.Leads["L"]
		if l.Erased == nil || !l.Person.IsZero() {
			t.Fatalf("lead not erased: %+v", l)
		}
		if c := s.Captures["c1"]; !c.Person.IsZero() || c.Note != "" {
			t.Fatalf("capture keeps personal data after erasure: %+v", c)
		}
		if l.Permission(ChannelIndividualContact).Allowed {
			t.Fatal("erased lead still allowed for contact")
		}
	}
}

func TestPermissionsFromCapturesAndWithdrawals(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	card := Capture{ID: "c1", LeadID: "L", Source: SourceBoothCard, At: at, Person: Person{Name: "a", Email: "a@example.jp", Phone: "03-1111-2222"}}
	survey := Capture{ID: "c2", LeadID: "L", Source: SourceSurvey, At: at, Person: Person{Name: "a", Email: "a@example.jp"},
		Consents: []Consent{{ConsentPurpose, MethodCheckbox}, {ConsentEmailOptIn, MethodCheckbox}}}
	op1, _ := NewOp("a", 1<<16, OpCaptureAdd, "c1", card)
	s, _ := Replay([]Op{op1})
	l := s.Leads["L"]
	if p := l.Permission(ChannelEmailMarketing); !p.Allowed || p.Basis != BasisBusinessCard {
		t.Fatalf("card capture: email_marketing = %+v, want business_card", p)
	}
	if p := l.Permission(ChannelThirdParty); p.Allowed {
		t.Fatalf("card capture allows third party: %+v", p)
	}
	if p := l.Permission(ChannelPhone); !p.Allowed || p.Basis != BasisCardExchange {
		t.Fatalf("phone = %+v", p)
	}
	op2, _ := NewOp("a", 2<<16, OpCaptureAdd, "c2", survey)
	s.Apply(op2)
	if p := l.Permission(ChannelEmailMarketing); p.Basis != BasisOptIn || p.Evidence != "c2" {
		t.Fatalf("opt-in should be the stronger basis: %+v", p)
	}
	w, _ := NewOp("a", 3<<16, OpLeadWithdraw, "L", Withdrawal{Channels: []Channel{ChannelEmailMarketing}, Reason: "unsubscribe"})
	s.Apply(w)
	if p := l.Permission(ChannelEmailMarketing); p.Allowed || p.Basis != BasisWithdrawn || p.Reason != "unsubscribe" {
		t.Fatalf("after opt-out: %+v", p)
	}
	if p := l.Permission(ChannelIndividualContact); !p.Allowed {
		t.Fatalf("opt-out of email must not stop individual contact: %+v", p)
	}
	again := survey
	again.ID = "c3"
	op3, _ := NewOp("b", 4<<16, OpCaptureAdd, "c3", again)
	s.Apply(op3)
	if p := l.Permission(ChannelEmailMarketing); !p.Allowed || p.Evidence != "c3" {
		t.Fatalf("fresh opt-in after opt-out: %+v", p)
	}
}

func TestClockIsMonotonicAndObservesRemote(t *testing.T) {
	fixed := time.UnixMilli(1000)
	c := NewClock(0, func() time.Time { return fixed })
	a, b := c.Now(), c.Now()
	if b <= a {
		t.Fatalf("clock did not advance: %d then %d", a, b)
	}
	remote := HLC(5000) << hlcLogicalBits
	c.Observe(remote)
	if n := c.Now(); n <= remote {
		t.Fatalf("clock went below an observed reading: %d <= %d", n, remote)
	}
	if got := a.Time(); !got.Equal(fixed) {
		t.Fatalf("wall time %v, want %v", got, fixed)
	}
}

// firstDifference shows where two long strings part, with some context.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("want …%s\n got …%s", a[from:min(len(a), i+100)], b[from:min(len(b), i+100)])
}

// TestErasureReachesWhatWasDetachedInTurn: A's lead L once held B's card c1, detached into
// lead c1; B's next card c2 joined lead c1 and was detached in turn (a third person), and
// staff merged lead c1 with B's other lead M, choosing values from it. An erasure of L made
// without knowing of the detaches erases c1 and everything ever attached to it — c2 and its
// own lead too, the merge's chosen values, the reason of a request naming c1 — and gives
// the same state whichever order the ops arrive in.
func TestErasureReachesWhatWasDetachedInTurn(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var h HLC
	mk := func(kind OpKind, entity string, payload any) Op {
		h += 1 << hlcLogicalBits
		op, err := NewOp("dev-a", h, kind, entity, payload)
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	card := func(id, lead, name, email string) Op {
		return mk(OpCaptureAdd, id, Capture{ID: id, LeadID: lead, EventID: "e1", At: at, Person: Person{Name: name, Email: email}})
	}
	ops := []Op{
		card("ca", "L", "A", "a@example.jp"),
		card("c1", "L", "B", "b@example.jp"),
		card("cm", "M", "B", "b2@example.jp"),
		mk(OpCaptureDetach, "c1", Detach{Capture: "c1", From: "L", Event: "e1", Reason: "別人"}),
		card("c2", "c1", "C", "c@example.jp"),
		mk(OpCaptureDetach, "c2", Detach{Capture: "c2", From: "c1", Event: "e1", Reason: "さらに別人"}),
		mk(OpLeadMerge, "m1", MergeRecord{ID: "m1", Keep: "M", Others: []string{"c1"}, Fields: map[string]string{"email": "b@example.jp"}, Reason: "b@example.jp で同一"}),
		mk(OpRequest, "r1", RequestRecord{ID: "r1", Kind: "stop-use", Lead: "c1", By: "佐藤", Reason: "b@example.jp 宛の案内停止", Outcome: "stopped all"}),
		mk(OpLeadErase, "L", Erasure{Reason: "本人からの削除依頼"}),
	}
	want, err := Replay(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"L", "c1", "c2"} {
		if l := want.Leads[id]; l.Erased == nil || !l.Person.IsZero() {
			t.Errorf("lead %s not erased: %+v", id, l)
		}
	}
	for _, id := range []string{"ca", "c1", "c2"} {
		if c := want.Captures[id]; !c.Person.IsZero() {
			t.Errorf("capture %s keeps %+v", id, c.Person)
		}
	}
	if m := want.Merges["m1"]; m.Fields["email"] != "" || m.Reason != "" {
		t.Errorf("the merge keeps what staff wrote about an erased lead: %+v", m)
	}
	if r := want.Requests["r1"]; r.Reason != "" {
		t.Errorf("the request keeps its reason: %+v", r)
	}
	if l := want.Leads["M"]; l.Erased != nil || l.Person.Email != "b2@example.jp" {
		t.Errorf("lead M, never attached to L, was erased: %+v", l)
	}
	wantJSON := stateJSON(t, want)
	r := rand.New(rand.NewPCG(12, 7))
	for trial := 0; trial < 300; trial++ {
		shuffled := slices.Clone(ops)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := Replay(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if g := stateJSON(t, got); g != wantJSON {
			t.Fatalf("trial %d: state differs by order:\n%s", trial, firstDifference(wantJSON, g))
		}
	}
}
