package capture

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on captured text.
const (
	MaxFieldRunes = 256
	MaxNoteBytes  = 4096
)

// Person is what a card or form says about someone. The same shape is stored on each capture
// (the evidence of what was taken) and on the lead (the merged, current view).
type Person struct {
	Name       string `json:"name,omitempty"`
	Kana       string `json:"kana,omitempty"`
	Company    string `json:"company,omitempty"`
	Department string `json:"department,omitempty"`
	Title      string `json:"title,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Mobile     string `json:"mobile,omitempty"`
	Postal     string `json:"postal,omitempty"`
	Address    string `json:"address,omitempty"`
}

// PersonFields lists the person's field names in card order; they are the keys used by
// corrections, imports and field errors.
var PersonFields = []string{"name", "kana", "company", "department", "title", "email", "phone", "mobile", "postal", "address"}

// Field returns a pointer to the named field, or nil for an unknown name.
func (p *Person) Field(name string) *string {
	switch name {
	case "name":
		return &p.Name
	case "kana":
		return &p.Kana
	case "company":
		return &p.Company
	case "department":
		return &p.Department
	case "title":
		return &p.Title
	case "email":
		return &p.Email
	case "phone":
		return &p.Phone
	case "mobile":
		return &p.Mobile
	case "postal":
		return &p.Postal
	case "address":
		return &p.Address
	}
	return nil
}

// IsZero reports whether no field is set.
func (p Person) IsZero() bool { return p == Person{} }

// Clean normalises and validates a person. Text is stored as NFC; email, phone and postal
// code are stored in their NFKC form, so full-width input such as ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ
// is accepted. requireIdentity demands a name or an email (a new capture needs one; a
// correction does not).
func (p Person) Clean(requireIdentity bool) (Person, error) {
	var v errs
	for _, f := range PersonFields {
		ptr := p.Field(f)
		*ptr = cleanText(&v, f, *ptr)
	}
	if p.Email != "" {
		p.Email = cleanEmail(&v, "email", p.Email)
	}
	for _, f := range []string{"phone", "mobile"} {
		if ptr := p.Field(f); *ptr != "" {
			*ptr = cleanPhone(&v, f, *ptr)
		}
	}
	if p.Postal != "" {
		p.Postal = strings.TrimPrefix(norm.NFKC.String(p.Postal), "〒")
		p.Postal = strings.TrimSpace(p.Postal)
	}
	if requireIdentity && p.Name == "" && p.Email == "" {
		v.add("name", "name_or_email")
	}
	return p, v.err()
}

// Clean checks a correction as a device makes it and as every other receives it: fields that
// are the person's, each valid as a person's (a correction need not name the person), or the
// rating staff give the lead (A, B, C, or "" for none), and a reason that is plain text. It
// returns it normalised.
func (c Correction) Clean() (Correction, error) {
	var v errs
	var p Person
	for f, val := range c.Fields {
		if f == "rating" {
			if val != "" && val != "A" && val != "B" && val != "C" {
				v.add("rating", "one_of", "A, B, C")
			}
			continue
		}
		if ptr := p.Field(f); ptr != nil {
			*ptr = val
		} else {
			v.add("fields."+f, "one_of", strings.Join(PersonFields, ", "))
		}
	}
	p, err := p.Clean(false)
	if ve, ok := err.(*ValidationError); ok {
		v.list = append(v.list, ve.Fields...)
	}
	out := Correction{Fields: map[string]string{}, Reason: cleanText(&v, "reason", c.Reason)}
	for f, val := range c.Fields {
		if ptr := p.Field(f); ptr != nil {
			out.Fields[f] = *ptr
		} else if f == "rating" {
			out.Fields[f] = val
		}
	}
	return out, v.err()
}

// cleanText checks one free-text field and returns its trimmed NFC form.
func cleanText(v *errs, field, s string) string {
	if !utf8.ValidString(s) {
		v.add(field, "invalid_utf8")
		return s
	}
	s = strings.TrimSpace(norm.NFC.String(s))
	if n := utf8.RuneCountInString(s); n > MaxFieldRunes {
		v.add(field, "too_long", MaxFieldRunes, n)
	}
	if r, ok := controlChar(s, false); ok {
		v.add(field, "control_char", r)
	}
	return s
}

// CleanNote validates a free-form memo: up to 4 KB, line breaks and tabs allowed.
func CleanNote(field, s string) (string, error) {
	var v errs
	switch {
	case !utf8.ValidString(s):
		v.add(field, "invalid_utf8")
	default:
		s = strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n")))
		if len(s) > MaxNoteBytes {
			v.add(field, "too_large", MaxNoteBytes, len(s))
		}
		if r, ok := controlChar(s, true); ok {
			v.add(field, "control_char", r)
		}
	}
	return s, v.err()
}

// controlChar returns the first control or format character in s: the message names it,
// since most of them cannot be seen.
func controlChar(s string, multiline bool) (rune, bool) {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		// Format characters (zero-width spaces, BOMs, bidi overrides) hide or reorder what a
		// person reads; only the joiner inside emoji sequences is left alone.
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) && r != '\u200d' {
			return r, true
		}
	}
	return 0, false
}

func cleanEmail(v *errs, field, s string) string {
	s = strings.TrimSpace(norm.NFKC.String(s))
	if !validEmail(s) {
		v.add(field, "email_syntax")
	}
	return s
}

// validEmail accepts the addresses people actually put on cards: a dot-atom local part and a
// domain of at least two labels. Quoted local parts and IP literals are refused on purpose.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if !(r < utf8.RuneSelf && (isAlnum(byte(r)) || strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", r))) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// dashes are characters Japanese input methods produce where a phone number wants a hyphen;
// NFKC leaves them alone, so they are mapped explicitly.
var dashes = strings.NewReplacer("‐", "-", "‑", "-", "‒", "-", "–", "-", "—", "-", "―", "-", "−", "-", "ー", "-", "ｰ", "-")

func cleanPhone(v *errs, field, s string) string {
	s = strings.TrimSpace(dashes.Replace(norm.NFKC.String(s)))
	s = strings.Join(strings.Fields(s), " ")
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == '(' || r == ')' || r == ' ':
		default:
			v.add(field, "phone_chars")
			return s
		}
	}
	if digits < 3 || digits > 20 {
		v.add(field, "phone_digits", digits)
	}
	return s
}

// Normalised lookup forms, kept beside the stored text.

// NormText is the comparison form of free text: NFKC, lower-case, hiragana folded to
// katakana (a reading written either way is one reading), old and variant kanji folded to
// their common form (髙橋 and 高橋 are one name), no white space or middle dots.
func NormText(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || r == '・' || r == '･':
			return -1
		case r >= 'ぁ' && r <= 'ゖ':
			return r + 0x60
		}
		if v, ok := kanjiVariants[r]; ok {
			return v
		}
		return r
	}, s)
}

// kanjiVariants folds old and variant kanji to their common form. Extend it freely: names
// are compared after folding, so one entry makes two spellings one name.
var kanjiVariants = map[rune]rune{
	'髙': '高', '﨑': '崎', '嵜': '崎', '邊': '辺', '邉': '辺', '齋': '斎', '齊': '斎', '濵': '浜', '濱': '浜',
	'德': '徳', '澤': '沢', '廣': '広', '國': '国', '櫻': '桜', '龍': '竜', '藏': '蔵', '嶋': '島', '嶌': '島',
	'眞': '真', '惠': '恵', '冨': '富', '實': '実', '條': '条', '曾': '曽', '槇': '槙', '舘': '館', '峯': '峰',
	'淺': '浅', '瀨': '瀬', '顯': '顕', '禮': '礼', '靜': '静', '譽': '誉', '萬': '万', '與': '与',
}

// NormEmail is the lookup form of an email address: NFKC, trimmed, lower-cased.
func NormEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(s)))
}

// NormPhone is the lookup form of a phone number: digits only, with a Japanese +81 country
// code written as the domestic leading 0.
func NormPhone(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if strings.HasPrefix(strings.TrimSpace(s), "+81") && strings.HasPrefix(d, "81") {
		d = "0" + strings.TrimPrefix(strings.TrimPrefix(d, "81"), "0")
	}
	return d
}

// SearchText is the normalised text that lead search matches substrings against.
func (p Person) SearchText() string {
	parts := []string{NormText(p.Name), NormText(p.Kana), NormText(p.Company), NormEmail(p.Email), NormPhone(p.Phone), NormPhone(p.Mobile)}
	return strings.Join(parts, "\x1f")
}
