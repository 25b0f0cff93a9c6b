package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// disclosedLead is a lead captured at a kiosk with consent to third-party provision and
// provided once to 株式会社サンプル販売: what a disclosure has to put in words.
func disclosedLead(t *testing.T) (c *ctl, eventID, lead string) {
	c = newCtl(t)
	_, eventID = c.setup()
	var created struct {
		LeadID string `json:"lead_id"`
	}
	json.Unmarshal([]byte(c.ok("capture", "add", "--event", eventID, "--source", "kiosk", "--name", "開示 花子", "--email", "Hanako@Example.jp",
		"--mobile", "090-1234-0000", "--consent", "purpose,third_party", "--answers", writeJSON(t, map[string]any{"interest": "センサー"}), "--json")), &created)
	c.ok("export", "--event", eventID, "--use", "third_party", "--basis", "consent", "--recipient", "株式会社サンプル販売",
		"-o", filepath.Join(t.TempDir(), "x.csv"))
	return c, eventID, created.LeadID
}

func TestRequests(t *testing.T) {
	c, eventID, lead := disclosedLead(t)

	for _, args := range [][]string{{"--email", "ｈａｎａｋｏ＠example.jp"}, {"--phone", "+81 90-1234-0000"}, {"--name", "開示　花子"}} {
		var found []map[string]any
		json.Unmarshal([]byte(c.ok(append([]string{"request", "find", "--json"}, args...)...)), &found)
		if len(found) != 1 || found[0]["id"] != lead {
			t.Fatalf("find %v: %v", args, found)
		}
	}

	pdf := filepath.Join(t.TempDir(), "disclosure.pdf")
	c.ok("request", "disclose", lead, "-o", pdf)
	if !strings.HasPrefix(string(mustRead(t, pdf)), "%PDF-") {
		t.Fatal("the disclosure is not a PDF") // TestDisclosurePDFInWords reads what it says
	}
	out := filepath.Join(t.TempDir(), "disclosure.json")
	c.ok("request", "disclose", lead, "--format", "json", "-o", out)
	var d struct {
		Captures []struct {
			Notice  struct{ Purposes []string }
			Answers map[string]any
		}
		Provisions []struct{ Recipient string }
	}
	data, _ := os.ReadFile(out)
	json.Unmarshal(data, &d)
	if len(d.Captures) != 1 || len(d.Captures[0].Notice.Purposes) == 0 || d.Captures[0].Answers["interest"] != "センサー" ||
		len(d.Provisions) != 1 || d.Provisions[0].Recipient != "株式会社サンプル販売" {
		t.Fatalf("disclosure: %s", data)
	}

	c.ok("request", "correct", lead, "--set", "title=部長", "--reason", "本人の申出")
	c.ok("request", "stop-use", lead, "--channel", "third_party", "--reason", "本人の申出")
	var shown leadJSON
	json.Unmarshal([]byte(c.ok("leads", "show", lead, "--json")), &shown)
	for _, p := range shown.Permissions {
		if p.Channel == "third_party" && p.Allowed {
			t.Fatal("third party still allowed after stop-use")
		}
	}
	if shown.Person.Title != "部長" {
		t.Fatalf("correction: %+v", shown.Person)
	}
	if _, errs, code := c.run("request", "erase", lead); code != 1 || !strings.Contains(errs, "reason:") {
		t.Fatalf("erase without a reason: exit %d %s", code, errs)
	}
	c.ok("request", "erase", lead, "--reason", "本人の削除請求", "--received", "2026-11-20", "--staff", "佐藤 花子")
	var log []struct {
		Kind     string
		Lead     string
		Received string
		Done     string
		By       string
		Reason   string
		Outcome  string
	}
	json.Unmarshal([]byte(c.ok("request", "log", "--json")), &log)
	kinds := []string{}
	for _, r := range log {
		kinds = append(kinds, r.Kind)
	}
	// Ordered by when each request came in: the erasure was received first.
	if strings.Join(kinds, ",") != "erase,find,find,find,disclose,disclose,correct,stop-use" {
		t.Fatalf("request log kinds %v", kinds)
	}
	// The record the app keeps for the same erasure (TestRequestsPanelRecordsAsBoothctl).
	if last := log[0]; last.Lead != lead || !strings.HasPrefix(last.Received, "2026-11-20") || last.Done == "" || last.By != "佐藤 花子" ||
		last.Outcome != "erased; suppressed" || last.Reason != "" || strings.Contains(string(mustRead(t, c.db)), "開示 花子") {
		t.Fatalf("erase record %+v (or the name is still in the database)", last)
	}
	osUser := staffName("")
	for _, r := range log[1:] {
		if r.By != osUser || osUser == "" {
			t.Fatalf("%s record by %q, want the OS user %q", r.Kind, r.By, osUser)
		}
	}
	if _, errs, code := c.run("capture", "add", "--event", eventID, "--name", "開示 花子", "--email", "hanako@example.jp"); code != 1 || !strings.Contains(errs, "suppressed") {
		t.Fatalf("capture after erase: exit %d %s", code, errs)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mergedLead is a lead captured twice under two emails and merged: keep is the record kept.
func mergedLead(t *testing.T) (c *ctl, keep, other string) {
	c = newCtl(t)
	_, eventID := c.setup()
	answers := writeJSON(t, map[string]any{"interest": "センサー"})
	add := func(email string) string {
		var r struct {
			LeadID string `json:"lead_id"`
		}
		json.Unmarshal([]byte(c.ok("capture", "add", "--event", eventID, "--name", "統合 一郎", "--email", email, "--answers", answers, "--json")), &r)
		return r.LeadID
	}
	keep, other = add("togo@example.jp"), add("togo@example.co.jp")
	c.ok("merge", keep, other, "--keep", keep, "--reason", "転職前後の同一人物")
	return c, keep, other
}

// TestDisclosureListsMerges: a merged lead's disclosure names the records merged into it and
// why; TestDisclosurePDFListsMerges reads the same from its PDF.
func TestDisclosureListsMerges(t *testing.T) {
	c, keep, other := mergedLead(t)
	out := filepath.Join(t.TempDir(), "d.json")
	c.ok("request", "disclose", keep, "--format", "json", "-o", out)
	var d struct {
		Captures []struct{ ID string }
		Merges   []struct {
			Others []string
			Reason string
		}
	}
	data, _ := os.ReadFile(out)
	json.Unmarshal(data, &d)
	if len(d.Merges) != 1 || len(d.Merges[0].Others) != 1 || d.Merges[0].Others[0] != other || d.Merges[0].Reason != "転職前後の同一人物" || len(d.Captures) != 2 {
		t.Fatalf("disclosure of a merged lead: %s", data)
	}
}
