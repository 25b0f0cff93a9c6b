// Package sqlitestore is boothd's embedded store: one SQLite file, nothing to install.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"github.com/boothledger/boothledger/sync/server/sqlstore"
)

var schema = []string{
	`CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE,
		role TEXT NOT NULL, events TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT, all_events INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS ops (seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL,
		hlc INTEGER NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL, payload BLOB NOT NULL, event_id TEXT, lead_id TEXT, audience TEXT, hash TEXT)`,
	`CREATE INDEX IF NOT EXISTS ops_lead ON ops (lead_id, seq) WHERE lead_id IS NOT NULL`,
	// A capture's first lead and a detach's lead are looked up by entity on every push.
	`CREATE INDEX IF NOT EXISTS ops_entity ON ops (entity_id, kind)`,
	`CREATE TABLE IF NOT EXISTS notices (id TEXT PRIMARY KEY, hash TEXT NOT NULL, body TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS notices_hash ON notices (hash)`,
}

// Open opens (creating) the server database at path. SQLite has one writer, so pushes
// commit in sequence order without a lock of their own.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_txlock=immediate&_secure_delete=1&_stmt_cache_size=32")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{Schema: schema, IsUnique: isUnique, AfterErase: `PRAGMA wal_checkpoint(TRUNCATE)`})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}
