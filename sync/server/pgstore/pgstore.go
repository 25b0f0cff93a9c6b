// Package pgstore is boothd's PostgreSQL store, for many booths and several boothd
// instances behind a load balancer.
package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"github.com/boothledger/boothledger/sync/server/sqlstore"
)

var schema = []string{
	`CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE,
		role TEXT NOT NULL, events TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT, all_events INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS ops (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL,
		hlc BIGINT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL, payload BYTEA NOT NULL, event_id TEXT, lead_id TEXT, audience TEXT, hash TEXT)`,
	`CREATE INDEX IF NOT EXISTS ops_lead ON ops (lead_id, seq) WHERE lead_id IS NOT NULL`,
	// A capture's first lead and a detach's lead are looked up by entity on every push.
	`CREATE INDEX IF NOT EXISTS ops_entity ON ops (entity_id, kind)`,
	`CREATE TABLE IF NOT EXISTS notices (id TEXT PRIMARY KEY, hash TEXT NOT NULL, body TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS notices_hash ON notices (hash)`,
}

// pushLock is the advisory lock every push transaction takes: identity values are handed
// out at insert but become visible at commit, so without it a pull could pass a sequence
// number whose transaction commits later, and never see that op.
const pushLock = `SELECT pg_advisory_xact_lock(7262651)`

// Open connects to PostgreSQL (a postgres:// URL) and creates the schema if missing.
func Open(ctx context.Context, url string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	// Concurrent boothd instances may create the schema at once; the lock makes it one at a time.
	ddl := append([]string{`SELECT pg_advisory_lock(7262652)`}, append(schema, `SELECT pg_advisory_unlock(7262652)`)...)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, stmt := range ddl {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			conn.Close()
			db.Close()
			return nil, fmt.Errorf("create schema: %w", err)
		}
	}
	conn.Close()
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{Numbered: true, LockPush: pushLock, IsUnique: isUnique})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
