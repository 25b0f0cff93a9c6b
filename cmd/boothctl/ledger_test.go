package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestLedger(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	answers := writeJSON(t, map[string]any{"interest": "センサー"})
	add := func(name, consent string) string {
		var r struct {
			LeadID string `json:"lead_id"`
		}
		json.Unmarshal([]byte(c.ok("capture", "add", "--event", eventID, "--name", name, "--email", name+"@example.jp",
			"--consent", consent, "--answers", answers, "--json")), &r)
		return r.LeadID
	}
	add("consented", "purpose,third_party")
	add("card", "purpose")
	gone := add("erased", "purpose")
	c.ok("request", "erase", gone, "--reason", "本人の請求")
	dir := t.TempDir()
	c.ok("export", "--event", eventID, "--use", "third_party", "--basis", "consent", "--recipient", "株式会社サンプル販売", "-o", filepath.Join(dir, "a.csv"))
	c.ok("export", "--event", eventID, "--use", "postal", "--basis", "outsourcing", "--recipient", "株式会社発送代行", "-o", filepath.Join(dir, "b.csv"))

	xlsx := filepath.Join(dir, "ledger.xlsx")
	c.ok("ledger", "--format", "xlsx", "-o", xlsx)
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("個人情報管理台帳")
	if err != nil || len(rows) != 3 {
		t.Fatalf("ledger rows: %v %v", rows, err)
	}
	row := map[string]string{}
	for i, h := range rows[1] {
		row[h] = rows[2][i]
	}
	for col, want := range map[string]string{
		"展示会": "産業センサー展", "人数": "2名（消去済み 1名）", "同意": "利用目的に同意 3件、第三者提供に同意 1件",
		"提供の記録": "株式会社サンプル販売（本人の同意（第三者提供））1回・1名", "委託先": "株式会社発送代行",
		"保存期間": "取得日から3年間", "アクセスできる者": "担当者 0名", "取得の方法": "名刺 3件",
	} {
		if !strings.Contains(row[col], want) {
			t.Errorf("ledger column %s = %q; want %q in it", col, row[col], want)
		}
	}

	pdf := filepath.Join(dir, "ledger.pdf")
	c.ok("ledger", "--format", "pdf", "-o", pdf)
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	flat := strings.ReplaceAll(string(text), "\n", "")
	for _, want := range []string{"個人情報管理台帳", "産業センサー展", "株式会社サンプル販売", "株式会社発送代行", "取得日から3年間"} {
		if !strings.Contains(flat, want) {
			t.Errorf("ledger PDF lacks %q", want)
		}
	}
	if _, errs, code := c.run("ledger", "--format", "doc", "-o", filepath.Join(dir, "x.doc")); code != 1 || !strings.Contains(errs, "format") {
		t.Fatalf("unknown format: exit %d %s", code, errs)
	}
}
