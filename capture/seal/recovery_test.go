package seal

import (
	"crypto/rand"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
)

func randomKey() RecoveryKey {
	var rk RecoveryKey
	rand.Read(rk[:])
	return rk
}

// code is the field error code of a ParseRecoveryKey failure, "" for none.
func code(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ve *capture.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "recovery_key" || ve.Fields[0].JA == "" {
		t.Fatalf("not a recovery_key field error: %v", err)
	}
	return ve.Fields[0].Code
}

func TestRecoveryKeyText(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}$`)
	keys := []RecoveryKey{{}, randomKey(), randomKey()}
	for i := range keySize {
		keys[0][i] = 0xff
	}
	for _, rk := range keys {
		s := rk.String()
		if !shape.MatchString(s) {
			t.Fatalf("%s is not 14 groups of four Crockford characters", s)
		}
		plain := strings.ReplaceAll(s, "-", "")
		for _, typed := range []string{
			s,
			strings.ToLower(s),
			plain,
			strings.ReplaceAll(s, "-", " "),
			"  " + strings.ReplaceAll(s, "-", "　") + "\n",
			strings.NewReplacer("0", "o", "1", "l").Replace(s),
			strings.NewReplacer("0", "O", "1", "I").Replace(s),
			toFullWidth(s),
		} {
			got, err := ParseRecoveryKey(typed)
			if err != nil || got != rk {
				t.Fatalf("ParseRecoveryKey(%q) = %v, %v", typed, got, err)
			}
		}
	}
}

func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' {
			return 'ー'
		}
		return r - '!' + '！'
	}, s)
}

func TestRecoveryKeyOneTypo(t *testing.T) {
	for range 3 {
		s := strings.ReplaceAll(randomKey().String(), "-", "")
		for i := range s {
			for _, c := range crockford {
				if byte(c) == s[i] {
					continue
				}
				typed := s[:i] + string(c) + s[i+1:]
				if _, err := ParseRecoveryKey(typed); code(t, err) != "recovery_key_checksum" {
					t.Fatalf("%c for %c at %d: %v", c, s[i], i, err)
				}
			}
		}
	}
}

func TestRecoveryKeySwap(t *testing.T) {
	s := strings.ReplaceAll(randomKey().String(), "-", "")
	for i := range len(s) - 1 {
		for j := i + 1; j < len(s); j++ {
			if s[i] == s[j] {
				continue
			}
			b := []byte(s)
			b[i], b[j] = b[j], b[i]
			if _, err := ParseRecoveryKey(string(b)); code(t, err) != "recovery_key_checksum" {
				t.Fatalf("characters %d and %d swapped: %v", i, j, err)
			}
		}
	}
}

// Every one-character error changes the syndrome by a different non-zero amount, so no
// two errors cancel: any one or two mistyped characters, anywhere, are caught.
func TestChecksumCatchesTwoTypos(t *testing.T) {
	seen := map[uint32]bool{}
	for pos := range keySymbols {
		for e := byte(1); e < 32; e++ {
			var sym [keySymbols]byte
			sym[pos] = e
			s := syndrome(sym)
			if s == 0 || seen[s] {
				t.Fatalf("error %d at %d: syndrome %#x is zero or repeats", e, pos, s)
			}
			seen[s] = true
		}
	}
}

func TestRecoveryKeyMalformed(t *testing.T) {
	s := randomKey().String()
	for typed, want := range map[string]string{
		"":                    "recovery_key_length",
		s[:len(s)-1]:          "recovery_key_length",
		s + "0":               "recovery_key_length",
		s + "-" + s:           "recovery_key_length",
		"U" + s[1:]:           "recovery_key_char",
		s[:10] + "*" + s[11:]: "recovery_key_char",
		s[:10] + "あ" + s[11:]: "recovery_key_char",
	} {
		if _, err := ParseRecoveryKey(typed); code(t, err) != want {
			t.Errorf("ParseRecoveryKey(%q): %v, want %s", typed, err, want)
		}
	}
	// The last data character holds one key bit and four zeros; other values are not a key
	// this package wrote, even with a checksum made to match.
	var sym [keySymbols]byte
	sym[dataSymbols-1] = 1
	c := syndrome(sym)
	for i := range checkSyms {
		sym[dataSymbols+i] = byte(c >> (5 * (checkSyms - 1 - i)) & 31)
	}
	var b strings.Builder
	for _, v := range sym {
		b.WriteByte(crockford[v])
	}
	if _, err := ParseRecoveryKey(b.String()); code(t, err) != "recovery_key_checksum" {
		t.Errorf("non-zero padding accepted: %v", err)
	}
}

func FuzzParseRecoveryKey(f *testing.F) {
	f.Add(randomKey().String())
	f.Add("")
	f.Add("0000-0000")
	f.Fuzz(func(t *testing.T, s string) {
		rk, err := ParseRecoveryKey(s)
		if err != nil {
			return
		}
		if back, err := ParseRecoveryKey(rk.String()); err != nil || back != rk {
			t.Fatalf("%q parsed to a key whose text does not parse back: %v", s, err)
		}
	})
}
