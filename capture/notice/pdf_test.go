package notice_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
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
