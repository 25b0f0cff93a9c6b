//go:build !windows

// Not on Windows: these read printed lists back with poppler's pdftotext, a Debian tool with
// no Windows build here. The lists are written by the same code on Windows, where
// TestProvisionCarriesOnlyDeclaredItems writes each PDF and checks its provision record.

package export_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
)

// pdfText is the text of a PDF with its spaces taken out (pdftotext lays Japanese out with
// spaces between glyphs).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make deps installs poppler-utils): %v", err)
	}
	return strings.ReplaceAll(string(text), " ", "")
}

func TestPDFList(t *testing.T) {
	w := newWorld(t)
	p := w.plan(t, capture.UseInternal, capture.BasisOwn, "営業部")
	p.Request.Format = export.FormatPDF
	pdf, _ := w.write(t, p)
	text := pdfText(t, pdf)
	for _, want := range []string{"リード一覧", "名刺太郎", "社外秘", "1/1", "産業センサー展2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestPrintedProvisionCarriesOnlyDeclaredItems: a printed list shows the name, company,
// department, title, email and phone the notice declared, and nothing it did not.
func TestPrintedProvisionCarriesOnlyDeclaredItems(t *testing.T) {
	d := newDeclared(t)
	for _, tc := range provisionCases {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := writeList(t, d.s, d.plan(t, tc, export.FormatPDF))
			text := pdfText(t, data)
			for _, v := range tc.values {
				if v != "090-1234-5678" && !strings.Contains(text, strings.ReplaceAll(v, " ", "")) {
					t.Errorf("pdf lacks %q:\n%s", v, text)
				}
			}
			tc.withholds(t, export.FormatPDF, text)
		})
	}
}
