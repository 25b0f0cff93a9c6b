// Package sqlstore is the server store over database/sql, shared by the SQLite and
// PostgreSQL stores: they differ only in their schema, their placeholders and how a push
// keeps server order equal to commit order.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/sync/server"
)

// Dialect is what differs between databases.
type Dialect struct {
	// Schema creates the tables if they are missing.
	Schema []string
	// Numbered placeholders ($1) instead of question marks.
	Numbered bool
	// LockPush, run first in every push transaction, serialises pushes so that ops become
	// visible in the order of their sequence numbers and a pull never skips one.
	LockPush string
	// IsUnique reports a unique-constraint violation.
	IsUnique func(error) bool
	// AfterErase, run after a push that erased a lead, gets the erased data out of files the
	// database keeps beside its tables (SQLite's WAL); "" when there are none.
	AfterErase string
}

// Store is a server store on a database.
type Store struct {
	db *sql.DB
	d  Dialect
}

var _ server.Store = (*Store)(nil)

// New creates the schema and returns the store.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	for _, stmt := range d.Schema {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("create schema: %w", err)
		}
	}
	return &Store{db: db, d: d}, nil
}

// q rewrites ? placeholders to $1, $2… where the database wants them.
func (s *Store) q(query string) string {
	if !s.d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// CreateToken stores a new token by its hash.
func (s *Store) CreateToken(ctx context.Context, t server.Token) error {
	events, _ := json.Marshal(nonNil(t.Events))
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO tokens (id, name, hash, role, events, created) VALUES (?, ?, ?, ?, ?, ?)`),
		t.ID, t.Name, t.Hash, t.Role, string(events), t.Created.UTC().Format(time.RFC3339Nano))
	if err != nil && s.d.IsUnique(err) {
		return fmt.Errorf("token %q: %w", t.Name, server.ErrExists)
	}
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const tokenColumns = `id, name, hash, role, events, created, revoked`

func scanToken(sc interface{ Scan(...any) error }) (server.Token, error) {
	var t server.Token
	var events, created string
	var revoked sql.NullString
	if err := sc.Scan(&t.ID, &t.Name, &t.Hash, &t.Role, &events, &created, &revoked); err != nil {
		return t, err
	}
	json.Unmarshal([]byte(events), &t.Events)
	t.Created, _ = time.Parse(time.RFC3339Nano, created)
	if revoked.Valid {
		at, _ := time.Parse(time.RFC3339Nano, revoked.String)
		t.Revoked = &at
	}
	return t, nil
}

// TokenByHash finds a token by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (server.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, server.ErrNotFound
	}
	return t, err
}

// Tokens lists every token, revoked ones included.
func (s *Store) Tokens(ctx context.Context) ([]server.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked; it fails on its next request.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE tokens SET revoked = ? WHERE name = ? AND revoked IS NULL`), at.UTC().Format(time.RFC3339Nano), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %q: %w", name, server.ErrNotFound)
	}
	return nil
}

// refs are the ids an op's scope depends on.
type refs struct {
	EventID string `json:"event_id"`
	LeadID  string `json:"lead_id"`
}

func refsOf(op capture.Op) refs {
	var r refs
	switch op.Kind {
	case capture.OpCaptureAdd:
		json.Unmarshal(op.Payload, &r)
	case capture.OpEventSet:
		r.EventID = op.Entity
	case capture.OpLeadCorrect, capture.OpLeadWithdraw, capture.OpLeadErase:
		r.LeadID = op.Entity
	case capture.OpLeadMerge:
		var m capture.MergeRecord
		json.Unmarshal(op.Payload, &m)
		r.LeadID = m.Keep // seen by whoever sees the kept lead
	}
	return r
}

// Push records and applies ops in one transaction.
func (s *Store) Push(ctx context.Context, ops []capture.Op, allow func(capture.Op, func(string) ([]string, error)) (string, error)) (server.PushResult, error) {
	res := server.PushResult{Refused: map[string]string{}}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if s.d.LockPush != "" {
		if _, err := tx.ExecContext(ctx, s.d.LockPush); err != nil {
			return res, fmt.Errorf("lock: %w", err)
		}
	}
	leadEvents := func(lead string) ([]string, error) {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT event_id FROM lead_events WHERE lead_id = ?`), lead)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var e string
			if err := rows.Scan(&e); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, rows.Err()
	}
	for _, op := range ops {
		var held int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM ops WHERE op_id = ?`), op.ID).Scan(&held); err != nil {
			return res, err
		}
		if held > 0 {
			continue // a repeat: taken before, not applied again
		}
		reason, err := allow(op, leadEvents)
		if err != nil {
			return res, err
		}
		if reason != "" {
			res.Refused[op.ID] = reason
			continue
		}
		r := refsOf(op)
		payload := op.Payload
		if r.LeadID != "" && op.Kind != capture.OpLeadErase {
			// An op about a lead already erased is kept without its personal data.
			var erased int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM ops WHERE kind = 'lead.erase' AND lead_id = ?`), r.LeadID).Scan(&erased); err != nil {
				return res, err
			}
			if clean, ok := capture.ScrubPayload(op); ok && erased > 0 {
				payload, res.Erased = clean, true
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO ops (op_id, device_id, hlc, kind, entity_id, payload, event_id, lead_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			op.ID, op.Device, int64(op.HLC), string(op.Kind), op.Entity, []byte(payload), nullable(r.EventID), nullable(r.LeadID)); err != nil {
			return res, fmt.Errorf("insert op %s: %w", op.ID, err)
		}
		if err := s.apply(ctx, tx, op, r); err != nil {
			return res, fmt.Errorf("apply op %s: %w", op.ID, err)
		}
		res.Applied++
		res.Erased = res.Erased || op.Kind == capture.OpLeadErase
	}
	if err := tx.Commit(); err != nil {
		return res, err
	}
	if res.Erased && s.d.AfterErase != "" {
		if _, err := s.db.ExecContext(ctx, s.d.AfterErase); err != nil {
			return res, fmt.Errorf("after erasure: %w", err)
		}
	}
	return res, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// apply keeps what the server needs besides the log: which events each lead was captured
// at (for scopes) and notices by hash (for the public notice pages).
func (s *Store) apply(ctx context.Context, tx *sql.Tx, op capture.Op, r refs) error {
	switch op.Kind {
	case capture.OpCaptureAdd:
		var held int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM lead_events WHERE lead_id = ? AND event_id = ?`), r.LeadID, r.EventID).Scan(&held); err != nil {
			return err
		}
		if held == 0 {
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO lead_events (lead_id, event_id) VALUES (?, ?)`), r.LeadID, r.EventID)
			return err
		}
	case capture.OpLeadErase:
		// Erasure reaches the server's log too: every op about the lead loses its personal data.
		rows, err := tx.QueryContext(ctx, s.q(`SELECT seq, op_id, kind, payload FROM ops WHERE lead_id = ? AND kind IN ('capture.add', 'lead.correct')`), r.LeadID)
		if err != nil {
			return err
		}
		type update struct {
			seq     int64
			payload []byte
		}
		var updates []update
		for rows.Next() {
			var o capture.Op
			var seq int64
			var kind string
			if err := rows.Scan(&seq, &o.ID, &kind, &o.Payload); err != nil {
				rows.Close()
				return err
			}
			o.Kind = capture.OpKind(kind)
			if clean, ok := capture.ScrubPayload(o); ok {
				updates = append(updates, update{seq, clean})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range updates {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE ops SET payload = ? WHERE seq = ?`), u.payload, u.seq); err != nil {
				return err
			}
		}
	case capture.OpNoticeAdd:
		var n capture.Notice
		if err := json.Unmarshal(op.Payload, &n); err != nil {
			return err
		}
		// The page shows what the hash covers, so the hash is recomputed, not trusted.
		n.Hash = n.NoticeBody.Hash()
		body, _ := json.Marshal(n)
		var held int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM notices WHERE id = ?`), n.ID).Scan(&held); err != nil {
			return err
		}
		if held == 0 {
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO notices (id, hash, body) VALUES (?, ?, ?)`), n.ID, n.Hash, string(body))
			return err
		}
	}
	return nil
}

// Pull returns ops after the cursor that the query's scope allows. A lead that becomes
// visible to a token (captured at one of its events) comes with its earlier ops, so every
// replica that may see a lead holds all of it.
func (s *Store) Pull(ctx context.Context, pq server.PullQuery) ([]capture.Op, int64, bool, error) {
	where, args := "seq > ?", []any{pq.After}
	if pq.Device != "" {
		where, args = where+" AND device_id <> ?", append(args, pq.Device)
	}
	if pq.Events != nil {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(pq.Events)), ", ")
		if marks == "" {
			marks = "NULL"
		}
		where += ` AND ((lead_id IS NULL AND (kind <> 'event.set' OR event_id IN (` + marks + `)))
			OR lead_id IN (SELECT lead_id FROM lead_events WHERE event_id IN (` + marks + `)))`
		for range 2 {
			for _, e := range pq.Events {
				args = append(args, e)
			}
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, op_id, device_id, hlc, kind, entity_id, payload, lead_id FROM ops WHERE `+where+` ORDER BY seq LIMIT ?`), append(args, pq.Limit+1)...)
	if err != nil {
		return nil, 0, false, err
	}
	ops, seqs, leads, err := scanOps(rows)
	if err != nil {
		return nil, 0, false, err
	}
	more := len(ops) > pq.Limit
	if more {
		ops, seqs, leads = ops[:pq.Limit], seqs[:pq.Limit], leads[:pq.Limit]
	}
	cursor := pq.After
	if len(seqs) > 0 {
		cursor = seqs[len(seqs)-1]
	}
	if pq.Events == nil {
		return ops, cursor, more, nil
	}
	backfill, err := s.backfill(ctx, pq, leads)
	if err != nil {
		return nil, 0, false, err
	}
	return append(backfill, ops...), cursor, more, nil
}

// backfill returns the earlier ops of leads this token is seeing for the first time, and
// remembers that it has seen them.
func (s *Store) backfill(ctx context.Context, pq server.PullQuery, leads []string) ([]capture.Op, error) {
	var out []capture.Op
	seen := map[string]bool{}
	for _, lead := range leads {
		if lead == "" || seen[lead] {
			continue
		}
		seen[lead] = true
		var sent int
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT count(*) FROM sent_leads WHERE token_id = ? AND lead_id = ?`), pq.Token.ID, lead).Scan(&sent); err != nil {
			return nil, err
		}
		if sent > 0 {
			continue
		}
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, op_id, device_id, hlc, kind, entity_id, payload, lead_id FROM ops WHERE lead_id = ? AND seq <= ? AND device_id <> ? ORDER BY seq`), lead, pq.After, pq.Device)
		if err != nil {
			return nil, err
		}
		ops, _, _, err := scanOps(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ops...)
		// A repeat insert from a concurrent pull of the same token is harmless.
		if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sent_leads (token_id, lead_id) VALUES (?, ?)`), pq.Token.ID, lead); err != nil && !s.d.IsUnique(err) {
			return nil, err
		}
	}
	return out, nil
}

func scanOps(rows *sql.Rows) ([]capture.Op, []int64, []string, error) {
	defer rows.Close()
	var ops []capture.Op
	var seqs []int64
	var leads []string
	for rows.Next() {
		var op capture.Op
		var seq, h int64
		var kind string
		var payload []byte
		var lead sql.NullString
		if err := rows.Scan(&seq, &op.ID, &op.Device, &h, &kind, &op.Entity, &payload, &lead); err != nil {
			return nil, nil, nil, err
		}
		op.HLC, op.Kind, op.Payload = capture.HLC(h), capture.OpKind(kind), payload
		ops = append(ops, op)
		seqs = append(seqs, seq)
		leads = append(leads, lead.String)
	}
	return ops, seqs, leads, rows.Err()
}

// NoticeByHash returns a notice version by its hash.
func (s *Store) NoticeByHash(ctx context.Context, hash string) (capture.Notice, error) {
	var body string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT body FROM notices WHERE hash = ? ORDER BY id LIMIT 1`), hash).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return capture.Notice{}, server.ErrNotFound
	}
	if err != nil {
		return capture.Notice{}, err
	}
	var n capture.Notice
	return n, json.Unmarshal([]byte(body), &n)
}
