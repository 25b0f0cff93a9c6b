package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/boothledger/boothledger/capture"
)

// ErrNotEnrolled is returned by Enrolment on a device that has no sync server and token.
var ErrNotEnrolled = errors.New("not enrolled: no sync server and token yet")

// Meta keys of the enrolment; the names are those earlier versions wrote.
const (
	metaSyncServer   = "sync.server"
	metaSyncToken    = "sync.token"
	metaSyncInsecure = "sync.insecure"
)

// Enrolment is how this device reaches its sync server. The token is a secret: it is kept
// only in this file (like the data it guards), never encoded with the rest, and no screen
// or command shows it again after enrolment.
type Enrolment struct {
	Server   string `json:"server"`
	Token    string `json:"-"`
	Insecure bool   `json:"insecure"`
}

// Enrolment returns the device's sync enrolment, or ErrNotEnrolled.
func (s *Store) Enrolment(ctx context.Context) (Enrolment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN (?, ?, ?)`, metaSyncServer, metaSyncToken, metaSyncInsecure)
	if err != nil {
		return Enrolment{}, fmt.Errorf("read enrolment: %w", err)
	}
	defer rows.Close()
	var e Enrolment
	for rows.Next() {
		var key, v string
		if err := rows.Scan(&key, &v); err != nil {
			return Enrolment{}, fmt.Errorf("read enrolment: %w", err)
		}
		switch key {
		case metaSyncServer:
			e.Server = v
		case metaSyncToken:
			e.Token = v
		case metaSyncInsecure:
			e.Insecure = v == "1"
		}
	}
	if err := rows.Err(); err != nil {
		return Enrolment{}, fmt.Errorf("read enrolment: %w", err)
	}
	if e.Server == "" || e.Token == "" {
		return Enrolment{}, ErrNotEnrolled
	}
	return e, nil
}

// Enrol keeps the server, token and insecure flag, all three or none.
func (s *Store) Enrol(ctx context.Context, e Enrolment) error {
	switch {
	case e.Server == "":
		return capture.Invalid("server", "required")
	case e.Token == "":
		return capture.Invalid("token", "required")
	}
	insecure := "0"
	if e.Insecure {
		insecure = "1"
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		for key, v := range map[string]string{metaSyncServer: e.Server, metaSyncToken: e.Token, metaSyncInsecure: insecure} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, v); err != nil {
				return fmt.Errorf("enrol: %w", err)
			}
		}
		return nil
	})
}
