package capture

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Errors of staff sign-in.
var (
	// ErrBadPIN is returned when a staff member's PIN does not match.
	ErrBadPIN = errors.New("wrong name or PIN")
	// ErrPINLocked is returned after repeated wrong PINs, until the lock's time has passed;
	// the error is a *PINLockedError, which says when.
	ErrPINLocked = errors.New("sign-in locked after repeated wrong PINs")
)

// PINLockedError refuses a sign-in until Until.
type PINLockedError struct {
	Until time.Time
}

func (e *PINLockedError) Error() string {
	return fmt.Sprintf("%v until %s", ErrPINLocked, e.Until.Local().Format(time.DateTime))
}

// Unwrap lets errors.Is(err, ErrPINLocked) match.
func (e *PINLockedError) Unwrap() error { return ErrPINLocked }

// pinKDF are the Argon2id parameters new PIN hashes use. A PIN has few digits, so the hash
// must be slow and memory-hard to guess from a stolen copy: with these, one sign-in takes
// about 90 ms on a 2-core laptop (170 ms of one core, and 64 MiB), so trying every 6-digit
// PIN costs about two core-days (a 4-digit PBKDF2 one took 20 s). Each hash records its own
// parameters (Staff.KDF), so they can be raised without resetting PINs already set.
var pinKDF = argon2Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// pbkdf2Iterations is what hashes made before Argon2id used (Staff.KDF empty).
const pbkdf2Iterations = 100_000

type argon2Params struct {
	Time, MemoryKiB uint32
	Threads         uint8
}

func (p argon2Params) String() string {
	return fmt.Sprintf("argon2id$t=%d$m=%d$p=%d", p.Time, p.MemoryKiB, p.Threads)
}

// parseArgon2 reads a Staff.KDF in String's form only. Staff records arrive from other
// devices through sync, so the bounds keep one from making a sign-in here take all memory
// or minutes; they leave room to raise pinKDF fourfold.
func parseArgon2(s string) (argon2Params, bool) {
	var p argon2Params
	_, err := fmt.Sscanf(s, "argon2id$t=%d$m=%d$p=%d", &p.Time, &p.MemoryKiB, &p.Threads)
	return p, err == nil && p.String() == s && p.Time >= 1 && p.Time <= 16 &&
		p.Threads >= 1 && p.Threads <= 16 && p.MemoryKiB >= 8*uint32(p.Threads) && p.MemoryKiB <= 256<<10
}

// Staff is a person who captures at the booth. The PIN is kept only as a salted hash.
type Staff struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Salt    string `json:"salt"`
	PINHash string `json:"pin_hash"`
	// KDF names how PINHash was derived; empty for the PBKDF2 hashes of earlier versions.
	KDF     string `json:"kdf,omitempty"`
	Manager bool   `json:"manager,omitempty"`
}

// CheckStaff checks a staff member's name and PIN as NewStaff does, without the slow PIN
// hash: a form can check them as they are typed.
func CheckStaff(name, pin string) (string, error) {
	var v errs
	name = cleanText(&v, "name", name)
	if name == "" {
		v.add("name", "required")
	}
	if len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		v.add("pin", "pin_digits")
	}
	return name, v.err()
}

// NewStaff makes a staff member with a PIN of 6 to 12 digits.
func NewStaff(name, pin string, manager bool) (Staff, error) {
	name, err := CheckStaff(name, pin)
	if err != nil {
		return Staff{}, err
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	return Staff{ID: NewID(), Name: name, Salt: hex.EncodeToString(salt), KDF: pinKDF.String(),
		PINHash: hex.EncodeToString(argon2Key(pin, salt, pinKDF)), Manager: manager}, nil
}

func argon2Key(pin string, salt []byte, p argon2Params) []byte {
	return argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

// CheckPIN reports whether pin is this staff member's, in constant time.
func (s Staff) CheckPIN(pin string) bool {
	salt, err := hex.DecodeString(s.Salt)
	if err != nil || s.PINHash == "" {
		return false
	}
	var key []byte
	switch p, ok := parseArgon2(s.KDF); {
	case ok:
		key = argon2Key(pin, salt, p)
	case s.KDF == "":
		if key, err = pbkdf2.Key(sha256.New, pin, salt, pbkdf2Iterations, 32); err != nil {
			return false
		}
	default:
		return false // parameters this version cannot use
	}
	return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(key)), []byte(s.PINHash)) == 1
}
