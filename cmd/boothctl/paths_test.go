package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJapanesePathsWithSpaces: a Japanese laptop's folders have Japanese names and spaces
// (C:\Users\山田 太郎\ドキュメント\…). The database, an import, an export, a notice print and a
// disclosure all go through such a folder.
func TestJapanesePathsWithSpaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "山田 太郎", "展示会 データ (2026)")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c := &ctl{t: t, db: filepath.Join(dir, "ブース 台帳.db")}
	noticeID, eventID := c.setup()

	cards := filepath.Join(dir, "名刺 取り込み.csv")
	if err := os.WriteFile(cards, []byte("氏名,会社名,メールアドレス\n取込 一郎,株式会社サンプル,ichiro@example.jp\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := importLines(t, c.ok("capture", "import", "--event", eventID, "--source", "rep_exchange", "--staff", "田中", cards, "--json"))
	if len(lines) != 1 || lines[0].LeadID == "" || lines[0].Error != "" {
		t.Fatalf("import from %s: %+v", cards, lines)
	}
	lead := lines[0].LeadID
	list := filepath.Join(dir, "営業 リスト.csv")
	c.ok("export", "--event", eventID, "--use", "internal", "--basis", "own", "--recipient", "営業部", "--format", "csv", "-o", list)
	if data, err := os.ReadFile(list); err != nil || !strings.Contains(string(data), "取込 一郎") {
		t.Fatalf("export into %s: %v\n%s", list, err, data)
	}
	poster := filepath.Join(dir, "利用目的 ポスター.pdf")
	c.ok("notice", "pdf", noticeID, "--layout", "poster", "-o", poster)
	disclosure := filepath.Join(dir, "開示 書面.pdf")
	c.ok("request", "disclose", lead, "-o", disclosure)
	for _, pdf := range []string{poster, disclosure} {
		if data, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF (%v)", pdf, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.Contains(e.Name(), ".tmp") {
			t.Fatalf("a temporary file is left behind: %s", e.Name())
		}
	}
}
