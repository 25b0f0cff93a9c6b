//go:build !windows

// Not on Windows: these read the prints back with poppler's pdftotext and pdftoppm and zbar's
// zbarimg, Debian tools with no Windows build here. The rendering is the same code on Windows,
// where TestGoldenPrints checks it byte for byte against the same golden PDFs.

package notice_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
)

// need finds a Debian tool the test relies on; make deps installs them.
func need(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found: run make deps (poppler-utils, zbar-tools)", tool)
	}
	return p
}

// TestPrintsAreReadable reads each print back the way a machine would: the text with
// pdftotext, the QR code from a rendered page with zbarimg.
func TestPrintsAreReadable(t *testing.T) {
	pdftotext, pdftoppm, zbarimg := need(t, "pdftotext"), need(t, "pdftoppm"), need(t, "zbarimg")
	d := doc()
	wantURL := "https://example.co.jp/privacy/notice/3?h=" + d.Notice.Hash
	if got := notice.QRURL(d.Notice); got != wantURL {
		t.Fatalf("QRURL = %s, want %s", got, wantURL)
	}
	for _, layout := range notice.Layouts {
		t.Run(string(layout), func(t *testing.T) {
			dir := t.TempDir()
			pdf := filepath.Join(dir, "p.pdf")
			os.WriteFile(pdf, render(t, layout, d), 0o644)
			out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := strings.Join(strings.Fields(string(out)), "")
			for _, p := range d.Notice.Purposes {
				if !strings.Contains(text, strings.Join(strings.Fields(p), "")) {
					t.Errorf("purpose %q not extractable from the %s:\n%s", p, layout, out)
				}
			}
			if !strings.Contains(text, "版3") || !strings.Contains(text, d.Notice.Hash[:8]) {
				t.Errorf("footer lacks the version and hash prefix:\n%s", out)
			}
			if layout == notice.Survey {
				for _, want := range []string{"ご関心のある製品", "温度センサー", "上記の利用目的を確認し、同意します。", "上記の第三者提供に同意します。", "氏名"} {
					if !strings.Contains(text, want) {
						t.Errorf("survey sheet lacks %q", want)
					}
				}
			}
			if err := exec.Command(pdftoppm, "-png", "-r", "150", "-f", "1", "-l", "1", pdf, filepath.Join(dir, "page")).Run(); err != nil {
				t.Fatalf("pdftoppm: %v", err)
			}
			pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
			if len(pages) != 1 {
				t.Fatalf("pages: %v", pages)
			}
			qr, err := exec.Command(zbarimg, "-q", "--raw", pages[0]).Output()
			if err != nil {
				t.Fatalf("zbarimg found no QR code on the %s: %v", layout, err)
			}
			if got := strings.TrimSpace(string(qr)); got != wantURL {
				t.Fatalf("QR decodes to %q, want %q", got, wantURL)
			}
		})
	}
}

// TestPrintsTellOfRecipientsAbroad: what Art.28 asks a person be told before consenting to
// provision abroad is printed with the provision, on the layouts that print the provision
// (the table tent gives the purposes and points to the full notice).
func TestPrintsTellOfRecipientsAbroad(t *testing.T) {
	pdftotext := need(t, "pdftotext")
	d := doc()
	d.Notice.ThirdParty.Abroad = []capture.Abroad{{Recipient: "当社の販売代理店（株式会社サンプル販売）", Country: "シンガポール",
		Regime: "個人データ保護法（PDPA）があり個人情報保護委員会に相当する機関が監督する", Measures: "契約により安全管理措置と再提供の禁止を義務付けている"}}
	d.Notice.Hash = d.Notice.NoticeBody.Hash()
	a := d.Notice.ThirdParty.Abroad[0]
	for _, layout := range []notice.Layout{notice.Poster, notice.Survey} {
		pdf := filepath.Join(t.TempDir(), "p.pdf")
		os.WriteFile(pdf, render(t, layout, d), 0o644)
		out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{a.Country, a.Regime, a.Measures} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", layout, want, out)
			}
		}
	}
}
