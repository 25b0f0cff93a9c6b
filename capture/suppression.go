package capture

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Suppression stops a person who was erased from being captured again unnoticed. It is keyed
// by a keyed hash of the normalised email or phone, never the values, and outlives the lead.
type Suppression struct {
	Key    string    `json:"key"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	Stamp  Stamp     `json:"stamp"`
}

// NewSuppressionKey makes the secret the organisation's suppression hashes are keyed with.
func NewSuppressionKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// SuppressionKeys are the keyed hashes a person is suppressed under: one per normalised email,
// phone and mobile.
func SuppressionKeys(key string, people ...Person) []string {
	var out []string
	add := func(kind, v string) {
		if v == "" {
			return
		}
		mac := hmac.New(sha256.New, []byte(key))
		mac.Write([]byte(kind + ":" + v))
		k := hex.EncodeToString(mac.Sum(nil))[:40]
		for _, x := range out {
			if x == k {
				return
			}
		}
		out = append(out, k)
	}
	for _, p := range people {
		add("email", NormEmail(p.Email))
		add("phone", NormPhone(p.Phone))
		add("phone", NormPhone(p.Mobile))
	}
	return out
}
