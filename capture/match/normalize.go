// Package match is 名寄せ: it normalises Japanese names, readings, company names, emails and
// phone numbers, finds candidate pairs through blocking keys (never all pairs), and scores
// them with reasons. False merges are worse than misses, so a pair is merged only on strong
// evidence; a likely job change or concurrent post is proposed, never merged.
package match

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/boothledger/boothledger/capture"
)

// fold is capture.NormText: the store's lookup keys and the matcher compare alike.
func fold(s string) string { return capture.NormText(s) }

// Name is the comparison form of a person's name.
func Name(s string) string { return fold(s) }

// Reading is the comparison form of a reading (hiragana and katakana are one reading).
func Reading(s string) string { return fold(s) }

// Email is the comparison form of an email address.
func Email(s string) string { return capture.NormEmail(s) }

// Phone is the comparison form of a Japanese phone number: digits, +81 as a leading 0.
func Phone(s string) string { return capture.NormPhone(s) }

// Company is a company name with its legal form separated. 前株 (株式会社A) and 後株
// (A株式会社) are different companies, so the position is part of the identity.
type Company struct {
	Name     string
	Form     string // 株式会社, 有限会社, 合同会社, …; "" when none was written
	Position string // "pre", "post" or ""
}

// Same reports whether two writings name the same company: the same name, and the same
// legal form in the same place unless one of them leaves the form out (サンプル is an
// abbreviation of 株式会社サンプル; 株式会社サンプル and サンプル株式会社 are two companies).
func (c Company) Same(o Company) bool {
	return c.Name == o.Name && (c.Form == "" || o.Form == "" || c.Form == o.Form && c.Position == o.Position)
}

// ShorterWriting reports whether written is the same company as held with less of it: its
// legal form left out. A capture so written does not replace the lead's fuller name.
func ShorterWriting(held, written string) bool {
	h, w := ParseCompany(held), ParseCompany(written)
	return h.Name != "" && h.Same(w) && w.Form == "" && h.Form != ""
}

// legalForms maps every way of writing a legal form to its full name; the longest written
// forms come first so that "(株)" wins over "株".
var legalForms = []struct{ written, form string }{
	{"株式会社", "株式会社"}, {"(株)", "株式会社"}, {"㈱", "株式会社"}, {"(株)", "株式会社"},
	{"有限会社", "有限会社"}, {"(有)", "有限会社"}, {"㈲", "有限会社"},
	{"合同会社", "合同会社"}, {"(同)", "合同会社"}, {"合資会社", "合資会社"}, {"合名会社", "合名会社"},
	{"一般社団法人", "一般社団法人"}, {"(一社)", "一般社団法人"}, {"公益社団法人", "公益社団法人"}, {"一般財団法人", "一般財団法人"},
}

// englishForms are legal forms written after an English name.
var englishForms = []string{"co.,ltd.", "co., ltd.", "co.ltd.", "co ltd", "co.,ltd", "company limited", "corporation", "corp.", "corp", "inc.", "inc", "k.k.", "kk", "ltd.", "ltd", "llc", "g.k."}

// ParseCompany separates a company name from its legal form.
func ParseCompany(s string) Company {
	t := strings.TrimSpace(norm.NFKC.String(s))
	if t == "" {
		return Company{}
	}
	for _, f := range legalForms {
		w := norm.NFKC.String(f.written)
		if rest, ok := strings.CutPrefix(t, w); ok {
			return Company{Name: fold(rest), Form: f.form, Position: "pre"}
		}
		if rest, ok := strings.CutSuffix(t, w); ok {
			return Company{Name: fold(rest), Form: f.form, Position: "post"}
		}
	}
	lower := strings.ToLower(t)
	for _, f := range englishForms {
		if strings.HasSuffix(lower, f) {
			name := strings.TrimRight(strings.TrimSpace(t[:len(t)-len(f)]), " ,.")
			return Company{Name: fold(name), Form: "company", Position: "post"}
		}
	}
	return Company{Name: fold(t)}
}

// roleLocals are mailbox names a whole team shares: never enough on their own.
var roleLocals = map[string]bool{
	"info": true, "sales": true, "contact": true, "support": true, "admin": true, "office": true, "inquiry": true,
	"inquiries": true, "webmaster": true, "marketing": true, "pr": true, "hr": true, "recruit": true, "eigyo": true,
	"soumu": true, "toiawase": true, "mail": true, "service": true, "help": true, "team": true, "hello": true,
	"noreply": true, "no-reply": true, "customer": true, "press": true, "event": true, "events": true, "seminar": true,
}

// IsRoleMailbox reports whether an address is a shared role mailbox such as info@.
func IsRoleMailbox(email string) bool {
	local, _, ok := strings.Cut(Email(email), "@")
	if !ok {
		return false
	}
	local = strings.TrimRight(local, "0123456789")
	return roleLocals[local]
}

// IsMobile reports whether a Japanese number is a mobile (070/080/090).
func IsMobile(phone string) bool {
	d := Phone(phone)
	return len(d) == 11 && (strings.HasPrefix(d, "070") || strings.HasPrefix(d, "080") || strings.HasPrefix(d, "090"))
}
