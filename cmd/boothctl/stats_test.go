package main

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestStatsJSON checks the shape and the figures of boothctl stats on captures made through
// the command line: per event and per day, with an import told apart by its source.
func TestStatsJSON(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	for _, args := range [][]string{
		{"--staff", "田中", "--name", "山田 太郎", "--email", "taro@example.jp", "--rating", "A", "--consent", "purpose,email_optin", "--at", "2026-11-25T09:30:00+09:00"},
		{"--staff", "田中", "--name", "鈴木 花子", "--email", "hanako@example.jp", "--rating", "B", "--consent", "purpose", "--at", "2026-11-25T10:05:00+09:00"},
		{"--staff", "佐藤", "--name", "高橋 一郎", "--company", "株式会社アルファ", "--consent", "purpose,third_party", "--at", "2026-11-26T10:45:00+09:00"},
		// The same person on a second card at another company: kept apart, a pair to review.
		{"--staff", "佐藤", "--name", "山田 太郎", "--email", "taro@example.jp", "--company", "ベータ株式会社", "--new-lead", "--at", "2026-11-26T11:00:00+09:00"},
	} {
		c.ok(append([]string{"capture", "add", "--event", eventID}, args...)...)
	}
	c.ok("capture", "import", "--event", eventID, writeCSV(t, "氏名,メールアドレス\n伊藤 次郎,jiro@example.jp\n"))

	var got map[string]any
	if err := json.Unmarshal([]byte(c.ok("stats", "--event", eventID, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(maps.Keys(got))
	if want := []string{"by_day", "by_hour", "by_rating", "by_source", "by_staff", "captures", "consent", "pending_duplicates"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	day := time.Now().Format("2006-01-02") // the import is made now
	hour := time.Now().Format("15")
	want := map[string]any{
		"captures":           5.0,
		"by_staff":           map[string]any{"田中": 2.0, "佐藤": 2.0, "": 1.0},
		"by_day":             map[string]any{"2026-11-25": 2.0, "2026-11-26": 2.0, day: 1.0},
		"by_source":          map[string]any{"booth_card": 4.0, "import": 1.0},
		"by_rating":          map[string]any{"A": 1.0, "B": 1.0, "": 3.0},
		"consent":            map[string]any{"purpose": 3.0, "email_optin": 1.0, "third_party": 1.0, "joint_use": 0.0},
		"by_hour":            map[string]any{"09": 1.0, "10": 2.0, "11": 1.0},
		"pending_duplicates": 1.0,
	}
	byHour := want["by_hour"].(map[string]any)
	n, _ := byHour[hour].(float64)
	byHour[hour] = n + 1
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}

	var first map[string]any
	json.Unmarshal([]byte(c.ok("stats", "--event", eventID, "--day", "2026/11/25", "--json")), &first)
	if first["captures"] != 2.0 || !reflect.DeepEqual(first["by_staff"], map[string]any{"田中": 2.0}) {
		t.Errorf("first day: %v", first)
	}
	text := c.ok("stats", "--event", eventID)
	for _, line := range []string{"captures: 5", "田中", "import", "pending duplicates: 1"} {
		if !strings.Contains(text, line) {
			t.Errorf("text output lacks %q:\n%s", line, text)
		}
	}
	for _, bad := range [][]string{{"--event", "nope"}, {"--day", "25/11"}} {
		if _, errs, code := c.run(append([]string{"stats"}, bad...)...); code != 1 || !strings.Contains(errs, strings.TrimPrefix(bad[0], "--")+":") {
			t.Errorf("stats %v: exit %d, %q", bad, code, errs)
		}
	}
}
