package capture

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrBadPIN is returned when a staff member's PIN does not match.
var ErrBadPIN = errors.New("wrong name or PIN")

// pinIterations makes guessing a stolen PIN hash slow; a sign-in costs a few tens of ms.
const pinIterations = 100_000

// Staff is a person who captures at the booth. The PIN is kept only as a salted hash.
type Staff struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Salt    string `json:"salt"`
	PINHash string `json:"pin_hash"`
	Manager bool   `json:"manager,omitempty"`
}

// NewStaff makes a staff member with a PIN of 4 to 12 digits.
func NewStaff(name, pin string, manager bool) (Staff, error) {
	var v errs
	name = cleanText(&v, "name", name)
	if name == "" {
		v.add("name", "required")
	}
	if len(pin) < 4 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		v.add("pin", "pin_digits")
	}
	if err := v.err(); err != nil {
		return Staff{}, err
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	return Staff{ID: NewID(), Name: name, Salt: hex.EncodeToString(salt), PINHash: hashPIN(pin, salt), Manager: manager}, nil
}

func hashPIN(pin string, salt []byte) string {
	key, err := pbkdf2.Key(sha256.New, pin, salt, pinIterations, 32)
	if err != nil {
		panic(err) // only for parameters out of FIPS range, which these are not
	}
	return hex.EncodeToString(key)
}

// CheckPIN reports whether pin is this staff member's, in constant time.
func (s Staff) CheckPIN(pin string) bool {
	salt, err := hex.DecodeString(s.Salt)
	if err != nil || s.PINHash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(hashPIN(pin, salt)), []byte(s.PINHash)) == 1
}
