package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLeadsRateAndExportASelection: boothctl rates leads and exports chosen leads with the
// same library calls as the lead table's bulk actions.
func TestLeadsRateAndExportASelection(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	var ids []string
	for _, email := range []string{"a@example.jp", "b@example.jp", "c@example.jp"} {
		var created struct {
			LeadID string `json:"lead_id"`
		}
		out := c.ok("capture", "add", "--event", eventID, "--staff", "田中", "--name", "来場 "+email[:1], "--email", email, "--json")
		if err := json.Unmarshal([]byte(out), &created); err != nil || created.LeadID == "" {
			t.Fatalf("capture add: %s", out)
		}
		ids = append(ids, created.LeadID)
	}
	if _, stderr, code := c.run("leads", "rate", "--rating", "D", ids[0]); code == 0 || !strings.Contains(stderr, "rating") {
		t.Fatalf("rating D: code %d, %s", code, stderr)
	}
	c.ok("leads", "rate", "--rating", "A", "--reason", "商談化", ids[0], ids[1])
	for i, want := range []string{"A", "A", ""} {
		var l struct {
			Rating string `json:"rating"`
		}
		json.Unmarshal([]byte(c.ok("leads", "show", ids[i], "--json")), &l)
		if l.Rating != want {
			t.Fatalf("lead %d rated %q", i, l.Rating)
		}
	}
	out := c.ok("export", "--event", eventID, "--lead", ids[0], "--lead", ids[2], "--use", "internal", "--basis", "own",
		"--recipient", "営業部", "--dry-run", "--json")
	var report struct {
		Count int `json:"count"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil || report.Count != 2 {
		t.Fatalf("export of two chosen leads: %s", out)
	}
}
