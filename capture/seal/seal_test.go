package seal

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"
)

// cheap are the weakest parameters Validate accepts, so tests that do not measure unlock
// stay fast; TestDefaultParams and BenchmarkUnlock run the real ones.
var cheap = Params{Time: 1, MemoryKiB: minMemoryKiB, Threads: 1, KeyLen: keySize}

const testPass = "correct horse battery staple"

func newTest(t testing.TB) (*Keyring, Wrapped, RecoveryKey) {
	t.Helper()
	k, w, rk, err := NewWith(cheap, testPass)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Close)
	return k, w, rk
}

func seal(t testing.TB, k *Keyring, plain, aad string) []byte {
	t.Helper()
	s, err := k.Seal([]byte(plain), []byte(aad))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealRoundTrip(t *testing.T) {
	k, _, _ := newTest(t)
	for _, plain := range []string{"", "a", "山田 太郎", "taro.yamada@example.co.jp", string(bytes.Repeat([]byte("x"), 100000))} {
		s := seal(t, k, plain, "lead-1")
		if len(s) != Overhead+len(plain) || s[0] != formatV1 {
			t.Fatalf("sealed %d bytes as %d starting %d", len(plain), len(s), s[0])
		}
		if len(plain) > 4 && bytes.Contains(s, []byte(plain)) {
			t.Fatalf("the plaintext is in the sealed bytes")
		}
		got, err := k.Open(s, []byte("lead-1"))
		if err != nil || string(got) != plain {
			t.Fatalf("Open = %q, %v; want %q", got, err, plain)
		}
	}
}

func TestOpenMovedValue(t *testing.T) {
	k, _, _ := newTest(t)
	s := seal(t, k, "山田 太郎", "lead-1")
	for _, aad := range []string{"lead-2", "lead-1 ", "", "LEAD-1"} {
		if _, err := k.Open(s, []byte(aad)); !errors.Is(err, ErrTampered) {
			t.Errorf("opened with aad %q: %v", aad, err)
		}
	}
}

func TestOpenOtherDatabase(t *testing.T) {
	k1, _, _ := newTest(t)
	k2, _, _ := newTest(t)
	if _, err := k2.Open(seal(t, k1, "山田 太郎", "lead-1"), []byte("lead-1")); !errors.Is(err, ErrTampered) {
		t.Fatalf("another database's key opened it: %v", err)
	}
}

func TestOpenEveryBitFlip(t *testing.T) {
	k, _, _ := newTest(t)
	s := seal(t, k, "taro@example.jp", "op-7")
	for i := range len(s) * 8 {
		c := bytes.Clone(s)
		c[i/8] ^= 1 << (i % 8)
		_, err := k.Open(c, []byte("op-7"))
		if i < 8 { // the version byte
			if err == nil {
				t.Fatalf("bit %d of the version flipped: opened", i)
			}
			continue
		}
		if !errors.Is(err, ErrTampered) {
			t.Fatalf("bit %d flipped: %v", i, err)
		}
	}
}

func TestOpenMalformed(t *testing.T) {
	k, _, _ := newTest(t)
	s := seal(t, k, "taro@example.jp", "op-7")
	cases := map[string][]byte{
		"nil":            nil,
		"empty":          {},
		"version only":   {formatV1},
		"version 0":      append([]byte{0}, s[1:]...),
		"version 2":      append([]byte{2}, s[1:]...),
		"one short":      s[:Overhead-1],
		"no ciphertext":  s[:Overhead],
		"last byte gone": s[:len(s)-1],
		"extra byte":     append(bytes.Clone(s), 0),
	}
	for name, in := range cases {
		if _, err := k.Open(in, []byte("op-7")); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	for n := range len(s) {
		if _, err := k.Open(s[:n], []byte("op-7")); err == nil {
			t.Fatalf("truncated to %d bytes: opened", n)
		}
	}
	if _, err := k.Open(cases["version 2"], nil); !errors.Is(err, ErrVersion) {
		t.Errorf("version 2: %v, want ErrVersion", err)
	}
}

func TestSealFresh(t *testing.T) {
	k, _, _ := newTest(t)
	a, b := seal(t, k, "山田 太郎", "lead-1"), seal(t, k, "山田 太郎", "lead-1")
	if bytes.Equal(a, b) || bytes.Equal(a[1:1+nonceSize], b[1:1+nonceSize]) {
		t.Fatalf("two seals share bytes or a nonce:\n%x\n%x", a, b)
	}
}

func TestIndex(t *testing.T) {
	k1, _, _ := newTest(t)
	k2, _, _ := newTest(t)
	idx := func(k *Keyring, kind, v string) string {
		t.Helper()
		b, err := k.Index(kind, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != sha256.Size {
			t.Fatalf("index of %d bytes", len(b))
		}
		return string(b)
	}
	a := idx(k1, "email", "taro@example.jp")
	if idx(k1, "email", "taro@example.jp") != a {
		t.Error("index not deterministic within a database")
	}
	if idx(k2, "email", "taro@example.jp") == a {
		t.Error("two databases give the same index")
	}
	if idx(k1, "suppression", "taro@example.jp") == a {
		t.Error("two kinds give the same index")
	}
	if idx(k1, "email", "taro@example.j") == a || idx(k1, "email", "") == a {
		t.Error("another value gives the same index")
	}
	// The zero byte between kind and value keeps the boundary: kind "ab" value "c" is not "a" "bc".
	if idx(k1, "ab", "c") == idx(k1, "a", "bc") {
		t.Error("kind and value boundary is ambiguous")
	}
	for _, kind := range []string{"", "a\x00b"} {
		if _, err := k1.Index(kind, "v"); err == nil {
			t.Errorf("kind %q accepted", kind)
		}
	}
}

// The index key and the cipher key are different derivations of the data key, and neither is
// the data key.
func TestKeysApart(t *testing.T) {
	k, _, _ := newTest(t)
	sealKey, err := hkdf.Key(sha256.New, k.dataKey, nil, sealInfo, keySize)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(k.index, sealKey) || bytes.Equal(k.index, k.dataKey) || bytes.Equal(sealKey, k.dataKey) {
		t.Fatal("two of data, seal and index key are equal")
	}
}

func TestClose(t *testing.T) {
	k, w, _ := newTest(t)
	s := seal(t, k, "山田 太郎", "lead-1")
	dataKey, index := k.dataKey, k.index
	k.Close()
	if !bytes.Equal(dataKey, make([]byte, keySize)) || !bytes.Equal(index, make([]byte, keySize)) {
		t.Error("Close left key bytes in memory")
	}
	if _, err := k.Seal([]byte("x"), nil); !errors.Is(err, ErrLocked) {
		t.Errorf("Seal after Close: %v", err)
	}
	if _, err := k.Open(s, []byte("lead-1")); !errors.Is(err, ErrLocked) {
		t.Errorf("Open after Close: %v", err)
	}
	if _, err := k.Index("email", "x"); !errors.Is(err, ErrLocked) {
		t.Errorf("Index after Close: %v", err)
	}
	if _, err := Rewrap(k, w, "another long passphrase"); !errors.Is(err, ErrLocked) {
		t.Errorf("Rewrap after Close: %v", err)
	}
	k.Close() // twice is harmless
}

func FuzzOpen(f *testing.F) {
	k, _, _ := newTest(f)
	s, _ := k.Seal([]byte("taro@example.jp"), []byte("op-7"))
	f.Add(s, []byte("op-7"))
	f.Add([]byte{}, []byte{})
	f.Add([]byte{formatV1}, []byte("x"))
	f.Add(make([]byte, Overhead), []byte(nil))
	f.Fuzz(func(t *testing.T, in, aad []byte) {
		plain, err := k.Open(in, aad)
		if err == nil && !(bytes.Equal(in, s) && bytes.Equal(aad, []byte("op-7"))) {
			t.Fatalf("forged value opened: %x (aad %q) → %q", in, aad, plain)
		}
	})
}

// perColumn reports the time of 100,000 operations: one personal column of 100,000 leads.
func perColumn(b *testing.B) {
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N)*1e5, "ms/100k")
}

// BenchmarkSeal seals one short personal field.
func BenchmarkSeal(b *testing.B) {
	k, _, _ := newTest(b)
	plain, aad := []byte("taro.yamada@example.co.jp"), []byte("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
	for b.Loop() {
		if _, err := k.Seal(plain, aad); err != nil {
			b.Fatal(err)
		}
	}
	perColumn(b)
}

func BenchmarkOpen(b *testing.B) {
	k, _, _ := newTest(b)
	aad := []byte("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
	s, _ := k.Seal([]byte("taro.yamada@example.co.jp"), aad)
	for b.Loop() {
		if _, err := k.Open(s, aad); err != nil {
			b.Fatal(err)
		}
	}
	perColumn(b)
}

func BenchmarkIndex(b *testing.B) {
	k, _, _ := newTest(b)
	for b.Loop() {
		if _, err := k.Index("email", "taro.yamada@example.co.jp"); err != nil {
			b.Fatal(err)
		}
	}
	perColumn(b)
}

// Seal, Open and Index run from many goroutines (the store's readers) while the app locks.
func TestConcurrentUseAndClose(t *testing.T) {
	k, _, _ := newTest(t)
	want, _ := k.Index("email", "taro@example.jp")
	done := make(chan error)
	for range 4 {
		go func() {
			for {
				got, err := k.Index("email", "taro@example.jp")
				if errors.Is(err, ErrLocked) {
					done <- nil
					return
				}
				if err != nil || !bytes.Equal(got, want) {
					done <- fmt.Errorf("Index = %x, %v", got, err)
					return
				}
				s, err := k.Seal([]byte("山田"), []byte("lead-1"))
				if err == nil {
					_, err = k.Open(s, []byte("lead-1"))
				}
				if err != nil && !errors.Is(err, ErrLocked) {
					done <- err
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	k.Close()
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
