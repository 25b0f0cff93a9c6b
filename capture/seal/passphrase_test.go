package seal

import (
	"errors"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
)

func TestCheckPassphrase(t *testing.T) {
	for p, want := range map[string]string{
		"":                      "weak_passphrase",
		"abcdefghijk":           "weak_passphrase", // 11
		"abcdefghijkl":          "",                // 12
		"     abcdefghijk     ": "weak_passphrase", // spaces around do not count
		"あいうえおかきくけこさ":           "weak_passphrase", // 11 kana
		"あいうえおかきくけこさし":          "",
		"ab cd ef gh":           "", // four words, 11 characters
		"ab cd ef":              "weak_passphrase",
		"ねこ　いぬ　やま　かわ":           "",                // full-width spaces separate words
		"a b c d e f":           "weak_passphrase", // one-letter words do not count
		"abcdefghijkl\x07":      "control_char",
		"abcdef\nghijkl":        "control_char",
		"abcdef\u200bghijkl":    "control_char", // zero-width space
		"abcdef\u202eghijkl":    "control_char", // right-to-left override
		"abcdefghijkl\xff":      "invalid_utf8",
		"correct horse battery": "",
		strings.Repeat("長", 12): "",
	} {
		err := CheckPassphrase(p)
		got := ""
		if err != nil {
			var ve *capture.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, capture.ErrInvalid) {
				t.Fatalf("%q: %v is not a validation error", p, err)
			}
			f, ok := ve.For("passphrase")
			if !ok || f.JA == "" || f.EN == "" {
				t.Fatalf("%q: %v has no bilingual passphrase field error", p, err)
			}
			got = f.Code
		}
		if got != want {
			t.Errorf("CheckPassphrase(%q) = %v, want %q", p, err, want)
		}
	}
	// The message says why, in both languages.
	var ve *capture.ValidationError
	errors.As(CheckPassphrase("short"), &ve)
	if f := ve.Fields[0]; !strings.Contains(f.EN, "offline") || !strings.Contains(f.JA, "ノートPC") {
		t.Errorf("the message does not say why: %+v", f)
	}
}
