package seal

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/boothledger/boothledger/capture"
	"golang.org/x/text/unicode/norm"
)

// The passphrase rule: a lost laptop's file can be attacked offline at leisure, so a
// passphrase must be long enough that guessing it takes years even against Argon2id.
const (
	minPassphraseRunes = 12
	minPassphraseWords = 4
	minWordRunes       = 2 // "a b c d" is not four words' worth of guessing
)

// CheckPassphrase refuses a passphrase too weak to protect the file: fewer than 12
// characters (Japanese characters count one each) and fewer than four words, or any control
// or format character. The error is a *capture.ValidationError on field "passphrase".
func CheckPassphrase(p string) error {
	if !utf8.ValidString(p) {
		return capture.Invalid("passphrase", "invalid_utf8")
	}
	for _, r := range p {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return capture.Invalid("passphrase", "control_char", r)
		}
	}
	p = strings.TrimSpace(preparePassphrase(p))
	words := 0
	for _, w := range strings.Fields(p) {
		if utf8.RuneCountInString(w) >= minWordRunes {
			words++
		}
	}
	if utf8.RuneCountInString(p) >= minPassphraseRunes || words >= minPassphraseWords {
		return nil
	}
	return capture.Invalid("passphrase", "weak_passphrase")
}

// preparePassphrase is the form the key is derived from (as RFC 8265's OpaqueString): every
// kind of space is an ASCII space and the text is NFC, so the same passphrase typed through
// another keyboard or IME (a full-width space, a decomposed が) unlocks the same file.
func preparePassphrase(p string) string {
	p = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Zs, r) {
			return ' '
		}
		return r
	}, p)
	return norm.NFC.String(p)
}
