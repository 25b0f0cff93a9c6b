package notice

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Japanese line breaking (禁則処理), simplified: a line may break between any two Japanese
// characters but not inside a Latin word or number, never starts with closing punctuation or
// small kana, and never ends with opening punctuation.
const (
	noStart = "、。，．,.）)]｝}」』】〕〉》”’ー…‥・：；:;！？!?ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々"
	noEnd   = "（([｛{「『【〔〈《“‘"
)

// tokens splits text into unbreakable pieces: a Latin word with its trailing spaces, or one
// other character.
func tokens(s string) []string {
	var out []string
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		if r < utf8.RuneSelf && !unicode.IsSpace(r) {
			end := strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf || unicode.IsSpace(r) })
			if end < 0 {
				end = len(s)
			}
			for end < len(s) && s[end] == ' ' {
				end++
			}
			out = append(out, s[:end])
			s = s[end:]
			continue
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// wrap breaks text into lines no wider than width, as measured by widthOf.
func wrap(text string, width float64, widthOf func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, tok := range tokens(para) {
			if widthOf(tok) > width { // a URL or a very long word: break it anywhere
				for _, r := range tok {
					line = push(&out, line, string(r), width, widthOf)
				}
				continue
			}
			line = push(&out, line, tok, width, widthOf)
		}
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}

// push adds tok to line, starting a new line first if it does not fit, and returns the line.
func push(out *[]string, line, tok string, width float64, widthOf func(string) float64) string {
	if line == "" || widthOf(strings.TrimRight(line+tok, " ")) <= width {
		return line + tok
	}
	first, _ := utf8.DecodeRuneInString(tok)
	if strings.ContainsRune(noStart, first) {
		// Closing punctuation hangs at the end of the line rather than start the next.
		*out = append(*out, strings.TrimRight(line+tok, " "))
		return ""
	}
	last, n := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(noEnd, last) && len(line) > n {
		*out = append(*out, line[:len(line)-n])
		return string(last) + tok
	}
	*out = append(*out, strings.TrimRight(line, " "))
	return strings.TrimLeft(tok, " ")
}
