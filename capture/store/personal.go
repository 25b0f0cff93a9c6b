package store

import (
	"encoding/json"
	"fmt"

	"github.com/boothledger/boothledger/capture"
)

// This file is the one seam through which personal data enters and leaves the database:
// lead and capture personal columns, op payloads, and the lookup keys derived from them.
// Encryption at rest replaces sealBytes/openBytes (and turns the exact-match keys into keyed
// hashes); nothing else in the store touches personal values.

// sealBytes prepares personal bytes for storage. Stored as they are for now.
func sealBytes(plain []byte) []byte { return plain }

// openBytes reverses sealBytes.
func openBytes(sealed []byte) ([]byte, error) { return sealed, nil }

func sealJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return sealBytes(raw), nil
}

func openJSON(sealed []byte, v any) error {
	raw, err := openBytes(sealed)
	if err != nil {
		return fmt.Errorf("open sealed data: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode sealed data: %w", err)
	}
	return nil
}

// capturePersonal is the personal part of a capture row.
type capturePersonal struct {
	Person  capture.Person  `json:"person"`
	Answers capture.Answers `json:"answers,omitempty"`
	Note    string          `json:"note,omitempty"`
}

// leadKeys are the lookup columns of a lead row.
type leadKeys struct {
	capture.Keys
	Search string
}

func keysOf(p capture.Person) leadKeys {
	return leadKeys{Keys: p.LookupKeys(), Search: p.SearchText()}
}
