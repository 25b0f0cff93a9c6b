package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRetentionRun(t *testing.T) {
	c := newCtl(t)
	noticeID, eventID := c.setup() // the notice keeps data 3 years
	if _, errs, code := c.run("event", "add", "--name", "長期展", "--date", "2024-05-01", "--notice", noticeID, "--retention", "10年"); code != 1 ||
		!strings.Contains(errs, "retention") {
		t.Fatalf("event kept longer than its notice: exit %d: %s", code, errs)
	}
	short := c.ok("event", "add", "--name", "短期展", "--venue", "幕張メッセ", "--date", "2024-05-01", "--notice", noticeID, "--retention", "1年")
	capture := func(event, name, at string) string {
		args := []string{"capture", "add", "--event", event, "--name", name, "--email", name + "@example.jp", "--json"}
		if at != "" {
			args = append(args, "--at", at)
		}
		var r struct {
			LeadID string `json:"lead_id"`
		}
		json.Unmarshal([]byte(c.ok(args...)), &r)
		return r.LeadID
	}
	expired := capture(short, "expired", "2024-05-10T10:00:00+09:00")
	kept := capture(eventID, "kept", "")

	var listed struct {
		Leads []struct {
			LeadID string `json:"lead_id"`
		}
	}
	json.Unmarshal([]byte(c.ok("retention", "list", "--within", "30", "--json")), &listed)
	if len(listed.Leads) != 1 || listed.Leads[0].LeadID != expired {
		t.Fatalf("expiring within 30 days: %+v", listed)
	}
	if out := c.ok("retention", "run", "--dry-run"); !strings.Contains(out, expired) || !strings.Contains(out, "1 lead(s) past their retention would be erased") {
		t.Fatalf("dry run: %s", out)
	}
	if out := c.ok("leads", "show", expired); !strings.Contains(out, "expired@example.jp") {
		t.Fatalf("the dry run erased: %s", out)
	}
	if out := c.ok("retention", "run"); !strings.Contains(out, "until 2025-05-10  (短期展)") || !strings.Contains(out, "1 lead(s) past their retention erased") {
		t.Fatalf("run: %s", out)
	}
	if out := c.ok("leads", "show", expired); strings.Contains(out, "expired@example.jp") {
		t.Fatalf("an expired lead kept its email: %s", out)
	}
	if out := c.ok("leads", "show", kept); !strings.Contains(out, "kept@example.jp") {
		t.Fatalf("a lead inside its retention was touched: %s", out)
	}
	if out := c.ok("retention", "run"); !strings.Contains(out, "0 lead(s)") {
		t.Fatalf("second run: %s", out)
	}
}
