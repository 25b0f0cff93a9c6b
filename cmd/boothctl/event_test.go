package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
)

// TestEventEdit: boothctl edits an event through the store's one rule set, as the app does:
// only the flags given change, each edit is the next version, dates may be typed with
// slashes, and a survey change once the event holds captures needs its confirmation.
func TestEventEdit(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	var e capture.Event
	json.Unmarshal([]byte(c.ok("event", "edit", eventID, "--venue", "幕張メッセ", "--end", "2026/11/28", "--json")), &e)
	if e.Version != 2 || e.Venue != "幕張メッセ" || e.End != "2026-11-28" || e.Name != "産業センサー展" || e.Survey == nil {
		t.Fatalf("after the edit: %+v", e)
	}
	c.ok("capture", "add", "--event", eventID, "--name", "山田 太郎", "--email", "taro@example.co.jp")
	_, errs, code := c.run("event", "edit", eventID, "--no-survey")
	if code != 1 || !strings.Contains(errs, "--confirm-survey-change") {
		t.Fatalf("survey dropped mid-event: exit %d: %s", code, errs)
	}
	var v3 capture.Event
	json.Unmarshal([]byte(c.ok("event", "edit", eventID, "--no-survey", "--confirm-survey-change", "--json")), &v3)
	if v3.Version != 3 || v3.Survey != nil {
		t.Fatalf("confirmed: %+v", v3)
	}
	if _, errs, code := c.run("event", "edit", eventID, "--date", "2026/11/31"); code != 1 || !strings.Contains(errs, "2026/11/25") {
		t.Fatalf("bad date: exit %d: %s", code, errs)
	}
}
