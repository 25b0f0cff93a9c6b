package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
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

// leadKeys are the lookup columns of a lead row: the matcher's blocking keys, so that the
// candidates found for a capture are the leads the matcher would compare it with, and the
// lead table's sort keys.
type leadKeys struct {
	match.Keys
	Search string
	// Sort keys: a name by its reading when there is one (kanji order means nothing to a
	// reader), a company without its legal form (株式会社サンプル sorts under サ).
	SortName, SortCompany, SortTitle, SortEmail string
}

func keysOf(p capture.Person) leadKeys {
	name := match.Reading(p.Kana)
	if name == "" {
		name = match.Name(p.Name)
	}
	return leadKeys{Keys: match.KeysOf(p), Search: p.SearchText(), SortName: name,
		SortCompany: match.ParseCompany(p.Company).Name, SortTitle: capture.NormText(p.Title), SortEmail: match.Email(p.Email)}
}

// leadKeysVersion names how keysOf derives the keys and allowedBits the permission bits;
// leads keyed otherwise are keyed again.
const leadKeysVersion = "match-1 sort-1"

// rekeyLeads recomputes every lead's lookup keys when they were derived another way.
func (s *Store) rekeyLeads(ctx context.Context) error {
	if v, err := s.Meta(ctx, "lead_keys"); err != nil || v == leadKeysVersion {
		return err
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+leadColumns+`, perms FROM leads`)
		if err != nil {
			return fmt.Errorf("rekey leads: %w", err)
		}
		type rekeyed struct {
			leadKeys
			allowed int
		}
		keys := map[string]rekeyed{}
		for rows.Next() {
			var r rawRow
			if err := rows.Scan(&r.id, &r.personal, &r.state, &r.perms); err != nil {
				rows.Close()
				return err
			}
			// The summary, where kept, is what the lead shows (combined with its merges).
			l, ok := r.summary()
			if !ok {
				full, err := scanLead(r)
				if err != nil {
					rows.Close()
					return fmt.Errorf("rekey lead %s: %w", r.id, err)
				}
				l = *full
			}
			keys[r.id] = rekeyed{keysOf(l.Person), allowedBits(&l)}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, k := range keys {
			if _, err := tx.ExecContext(ctx, `UPDATE leads SET email_key = ?, phone_key = ?, mobile_key = ?, name_company_key = ?, reading_company_key = ?,
				sort_name = ?, sort_company = ?, sort_title = ?, sort_email = ?, allowed = ? WHERE id = ?`,
				k.Email, k.Phone, k.Mobile, k.NameCompany, k.ReadingCompany, k.SortName, k.SortCompany, k.SortTitle, k.SortEmail, k.allowed, id); err != nil {
				return fmt.Errorf("rekey lead %s: %w", id, err)
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('lead_keys', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, leadKeysVersion)
		return err
	})
}
