package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// ctl runs boothctl in-process against a real database and returns stdout, stderr and the
// exit status main would use.
type ctl struct {
	t  *testing.T
	db string
}

func newCtl(t *testing.T) *ctl {
	return &ctl{t: t, db: filepath.Join(t.TempDir(), "booth.db")}
}

func (c *ctl) run(args ...string) (string, string, int) {
	c.t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Lang: "en"}
	err := m.Run(context.Background(), append(args, "--db", c.db))
	code := 0
	if err != nil {
		m.printError(err)
		code = exitCode(err)
	}
	return out.String(), errb.String(), code
}

// ok runs a command that must succeed and returns its trimmed stdout.
func (c *ctl) ok(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("boothctl %v: exit %d: %s", args, code, errs)
	}
	return strings.TrimSpace(out)
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, _ := json.Marshal(v)
	p := filepath.Join(t.TempDir(), "f.json")
	os.WriteFile(p, b, 0o600)
	return p
}

// setup creates the org, a notice and an event through the command line.
func (c *ctl) setup() (noticeID, eventID string) {
	c.ok("org", "set", "--name", "ブースレジャー株式会社", "--address", "東京都千代田区", "--representative", "山田一郎",
		"--privacy-manager", "佐藤花子", "--contact", "privacy@example.co.jp", "--policy-url", "https://example.co.jp/privacy")
	noticeID = c.ok("notice", "add", writeJSON(c.t, storetest.Notice()))
	survey := writeJSON(c.t, capture.Survey{Title: "アンケート", Questions: []capture.Question{
		{ID: "interest", Text: "ご関心", Kind: capture.QuestionSingle, Options: []string{"センサー", "ゲートウェイ"}, Required: true}}})
	eventID = c.ok("event", "add", "--name", "産業センサー展", "--venue", "東京ビッグサイト", "--date", "2026-11-25", "--end", "2026-11-27", "--notice", noticeID, "--survey", survey)
	return noticeID, eventID
}

func TestCaptureAddAndShowEvidence(t *testing.T) {
	c := newCtl(t)
	noticeID, eventID := c.setup()
	answers := writeJSON(t, map[string]any{"interest": "センサー"})
	out := c.ok("capture", "add", "--event", eventID, "--staff", "田中", "--name", "山田 太郎", "--kana", "やまだ たろう", "--company", "株式会社サンプル",
		"--department", "営業部", "--title", "部長", "--email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ", "--phone", "03-1234-5678", "--mobile", "090-1111-2222",
		"--consent", "purpose,email_optin,third_party", "--consent-method", "signature", "--answers", answers, "--json")
	var created struct{ ID, CaptureID, LeadID string }
	json.Unmarshal([]byte(out), &struct {
		ID        *string `json:"id"`
		CaptureID *string `json:"capture_id"`
		LeadID    *string `json:"lead_id"`
	}{&created.ID, &created.CaptureID, &created.LeadID})
	if created.CaptureID == "" || created.LeadID == "" || created.ID != created.CaptureID {
		t.Fatalf("capture add --json: %s", out)
	}

	var notice capture.Notice
	json.Unmarshal([]byte(c.ok("notice", "show", noticeID, "--json")), &notice)
	if notice.Hash != storetest.Notice().Hash() || notice.Title != storetest.Notice().Title {
		t.Fatalf("notice show: %+v", notice)
	}

	var lead struct {
		ID          string               `json:"id"`
		Person      capture.Person       `json:"person"`
		Permissions []capture.Permission `json:"permissions"`
		Captures    []struct {
			capture.Capture
			EventName string `json:"event_name"`
		} `json:"capture_list"`
	}
	if err := json.Unmarshal([]byte(c.ok("leads", "show", created.LeadID, "--json")), &lead); err != nil {
		t.Fatal(err)
	}
	if lead.Person.Email != "taro@example.co.jp" || len(lead.Captures) != 1 {
		t.Fatalf("lead: %+v", lead)
	}
	cp := lead.Captures[0]
	if cp.NoticeHash != notice.Hash || cp.NoticeID != noticeID || cp.Staff != "田中" || cp.EventName != "産業センサー展" || cp.Source != capture.SourceBoothCard {
		t.Fatalf("capture evidence: %+v", cp)
	}
	if len(cp.Consents) != 3 || cp.Consents[0].Method != capture.MethodSignature {
		t.Fatalf("consents: %+v", cp.Consents)
	}
	perms := map[capture.Channel]capture.Permission{}
	for _, p := range lead.Permissions {
		perms[p.Channel] = p
	}
	if !perms[capture.ChannelThirdParty].Allowed || perms[capture.ChannelEmailMarketing].Basis != capture.BasisOptIn || perms[capture.ChannelPostal].Allowed {
		t.Fatalf("permissions: %+v", perms)
	}

	text := c.ok("leads", "show", created.LeadID)
	if !strings.Contains(text, notice.Hash) || !strings.Contains(text, "third_party") {
		t.Fatalf("leads show text lacks the notice hash or permissions:\n%s", text)
	}
	list := c.ok("leads", "list", "--event", eventID, "--search", "やまだ")
	if !strings.Contains(list, created.LeadID) {
		t.Fatalf("leads list: %s", list)
	}
	var ops []map[string]any
	json.Unmarshal([]byte(c.ok("ops", "list", "--json")), &ops)
	if len(ops) != 4 || ops[3]["kind"] != "capture.add" || ops[3]["op_id"] == "" {
		t.Fatalf("ops: %v", ops)
	}
}

func TestExitCodesAndNothingWrittenOnBadInput(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	opsBefore := c.ok("ops", "list")
	cases := []struct {
		args  []string
		code  int
		field string
	}{
		{[]string{"capture", "add", "--event", eventID, "--name", "a", "--email", "taro@"}, 1, "email:"},
		{[]string{"capture", "add", "--event", eventID, "--name", "a", "--phone", "03-XXXX"}, 1, "phone:"},
		{[]string{"capture", "add", "--event", eventID, "--company", "A社"}, 1, "name:"},
		{[]string{"capture", "add", "--event", "missing", "--name", "a"}, 1, "event: missing does not exist"},
		{[]string{"capture", "add", "--name", "a"}, 1, "event: is required"},
		{[]string{"capture", "import", writeCSV(t, "氏名\n山田 太郎\n")}, 1, "event: is required"},
		{[]string{"capture", "add", "--event", eventID, "--name", "a", "--consent", "purpose", "--consent-method", "telepathy"}, 1, "consent_method:"},
		{[]string{"event", "add", "--name", "x", "--venue", "v", "--date", "2026/11/31", "--notice", "n"}, 1, "date:"},
		{[]string{"org", "set", "--name", ""}, 1, "name:"},
		{[]string{"capture", "add", "--unknown-flag"}, 2, "flag provided but not defined"},
		{[]string{"capture", "fly"}, 2, "unknown command"},
		{[]string{"notice", "show"}, 2, "takes 1 argument"},
	}
	for _, tc := range cases {
		_, errs, code := c.run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.field) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, errs, tc.code, tc.field)
		}
	}
	if after := c.ok("ops", "list"); after != opsBefore {
		t.Fatalf("refused commands wrote ops:\n%s", after)
	}
}

func TestImportReportsEachRow(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	src := "../../capture/csvimport/testdata/"
	out, errs, code := c.run("capture", "import", "--event", eventID, "--source", "rep_exchange", src+"malformed.csv", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := importLines(t, out)
	byLine := map[int]importLine{}
	for _, l := range lines {
		byLine[l.Line] = l
	}
	if l := byLine[2]; l.LeadID == "" || l.CaptureID == "" || l.Error != "" {
		t.Errorf("line 2 should import: %+v", l)
	}
	if l := byLine[4]; !strings.HasPrefix(l.Error, "email:") {
		t.Errorf("line 4 should fail on email: %+v", l)
	}
	for _, n := range []int{3, 5, 6, 7} {
		if byLine[n].Error == "" {
			t.Errorf("line %d should be reported: %+v", n, byLine[n])
		}
	}
	if len(lines) != 6 {
		t.Errorf("%d output lines, want one per data row (6)", len(lines))
	}

	// --strict: the same file imports nothing.
	before := c.ok("leads", "list")
	if _, _, code := c.run("capture", "import", "--event", eventID, src+"malformed.csv", "--strict", "--json"); code != 1 {
		t.Fatalf("strict import of a bad file: exit %d", code)
	}
	if after := c.ok("leads", "list"); after != before {
		t.Fatal("--strict import wrote rows")
	}

	// A clean CP932 card-app file imports every row, and re-importing it adds captures to the
	// same leads instead of new leads.
	first := c.ok("capture", "import", "--event", eventID, "--source", "rep_exchange", src+"eight_cp932.csv", "--strict", "--json")
	second := c.ok("capture", "import", "--event", eventID, "--source", "rep_exchange", src+"eight_cp932.csv", "--strict", "--json")
	var a, b importLine
	json.Unmarshal([]byte(strings.Split(first, "\n")[0]), &a)
	json.Unmarshal([]byte(strings.Split(second, "\n")[0]), &b)
	if a.LeadID == "" || a.LeadID != b.LeadID || a.CaptureID == b.CaptureID {
		t.Fatalf("re-import: %+v then %+v", a, b)
	}
	show := c.ok("leads", "show", a.LeadID)
	if !strings.Contains(show, "山田 太郎") || !strings.Contains(show, "2026-11-25") {
		t.Fatalf("imported lead lacks name or exchange date:\n%s", show)
	}
}

// importLines decodes capture import's JSON output, one object a line.
func importLines(t *testing.T, out string) []importLine {
	t.Helper()
	var lines []importLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var il importLine
		if err := json.Unmarshal([]byte(l), &il); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		lines = append(lines, il)
	}
	return lines
}

func writeCSV(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cards.csv")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportRefusesInvisibleCharacters: a BOM before a later header still names its column,
// and a name holding a BOM, a zero-width space or a bidi override is reported on its line,
// by field and character, and not imported; the clean row is.
func TestImportRefusesInvisibleCharacters(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	file := writeCSV(t, "氏名,\ufeffメールアドレス\n"+
		"山田 太郎,taro@example.jp\n"+
		"佐藤\ufeff花子,hanako@example.jp\n"+
		"鈴木\u200b一郎,ichiro@example.jp\n"+
		"\u202e田中 次郎,jiro@example.jp\n")
	out, errs, code := c.run("capture", "import", "--event", eventID, file, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := importLines(t, out)
	if len(lines) != 4 || lines[0].LeadID == "" || lines[0].Error != "" || strings.Contains(errs, "columns not imported") {
		t.Fatalf("rows %+v\n%s", lines, errs)
	}
	for i, char := range []string{"U+FEFF", "U+200B", "U+202E"} {
		if l := lines[i+1]; l.Line != i+3 || l.LeadID != "" || !strings.HasPrefix(l.Error, "name: must not contain control or format characters") || !strings.Contains(l.Error, char) {
			t.Errorf("line %d: %+v", i+3, l)
		}
	}
	show := c.ok("leads", "show", lines[0].LeadID)
	if !strings.Contains(show, "taro@example.jp") {
		t.Fatalf("email column lost behind the BOM:\n%s", show)
	}
	if list := c.ok("leads", "list"); strings.Count(list, "\n") != 0 {
		t.Fatalf("more than the clean row imported:\n%s", list)
	}
}

func TestNoticeLintAndOverride(t *testing.T) {
	c := newCtl(t)
	_, _ = c.setup()
	bad := storetest.Notice()
	bad.Purposes = []string{"マーケティング活動に用いるため", "産業用センサー事業の新製品のお知らせのため"}
	file := writeJSON(t, bad)
	out, _, code := c.run("notice", "lint", file, "--json")
	var res struct {
		OK       bool              `json:"ok"`
		Errors   int               `json:"errors"`
		Findings []capture.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 1 || res.OK || res.Errors != 1 || len(res.Findings) != 2 {
		t.Fatalf("lint exit %d: %+v", code, res)
	}
	if f := res.Findings[0]; f.Rule != "abstract_purpose" || f.Purpose == nil || *f.Purpose != 0 || f.JA == "" {
		t.Fatalf("finding %+v", f)
	}
	if f := res.Findings[1]; f.Rule != "no_channel" || f.Severity != "warning" || *f.Purpose != 1 {
		t.Fatalf("finding %+v", f)
	}

	// The same notice stored and linted by id; no event is made under it until a manager
	// records why, and the refusal (the store's) says how.
	id := c.ok("notice", "add", file)
	if _, _, code := c.run("notice", "lint", id); code != 1 {
		t.Fatalf("lint by id: exit %d", code)
	}
	opsBefore := c.ok("ops", "list")
	add := []string{"event", "add", "--name", "x", "--venue", "v", "--date", "2026-12-01", "--notice", id}
	_, errs, code := c.run(add...)
	if code != 1 || !strings.Contains(errs, "lint_override: is required: the notice has 1 error(s)") || !strings.Contains(errs, "event add --lint-override REASON") {
		t.Fatalf("event under a notice with errors: exit %d %s", code, errs)
	}
	if after := c.ok("ops", "list"); after != opsBefore {
		t.Fatalf("a refused event wrote ops:\n%s", after)
	}
	event := c.ok(append(add, "--lint-override", "印刷済みのため今回のみ")...)
	c.ok("capture", "add", "--event", event, "--name", "a")
	if _, _, code := c.run("event", "override", event); code != 1 {
		t.Fatalf("override without a reason: exit %d", code)
	}
	c.ok("event", "override", event, "--reason", "部長承認済み")
	if out := c.ok("event", "list", "--json"); !strings.Contains(out, "部長承認済み") {
		t.Fatalf("override reason not kept: %s", out)
	}
	if good := c.ok("notice", "lint", writeJSON(t, storetest.Notice())); !strings.Contains(good, "0 error(s)") {
		t.Fatalf("clean notice: %s", good)
	}
}

func TestStaffAdd(t *testing.T) {
	c := newCtl(t)
	id := c.ok("staff", "add", "--name", "田中", "--pin", "123456", "--manager")
	if id == "" {
		t.Fatal("no id printed")
	}
	if _, errs, code := c.run("staff", "add", "--name", "佐藤", "--pin", "12"); code != 1 || !strings.Contains(errs, "pin:") {
		t.Fatalf("short PIN: exit %d %s", code, errs)
	}
}

func TestNoticePDF(t *testing.T) {
	c := newCtl(t)
	noticeID, eventID := c.setup()
	dir := t.TempDir()
	for _, layout := range []string{"poster", "tent", "survey"} {
		out := filepath.Join(dir, layout+".pdf")
		c.ok("notice", "pdf", noticeID, "--layout", layout, "--event", eventID, "-o", out)
		data, err := os.ReadFile(out)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF (%v)", layout, err)
		}
	}
	if _, errs, code := c.run("notice", "pdf", noticeID, "--layout", "survey", "-o", filepath.Join(dir, "x.pdf")); code != 1 || !strings.Contains(errs, "event:") {
		t.Fatalf("survey without event: exit %d %s", code, errs)
	}
	if _, _, code := c.run("notice", "pdf", noticeID, "--layout", "poster"); code != 2 {
		t.Fatalf("pdf without -o: exit %d", code)
	}
}
