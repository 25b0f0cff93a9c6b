package seal

import (
	"bytes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// ErrWrongPassphrase is the only thing a failed unlock says: nothing about the key.
var ErrWrongPassphrase = errors.New("the passphrase is wrong (パスフレーズが違います)")

// ErrWrongRecoveryKey is a well-formed recovery key that is not this database's.
var ErrWrongRecoveryKey = errors.New("the recovery key is not this database's (この回復キーはこのデータベースのものではありません)")

// DefaultParams are the Argon2id costs new wraps get (0.1–0.3 s here; NOTES.md). Raising
// them is safe: every wrap records its own, and Rewrap moves older wraps up to these. Tests
// wanting cheaper ones use NewWith rather than changing this.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4, KeyLen: keySize}

// Bounds on what a stored wrap may ask for, so that an edited meta row can make unlock
// neither trivially weak nor hang the laptop for an hour or exhaust its memory.
const (
	minMemoryKiB = 8 * 1024
	maxMemoryKiB = 4 * 1024 * 1024
	maxTime      = 64
	maxThreads   = 64
	maxCost      = 16 * 1024 * 1024 // time × memory KiB: 4 GiB × 4 passes at most
	minSaltLen   = 16
	maxSaltLen   = 64
	saltLen      = 16
	wrapVersion  = 1
)

// Associated data of the two wraps of the data key; different, so they cannot be swapped.
var (
	passphraseAAD = []byte("boothledger data key v1 passphrase")
	recoveryAAD   = []byte("boothledger data key v1 recovery")
)

const recoveryInfo = "boothledger recovery wrap key v1"

// Params are the Argon2id parameters of one passphrase wrap.
type Params struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	KeyLen    uint32 `json:"key_len"`
	Salt      []byte `json:"salt"`
}

func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2id time %d: must be 1 to %d", p.Time, maxTime)
	case p.MemoryKiB < minMemoryKiB || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("argon2id memory %d KiB: must be %d MiB to %d GiB", p.MemoryKiB, minMemoryKiB/1024, maxMemoryKiB/1024/1024)
	case uint64(p.Time)*uint64(p.MemoryKiB) > maxCost:
		return fmt.Errorf("argon2id time %d × memory %d KiB: more than %d GiB-passes", p.Time, p.MemoryKiB, maxCost/1024/1024)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("argon2id threads %d: must be 1 to %d", p.Threads, maxThreads)
	case p.KeyLen != keySize:
		return fmt.Errorf("argon2id key length %d: must be %d", p.KeyLen, keySize)
	case len(p.Salt) < minSaltLen || len(p.Salt) > maxSaltLen:
		return fmt.Errorf("argon2id salt of %d bytes: must be %d to %d", len(p.Salt), minSaltLen, maxSaltLen)
	}
	return nil
}

// Wrapped is what the database stores of its data key (as JSON in its meta table): the key
// sealed under the passphrase's Argon2id key, with the parameters used, and sealed under the
// recovery key.
type Wrapped struct {
	Version    int    `json:"version"`
	Argon2id   Params `json:"argon2id"`
	Passphrase []byte `json:"passphrase"`
	Recovery   []byte `json:"recovery"`
}

// Validate refuses a wrap this build cannot or should not try to unlock.
func (w Wrapped) Validate() error {
	if w.Version != wrapVersion {
		return fmt.Errorf("key wrap version %d: this build reads version %d (a newer Booth Ledger wrote it?)", w.Version, wrapVersion)
	}
	if err := w.Argon2id.validate(); err != nil {
		return fmt.Errorf("key wrap: %w", err)
	}
	if err := wrappedKeyShape("passphrase", w.Passphrase); err != nil {
		return err
	}
	return wrappedKeyShape("recovery", w.Recovery)
}

func wrappedKeyShape(name string, b []byte) error {
	if len(b) != Overhead+keySize || b[0] != formatV1 {
		return fmt.Errorf("key wrap: the %s-wrapped key is malformed (%d bytes)", name, len(b))
	}
	return nil
}

// UnmarshalJSON reads a wrap strictly (no unknown fields) and validates it.
func (w *Wrapped) UnmarshalJSON(b []byte) error {
	type plain Wrapped // without this method
	var v plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("key wrap: %w", err)
	}
	if err := Wrapped(v).Validate(); err != nil {
		return err
	}
	*w = Wrapped(v)
	return nil
}

// New makes a database's data key and returns it unlocked, wrapped under passphrase (which
// must pass CheckPassphrase) and under a new recovery key, to be shown to the user once.
func New(passphrase string) (*Keyring, Wrapped, RecoveryKey, error) {
	return NewWith(DefaultParams, passphrase)
}

// NewWith is New with other Argon2id costs (p's salt is ignored): cheaper ones let a test suite
// that runs encrypted create many databases; they must still pass the bounds Unlock checks.
func NewWith(p Params, passphrase string) (*Keyring, Wrapped, RecoveryKey, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return nil, Wrapped{}, RecoveryKey{}, err
	}
	var rk RecoveryKey
	rand.Read(rk[:])
	dataKey := make([]byte, keySize)
	rand.Read(dataKey)
	k, err := newKeyring(dataKey)
	if err != nil {
		return nil, Wrapped{}, RecoveryKey{}, err
	}
	w := Wrapped{Version: wrapVersion}
	if w.Recovery, err = wrapKey(rk.wrapKey(), recoveryAAD, dataKey); err != nil {
		return nil, Wrapped{}, RecoveryKey{}, err
	}
	if w, err = wrapPassphrase(w, p, passphrase, dataKey); err != nil {
		return nil, Wrapped{}, RecoveryKey{}, err
	}
	return k, w, rk, nil
}

// Unlock unwraps the data key with the passphrase. A wrong passphrase gives only
// ErrWrongPassphrase; an invalid wrap is refused before any key derivation runs.
func Unlock(w Wrapped, passphrase string) (*Keyring, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	dataKey, err := unwrapKey(passphraseKey(w.Argon2id, passphrase), passphraseAAD, w.Passphrase)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return newKeyring(dataKey)
}

// UnlockWithRecovery unwraps the data key with the recovery key.
func UnlockWithRecovery(w Wrapped, rk RecoveryKey) (*Keyring, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	dataKey, err := unwrapKey(rk.wrapKey(), recoveryAAD, w.Recovery)
	if err != nil {
		return nil, ErrWrongRecoveryKey
	}
	return newKeyring(dataKey)
}

// Rewrap wraps k's data key under a new passphrase with a new salt, keeping w's recovery wrap;
// no sealed value changes. Parameters below DefaultParams' cost are raised to them.
func Rewrap(k *Keyring, w Wrapped, newPassphrase string) (Wrapped, error) {
	if err := CheckPassphrase(newPassphrase); err != nil {
		return Wrapped{}, err
	}
	p := DefaultParams
	if w.Argon2id.validate() == nil && cost(w.Argon2id) >= cost(DefaultParams) {
		p = w.Argon2id
	}
	k.mu.RLock()
	dataKey := bytes.Clone(k.dataKey) // not holding the lock through Argon2id, which would stall Seal
	k.mu.RUnlock()
	if dataKey == nil {
		return Wrapped{}, ErrLocked
	}
	defer clear(dataKey)
	return wrapPassphrase(w, p, newPassphrase, dataKey)
}

func cost(p Params) uint64 { return uint64(p.Time) * uint64(p.MemoryKiB) }

// wrapPassphrase returns w with dataKey wrapped under passphrase, with p's costs and a new salt.
func wrapPassphrase(w Wrapped, p Params, passphrase string, dataKey []byte) (Wrapped, error) {
	p.Salt = make([]byte, saltLen)
	rand.Read(p.Salt)
	if err := p.validate(); err != nil {
		return Wrapped{}, fmt.Errorf("key wrap: %w", err)
	}
	sealed, err := wrapKey(passphraseKey(p, passphrase), passphraseAAD, dataKey)
	if err != nil {
		return Wrapped{}, err
	}
	w.Version, w.Argon2id, w.Passphrase = wrapVersion, p, sealed
	return w, nil
}

// passphraseKey runs Argon2id; p must be valid (argon2 panics on zero threads).
func passphraseKey(p Params, passphrase string) []byte {
	pw := []byte(preparePassphrase(passphrase))
	defer clear(pw)
	return argon2.IDKey(pw, p.Salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
}

// wrapKey seals dataKey under a key-encryption key, the same way values are sealed (AES-256-GCM
// under a key HKDF derives from kek). It consumes kek: the keyring's Close zeroes it.
func wrapKey(kek, aad, dataKey []byte) ([]byte, error) {
	k, err := newKeyring(kek)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return k.Seal(dataKey, aad)
}

// unwrapKey opens what wrapKey sealed, and consumes kek too.
func unwrapKey(kek, aad, sealed []byte) ([]byte, error) {
	k, err := newKeyring(kek)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return k.Open(sealed, aad)
}

// wrapKey is the key the recovery wrap is sealed under.
func (rk RecoveryKey) wrapKey() []byte {
	key, err := hkdf.Key(sha256.New, rk[:], nil, recoveryInfo, keySize)
	if err != nil {
		panic("seal: hkdf of a 32-byte key: " + err.Error()) // only for lengths over 255×32
	}
	return key
}
