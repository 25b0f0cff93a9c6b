package main

import (
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

func TestExportAndProvisions(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	card := c.ok("capture", "add", "--event", eventID, "--name", "名刺 太郎", "--email", "card@example.jp", "--json")
	c.ok("capture", "add", "--event", eventID, "--source", "kiosk", "--name", "提供 花子", "--email", "third@example.jp",
		"--consent", "purpose,third_party", "--answers", writeJSON(t, map[string]any{"interest": "センサー"}))
	var cardIDs struct {
		LeadID string `json:"lead_id"`
	}
	json.Unmarshal([]byte(card), &cardIDs)

	out := filepath.Join(t.TempDir(), "list.csv")
	var report struct {
		Count     int            `json:"count"`
		Excluded  map[string]int `json:"excluded"`
		Provision bool           `json:"provision"`
		FileHash  string         `json:"file_hash"`
	}
	json.Unmarshal([]byte(c.ok("export", "--event", eventID, "--use", "third_party", "--basis", "consent",
		"--recipient", "株式会社サンプル販売", "--format", "csv", "-o", out, "--json")), &report)
	if report.Count != 1 || report.Excluded["no_third_party_consent"] != 1 || !report.Provision || len(report.FileHash) != 64 {
		t.Fatalf("export report %+v", report)
	}
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), "提供 花子") || strings.Contains(string(data), "名刺 太郎") {
		t.Fatalf("exported file:\n%s", data)
	}
	var recs []map[string]any
	json.Unmarshal([]byte(c.ok("provisions", "list", "--json")), &recs)
	if len(recs) != 1 || recs[0]["recipient"] != "株式会社サンプル販売" || recs[0]["consent_obtained"] != true {
		t.Fatalf("provisions %v", recs)
	}
	if mine := c.ok("provisions", "list", "--lead", cardIDs.LeadID); mine != "" {
		t.Fatalf("provisions of a lead not provided: %s", mine)
	}
	if _, errs, code := c.run("export", "--event", eventID, "--use", "internal", "--basis", "consent", "--recipient", "x", "-o", out); code != 1 || !strings.Contains(errs, "basis:") {
		t.Fatalf("internal with consent: exit %d %s", code, errs)
	}
	dry := c.ok("export", "--event", eventID, "--use", "email_marketing", "--basis", "joint_use", "--recipient", "共催パートナー", "--dry-run")
	if !strings.Contains(dry, "0 lead(s) exported, 2 excluded") || !strings.Contains(dry, "card_exception_own_only") {
		t.Fatalf("dry run: %s", dry)
	}
}

// TestAttachAndDetach: a second card of the same person joins the lead on the matcher's
// decision, leads show says who attached it, and leads detach undoes it.
func TestAttachAndDetach(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	type added struct {
		LeadID    string `json:"lead_id"`
		CaptureID string `json:"capture_id"`
		Attached  bool   `json:"attached"`
	}
	var first, second added
	json.Unmarshal([]byte(c.ok("capture", "add", "--event", eventID, "--json", "--name", "山田 花子", "--company", "株式会社サンプル", "--email", "hanako@sample.jp")), &first)
	json.Unmarshal([]byte(c.ok("capture", "add", "--event", eventID, "--json", "--name", "山田花子", "--company", "サンプル", "--email", "Hanako@sample.jp", "--title", "部長")), &second)
	if !second.Attached || second.LeadID != first.LeadID || second.CaptureID == "" {
		t.Fatalf("second card %+v, first %+v", second, first)
	}
	if out := c.ok("leads", "show", first.LeadID); !strings.Contains(out, "attached by the matcher") || !strings.Contains(out, "株式会社サンプル") {
		t.Fatalf("leads show:\n%s", out)
	}
	var own struct {
		ID       string         `json:"id"`
		Person   capture.Person `json:"person"`
		Captures int            `json:"captures"`
	}
	if _, errs, code := c.run("leads", "detach", second.CaptureID); code != 1 || !strings.Contains(errs, "reason:") {
		t.Fatalf("detaching without a reason: exit %d %s", code, errs)
	}
	json.Unmarshal([]byte(c.ok("leads", "detach", second.CaptureID, "--reason", "同姓同名の別人", "--json")), &own)
	if own.ID != second.CaptureID || own.Person.Title != "部長" || own.Captures != 1 {
		t.Fatalf("detached lead %+v", own)
	}
	var list []map[string]any
	json.Unmarshal([]byte(c.ok("leads", "list", "--event", eventID, "--json")), &list)
	if len(list) != 2 {
		t.Fatalf("%d leads after the detach, want 2", len(list))
	}
	if _, errs, code := c.run("leads", "detach", second.CaptureID); code != 1 || !strings.Contains(errs, "capture:") {
		t.Fatalf("detaching twice: exit %d %s", code, errs)
	}
}

func TestDedup(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	var ids []string
	for _, args := range [][]string{
		{"--name", "髙橋 一郎", "--kana", "たかはし いちろう", "--company", "株式会社アルファ", "--mobile", "090-1111-2222"},
		// The same person from a card without the mobile, kept apart by staff at capture
		// (the matcher would have attached it): found by dedup.
		{"--name", "高橋一郎", "--kana", "タカハシ イチロウ", "--company", "(株)アルファ", "--title", "部長", "--new-lead"},
		{"--name", "佐藤 健", "--company", "株式会社アルファ", "--email", "info@alpha.jp"},
		{"--name", "鈴木 花子", "--company", "株式会社アルファ", "--email", "info@alpha.jp"},
	} {
		var out struct {
			LeadID string `json:"lead_id"`
		}
		json.Unmarshal([]byte(c.ok(append([]string{"capture", "add", "--event", eventID, "--json"}, args...)...)), &out)
		ids = append(ids, out.LeadID)
	}
	var res struct {
		Clusters []struct {
			Leads   []string
			Score   float64
			Reasons []string
		}
	}
	json.Unmarshal([]byte(c.ok("dedup", "--event", eventID, "--json")), &res)
	if len(res.Clusters) != 1 || len(res.Clusters[0].Leads) != 2 || res.Clusters[0].Score < 0.9 {
		t.Fatalf("clusters %+v (leads %v)", res.Clusters, ids)
	}
	for _, id := range res.Clusters[0].Leads {
		if id != ids[0] && id != ids[1] {
			t.Fatalf("cluster %v, want the two 高橋 cards", res.Clusters[0].Leads)
		}
	}

	// Merge them (choosing the title), see one lead, undo, see two again.
	mergeID := c.ok("merge", ids[0], ids[1], "--reason", "名寄せ", "--set", "title=本部長")
	var shown struct {
		Person  capture.Person `json:"person"`
		Capture []any          `json:"capture_list"`
	}
	json.Unmarshal([]byte(c.ok("leads", "show", ids[0], "--json")), &shown)
	if shown.Person.Title != "本部長" || len(shown.Capture) != 2 {
		t.Fatalf("merged lead: %+v, %d captures", shown.Person, len(shown.Capture))
	}
	if _, errs, code := c.run("merge", ids[2], ids[3], "--set", "colour=red"); code != 1 || !strings.Contains(errs, "set:") {
		t.Fatalf("bad --set: exit %d %s", code, errs)
	}
	var list []map[string]any
	json.Unmarshal([]byte(c.ok("leads", "list", "--event", eventID, "--json")), &list)
	if len(list) != 3 {
		t.Fatalf("%d leads after the merge, want 3", len(list))
	}
	if out := c.ok("dedup", "--event", eventID); !strings.Contains(out, "0 clusters") {
		t.Fatalf("merged leads proposed again: %s", out)
	}
	c.ok("unmerge", mergeID)
	json.Unmarshal([]byte(c.ok("leads", "list", "--event", eventID, "--json")), &list)
	if len(list) != 4 {
		t.Fatalf("%d leads after the unmerge, want 4", len(list))
	}
	if _, errs, code := c.run("unmerge", mergeID); code != 1 || !strings.Contains(errs, "merge:") {
		t.Fatalf("second unmerge: exit %d %s", code, errs)
	}
	if _, _, code := c.run("merge", ids[0]); code != 2 {
		t.Fatalf("merge of one lead: exit %d", code)
	}

	// Bulk: every cluster at or above the score in one batch, and one undo for it.
	var bulk struct {
		Batch  string `json:"batch"`
		Merges int    `json:"merges"`
	}
	json.Unmarshal([]byte(c.ok("dedup", "--event", eventID, "--merge-above", "0.9", "--json")), &bulk)
	if bulk.Merges != 1 || bulk.Batch == "" {
		t.Fatalf("bulk merge %+v", bulk)
	}
	if out := c.ok("unmerge", "--batch", bulk.Batch); !strings.Contains(out, "1 merge(s)") {
		t.Fatalf("batch undo: %s", out)
	}
	if _, _, code := c.run("unmerge"); code != 2 {
		t.Fatalf("unmerge with nothing: exit %d", code)
	}

	// Purge: every lead was last captured before tomorrow.
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	var purge struct {
		Leads  []map[string]any `json:"leads"`
		Erased bool             `json:"erased"`
	}
	json.Unmarshal([]byte(c.ok("purge", "--not-captured-since", tomorrow, "--dry-run", "--json")), &purge)
	if len(purge.Leads) != 4 || purge.Erased {
		t.Fatalf("dry run: %+v", purge)
	}
	json.Unmarshal([]byte(c.ok("leads", "list", "--json")), &list)
	if len(list) != 4 {
		t.Fatal("dry run erased leads")
	}
	c.ok("purge", "--not-captured-since", tomorrow)
	json.Unmarshal([]byte(c.ok("leads", "list", "--json")), &list)
	if len(list) != 0 {
		t.Fatalf("%d leads left after purge", len(list))
	}
	// A purged person captured again is stopped until staff confirm fresh consent.
	again := []string{"capture", "add", "--event", eventID, "--name", "佐藤 健", "--email", "info@alpha.jp"}
	if _, errs, code := c.run(again...); code != 1 || !strings.Contains(errs, "suppressed") {
		t.Fatalf("recapture after erasure: exit %d %s", code, errs)
	}
	c.ok(append(again, "--confirm-suppressed", "--consent", "purpose")...)
}

func TestExportGivesWhatTheNoticeDeclaredAndNamesWhoExported(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup() // the notice provides 氏名, 会社名 and メールアドレス to the distributor
	c.ok("capture", "add", "--event", eventID, "--source", "kiosk", "--consent", "purpose,third_party",
		"--answers", writeJSON(t, map[string]any{"interest": "センサー"}),
		"--name", "全項 太郎", "--kana", "ぜんこう たろう", "--company", "株式会社フル", "--department", "開発部", "--title", "部長",
		"--email", "full@example.jp", "--phone", "03-1234-5678", "--mobile", "090-1234-5678", "--postal", "100-0001", "--address", "東京都千代田区千代田1-1")
	args := []string{"export", "--event", eventID, "--use", "third_party", "--basis", "consent", "--recipient", "株式会社サンプル販売"}

	var dry struct {
		Count    int `json:"count"`
		Withheld []struct {
			Column  string `json:"column"`
			Omitted bool   `json:"omitted"`
		} `json:"withheld"`
	}
	json.Unmarshal([]byte(c.ok(append(args, "--dry-run", "--json")...)), &dry)
	var omitted []string
	for _, w := range dry.Withheld {
		if w.Omitted {
			omitted = append(omitted, w.Column)
		}
	}
	want := []string{"ふりがな", "部署", "役職", "電話番号", "携帯電話", "郵便番号", "住所", "展示会", "取得日時", "担当", "取得元", "評価"}
	if dry.Count != 1 || !slices.Equal(omitted, want) {
		t.Fatalf("dry run: count %d, withheld %+v", dry.Count, dry.Withheld)
	}
	if text := c.ok(append(args, "--dry-run")...); !strings.Contains(text, "withheld: "+strings.Join(want, ", ")+" (no notice declares them") {
		t.Fatalf("dry run text:\n%s", text)
	}

	out := filepath.Join(t.TempDir(), "list.csv")
	c.ok(append(args, "-o", out, "--staff", "佐藤 花子")...)
	data, _ := os.ReadFile(out)
	if lines := strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\r\n"); lines[0] != "氏名,会社名,メールアドレス" || lines[1] != "全項 太郎,株式会社フル,full@example.jp" {
		t.Fatalf("file:\n%s", data)
	}
	c.ok(append(args, "-o", out)...) // no --staff: the OS user
	var recs []capture.ExportRecord
	json.Unmarshal([]byte(c.ok("provisions", "list", "--json")), &recs)
	me, err := user.Current()
	if err != nil || me.Username == "" {
		t.Fatalf("os user: %v", err)
	}
	if len(recs) != 2 || recs[0].By != "佐藤 花子" || recs[1].By != me.Username || !slices.Equal(recs[0].Items, []string{"氏名", "会社名", "メールアドレス"}) {
		t.Fatalf("provision records %+v", recs)
	}
}

func TestNoticeLintRefusesAbroadRecipientWithoutArt28(t *testing.T) {
	c := newCtl(t)
	n := storetest.Notice()
	n.ThirdParty.Recipients = append(n.ThirdParty.Recipients, "Acme Inc.")
	n.ThirdParty.Abroad = []capture.Abroad{{Recipient: "Acme Inc.", Country: "アメリカ合衆国"}}
	n.ThirdParty.Items = append(n.ThirdParty.Items, "連絡先")
	out, _, code := c.run("notice", "lint", writeJSON(t, n), "--json")
	var res struct {
		Findings []capture.Finding `json:"findings"`
	}
	json.Unmarshal([]byte(out), &res)
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[f.Rule+"/"+f.Field] = f.Severity == capture.SeverityError
	}
	if code != 1 || !got["abroad_incomplete/third_party.abroad[0].regime"] || !got["abroad_incomplete/third_party.abroad[0].measures"] || !got["unknown_item/third_party.items[3]"] {
		t.Fatalf("lint: exit %d, findings %v", code, got)
	}
}
