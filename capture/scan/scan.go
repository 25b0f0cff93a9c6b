// Package scan reads what a keyboard-wedge scanner types into the capture form: vCard 2.1,
// 3.0 and 4.0 (the QR codes of card apps and e-mail signatures), MeCard (the QR format on
// many Japanese business cards) and plain badge codes.
package scan

import (
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/boothledger/boothledger/capture"
)

// Kinds of scan.
const (
	KindVCard  = "vcard"
	KindMeCard = "mecard"
	KindBadge  = "badge"
)

// Result is what a scan said.
type Result struct {
	Kind   string
	Person capture.Person
	// Badge is the code of a badge scan; Note holds a card's note or its extra numbers.
	Badge string
	Note  string
}

// ErrEmpty is returned for a scan with nothing in it.
var ErrEmpty = errors.New("empty scan")

// MaxScan bounds what one scan may hold; a real vCard is a few hundred bytes.
const MaxScan = 16 << 10

// Parse reads one complete scan.
func Parse(text string) (Result, error) {
	text = strings.TrimSpace(strings.TrimPrefix(text, "\ufeff"))
	if text == "" {
		return Result{}, ErrEmpty
	}
	if len(text) > MaxScan {
		return Result{}, errors.New("scan too long")
	}
	upper := strings.ToUpper(text)
	switch {
	case strings.HasPrefix(upper, "BEGIN:VCARD"):
		return parseVCard(text)
	case strings.HasPrefix(upper, "MECARD:"):
		return parseMeCard(text[len("MECARD:"):]), nil
	}
	code := strings.TrimSpace(text)
	if strings.ContainsAny(code, "\r\n") || !utf8.ValidString(code) || len(code) > 128 {
		return Result{}, errors.New("not a vCard, MeCard or badge code")
	}
	return Result{Kind: KindBadge, Badge: code}, nil
}

// Assembler collects the lines a wedge scanner types (each ended by Enter) until a scan is
// complete: a vCard at END:VCARD, anything else at the end of its line.
type Assembler struct {
	lines []string
}

// Add takes one typed line. It returns done once a scan is complete, with its result or
// the error that made it unreadable.
func (a *Assembler) Add(line string) (res Result, done bool, err error) {
	a.lines = append(a.lines, line)
	first := strings.ToUpper(strings.TrimSpace(a.lines[0]))
	if strings.HasPrefix(first, "BEGIN:VCARD") && !strings.EqualFold(strings.TrimSpace(line), "END:VCARD") {
		if total := len(strings.Join(a.lines, "\n")); total <= MaxScan {
			return Result{}, false, nil
		}
	}
	text := strings.Join(a.lines, "\n")
	a.lines = nil
	res, err = Parse(text)
	return res, true, err
}

// Pending reports whether a multi-line scan has begun and not ended.
func (a *Assembler) Pending() bool { return len(a.lines) > 0 }

// Reset drops a scan in progress.
func (a *Assembler) Reset() { a.lines = nil }

// property is one vCard content line: NAME;PARAMS:VALUE.
type property struct {
	name   string
	params map[string][]string
	value  string
}

func parseVCard(text string) (Result, error) {
	res := Result{Kind: KindVCard}
	var props []property
	for _, line := range unfold(text) {
		if p, ok := parseProperty(line); ok {
			props = append(props, p)
		}
	}
	var last, first, kanaLast, kanaFirst, fn string
	var notes []string
	p := &res.Person
	for _, pr := range props {
		v := pr.value
		switch pr.name {
		case "N":
			parts := splitEscaped(v, ';')
			last, first = get(parts, 0), get(parts, 1)
			if sort := pr.params["SORT-AS"]; len(sort) > 0 { // vCard 4.0 reading: "last,first"
				kanaLast, kanaFirst = get(sort, 0), get(sort, 1)
			}
		case "FN":
			fn = unescape(v)
		case "X-PHONETIC-LAST-NAME", "X-FURIGANA-LAST-NAME":
			kanaLast = unescape(v)
		case "X-PHONETIC-FIRST-NAME", "X-FURIGANA-FIRST-NAME":
			kanaFirst = unescape(v)
		case "SOUND": // docomo and au phones: SOUND;X-IRMC-N:ヤマダ;タロウ;;;
			parts := splitEscaped(v, ';')
			kanaLast, kanaFirst = get(parts, 0), get(parts, 1)
		case "ORG":
			parts := splitEscaped(v, ';')
			p.Company, p.Department = get(parts, 0), strings.Join(nonEmpty(parts[min(1, len(parts)):]), " ")
		case "TITLE":
			p.Title = unescape(v)
		case "EMAIL":
			if e := unescape(v); p.Email == "" || hasType(pr, "PREF", "WORK") {
				if p.Email != "" && p.Email != e {
					notes = append(notes, "EMAIL: "+p.Email)
				}
				p.Email = e
			} else {
				notes = append(notes, "EMAIL: "+e)
			}
		case "TEL":
			tel := strings.TrimPrefix(unescape(v), "tel:")
			switch {
			case hasType(pr, "CELL", "MOBILE") && p.Mobile == "":
				p.Mobile = tel
			case hasType(pr, "FAX"):
				notes = append(notes, "FAX: "+tel)
			case p.Phone == "":
				p.Phone = tel
			default:
				notes = append(notes, "TEL: "+tel)
			}
		case "ADR":
			parts := splitEscaped(v, ';') // PO box; extended; street; locality; region; postal code; country
			if p.Postal == "" {
				p.Postal = get(parts, 5)
			}
			// Japanese order: prefecture, city, street, building.
			addr := strings.Join(nonEmpty([]string{get(parts, 4), get(parts, 3), get(parts, 2), get(parts, 1)}), " ")
			if p.Address == "" {
				p.Address = addr
			}
		case "NOTE":
			notes = append(notes, unescape(v))
		}
	}
	p.Name = strings.TrimSpace(last + " " + first)
	if p.Name == "" {
		p.Name = fn
	}
	p.Kana = strings.TrimSpace(kanaLast + " " + kanaFirst)
	res.Note = strings.Join(notes, "\n")
	if p.IsZero() {
		return res, errors.New("vCard holds no name, company, email or phone")
	}
	return res, nil
}

// unfold splits a vCard into logical lines: a line starting with a space or tab continues the
// one before (RFC 6350 3.2), and a quoted-printable value ending in "=" continues too.
func unfold(text string) []string {
	raw := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []string
	for i := 0; i < len(raw); i++ {
		l := raw[i]
		switch {
		case (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0:
			out[len(out)-1] += l[1:]
		case len(out) > 0 && strings.HasSuffix(out[len(out)-1], "=") && strings.Contains(strings.ToUpper(out[len(out)-1]), "QUOTED-PRINTABLE"):
			out[len(out)-1] = out[len(out)-1][:len(out[len(out)-1])-1] + l
		default:
			out = append(out, l)
		}
	}
	return out
}

func parseProperty(line string) (property, bool) {
	colon := indexUnquoted(line, ':')
	if colon <= 0 {
		return property{}, false
	}
	head, value := line[:colon], line[colon+1:]
	parts := strings.Split(head, ";")
	name := strings.ToUpper(parts[0])
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 { // item1.TEL
		name = name[dot+1:]
	}
	pr := property{name: name, params: map[string][]string{}, value: value}
	for _, param := range parts[1:] {
		k, v, ok := strings.Cut(param, "=")
		if !ok { // vCard 2.1 bare types: TEL;CELL;WORK
			pr.params["TYPE"] = append(pr.params["TYPE"], strings.ToUpper(k))
			continue
		}
		k = strings.ToUpper(k)
		for _, x := range strings.Split(strings.Trim(v, `"`), ",") {
			if k == "TYPE" {
				x = strings.ToUpper(x)
			}
			pr.params[k] = append(pr.params[k], x)
		}
	}
	if enc := pr.params["ENCODING"]; len(enc) > 0 && strings.EqualFold(enc[0], "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(pr.value))); err == nil {
			pr.value = string(b)
		}
	}
	if cs := pr.params["CHARSET"]; len(cs) > 0 && !utf8.ValidString(pr.value) {
		switch strings.ToUpper(cs[0]) {
		case "SHIFT_JIS", "SHIFT-JIS", "SJIS", "CP932", "WINDOWS-31J":
			if b, err := japanese.ShiftJIS.NewDecoder().String(pr.value); err == nil {
				pr.value = b
			}
		}
	}
	if !utf8.ValidString(pr.value) {
		pr.value = strings.ToValidUTF8(pr.value, "")
	}
	return pr, true
}

// indexUnquoted finds sep outside double quotes (parameter values may quote a colon).
func indexUnquoted(s string, sep byte) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			return i
		}
	}
	return -1
}

func hasType(p property, types ...string) bool {
	for _, t := range p.params["TYPE"] {
		for _, want := range types {
			if t == want {
				return true
			}
		}
	}
	return false
}

// splitEscaped splits on sep, honouring backslash escapes, and unescapes each part.
func splitEscaped(s string, sep rune) []string {
	var out []string
	var b strings.Builder
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteString(unescapeRune(r))
			escaped = false
		case r == '\\':
			escaped = true
		case r == sep:
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteRune(r)
		}
	}
	return append(out, strings.TrimSpace(b.String()))
}

func unescapeRune(r rune) string {
	if r == 'n' || r == 'N' {
		return "\n"
	}
	return string(r)
}

func unescape(s string) string {
	return strings.Join(splitEscaped(s, -1), "")
}

func get(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseMeCard reads the fields after "MECARD:": N:last,first;SOUND:reading;TEL:..;EMAIL:..;
// ORG:..;ADR:..;NOTE:..;;
func parseMeCard(s string) Result {
	res := Result{Kind: KindMeCard}
	p := &res.Person
	var notes []string
	for _, field := range splitEscaped(s, ';') {
		k, v, ok := strings.Cut(field, ":")
		if !ok || v == "" {
			continue
		}
		switch strings.ToUpper(k) {
		case "N":
			parts := strings.SplitN(v, ",", 2)
			p.Name = strings.TrimSpace(strings.Join(nonEmpty(parts), " "))
		case "SOUND":
			p.Kana = strings.TrimSpace(strings.Join(nonEmpty(strings.SplitN(v, ",", 2)), " "))
		case "TEL":
			if p.Phone == "" {
				p.Phone = v
			} else {
				notes = append(notes, "TEL: "+v)
			}
		case "TEL-AV":
			if p.Mobile == "" {
				p.Mobile = v
			}
		case "EMAIL":
			if p.Email == "" {
				p.Email = v
			} else {
				notes = append(notes, "EMAIL: "+v)
			}
		case "ORG":
			p.Company = v
		case "TITLE":
			p.Title = v
		case "ADR":
			p.Address = v
		case "NOTE", "URL", "MEMORY":
			notes = append(notes, v)
		}
	}
	// Japanese phones put the mobile number in TEL; a 070/080/090 number is a mobile.
	if p.Mobile == "" && isMobile(p.Phone) {
		p.Mobile, p.Phone = p.Phone, ""
	}
	res.Note = strings.Join(notes, "\n")
	return res
}

func isMobile(tel string) bool {
	d := capture.NormPhone(tel)
	return len(d) == 11 && (strings.HasPrefix(d, "070") || strings.HasPrefix(d, "080") || strings.HasPrefix(d, "090"))
}
