package servertest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
)

// Hostile is a running boothd (real HTTP on loopback) over one store, with tokens for the
// situations a lost, cloned or outdated device creates: admin; booth1 and manager1 of event
// e1; booth2 and manager2 of e2.
type Hostile struct {
	T      testing.TB
	URL    string
	Store  server.Store
	Tokens map[string]string
	// Devices holds one device id per token name, each bound to that token on first push.
	Devices map[string]string
}

// NewHostile serves store on loopback with the fixture's tokens.
func NewHostile(t testing.TB, st server.Store) *Hostile {
	t.Helper()
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	h := &Hostile{T: t, URL: srv.URL, Store: st, Tokens: map[string]string{}, Devices: map[string]string{}}
	for _, spec := range []struct {
		name, role, event string
	}{{"admin", sync.RoleAdmin, ""}, {"booth1", sync.RoleBooth, "e1"}, {"manager1", sync.RoleManager, "e1"},
		{"booth2", sync.RoleBooth, "e2"}, {"manager2", sync.RoleManager, "e2"}} {
		tok, hash := server.NewToken()
		var events []string
		if spec.event != "" {
			events = []string{spec.event}
		}
		if err := st.CreateToken(t.Context(), server.Token{ID: capture.NewID(), Name: spec.name, Hash: hash, Role: spec.role, Events: events, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
		h.Tokens[spec.name], h.Devices[spec.name] = tok, capture.NewID()
	}
	return h
}

// Do sends one request with a raw Authorization header value.
func (h *Hostile) Do(method, path, auth string, body []byte) (int, []byte) {
	h.T.Helper()
	req, _ := http.NewRequest(method, h.URL+path, bytes.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// Push pushes ops as token from the device bound to it; it fails the test on a non-200.
func (h *Hostile) Push(token string, ops ...capture.Op) sync.PushResponse {
	h.T.Helper()
	code, body := h.PushAs(token, h.Devices[token], ops...)
	if code != 200 {
		h.T.Fatalf("push as %s: %d %s", token, code, body)
	}
	var resp sync.PushResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		h.T.Fatal(err)
	}
	return resp
}

// PushAs pushes ops as token claiming to be device.
func (h *Hostile) PushAs(token, device string, ops ...capture.Op) (int, []byte) {
	h.T.Helper()
	req := sync.PushRequest{Version: sync.Version, Device: device}
	for i, op := range ops {
		req.Ops = append(req.Ops, sync.SeqOp{Seq: int64(i + 1), Op: op})
	}
	b, _ := json.Marshal(req)
	return h.Do("POST", "/v1/sync/push", "Bearer "+h.Tokens[token], b)
}

// Pull pulls one page after cursor as token.
func (h *Hostile) Pull(token string, after int64) sync.PullResponse {
	h.T.Helper()
	code, body := h.Do("GET", "/v1/sync/pull?after="+itoa(after)+"&device="+h.Devices[token], "Bearer "+h.Tokens[token], nil)
	if code != 200 {
		h.T.Fatalf("pull as %s: %d %s", token, code, body)
	}
	var resp sync.PullResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		h.T.Fatal(err)
	}
	return resp
}

// PullAll pulls every page as token.
func (h *Hostile) PullAll(token string) []capture.Op {
	h.T.Helper()
	var all []capture.Op
	for after := int64(0); ; {
		resp := h.Pull(token, after)
		all, after = append(all, resp.Ops...), resp.Cursor
		if !resp.More {
			return all
		}
	}
}

// Op makes an op on the device of token.
func (h *Hostile) Op(token string, kind capture.OpKind, entity string, payload any) capture.Op {
	h.T.Helper()
	return mustOp(h.T, h.Devices[token], now(), kind, entity, payload)
}

// Capture makes a capture op on the device of token.
func (h *Hostile) Capture(token, event, lead string, p capture.Person) capture.Op {
	h.T.Helper()
	return CaptureOp(h.T, h.Devices[token], now(), event, lead, p)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// now is a clock reading of the present.
func now() capture.HLC { return capture.NewClock(0, nil).Now() }

// refusedFor returns the reason the op at seq was refused, or "".
func refusedFor(resp sync.PushResponse, seq int64) string {
	for _, r := range resp.Refused {
		if r.Seq == seq {
			return r.Reason
		}
	}
	return ""
}

// RunHostile runs the hostile-device suite on stores made by open: each row of the table
// of what boothd once trusted is a test.
func RunHostile(t *testing.T, open func(t *testing.T) server.Store) {
	people := func(i int) capture.Person { return storetest.Person(i) }

	t.Run("merges that cannot hurt", func(t *testing.T) {
		h := NewHostile(t, open(t))
		a, b := h.Capture("admin", "e1", "LA", people(1)), h.Capture("admin", "e1", "LB", people(2))
		h.Push("admin", a, b)
		self := h.Op("admin", capture.OpLeadMerge, "M0", capture.MergeRecord{ID: "M0", Keep: "LA", Others: []string{"LA"}})
		ab := h.Op("admin", capture.OpLeadMerge, "M1", capture.MergeRecord{ID: "M1", Keep: "LA", Others: []string{"LB"}})
		ba := h.Op("admin", capture.OpLeadMerge, "M2", capture.MergeRecord{ID: "M2", Keep: "LB", Others: []string{"LA"}})
		unknown := h.Op("admin", capture.OpLeadMerge, "M3", capture.MergeRecord{ID: "M3", Keep: "LA", Others: []string{"NOBODY"}})
		unmergeUnknown := h.Op("admin", capture.OpLeadUnmerge, "M9", capture.Unmerge{MergeID: "M9"})
		resp := h.Push("admin", self, ab, ba, unknown, unmergeUnknown)
		for seq, want := range map[int64]string{1: "more than once", 3: "already merged", 4: "not known", 5: "not known"} {
			if got := refusedFor(resp, seq); !strings.Contains(got, want) {
				t.Errorf("op %d: refused %q, want %q", seq, got, want)
			}
		}
		if refusedFor(resp, 2) != "" || resp.Applied != 1 {
			t.Fatalf("the good merge: %+v", resp)
		}
		// Undone, the leads may be merged the other way round.
		undo := h.Op("admin", capture.OpLeadUnmerge, "M1", capture.Unmerge{MergeID: "M1"})
		again := h.Op("admin", capture.OpLeadMerge, "M4", capture.MergeRecord{ID: "M4", Keep: "LB", Others: []string{"LA"}})
		if resp := h.Push("admin", undo, again); len(resp.Refused) != 0 {
			t.Fatalf("merge after undo: %+v", resp.Refused)
		}
	})

	t.Run("detaches name what the server holds, and ids stay apart", func(t *testing.T) {
		h := NewHostile(t, open(t))
		c1, c2 := h.Capture("booth1", "e1", "L1", people(1)), h.Capture("booth1", "e1", "L1", people(2))
		other := h.Capture("booth2", "e2", "L2", people(3))
		h.Push("booth1", c1, c2, h.Capture("booth1", "e1", "L3", people(7)))
		h.Push("booth2", other)
		detach := func(token, capture_, from, event string) capture.Op {
			return h.Op(token, capture.OpCaptureDetach, capture_, capture.Detach{Capture: capture_, From: from, Event: event, Reason: "別人"})
		}
		resp := h.Push("manager1",
			detach("manager1", c2.Entity, "L3", "e1"),                         // not the lead it was attached to
			detach("manager1", c2.Entity, "L1", "e2"),                         // not its event (and not the token's)
			detach("manager1", "no-such-capture", "L1", "e1"),                 // unknown
			detach("manager1", other.Entity, "L2", "e2"),                      // another event's capture
			h.Capture("manager1", "e1", c1.Entity, people(4)),                 // a new lead under a capture's id
			CaptureOp(t, h.Devices["manager1"], now(), "e1", "L1", people(5)), // fine
		)
		for seq, want := range map[int64]string{1: "was attached to lead L1", 2: "not assigned", 3: "not known", 4: "not assigned", 5: "is a capture's"} {
			if got := refusedFor(resp, seq); !strings.Contains(got, want) {
				t.Errorf("op %d: refused %q, want %q", seq, got, want)
			}
		}
		if refusedFor(resp, 6) != "" {
			t.Fatalf("a good capture was refused: %+v", resp.Refused)
		}
		reuse := mustOp(t, h.Devices["booth1"], now(), capture.OpCaptureAdd, "L1", capture.Capture{ID: "L1", LeadID: "L7", EventID: "e1",
			Source: capture.SourceBoothCard, DeviceID: h.Devices["booth1"], At: time.Now(), NoticeShown: capture.ShownScreen, Person: people(6)})
		if got := refusedFor(h.Push("booth1", reuse, detach("booth1", c2.Entity, "L1", "e1")), 1); !strings.Contains(got, "is a lead's") {
			t.Errorf("a capture under a lead's id: %q", got)
		}
		if got := refusedFor(h.Push("booth1", detach("booth1", c2.Entity, "L1", "e1")), 1); !strings.Contains(got, "may not write") {
			t.Errorf("a booth token detaching: %q", got)
		}
		if resp := h.Push("manager1", detach("manager1", c2.Entity, "L1", "e1")); len(resp.Refused) != 0 {
			t.Fatalf("the manager's detach: %+v", resp.Refused)
		}
		// The person's next card joins the lead the detach made, under the capture's id.
		if resp := h.Push("booth1", h.Capture("booth1", "e1", c2.Entity, people(2))); len(resp.Refused) != 0 {
			t.Fatalf("a card of the detached capture's lead: %+v", resp.Refused)
		}
		// The capture's own lead is seen at the capture's event, with the capture.
		var own bool
		for _, op := range h.PullAll("booth1") {
			own = own || op.Kind == capture.OpCaptureDetach && op.Entity == c2.Entity
		}
		if !own {
			t.Fatal("the detach did not reach the event's booth")
		}
		for _, op := range h.PullAll("booth2") {
			if op.Entity == c2.Entity {
				t.Fatalf("booth2 received %s of another event's capture", op.Kind)
			}
		}
	})

	t.Run("an erasure reaches detached captures in the server's log too", func(t *testing.T) {
		h := NewHostile(t, open(t))
		detach := func(c capture.Op, from string) capture.Op {
			return h.Op("manager1", capture.OpCaptureDetach, c.Entity, capture.Detach{Capture: c.Entity, From: from, Event: "e1", Reason: "別人"})
		}
		erase := func(lead string) capture.Op {
			return h.Op("manager1", capture.OpLeadErase, lead, capture.Erasure{Reason: "本人からの削除依頼"})
		}
		// A capture detached from L1, and one detached in turn from its lead; then an erasure
		// of L1 made without knowing of either.
		c1 := h.Capture("booth1", "e1", "L1", people(2))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)), c1)
		h.Push("manager1", detach(c1, "L1"))
		c2 := h.Capture("booth1", "e1", c1.Entity, people(3))
		h.Push("booth1", c2)
		h.Push("manager1", detach(c2, c1.Entity), erase("L1"))
		// A capture detached from L2 after L2's erasure (the detach made offline before it).
		c4 := h.Capture("booth1", "e1", "L2", people(5))
		h.Push("booth1", h.Capture("booth1", "e1", "L2", people(4)), c4)
		h.Push("manager1", erase("L2"), detach(c4, "L2"))
		// What arrives later about those captures' leads.
		fix := h.Op("booth1", capture.OpLeadCorrect, c1.Entity, capture.Correction{Fields: map[string]string{"email": "late@example.jp"}})
		card := h.Capture("booth1", "e1", c4.Entity, people(6))
		if resp := h.Push("booth1", fix, card); len(resp.Refused) != 0 {
			t.Fatalf("late ops: %+v", resp.Refused)
		}
		for _, op := range h.PullAll("admin") {
			for _, v := range []string{people(2).Email, people(3).Email, people(5).Email, people(6).Email, "late@example.jp"} {
				if strings.Contains(string(op.Payload), v) {
					t.Errorf("the server's %s %s still holds %s", op.Kind, op.Entity, v)
				}
			}
		}
	})

	t.Run("a lead of another event cannot be claimed", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth2", h.Capture("booth2", "e2", "L2", people(2)))
		claim := h.Capture("booth1", "e1", "L2", people(9)) // booth1 learned L2's id somewhere
		if r := refusedFor(h.Push("booth1", claim), 1); !strings.Contains(r, "not captured at an event assigned") {
			t.Fatalf("claiming another event's lead: %q", r)
		}
		for _, tok := range []string{"booth1", "manager1"} {
			for _, op := range h.PullAll(tok) {
				if strings.Contains(string(op.Payload), people(2).Email) || op.Entity == "L2" {
					t.Fatalf("%s received %s of L2", tok, op.Kind)
				}
			}
		}
		erase := h.Op("manager1", capture.OpLeadErase, "L2", capture.Erasure{Reason: "悪意"})
		fix := h.Op("booth1", capture.OpLeadCorrect, "L2", capture.Correction{Fields: map[string]string{"email": "evil@example.jp"}})
		if r := refusedFor(h.Push("manager1", erase), 1); !strings.Contains(r, "not captured at an event assigned") {
			t.Fatalf("manager of e1 erasing e2's lead: %q", r)
		}
		if r := refusedFor(h.Push("booth1", fix), 1); !strings.Contains(r, "not captured at an event assigned") {
			t.Fatalf("booth of e1 correcting e2's lead: %q", r)
		}
	})

	t.Run("manager writes are scoped", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)))
		h.Push("booth2", h.Capture("booth2", "e2", "L2", people(2)), h.Capture("booth2", "e2", "L3", people(3)))
		ops := []capture.Op{
			h.Op("manager1", capture.OpLeadMerge, "M1", capture.MergeRecord{ID: "M1", Keep: "L2", Others: []string{"L3"}}),
			h.Op("manager1", capture.OpLeadMerge, "M2", capture.MergeRecord{ID: "M2", Keep: "L1", Others: []string{"L2"}}),
			h.Op("manager1", capture.OpExportRecord, "X1", capture.ExportRecord{ID: "X1", Use: capture.UseThirdParty, Basis: capture.BasisThirdParty,
				Recipient: "偽装株式会社", Events: []string{"e1"}, Leads: []string{"L1", "L2"}}),
			h.Op("manager1", capture.OpExportRecord, "X2", capture.ExportRecord{ID: "X2", Use: capture.UseInternal, Basis: capture.BasisOwn, Events: []string{"e2"}}),
			h.Op("manager1", capture.OpRequest, "R1", capture.RequestRecord{ID: "R1", Kind: "disclose", Lead: "L2", Outcome: "disclosed"}),
			h.Op("manager1", capture.OpLeadLink, capture.LinkKey("L1", "L2"), capture.Link{Leads: []string{"L1", "L2"}, Relation: capture.RelationDistinct}),
		}
		resp := h.Push("manager1", ops...)
		if len(resp.Refused) != len(ops) || resp.Applied != 0 {
			t.Fatalf("manager of e1 wrote about e2's leads: %+v", resp)
		}
		if got := h.PullAll("manager2"); len(got) != 2 {
			t.Fatalf("manager of e2 sees %d ops, want its 2 captures", len(got))
		}
	})

	t.Run("clocks from the future", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)))
		forever := h.Op("booth1", capture.OpLeadCorrect, "L1", capture.Correction{Fields: map[string]string{"title": "永遠"}})
		forever.HLC = 1<<64 - 1
		year3000 := CaptureOp(t, h.Devices["booth1"], capture.HLC(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())<<16, "e1", "L1", people(1))
		dated := h.Capture("booth1", "e1", "L1", people(1))
		var c capture.Capture
		json.Unmarshal(dated.Payload, &c)
		c.At = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
		dated.Payload, _ = json.Marshal(c)
		resp := h.Push("booth1", forever, year3000, dated)
		for seq, want := range map[int64]string{1: "future", 2: "future", 3: "future"} {
			if got := refusedFor(resp, seq); !strings.Contains(got, want) {
				t.Errorf("op %d: %q, want it refused as %q", seq, got, want)
			}
		}
	})

	t.Run("erasure scrubs merges, withdrawals and requests", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)), h.Capture("booth1", "e1", "L2", people(2)))
		secret := "himitsu.reason@example.jp"
		h.Push("manager1",
			h.Op("manager1", capture.OpLeadMerge, "M1", capture.MergeRecord{ID: "M1", Keep: "L1", Others: []string{"L2"}, Fields: map[string]string{"email": secret}, Reason: "同一人物 " + secret}),
			h.Op("manager1", capture.OpLeadWithdraw, "L2", capture.Withdrawal{Channels: []capture.Channel{capture.ChannelEmailMarketing}, Reason: "本人 " + secret}),
			h.Op("manager1", capture.OpRequest, "R1", capture.RequestRecord{ID: "R1", Kind: "stop-use", Lead: "L2", Reason: "電話で " + secret, Outcome: "stopped"}))
		if !strings.Contains(payloads(h.PullAll("admin")), secret) {
			t.Fatal("the secret was never stored: the check below could not fail")
		}
		resp := h.Push("manager1",
			h.Op("manager1", capture.OpLeadErase, "L1", capture.Erasure{Reason: "削除請求"}),
			h.Op("manager1", capture.OpLeadErase, "L2", capture.Erasure{Reason: "削除請求"}))
		if len(resp.Refused) != 0 {
			t.Fatalf("erasure refused: %+v", resp.Refused)
		}
		late := h.Op("manager1", capture.OpRequest, "R2", capture.RequestRecord{ID: "R2", Kind: "erase", Lead: "L2", Reason: "遅れて " + secret, Outcome: "erased"})
		h.Push("manager1", late)
		if all := payloads(h.PullAll("admin")); strings.Contains(all, secret) || strings.Contains(all, people(2).Email) {
			t.Fatal("the server's log still holds what the erasure removes")
		}
	})

	t.Run("a lost pull answer loses nothing", func(t *testing.T) {
		h := NewHostile(t, open(t))
		early := h.Capture("booth2", "e2", "L", people(1))
		h.Push("booth2", early)
		cursor := h.Pull("manager1", 0).Cursor
		h.Push("admin", h.Capture("admin", "e1", "L", people(1))) // L is now met at e1 too (by a device of both events)
		for try := 0; try < 2; try++ {                            // the first answer is lost on the way
			got := h.Pull("manager1", cursor)
			if len(got.Ops) != 2 || got.Ops[0].ID != early.ID {
				t.Fatalf("try %d: %d ops, want the earlier capture with the new one", try, len(got.Ops))
			}
		}
		h.Devices["manager1"] = capture.NewID() // a second laptop sharing the token
		if got := h.Pull("manager1", cursor); len(got.Ops) != 2 {
			t.Fatalf("a second device of the token: %d ops", len(got.Ops))
		}
	})

	t.Run("pull answers are bounded", func(t *testing.T) {
		h := NewHostile(t, open(t))
		withAnswers := func(op capture.Op, n, size int) capture.Op {
			var c capture.Capture
			json.Unmarshal(op.Payload, &c)
			c.Answers = capture.Answers{}
			for i := range n {
				c.Answers["q"+itoa(int64(i))] = strings.Repeat("あ", size)
			}
			op.Payload, _ = json.Marshal(c)
			return op
		}
		survey := &capture.Survey{Title: "アンケート"}
		for i := range 12 {
			survey.Questions = append(survey.Questions, capture.Question{ID: "q" + itoa(int64(i)), Text: "ご意見", Kind: capture.QuestionText})
		}
		event := capture.Event{ID: "e1", Name: "展示会", Venue: "会場", Date: "2026-11-25", NoticeID: "n1", Survey: survey}
		if resp := h.Push("admin", h.Op("admin", capture.OpEventSet, "e1", event)); len(resp.Refused) != 0 {
			t.Fatalf("event: %+v", resp.Refused)
		}
		stray := withAnswers(h.Capture("admin", "e1", "STRAY", people(1)), 13, 10) // q12 was never asked
		if r := refusedFor(h.Push("admin", stray), 1); !strings.Contains(r, "not a question") {
			t.Fatalf("an answer to a question never asked: %q", r)
		}
		huge := withAnswers(h.Capture("admin", "e1", "BIG", people(1)), 30, 1300)
		if code, body := h.PushAs("admin", h.Devices["admin"], huge); code != 400 || !strings.Contains(string(body), "bytes") {
			t.Fatalf("an op over %d bytes: %d %s", capture.MaxOpBytes, code, body)
		}
		many := withAnswers(h.Capture("admin", "e1", "MANY", people(1)), capture.MaxAnswers+1, 1)
		if r := refusedFor(h.Push("admin", many), 1); !strings.Contains(r, "at most") {
			t.Fatalf("%d answers: %q", capture.MaxAnswers+1, r)
		}
		// Ops just under the cap, many of them: each pull answer stays near MaxPullBytes.
		for batch := range 4 {
			var list []capture.Op
			for i := range 100 {
				list = append(list, withAnswers(h.Capture("admin", "e1", "P"+itoa(int64(batch*100+i)), people(i)), 12, 1300))
			}
			if resp := h.Push("admin", list...); resp.Applied != 100 {
				t.Fatalf("push: %+v", resp.Refused)
			}
		}
		pages, total := 0, 0
		for after := int64(0); ; {
			code, body := h.Do("GET", "/v1/sync/pull?after="+itoa(after)+"&limit=5000", "Bearer "+h.Tokens["manager1"], nil)
			if code != 200 || len(body) > server.MaxPullBytes+2*capture.MaxOpBytes {
				t.Fatalf("pull answer: %d, %d bytes", code, len(body))
			}
			var resp sync.PullResponse
			json.Unmarshal(body, &resp)
			total, after, pages = total+len(resp.Ops), resp.Cursor, pages+1
			if !resp.More {
				break
			}
		}
		if total != 401 || pages < 4 { // the captures and the event
			t.Fatalf("pulled %d ops in %d pages", total, pages)
		}
	})

	t.Run("booths read no audit records and nobody but admins reads PIN hashes", func(t *testing.T) {
		h := NewHostile(t, open(t))
		m, err := capture.NewStaff("田中", "246813", true)
		if err != nil {
			t.Fatal(err)
		}
		h.Push("admin", h.Op("admin", capture.OpStaffSet, m.ID, m))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)), h.Capture("booth1", "e1", "L2", people(2)))
		h.Push("admin", // from the office, so that every other device pulls them
			h.Op("admin", capture.OpExportRecord, "X1", capture.ExportRecord{ID: "X1", Use: capture.UseInternal, Basis: capture.BasisOwn, Events: []string{"e1"}, Leads: []string{"L1"}}),
			h.Op("admin", capture.OpRequest, "R1", capture.RequestRecord{ID: "R1", Kind: "disclose", Lead: "L1", Outcome: "disclosed"}),
			h.Op("admin", capture.OpLeadLink, capture.LinkKey("L1", "L2"), capture.Link{Leads: []string{"L1", "L2"}, Relation: capture.RelationDistinct}))
		kinds := func(tok string) map[capture.OpKind]string {
			out := map[capture.OpKind]string{}
			for _, op := range h.PullAll(tok) {
				out[op.Kind] = string(op.Payload)
			}
			return out
		}
		booth, manager, other := kinds("booth1"), kinds("manager1"), kinds("manager2")
		h.Devices["admin"] = capture.NewID() // another admin device: the office's own ops are not sent back to it
		admin := kinds("admin")
		for _, k := range []capture.OpKind{capture.OpExportRecord, capture.OpRequest} {
			if _, ok := booth[k]; ok {
				t.Errorf("a booth token received %s", k)
			}
			if _, ok := manager[k]; !ok {
				t.Errorf("the manager of the event did not receive %s", k)
			}
			if _, ok := other[k]; ok {
				t.Errorf("the manager of another event received %s", k)
			}
		}
		if _, ok := other[capture.OpLeadLink]; ok {
			t.Error("the manager of another event received a link of leads it cannot see")
		}
		for name, got := range map[string]map[capture.OpKind]string{"booth": booth, "manager": manager} {
			if strings.Contains(got[capture.OpStaffSet], m.PINHash) || !strings.Contains(got[capture.OpStaffSet], "田中") {
				t.Errorf("%s staff record: %s", name, got[capture.OpStaffSet])
			}
		}
		if !strings.Contains(admin[capture.OpStaffSet], m.PINHash) {
			t.Error("the admin did not receive the PIN hash")
		}
	})

	t.Run("ops that make no sense are refused one by one", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)))
		bad := func(mutate func(c *capture.Capture)) capture.Op {
			op := h.Capture("booth1", "e1", capture.NewID(), people(1))
			var c capture.Capture
			json.Unmarshal(op.Payload, &c)
			mutate(&c)
			op.Payload, _ = json.Marshal(c)
			return op
		}
		// Raw bytes that are not UTF-8, inside a JSON string, as an old device could send them.
		rawUTF8 := bad(func(c *capture.Capture) { c.Person.Name = "BADUTF8" })
		rawUTF8.Payload = bytes.Replace(rawUTF8.Payload, []byte("BADUTF8"), []byte{0xff, 0xfe}, 1)
		for name, batch := range map[string][]capture.Op{
			"booth1": {
				rawUTF8,
				bad(func(c *capture.Capture) { c.Person.Name = "NUL\x00入り" }),
				bad(func(c *capture.Capture) { c.Person.Name = "逆\u202e順" }),
				bad(func(c *capture.Capture) { c.Person.Company = "ゼロ\u200b幅" }),
				bad(func(c *capture.Capture) { c.Person.Email = "not-an-email" }),
				bad(func(c *capture.Capture) { c.LeadID = "" }),
				bad(func(c *capture.Capture) { c.DeviceID = capture.NewID() }),
				bad(func(c *capture.Capture) { c.Source = "telepathy" }),
				h.Op("booth1", capture.OpLeadCorrect, "L1", capture.Correction{Fields: map[string]string{"salary": "1"}}),
				h.Capture("booth1", "e1", "L1", people(1)), // the good one, last
			},
			"manager1": {
				h.Op("manager1", capture.OpLeadErase, "L1", capture.Erasure{}),
				h.Op("manager1", capture.OpLeadErase, "L1", capture.Erasure{Reason: "請求", Keys: []string{"not-a-key"}}),
				h.Op("manager1", capture.OpLeadWithdraw, "L1", capture.Withdrawal{Channels: []capture.Channel{"smoke_signals"}}),
				h.Op("manager1", capture.OpLeadWithdraw, "L1", capture.Withdrawal{}),
			},
		} {
			resp := h.Push(name, batch...)
			wantApplied := 0
			if name == "booth1" {
				wantApplied = 1
			}
			if resp.Applied != wantApplied || len(resp.Refused) != len(batch)-wantApplied {
				t.Fatalf("%s: %+v", name, resp)
			}
			for _, r := range resp.Refused {
				if !strings.Contains(r.Reason, "bad op") {
					t.Errorf("%s op %d refused for another reason: %q", name, r.Seq, r.Reason)
				}
			}
		}
		if got := h.PullAll("admin"); len(got) != 2 {
			t.Fatalf("the server stored %d ops", len(got))
		}
	})

	t.Run("device ids are bound to their token", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)))
		forged := CaptureOp(t, h.Devices["booth1"], now(), "e2", "L9", people(9))
		if code, body := h.PushAs("booth2", h.Devices["booth1"], forged); code != 403 || !strings.Contains(string(body), "another token") {
			t.Fatalf("booth2 pushing as booth1's device: %d %s", code, body)
		}
	})

	t.Run("an op id is never reused", func(t *testing.T) {
		h := NewHostile(t, open(t))
		first := h.Capture("booth1", "e1", "L1", people(1))
		h.Push("booth1", first)
		reused := h.Op("booth1", capture.OpLeadCorrect, "L1", capture.Correction{Fields: map[string]string{"title": "社長"}})
		reused.ID = first.ID
		resp := h.Push("booth1", first, reused)
		if refusedFor(resp, 1) != "" || !strings.Contains(refusedFor(resp, 2), "never reused") || resp.Applied != 0 {
			t.Fatalf("repeat and reuse: %+v", resp)
		}
	})

	t.Run("roles and the bearer scheme", func(t *testing.T) {
		h := NewHostile(t, open(t))
		h.Push("booth1", h.Capture("booth1", "e1", "L1", people(1)))
		withdraw := h.Op("booth1", capture.OpLeadWithdraw, "L1", capture.Withdrawal{Channels: []capture.Channel{capture.ChannelEmailMarketing}})
		if r := refusedFor(h.Push("booth1", withdraw), 1); !strings.Contains(r, "may not write lead.withdraw") {
			t.Fatalf("booth withdrawal: %q", r)
		}
		for _, scheme := range []string{"bearer ", "BEARER ", "Bearer  "} {
			if code, _ := h.Do("GET", "/v1/sync/pull", scheme+h.Tokens["booth1"], nil); code != 200 {
				t.Errorf("%q scheme: %d", scheme, code)
			}
		}
		if code, _ := h.Do("GET", "/v1/sync/pull", "Basic "+h.Tokens["booth1"], nil); code != 401 {
			t.Errorf("Basic scheme: %d", code)
		}
	})
}

func payloads(ops []capture.Op) string {
	var b strings.Builder
	for _, op := range ops {
		b.Write(op.Payload)
	}
	return b.String()
}
