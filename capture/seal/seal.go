// Package seal encrypts personal values for the local store. A random 256-bit data key per
// database seals each value with AES-256-GCM, bound to its row or op id, and keys the blind
// indexes (HMAC-SHA256) that exact lookups use. The data key itself is kept only wrapped:
// under a key derived with Argon2id from the booth passphrase, and under a recovery key shown
// once at set-up (wrap.go).
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
)

var (
	// ErrTampered means a sealed value failed authentication: changed, truncated, sealed
	// under another database's key, or moved from the row its associated data names.
	ErrTampered = errors.New("sealed value does not authenticate (tampered, moved to another row, or another database's)")
	// ErrVersion means a sealed value has a format this build does not know.
	ErrVersion = errors.New("sealed value has an unknown format version")
	// ErrLocked means the keyring was closed (the app locked); unlock again first.
	ErrLocked = errors.New("the store is locked")
)

const (
	formatV1  = 1 // first byte of every sealed value
	nonceSize = 12
	tagSize   = 16
	keySize   = 32
	// Overhead is how many bytes Seal adds to a plaintext.
	Overhead = 1 + nonceSize + tagSize

	// The HKDF labels keep the cipher key and the index key apart: neither reveals the other.
	sealInfo  = "boothledger seal key v1"
	indexInfo = "boothledger blind index key v1"
)

// Keyring holds an unlocked database's keys. It is safe for concurrent use; Close drops the
// keys, after which every method returns ErrLocked.
type Keyring struct {
	mu      sync.RWMutex
	dataKey []byte // kept to re-wrap it under a new passphrase
	index   []byte
	aead    cipher.AEAD
	macs    *sync.Pool // keyed HMACs, reused: keying one costs more than the hashing
}

// newKeyring derives the sealing and index keys from dataKey, which it keeps.
func newKeyring(dataKey []byte) (*Keyring, error) {
	sealKey, err := hkdf.Key(sha256.New, dataKey, nil, sealInfo, keySize)
	if err != nil {
		return nil, fmt.Errorf("derive seal key: %w", err)
	}
	defer clear(sealKey)
	index, err := hkdf.Key(sha256.New, dataKey, nil, indexInfo, keySize)
	if err != nil {
		return nil, fmt.Errorf("derive index key: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("seal cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal cipher: %w", err)
	}
	k := &Keyring{dataKey: dataKey, index: index, aead: aead}
	k.macs = &sync.Pool{New: func() any { return hmac.New(sha256.New, index) }}
	return k, nil
}

// Seal encrypts plain, bound to aad (the row or op id): version byte, random nonce, then
// ciphertext and tag. Sealing the same value twice gives different bytes.
func (k *Keyring) Seal(plain, aad []byte) ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.aead == nil {
		return nil, ErrLocked
	}
	out := make([]byte, 1+nonceSize, Overhead+len(plain))
	out[0] = formatV1
	rand.Read(out[1:]) // never fails (crypto/rand since Go 1.24)
	return k.aead.Seal(out, out[1:], plain, aad), nil
}

// Open decrypts a value Seal made with the same aad. Any change to the bytes, or another aad,
// gives ErrTampered; it never panics on short or arbitrary input.
func (k *Keyring) Open(sealed, aad []byte) ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.aead == nil {
		return nil, ErrLocked
	}
	if len(sealed) == 0 {
		return nil, fmt.Errorf("open: empty value: %w", ErrTampered)
	}
	if sealed[0] != formatV1 {
		return nil, fmt.Errorf("open: version %d: %w", sealed[0], ErrVersion)
	}
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("open: %d bytes is shorter than any sealed value: %w", len(sealed), ErrTampered)
	}
	plain, err := k.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], aad)
	if err != nil {
		return nil, ErrTampered
	}
	return plain, nil
}

// Index is the blind index of a normalised value: HMAC-SHA256 under the index key of kind, a
// zero byte, then the value, so the same string in two kinds (an email as a lookup key and as
// a suppression entry) never gives the same index. It is the same for equal values in one
// database and unrelated across databases.
func (k *Keyring) Index(kind, normalised string) ([]byte, error) {
	if kind == "" || strings.IndexByte(kind, 0) >= 0 {
		return nil, fmt.Errorf("index kind %q: must be non-empty and contain no zero byte", kind)
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.index == nil {
		return nil, ErrLocked
	}
	m := k.macs.Get().(hash.Hash)
	defer k.macs.Put(m)
	m.Reset()
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalised))
	return m.Sum(make([]byte, 0, sha256.Size)), nil
}

// Close forgets the keys. Zeroing is best effort: the Go runtime may have copied key bytes,
// and the GCM cipher's expanded key and the pooled HMACs' keyed state cannot be reached, so
// what it removes is every reference this package holds, and the bytes it can reach.
func (k *Keyring) Close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	clear(k.dataKey)
	clear(k.index)
	k.dataKey, k.index, k.aead, k.macs = nil, nil, nil, nil
}
