package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Kinsoku (禁則): what may not start a line, and what may not end one.
const (
	noLineStart = "。、，．・：；？！）」』】〕〉》］｝”’ゝゞーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;?!)]}%"
	noLineEnd   = "（「『【〔〈《［｛“‘([{"
)

// paragraph is text that wraps as Japanese is set: between any two Japanese characters and
// between words elsewhere, but never before closing punctuation (。、」…) nor after an
// opening bracket. Fyne's own wrapping breaks Japanese at any character and so starts
// lines with 。 or 、.
type paragraph struct {
	widget.BaseWidget
	text  string
	label *widget.Label // the text broken into lines, not wrapped again
	width float32
}

func newParagraph(text string) *paragraph {
	p := &paragraph{text: text, label: widget.NewLabel(text)}
	p.ExtendBaseWidget(p)
	return p
}

// SetText replaces the text and breaks it again at the current width.
func (p *paragraph) SetText(text string) {
	p.text = text
	p.rebreak()
}

// Text is the text as given, without the breaks.
func (p *paragraph) Text() string { return p.text }

func (p *paragraph) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.label) }

// MinSize is as narrow as a few characters, so the paragraph takes the width it is given
// and grows in height instead.
func (p *paragraph) MinSize() fyne.Size {
	min := p.label.MinSize()
	if narrow := 4 * p.Theme().Size(theme.SizeNameText); min.Width > narrow {
		min.Width = narrow
	}
	return min
}

func (p *paragraph) Resize(size fyne.Size) {
	changed := size.Width != p.width
	p.width = size.Width
	p.BaseWidget.Resize(size)
	if changed {
		p.rebreak()
	}
	p.label.Resize(size)
}

func (p *paragraph) rebreak() {
	th := p.Theme()
	size, pad := th.Size(theme.SizeNameText), th.Size(theme.SizeNameInnerPadding)
	fits := func(s string) bool {
		return p.width <= 0 || fyne.MeasureText(s, size, fyne.TextStyle{}).Width <= p.width-2*pad
	}
	var lines []string
	for _, para := range strings.Split(p.text, "\n") {
		lines = append(lines, breakLines(para, fits)...)
	}
	p.label.SetText(strings.Join(lines, "\n"))
	p.Refresh()
}

// breakLines fills lines greedily with the units of text that fits accepts; a unit wider
// than a line gets a line of its own.
func breakLines(text string, fits func(string) bool) []string {
	var lines []string
	line := ""
	for _, u := range breakUnits(text) {
		switch {
		case line == "":
			line = strings.TrimLeft(u, " ")
		case fits(line + u):
			line += u
		default:
			lines = append(lines, strings.TrimRight(line, " "))
			line = strings.TrimLeft(u, " ")
		}
	}
	return append(lines, strings.TrimRight(line, " "))
}

// breakUnits splits text where a line may break: before each Japanese character and each
// space-led word, keeping together what kinsoku does not let a line break between.
func breakUnits(text string) []string {
	var units []string
	for _, r := range text {
		if n := len(units); n > 0 && joins(lastRune(units[n-1]), r) {
			units[n-1] += string(r)
		} else {
			units = append(units, string(r))
		}
	}
	return units
}

// joins reports whether no line may break between prev and r.
func joins(prev, r rune) bool {
	switch {
	case strings.ContainsRune(noLineStart, r), strings.ContainsRune(noLineEnd, prev):
		return true
	case r == ' ':
		return false
	}
	return !wide(r) && !wide(prev) // within a word, or a word after its space
}

// wide reports whether r is a character a Japanese line may break before or after.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}
