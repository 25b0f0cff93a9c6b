//go:build !windows

// Not on Windows: these read boothctl's PDFs back with poppler's pdftotext, a Debian tool with
// no Windows build here. On Windows TestLedger and TestRequests write the same PDFs through
// the same code (to a path of the test's choosing) and check that a PDF was written.

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture/store/storetest"
)

// pdfText is the text of the PDF at path with its line breaks taken out.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	text, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make deps installs poppler-utils): %v", err)
	}
	return strings.ReplaceAll(string(text), "\n", "")
}

func TestLedgerPDF(t *testing.T) {
	c, dir := ledgerWorld(t)
	pdf := filepath.Join(dir, "ledger.pdf")
	c.ok("ledger", "--format", "pdf", "-o", pdf)
	text := pdfText(t, pdf)
	for _, want := range []string{"個人情報管理台帳", "産業センサー展", "株式会社サンプル販売", "株式会社発送代行", "取得日から3年間"} {
		if !strings.Contains(text, want) {
			t.Errorf("ledger PDF lacks %q", want)
		}
	}
}

// TestDisclosurePDFInWords: a disclosure says where and how the data came and went in words,
// never in codes.
func TestDisclosurePDFInWords(t *testing.T) {
	c, _, lead := disclosedLead(t)
	pdf := filepath.Join(t.TempDir(), "disclosure.pdf")
	c.ok("request", "disclose", lead, "-o", pdf)
	text := pdfText(t, pdf)
	if strings.Contains(text, "kiosk") || strings.Contains(text, "third_party") {
		t.Errorf("disclosure PDF shows codes instead of words: %s", text)
	}
	for _, want := range []string{"保有個人データの開示", "開示 花子", "株式会社サンプル販売", storetest.Notice().Purposes[0][:30], "来場者入力", "第三者提供に同意"} {
		if !strings.Contains(text, want) {
			t.Errorf("disclosure PDF lacks %q", want)
		}
	}
}

func TestDisclosurePDFListsMerges(t *testing.T) {
	c, keep, _ := mergedLead(t)
	pdf := filepath.Join(t.TempDir(), "d.pdf")
	c.ok("request", "disclose", keep, "-o", pdf)
	if text := pdfText(t, pdf); !strings.Contains(text, "1件の記録をこの記録に統合") {
		t.Fatalf("disclosure PDF lacks the merge: %s", text)
	}
}
