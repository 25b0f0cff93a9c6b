package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/boothledger/boothledger/capture/store/storetest"
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

// TestJSONFilesAsWindowsSavesThem: a notice saved by Notepad as "UTF-8 (BOM付き)" is read;
// one saved in CP932 is refused with a message that says to save it as UTF-8.
func TestJSONFilesAsWindowsSavesThem(t *testing.T) {
	c := newCtl(t)
	c.ok("org", "set", "--name", "ブースレジャー株式会社", "--address", "東京都千代田区", "--representative", "山田一郎",
		"--privacy-manager", "佐藤花子", "--contact", "privacy@example.co.jp", "--policy-url", "https://example.co.jp/privacy")
	plain, err := os.ReadFile(writeJSON(t, storetest.Notice()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bom := filepath.Join(dir, "通知 BOM.json")
	os.WriteFile(bom, append([]byte("\xef\xbb\xbf"), plain...), 0o600)
	if id := c.ok("notice", "add", bom); id == "" {
		t.Fatal("no notice id")
	}
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(plain)
	if err != nil {
		t.Fatal(err)
	}
	cp932 := filepath.Join(dir, "通知 CP932.json")
	os.WriteFile(cp932, sjis, 0o600)
	if _, errs, code := c.run("notice", "add", cp932); code != 1 || !strings.Contains(errs, "is not UTF-8") {
		t.Fatalf("a CP932 notice: exit %d %s", code, errs)
	}
}

// TestUnquotedPathIsNamed: a path with a space typed without quotes arrives as two
// arguments; the message names the extra one and says to quote the path.
func TestUnquotedPathIsNamed(t *testing.T) {
	c := newCtl(t)
	_, errs, code := c.run("capture", "import", "--event", "x", `C:\名刺`, "一覧.csv")
	if code != 2 || !strings.Contains(errs, `"一覧.csv" is one too many`) || !strings.Contains(errs, "quotes") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
