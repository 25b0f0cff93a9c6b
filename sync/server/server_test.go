package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/servertest"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

var ctx = context.Background()

type fixture struct {
	t      *testing.T
	url    string
	store  server.Store
	dbPath string
	tokens map[string]string
}

// newFixture serves a real server on loopback with tokens: admin, booth (event e1),
// booth2 (event e2), manager (e1) and revoked.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "boothd.db")
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	f := &fixture{t: t, url: srv.URL, store: st, dbPath: path, tokens: map[string]string{}}
	for _, spec := range []struct {
		name, role string
		events     []string
	}{{"admin", sync.RoleAdmin, nil}, {"booth", sync.RoleBooth, []string{"e1"}}, {"booth2", sync.RoleBooth, []string{"e2"}},
		{"manager", sync.RoleManager, []string{"e1"}}, {"revoked", sync.RoleBooth, []string{"e1"}}} {
		tok, hash := server.NewToken()
		if err := st.CreateToken(ctx, server.Token{ID: capture.NewID(), Name: spec.name, Hash: hash, Role: spec.role, Events: spec.events, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
		f.tokens[spec.name] = tok
	}
	if err := st.RevokeToken(ctx, "revoked", time.Now()); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) do(method, path, token string, body []byte, header map[string]string) (int, []byte) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.url+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func pushBody(t *testing.T, device string, ops ...capture.Op) []byte {
	req := sync.PushRequest{Version: sync.Version, Device: device}
	for i, op := range ops {
		req.Ops = append(req.Ops, sync.SeqOp{Seq: int64(i + 1), Op: op})
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) pulled(token string) []capture.Op {
	code, body := f.do("GET", "/v1/sync/pull?after=0", token, nil, nil)
	if code != 200 {
		f.t.Fatalf("pull: %d %s", code, body)
	}
	var resp sync.PullResponse
	json.Unmarshal(body, &resp)
	return resp.Ops
}

func TestAuthAndScopes(t *testing.T) {
	f := newFixture(t)
	dev := capture.NewID()
	for name, token := range map[string]string{"none": "", "unknown": "bl_not-a-token", "revoked": f.tokens["revoked"]} {
		if code, body := f.do("GET", "/v1/sync/pull", token, nil, nil); code != 401 || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s token: %d %s", name, code, body)
		}
	}
	if code, _ := f.do("GET", "/v1/sync/pull?feed=manager", f.tokens["booth"], nil, nil); code != 403 {
		t.Errorf("booth asking for the manager feed: %d", code)
	}
	if code, _ := f.do("GET", "/v1/sync/pull?event=e2", f.tokens["booth"], nil, nil); code != 403 {
		t.Errorf("booth asking for another event: %d", code)
	}
	if code, _ := f.do("GET", "/v1/sync/pull?feed=manager&event=e1", f.tokens["manager"], nil, nil); code != 200 {
		t.Errorf("manager feed for its event: %d", code)
	}

	// A booth token captures at its event; its capture at another event and a configuration
	// change are refused on their own, and the rest of the batch is taken.
	own := servertest.CaptureOp(t, dev, 1<<16, "e1", "L1", storetest.Person(1))
	foreign := servertest.CaptureOp(t, dev, 2<<16, "e2", "L2", storetest.Person(2))
	cfg, _ := capture.NewOp(dev, 3<<16, capture.OpOrgSet, "org", capture.Org{Name: "乗っ取り"})
	later := servertest.CaptureOp(t, dev, 4<<16, "e1", "L3", storetest.Person(3))
	code, body := f.do("POST", "/v1/sync/push", f.tokens["booth"], pushBody(t, dev, own, foreign, cfg, later), nil)
	var resp sync.PushResponse
	json.Unmarshal(body, &resp)
	if code != 200 || resp.Acked != 4 || resp.Applied != 2 || len(resp.Refused) != 2 {
		t.Fatalf("push: %d %s", code, body)
	}
	if resp.Refused[0].Seq != 2 || !strings.Contains(resp.Refused[0].Reason, "e2") || resp.Refused[1].Seq != 3 {
		t.Fatalf("refusals %+v", resp.Refused)
	}
	if got := f.pulled(f.tokens["booth2"]); len(got) != 0 {
		t.Fatalf("booth of e2 sees %d ops of e1", len(got))
	}
	if got := f.pulled(f.tokens["manager"]); len(got) != 2 {
		t.Fatalf("manager of e1 sees %d ops", len(got))
	}
	// Erasure is a manager's: refused for a booth token.
	erase, _ := capture.NewOp(dev, 5<<16, capture.OpLeadErase, "L1", capture.Erasure{Reason: "request"})
	_, body = f.do("POST", "/v1/sync/push", f.tokens["booth"], pushBody(t, dev, erase), nil)
	desk := capture.NewID() // the manager's own laptop
	erase, _ = capture.NewOp(desk, 5<<16, capture.OpLeadErase, "L1", capture.Erasure{Reason: "request"})
	resp = sync.PushResponse{}
	json.Unmarshal(body, &resp)
	if len(resp.Refused) != 1 {
		t.Fatalf("booth erasure: %s", body)
	}
	_, body = f.do("POST", "/v1/sync/push", f.tokens["manager"], pushBody(t, desk, erase), nil)
	resp = sync.PushResponse{}
	json.Unmarshal(body, &resp)
	if len(resp.Refused) != 0 || resp.Applied != 1 {
		t.Fatalf("manager erasure: %s", body)
	}
}

func TestPushIsIdempotentAndGzipped(t *testing.T) {
	f := newFixture(t)
	dev := capture.NewID()
	var ops []capture.Op
	for i := 0; i < 5; i++ {
		ops = append(ops, servertest.CaptureOp(t, dev, capture.HLC(i+1)<<16, "e1", capture.NewID(), storetest.Person(i)))
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(pushBody(t, dev, ops...))
	w.Close()
	for round, want := range []int{5, 0} {
		code, body := f.do("POST", "/v1/sync/push", f.tokens["admin"], gz.Bytes(), map[string]string{"Content-Encoding": "gzip"})
		var resp sync.PushResponse
		json.Unmarshal(body, &resp)
		if code != 200 || resp.Applied != want || resp.Acked != 5 {
			t.Fatalf("round %d: %d %s", round, code, body)
		}
	}
	if got := f.pulled(f.tokens["admin"]); len(got) != 5 {
		t.Fatalf("server holds %d ops, want each once", len(got))
	}
}

func TestMalformedPushesAreRefusedWhole(t *testing.T) {
	f := newFixture(t)
	dev := capture.NewID()
	good := servertest.CaptureOp(t, dev, 1<<16, "e1", "L", storetest.Person(1))
	valid := string(pushBody(t, dev, good))
	huge := servertest.CaptureOp(t, dev, 2<<16, "e1", "L", capture.Person{Name: strings.Repeat("あ", 2000)})
	var many []capture.Op
	for i := 0; i < sync.MaxOps+1; i++ {
		many = append(many, servertest.CaptureOp(t, dev, capture.HLC(i+1)<<16, "e1", "L", capture.Person{Name: "a"}))
	}
	cases := []struct {
		name, body string
		status     int
		says       string
	}{
		{"unknown field", strings.Replace(valid, `"v":1`, `"v":1,"extra":true`, 1), 400, "extra"},
		{"unknown payload field", strings.Replace(valid, `"lead_id":"L"`, `"lead_id":"L","sneaky":1`, 1), 400, "sneaky"},
		{"bad op id", strings.Replace(valid, good.ID, "not-a-uuid", 1), 400, "op_id"},
		{"bad device id", strings.Replace(valid, dev, "laptop", -1), 400, "device_id"},
		{"wrong version", strings.Replace(valid, `"v":1`, `"v":99`, 1), 400, "version"},
		{"oversize field", string(pushBody(t, dev, huge)), 400, "bytes"},
		{"too many ops", string(pushBody(t, dev, many...)), 413, "at most"},
		{"over 8 MB", `{"v":1,"device_id":"` + dev + `","ops":[],"pad":"` + strings.Repeat("x", sync.MaxRequestBytes) + `"}`, 413, "bytes"},
		{"not json", "ops please", 400, "bad request"},
	}
	for _, tc := range cases {
		code, body := f.do("POST", "/v1/sync/push", f.tokens["admin"], []byte(tc.body), nil)
		var e sync.ErrorResponse
		json.Unmarshal(body, &e)
		if code != tc.status || !strings.Contains(e.Error, tc.says) {
			t.Errorf("%s: %d %q; want %d mentioning %q", tc.name, code, e.Error, tc.status, tc.says)
		}
	}
	if got := f.pulled(f.tokens["admin"]); len(got) != 0 {
		t.Fatalf("a refused request left %d ops", len(got))
	}
}

func TestTokensAreNotInTheDatabaseFile(t *testing.T) {
	f := newFixture(t)
	data, err := os.ReadFile(f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(f.dbPath + "-wal")
	for name, tok := range f.tokens {
		secret := strings.TrimPrefix(tok, "bl_")
		if bytes.Contains(data, []byte(secret)) || bytes.Contains(wal, []byte(secret)) {
			t.Fatalf("token %s is recoverable from the database file", name)
		}
	}
}

func TestNoticePageAndHealth(t *testing.T) {
	f := newFixture(t)
	dev := capture.NewID()
	body := storetest.Notice()
	body.Purposes = append(body.Purposes, "<script>alert(1)</script>のため")
	body.ThirdParty.Abroad = []capture.Abroad{{Recipient: body.ThirdParty.Recipients[0], Country: "シンガポール", Regime: "個人データ保護法（PDPA）", Measures: "契約による安全管理措置"}}
	n := capture.Notice{ID: capture.NewID(), Version: 2, Hash: body.Hash(), NoticeBody: body}
	op, _ := capture.NewOp(dev, 1<<16, capture.OpNoticeAdd, n.ID, n)
	if code, resp := f.do("POST", "/v1/sync/push", f.tokens["admin"], pushBody(t, dev, op), nil); code != 200 {
		t.Fatalf("push notice: %d %s", code, resp)
	}
	code, page := f.do("GET", "/n/"+body.Hash(), "", nil, nil)
	if code != 200 || !strings.Contains(string(page), body.Purposes[0]) || !strings.Contains(string(page), body.Hash()) {
		t.Fatalf("notice page: %d\n%s", code, page)
	}
	// What Art.28 asks the person be told about a recipient abroad is on the page.
	for _, want := range []string{"シンガポール", "個人データ保護法（PDPA）", "契約による安全管理措置"} {
		if !strings.Contains(string(page), want) {
			t.Fatalf("notice page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(string(page), "<script>") {
		t.Fatal("notice text not escaped")
	}
	if code, _ := f.do("GET", "/n/"+strings.Repeat("0", 64), "", nil, nil); code != 404 {
		t.Fatalf("unknown hash: %d", code)
	}
	if code, resp := f.do("GET", "/healthz", "", nil, nil); code != 200 || string(resp) != "ok\n" {
		t.Fatalf("healthz: %d %s", code, resp)
	}
}

// TestErasureLeavesNoBytesOnTheServer: after a manager's erasure reaches boothd, neither its
// SQLite file nor the WAL holds the person's data.
func TestErasureLeavesNoBytesOnTheServer(t *testing.T) {
	f := newFixture(t)
	dev := capture.NewID()
	secret := capture.Person{Name: "消去 花子", Email: "hanako.erase@himitsu.example.jp", Phone: "03-9876-5432"}
	capOp := servertest.CaptureOp(t, dev, 1<<16, "e1", "L", secret)
	desk := capture.NewID()
	erase, _ := capture.NewOp(desk, 2<<16, capture.OpLeadErase, "L", capture.Erasure{Reason: "request"})
	if code, body := f.do("POST", "/v1/sync/push", f.tokens["booth"], pushBody(t, dev, capOp), nil); code != 200 {
		t.Fatalf("push: %d %s", code, body)
	}
	if code, body := f.do("POST", "/v1/sync/push", f.tokens["manager"], pushBody(t, desk, erase), nil); code != 200 {
		t.Fatalf("erase: %d %s", code, body)
	}
	for _, file := range []string{f.dbPath, f.dbPath + "-wal"} {
		data, _ := os.ReadFile(file)
		// The phone as typed and as its lookup key: a bare "9876" also turns up by chance in
		// the file's hex ids.
		for _, needle := range []string{"himitsu", "消去 花子", "9876-5432", "0398765432"} {
			if bytes.Contains(data, []byte(needle)) {
				t.Errorf("%s still holds %q", filepath.Base(file), needle)
			}
		}
	}
}
