package notice_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata")

// doc is a fixed print: the same bytes every run.
func doc() notice.Doc {
	body := storetest.Notice()
	n := capture.Notice{ID: "01a00000-0000-7000-8000-000000000001", Version: 3, Hash: body.Hash(), NoticeBody: body}
	return notice.Doc{
		Org:    capture.Org{Name: "ブースレジャー株式会社", Address: "東京都千代田区丸の内1-1-1"},
		Notice: n,
		Event: &capture.Event{ID: "e", Name: "産業センサー展2026", Venue: "東京ビッグサイト", Date: "2026-11-25", NoticeID: n.ID,
			Survey: &capture.Survey{Title: "来場者アンケート", Questions: []capture.Question{
				{ID: "interest", Text: "ご関心のある製品", Kind: capture.QuestionMulti, Options: []string{"温度センサー", "圧力センサー"}, Required: true},
				{ID: "timing", Text: "導入のご予定", Kind: capture.QuestionSingle, Options: []string{"3か月以内", "未定"}},
				{ID: "score", Text: "満足度", Kind: capture.QuestionRating},
				{ID: "comment", Text: "ご意見", Kind: capture.QuestionText},
			}}},
	}
}

func render(t *testing.T, layout notice.Layout, d notice.Doc) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := notice.Render(&buf, layout, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenPrints(t *testing.T) {
	for _, layout := range notice.Layouts {
		t.Run(string(layout), func(t *testing.T) {
			got := render(t, layout, doc())
			if again := render(t, layout, doc()); !bytes.Equal(got, again) {
				t.Fatal("two renders of the same notice differ")
			}
			path := filepath.Join("testdata", string(layout)+".golden.pdf")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./capture/notice -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from %s (%d vs %d bytes); look at both with pdftoppm, then -update if the change is intended", layout, path, len(got), len(want))
			}
		})
	}
}

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

func TestPosterFitsOnePage(t *testing.T) {
	d := doc()
	// A notice with long text still gives one poster page: the type shrinks.
	for i := 0; i < 3; i++ {
		d.Notice.Purposes = append(d.Notice.Purposes, strings.Repeat("産業用センサー事業における新製品のご案内を電子メールでお送りするため。", 2))
	}
	pdf := render(t, notice.Poster, d)
	if n := bytes.Count(pdf, []byte("/Type /Page\n")); n != 1 {
		t.Fatalf("poster has %d pages", n)
	}
}

func TestRenderRefusals(t *testing.T) {
	d := doc()
	d.Event = nil
	if err := notice.Render(&bytes.Buffer{}, notice.Survey, d); !errors.Is(err, notice.ErrNeedsEvent) {
		t.Fatalf("survey without an event: %v", err)
	}
	if err := notice.Render(&bytes.Buffer{}, "banner", doc()); !errors.Is(err, capture.ErrInvalid) {
		t.Fatalf("unknown layout: %v", err)
	}
	d = doc()
	d.Notice.PolicyURL = ""
	if err := notice.Render(&bytes.Buffer{}, notice.Poster, d); !errors.Is(err, capture.ErrInvalid) {
		t.Fatalf("no policy URL: %v", err)
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
