package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestParagraphKeepsKinsoku: at every width, no line of a wrapped Japanese paragraph starts
// with 。 or 、 (or another closing mark) nor ends with an opening bracket, each line fits
// unless one unit alone is wider, and no character is lost or moved.
func TestParagraphKeepsKinsoku(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme{})
	text := "ご来場ありがとうございます。利用目的（下記）をご確認のうえ、「同意します」にチェックしてください。Booth Ledger keeps what you agreed to, and nothing else."
	p := newParagraph(text)
	w := test.NewWindow(p)
	defer w.Close()
	broke := false
	th := Theme{}
	textSize, pad := th.Size(theme.SizeNameText), th.Size(theme.SizeNameInnerPadding)
	for width := float32(60); width <= 600; width += 7 {
		p.Resize(fyne.NewSize(width, 400))
		lines := strings.Split(p.label.Text, "\n")
		if len(lines) > 1 {
			broke = true
		}
		if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != strings.ReplaceAll(text, " ", "") {
			t.Fatalf("width %v: text changed: %q", width, p.label.Text)
		}
		for i, l := range lines {
			r := []rune(l)
			if len(r) == 0 {
				t.Fatalf("width %v: empty line %d in %q", width, i, p.label.Text)
			}
			if i > 0 && strings.ContainsRune(noLineStart, r[0]) {
				t.Fatalf("width %v: line %d starts with %q: %q", width, i, r[0], p.label.Text)
			}
			if i < len(lines)-1 && strings.ContainsRune(noLineEnd, r[len(r)-1]) {
				t.Fatalf("width %v: line %d ends with %q: %q", width, i, r[len(r)-1], p.label.Text)
			}
			if units := breakUnits(l); len(units) > 1 && fyne.MeasureText(l, textSize, fyne.TextStyle{}).Width > width-2*pad {
				t.Fatalf("width %v: line %q is too wide", width, l)
			}
		}
	}
	if !broke {
		t.Fatal("the paragraph never wrapped")
	}
	if p.Text() != text {
		t.Fatalf("Text() = %q", p.Text())
	}
}
