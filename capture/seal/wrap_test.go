package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// unlocks takes an unlock's result, as unlocks(t, k)(Unlock(w, p)), and fails unless it
// succeeded with k's data key: what k seals, it opens.
func unlocks(t *testing.T, k *Keyring) func(*Keyring, error) *Keyring {
	return func(u *Keyring, err error) *Keyring {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(u.Close)
		got, err := u.Open(seal(t, k, "山田 太郎", "lead-1"), []byte("lead-1"))
		if err != nil || string(got) != "山田 太郎" {
			t.Fatalf("keyrings do not share the data key: %q, %v", got, err)
		}
		return u
	}
}

func TestUnlock(t *testing.T) {
	k, w, _ := newTest(t)
	unlocks(t, k)(Unlock(w, testPass))
	for _, p := range []string{"", "correct horse battery stapl", "Correct horse battery staple", testPass + " "} {
		if u, err := Unlock(w, p); err != ErrWrongPassphrase || u != nil {
			t.Errorf("Unlock(%q) = %v, %v; want only ErrWrongPassphrase", p, u, err)
		}
	}
}

// The same passphrase typed through another IME or keyboard unlocks: a full-width space, a
// decomposed が.
func TestUnlockPassphraseForms(t *testing.T) {
	k, w, _, err := NewWith(cheap, "がっこう の ともだち と あそぶ")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	unlocks(t, k)(Unlock(w, "か\u3099っこう　の　ともだち　と　あそぶ"))
}

func TestDefaultParams(t *testing.T) {
	start := time.Now()
	k, w, _, err := New(testPass)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if w.Argon2id.Time != 3 || w.Argon2id.MemoryKiB != 64*1024 || w.Argon2id.Threads != 4 || len(w.Argon2id.Salt) != saltLen {
		t.Fatalf("New recorded %+v", w.Argon2id)
	}
	unlocks(t, k)(Unlock(w, testPass))
	t.Logf("New and Unlock with the default parameters: %v", time.Since(start))
}

func TestNewRefusesWeakPassphrase(t *testing.T) {
	if _, _, _, err := NewWith(cheap, "short"); err == nil {
		t.Fatal("New accepted a 5-character passphrase")
	}
	k, w, _ := newTest(t)
	if _, err := Rewrap(k, w, "short"); err == nil {
		t.Fatal("Rewrap accepted a 5-character passphrase")
	}
}

func TestRecovery(t *testing.T) {
	k, w, rk := newTest(t)
	unlocks(t, k)(UnlockWithRecovery(w, rk))
	_, _, other := newTest(t)
	if _, err := UnlockWithRecovery(w, other); err != ErrWrongRecoveryKey {
		t.Fatalf("another database's recovery key: %v", err)
	}
}

func TestRewrap(t *testing.T) {
	k, w, rk := newTest(t)
	sealed := seal(t, k, "山田 太郎", "lead-1")
	const newPass = "a brand new booth passphrase"
	w2, err := Rewrap(k, w, newPass)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(w2.Argon2id.Salt, w.Argon2id.Salt) || bytes.Equal(w2.Passphrase, w.Passphrase) {
		t.Error("Rewrap kept the salt or the wrapped key")
	}
	if !bytes.Equal(w2.Recovery, w.Recovery) {
		t.Error("Rewrap changed the recovery wrap")
	}
	if c := w2.Argon2id; c.Time != DefaultParams.Time || c.MemoryKiB != DefaultParams.MemoryKiB {
		t.Errorf("Rewrap did not raise cheap parameters to the defaults: %+v", c)
	}
	if _, err := Unlock(w2, testPass); err != ErrWrongPassphrase {
		t.Errorf("the old passphrase after Rewrap: %v", err)
	}
	u := unlocks(t, k)(Unlock(w2, newPass))
	if got, err := u.Open(sealed, []byte("lead-1")); err != nil || string(got) != "山田 太郎" {
		t.Fatalf("a value sealed before Rewrap: %q, %v", got, err)
	}
	unlocks(t, k)(UnlockWithRecovery(w2, rk))
	// Parameters at or above the defaults are kept.
	w3, err := Rewrap(u, w2, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if w3.Argon2id.Time != w2.Argon2id.Time || w3.Argon2id.MemoryKiB != w2.Argon2id.MemoryKiB {
		t.Errorf("Rewrap changed default parameters: %+v", w3.Argon2id)
	}
}

func TestWrappedJSON(t *testing.T) {
	k, w, _ := newTest(t)
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"version":1`, `"argon2id":{"time":1,"memory_kib":8192,"threads":1,"key_len":32,"salt":"`, `"passphrase":"`, `"recovery":"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("JSON %s lacks %s", b, field)
		}
	}
	var back Wrapped
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, w) {
		t.Fatalf("round trip:\n%+v\n%+v", back, w)
	}
	unlocks(t, k)(Unlock(back, testPass))
}

// A wrap edited in the meta row is refused before Argon2id runs: neither an hour-long or
// memory-exhausting unlock nor a trivially weak one.
func TestWrappedTampered(t *testing.T) {
	_, w, _ := newTest(t)
	cases := map[string]func(m map[string]any, p map[string]any){
		"memory 1 KiB":         func(m, p map[string]any) { p["memory_kib"] = 1 },
		"memory 7 MiB":         func(m, p map[string]any) { p["memory_kib"] = 7 * 1024 },
		"memory 1 TiB":         func(m, p map[string]any) { p["memory_kib"] = 1 << 30 },
		"memory over uint32":   func(m, p map[string]any) { p["memory_kib"] = 1 << 32 },
		"memory 4 GiB × 64":    func(m, p map[string]any) { p["memory_kib"] = 4 << 20; p["time"] = 64 },
		"time 0":               func(m, p map[string]any) { p["time"] = 0 },
		"time 1000":            func(m, p map[string]any) { p["time"] = 1000 },
		"threads 0":            func(m, p map[string]any) { p["threads"] = 0 },
		"threads 255":          func(m, p map[string]any) { p["threads"] = 255 },
		"negative threads":     func(m, p map[string]any) { p["threads"] = -1 },
		"key length 16":        func(m, p map[string]any) { p["key_len"] = 16 },
		"salt 4 bytes":         func(m, p map[string]any) { p["salt"] = "AAAAAA==" },
		"no salt":              func(m, p map[string]any) { delete(p, "salt") },
		"no parameters":        func(m, p map[string]any) { delete(m, "argon2id") },
		"version 2":            func(m, p map[string]any) { m["version"] = 2 },
		"unknown field":        func(m, p map[string]any) { m["kdf"] = "scrypt" },
		"passphrase wrap gone": func(m, p map[string]any) { delete(m, "passphrase") },
		"recovery wrap short":  func(m, p map[string]any) { m["recovery"] = "AQID" },
		"not base64":           func(m, p map[string]any) { m["passphrase"] = "!!" },
	}
	for name, edit := range cases {
		var m map[string]any
		b, _ := json.Marshal(w)
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m, m["argon2id"].(map[string]any))
		b, _ = json.Marshal(m)
		var back Wrapped
		err := json.Unmarshal(b, &back)
		if err == nil {
			t.Errorf("%s: read as valid", name)
			continue
		}
		if errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}

	// The same edits made to the struct are refused by Unlock itself, before any derivation.
	for name, edit := range map[string]func(*Wrapped){
		"memory 1 KiB": func(w *Wrapped) { w.Argon2id.MemoryKiB = 1 },
		"memory 1 TiB": func(w *Wrapped) { w.Argon2id.MemoryKiB = 1 << 30 },
		"time 0":       func(w *Wrapped) { w.Argon2id.Time = 0 },
		"threads 0":    func(w *Wrapped) { w.Argon2id.Threads = 0 },
		"salt 4 bytes": func(w *Wrapped) { w.Argon2id.Salt = w.Argon2id.Salt[:4] },
	} {
		tw := w
		tw.Argon2id.Salt = bytes.Clone(w.Argon2id.Salt)
		edit(&tw)
		start := time.Now()
		if _, err := Unlock(tw, testPass); err == nil || errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("Unlock with %s: %v", name, err)
		}
		if _, err := UnlockWithRecovery(tw, RecoveryKey{}); err == nil || errors.Is(err, ErrWrongRecoveryKey) {
			t.Errorf("UnlockWithRecovery with %s: %v", name, err)
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Errorf("%s took %v: a key derivation ran", name, d)
		}
	}
}

// Edits that stay in bounds cannot be caught up front, but they change the derived key, so the
// wrapped key no longer opens; and the two wraps cannot stand in for each other.
func TestWrappedTamperedInBounds(t *testing.T) {
	_, w, rk := newTest(t)
	for name, edit := range map[string]func(*Wrapped){
		"time 1 → 2":     func(w *Wrapped) { w.Argon2id.Time = 2 },
		"memory + 1 KiB": func(w *Wrapped) { w.Argon2id.MemoryKiB++ },
		"threads 1 → 2":  func(w *Wrapped) { w.Argon2id.Threads = 2 },
		"salt changed":   func(w *Wrapped) { w.Argon2id.Salt[0] ^= 1 },
		"swapped wraps":  func(w *Wrapped) { w.Passphrase, w.Recovery = w.Recovery, w.Passphrase },
		"wrapped key bit": func(w *Wrapped) {
			w.Passphrase = bytes.Clone(w.Passphrase)
			w.Passphrase[20] ^= 1
		},
	} {
		tw := w
		tw.Argon2id.Salt = bytes.Clone(w.Argon2id.Salt)
		edit(&tw)
		if _, err := Unlock(tw, testPass); err != ErrWrongPassphrase {
			t.Errorf("%s: Unlock = %v", name, err)
		}
	}
	swapped := w
	swapped.Passphrase, swapped.Recovery = w.Recovery, w.Passphrase
	if _, err := UnlockWithRecovery(swapped, rk); err != ErrWrongRecoveryKey {
		t.Errorf("swapped wraps: UnlockWithRecovery = %v", err)
	}
}

func BenchmarkUnlock(b *testing.B) {
	k, w, _, err := New(testPass)
	if err != nil {
		b.Fatal(err)
	}
	k.Close()
	for b.Loop() {
		u, err := Unlock(w, testPass)
		if err != nil {
			b.Fatal(err)
		}
		u.Close()
	}
}

func TestNewWithInvalidParams(t *testing.T) {
	for _, p := range []Params{{}, {Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: keySize}, {Time: 1, MemoryKiB: minMemoryKiB, Threads: 0, KeyLen: keySize}} {
		if _, _, _, err := NewWith(p, testPass); err == nil {
			t.Errorf("NewWith(%+v) made a wrap", p)
		}
	}
}
