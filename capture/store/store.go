// Package store is the local SQLite store of a booth device: every domain write and its op
// in one transaction, through a single writer connection.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/boothledger/boothledger/capture"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DriverName is the database/sql driver the store registers: go-sqlite3 with the store's
// pragmas applied to every connection. Benchmarks use it to give a baseline the same settings.
const DriverName = "sqlite3-booth"

// pragmas are the connection settings, in one place (the busy timeout, which a store may
// change, is in the DSN). synchronous=FULL makes a capture the user saw as saved survive a
// power cut; secure_delete overwrites erased data in the file; temporary b-trees stay in
// memory rather than in temporary files.
var pragmas = []string{
	"PRAGMA journal_mode = WAL",
	"PRAGMA synchronous = FULL",
	"PRAGMA foreign_keys = ON",
	"PRAGMA secure_delete = ON",
	"PRAGMA temp_store = MEMORY",
	"PRAGMA cache_size = -32000",
	"PRAGMA mmap_size = 1073741824", // reads of a large lead table without a syscall per page
}

func init() {
	sql.Register(DriverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		for _, p := range pragmas {
			if _, err := c.Exec(p, nil); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		return nil
	}})
}

// DefaultBusyTimeout is how long a write waits for another connection's lock before it
// fails.
const DefaultBusyTimeout = 5 * time.Second

// DSN returns the data source name the store opens path with. The writer takes its lock at
// BEGIN (immediate), so that a read-then-write transaction never fails halfway.
func DSN(path string, readOnly bool) string { return dsn(path, readOnly, DefaultBusyTimeout) }

func dsn(path string, readOnly bool, busy time.Duration) string {
	q := url.Values{"_stmt_cache_size": {"64"}, // the capture path runs the same few statements
		"_busy_timeout": {strconv.FormatInt(busy.Milliseconds(), 10)}}
	if readOnly {
		q.Set("_query_only", "1")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Store is an open local database.
type Store struct {
	path   string
	write  *sql.DB // one connection: the single writer
	read   *sql.DB
	device string
	clock  *capture.Clock
	now    func() time.Time

	mu      sync.Mutex
	notices map[string]capture.Notice // immutable, so cached forever
	// lintErrors counts the checker's errors per notice id.
	lintErrors map[string]int
	events     map[string]capture.Event // read outside writes; cleared after a write touches one
	// eventsDirty says the current write touched an event.
	eventsDirty bool
	eventsGen   uint64 // counts clears, so a read that raced a write is not cached
	// erasedSinceCheckpoint says the current write erased personal data.
	erasedSinceCheckpoint bool
	// suppressionKey caches the organisation's key; cleared when the org is written.
	suppressionKey      string
	suppressionKeyKnown bool
}

// Option changes how Open opens a store.
type Option func(*options)

type options struct{ busy time.Duration }

// BusyTimeout sets how long a write waits for another connection's lock before it fails
// (DefaultBusyTimeout otherwise); tests of a busy database set it short.
func BusyTimeout(d time.Duration) Option { return func(o *options) { o.busy = d } }

// Open opens (creating if needed) the database at path and brings its schema up to date.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{busy: DefaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	write, err := sql.Open(DriverName, dsn(path, false, o.busy))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	s := &Store{path: path, write: write, now: time.Now, notices: map[string]capture.Notice{}, lintErrors: map[string]int{}, events: map[string]capture.Event{}}
	if err := s.migrate(); err != nil {
		write.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.read, err = sql.Open(DriverName, dsn(path, true, o.busy))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	s.read.SetMaxOpenConns(4)
	if err := s.loadIdentity(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.rekeyLeads(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	var err error
	if s.read != nil {
		err = s.read.Close()
	}
	return errors.Join(err, s.write.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// DeviceID identifies this database in the op log and in sync.
func (s *Store) DeviceID() string { return s.device }

// migrationNumber is the number a migration file's name starts with (0 when it has none,
// which migrate refuses).
func migrationNumber(name string) int {
	n, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
	return n
}

func (s *Store) migrate() error {
	var version int
	if err := s.write.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if latest := migrationNumber(names[len(names)-1]); version > latest {
		return fmt.Errorf("%w: its schema is version %d, this program knows up to %d", capture.ErrNewerDatabase, version, latest)
	}
	for _, name := range names {
		n := migrationNumber(name)
		if n == 0 {
			return fmt.Errorf("migration %s: bad name", name)
		}
		if n <= version {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.write.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// loadIdentity reads (or creates) the device id and starts the clock past every op held.
func (s *Store) loadIdentity() error {
	err := s.write.QueryRow(`SELECT value FROM meta WHERE key = 'device_id'`).Scan(&s.device)
	if errors.Is(err, sql.ErrNoRows) {
		s.device = capture.NewID()
		_, err = s.write.Exec(`INSERT INTO meta (key, value) VALUES ('device_id', ?)`, s.device)
	}
	if err != nil {
		return fmt.Errorf("device id: %w", err)
	}
	// The clock resumes past the newest local op and the highest reading received from
	// elsewhere (kept in meta by ApplyOps), without scanning the op log.
	var local, remote sql.NullInt64
	err = s.write.QueryRow(`SELECT (SELECT hlc FROM ops ORDER BY seq DESC LIMIT 1),
		(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'max_remote_hlc')`).Scan(&local, &remote)
	if err != nil {
		return fmt.Errorf("read clock: %w", err)
	}
	s.clock = capture.NewClock(capture.HLC(max(local.Int64, remote.Int64)), nil)
	return nil
}

// Meta reads a device setting (e.g. the sync server URL); "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes a device setting. Settings are local to the device and are not ops.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.write.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res)
	return res, err
}

// DefaultPath is where booth and boothctl keep the local database when no --db is given:
// $BOOTH_DB, else <user config dir>/boothledger/booth.db.
func DefaultPath() (string, error) {
	if p := os.Getenv("BOOTH_DB"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(dir, "boothledger", "booth.db"), nil
}

// OpenPath opens the database at path, or at DefaultPath when path is "", creating its
// directory if needed.
func OpenPath(path string) (*Store, error) {
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return Open(path)
}
