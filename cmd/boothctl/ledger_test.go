package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// ledgerWorld is an event with a consented lead, a card, an erased lead and two exports; dir
// is where the ledger files go.
func ledgerWorld(t *testing.T) (c *ctl, dir string) {
	c = newCtl(t)
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
	dir = t.TempDir()
	c.ok("export", "--event", eventID, "--use", "third_party", "--basis", "consent", "--recipient", "株式会社サンプル販売", "-o", filepath.Join(dir, "a.csv"))
	c.ok("export", "--event", eventID, "--use", "postal", "--basis", "outsourcing", "--recipient", "株式会社発送代行", "-o", filepath.Join(dir, "b.csv"))
	return c, dir
}

// TestLedger: the ledger's spreadsheet has the event's row in words; its PDF is read back by
// TestLedgerPDF.
func TestLedger(t *testing.T) {
	c, dir := ledgerWorld(t)

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
	if !strings.HasPrefix(string(mustRead(t, pdf)), "%PDF-") {
		t.Fatal("the ledger is not a PDF") // TestLedgerPDF reads what it says
	}
	if _, errs, code := c.run("ledger", "--format", "doc", "-o", filepath.Join(dir, "x.doc")); code != 1 || !strings.Contains(errs, "format") {
		t.Fatalf("unknown format: exit %d %s", code, errs)
	}
}
