// Package sqlstore is the server store over database/sql, shared by the SQLite and
// PostgreSQL stores: they differ only in their schema, their placeholders and how a push
// keeps server order equal to commit order.
package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	if err := upgrade(ctx, db); err != nil {
		return nil, err
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
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO tokens (id, name, hash, role, events, created, all_events) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		t.ID, t.Name, t.Hash, t.Role, string(events), t.Created.UTC().Format(time.RFC3339Nano), boolInt(t.AllEvents))
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const tokenColumns = `id, name, hash, role, events, created, revoked, all_events`

func scanToken(sc interface{ Scan(...any) error }) (server.Token, error) {
	var t server.Token
	var events, created string
	var revoked sql.NullString
	var all int
	if err := sc.Scan(&t.ID, &t.Name, &t.Hash, &t.Role, &events, &created, &revoked, &all); err != nil {
		return t, err
	}
	t.AllEvents = all == 1
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

// tables are what every server database holds besides the dialect's own schema, in types
// both databases read alike.
var tables = []string{
	// lead_scope: the events each lead was captured at, and the first op that put it there,
	// which is when a token of that event starts to see the lead.
	`CREATE TABLE IF NOT EXISTS lead_scope (lead_id TEXT NOT NULL, event_id TEXT NOT NULL, first_seq BIGINT NOT NULL, PRIMARY KEY (lead_id, event_id))`,
	`CREATE INDEX IF NOT EXISTS lead_scope_event ON lead_scope (event_id, lead_id)`,
	// op_leads: every lead of an op that names several (merges, links, audit records).
	`CREATE TABLE IF NOT EXISTS op_leads (lead_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (lead_id, seq))`,
	`CREATE TABLE IF NOT EXISTS merges (id TEXT PRIMARY KEY, keep TEXT NOT NULL, others TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0)`,
	// merged: the leads merged away by a merge that stands, each into one lead only.
	`CREATE TABLE IF NOT EXISTS merged (lead_id TEXT PRIMARY KEY, merge_id TEXT NOT NULL, keep TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY, token_id TEXT NOT NULL)`,
	// event_questions: every question id an event's survey has had, so answers can be checked.
	`CREATE TABLE IF NOT EXISTS event_questions (event_id TEXT NOT NULL, question_id TEXT NOT NULL, PRIMARY KEY (event_id, question_id))`,
}

// columns are added to databases made before them.
var columns = []struct{ table, column, decl string }{
	{"ops", "audience", "TEXT"},
	{"ops", "hash", "TEXT"},
	{"tokens", "all_events", "INTEGER NOT NULL DEFAULT 0"},
}

// upgrade brings a database made by an earlier boothd up to date: new columns, the audience
// of old ops (from the registry), and lead scopes from the captures in the log.
func upgrade(ctx context.Context, db *sql.DB) error {
	for _, stmt := range tables {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	for _, c := range columns {
		if rows, err := db.QueryContext(ctx, `SELECT `+c.column+` FROM `+c.table+` WHERE 1 = 0`); err == nil {
			rows.Close()
			continue
		}
		if _, err := db.ExecContext(ctx, `ALTER TABLE `+c.table+` ADD COLUMN `+c.column+` `+c.decl); err != nil {
			return fmt.Errorf("add %s.%s: %w", c.table, c.column, err)
		}
	}
	var cases strings.Builder
	for _, k := range capture.Kinds() {
		spec, _ := capture.Spec(k)
		fmt.Fprintf(&cases, " WHEN '%s' THEN '%s'", k, spec.Audience)
	}
	if _, err := db.ExecContext(ctx, `UPDATE ops SET audience = CASE kind`+cases.String()+` ELSE 'leads' END WHERE audience IS NULL`); err != nil {
		return fmt.Errorf("set audience: %w", err)
	}
	_, err := db.ExecContext(ctx, `INSERT INTO lead_scope (lead_id, event_id, first_seq)
		SELECT lead_id, event_id, min(seq) FROM ops WHERE kind = 'capture.add' AND lead_id IS NOT NULL AND event_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM lead_scope) GROUP BY lead_id, event_id`)
	if err != nil {
		return fmt.Errorf("fill lead scopes: %w", err)
	}
	return nil
}

// BindDevice binds device to the token that pushes it first. A device whose token was
// revoked may be enrolled again with a new one.
func (s *Store) BindDevice(ctx context.Context, device, tokenID string) error {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO devices (device_id, token_id) VALUES (?, ?) ON CONFLICT (device_id) DO NOTHING`), device, tokenID)
	if err != nil {
		return fmt.Errorf("bind device: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil // bound just now
	}
	var holder string
	var revoked sql.NullString
	err = s.db.QueryRowContext(ctx, s.q(`SELECT d.token_id, t.revoked FROM devices d LEFT JOIN tokens t ON t.id = d.token_id WHERE d.device_id = ?`), device).Scan(&holder, &revoked)
	switch {
	case err != nil:
		return fmt.Errorf("bind device: %w", err)
	case holder == tokenID:
		return nil
	case !revoked.Valid && holder != "":
		return server.ErrDeviceBound
	}
	_, err = s.db.ExecContext(ctx, s.q(`UPDATE devices SET token_id = ? WHERE device_id = ? AND token_id = ?`), tokenID, device, holder)
	return err
}

// opHash is what an op id stands for: the op's whole content as it was first pushed.
func opHash(op capture.Op) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00", op.Device, uint64(op.HLC), op.Kind, op.Entity)
	h.Write(op.Payload)
	return hex.EncodeToString(h.Sum(nil))
}

// view is the server's state inside a push transaction.
type view struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
}

func (v view) strings(query string, args ...any) ([]string, error) {
	rows, err := v.tx.QueryContext(v.ctx, v.s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func (v view) LeadEvents(lead string) ([]string, error) {
	return v.strings(`SELECT event_id FROM lead_scope WHERE lead_id = ?`, lead)
}

func (v view) MergedInto(lead string) (string, error) {
	into, err := v.strings(`SELECT keep FROM merged WHERE lead_id = ?`, lead)
	if err != nil || len(into) == 0 {
		return "", err
	}
	return into[0], nil
}

func (v view) Questions(event string) ([]string, error) {
	return v.strings(`SELECT question_id FROM event_questions WHERE event_id = ?`, event)
}

func (v view) Capture(id string) (string, string, error) {
	var payload []byte
	err := v.tx.QueryRowContext(v.ctx, v.s.q(`SELECT payload FROM ops WHERE entity_id = ? AND kind = ?`), id, string(capture.OpCaptureAdd)).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", server.ErrNotFound
	}
	if err != nil {
		return "", "", err
	}
	var c struct {
		Lead  string `json:"lead_id"`
		Event string `json:"event_id"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", "", fmt.Errorf("capture %s: %w", id, err)
	}
	return c.Lead, c.Event, nil
}

// Erased reports whether lead is erased as devices apply erasures: by an erasure of its own,
// or as the own lead of a capture detached from an erased lead whose erasures did not all
// spare it, in turn.
func (v view) Erased(lead string) (bool, error) {
	spared := ""   // the capture whose own lead the walk comes from
	for range 64 { // a chain of detaches; the bound guards a bad log
		erasures, err := v.strings(`SELECT payload FROM ops WHERE lead_id = ? AND kind = ?`, lead, string(capture.OpLeadErase))
		if err != nil {
			return false, err
		}
		for _, p := range erasures {
			var e capture.Erasure
			if err := json.Unmarshal([]byte(p), &e); err != nil {
				return false, fmt.Errorf("erasure of %s: %w", lead, err)
			}
			if !slices.Contains(e.Spares, spared) {
				return true, nil
			}
		}
		from, err := v.strings(`SELECT lead_id FROM ops WHERE entity_id = ? AND kind = ?`, lead, string(capture.OpCaptureDetach))
		if err != nil || len(from) == 0 {
			return false, err
		}
		spared, lead = lead, from[0]
	}
	return false, nil
}

func (v view) Merge(id string) (string, []string, error) {
	var keep, others string
	err := v.tx.QueryRowContext(v.ctx, v.s.q(`SELECT keep, others FROM merges WHERE id = ?`), id).Scan(&keep, &others)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, server.ErrNotFound
	}
	if err != nil {
		return "", nil, err
	}
	var list []string
	return keep, list, json.Unmarshal([]byte(others), &list)
}

// Push records and applies ops in one transaction.
func (s *Store) Push(ctx context.Context, ops []capture.Op, authorize server.Authorize) (server.PushResult, error) {
	res := server.PushResult{Refused: map[int]string{}}
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
	v := view{s: s, ctx: ctx, tx: tx}
	for i, op := range ops {
		hash := opHash(op)
		var heldHash sql.NullString
		err := tx.QueryRowContext(ctx, s.q(`SELECT hash FROM ops WHERE op_id = ?`), op.ID).Scan(&heldHash)
		switch {
		case err == nil:
			same, err := s.sameOp(ctx, tx, op, hash, heldHash)
			if err != nil {
				return res, err
			}
			if !same {
				res.Refused[i] = "op_id " + op.ID + " is held with other content: an op id is never reused"
			}
			continue // a repeat: taken before, not applied again
		case !errors.Is(err, sql.ErrNoRows):
			return res, err
		}
		d, err := authorize(i, op, v)
		if err != nil {
			return res, err
		}
		if d.Refused != "" {
			res.Refused[i] = d.Refused
			continue
		}
		erased, err := s.insert(ctx, v, op, hash, d.Refs)
		if err != nil {
			return res, err
		}
		res.Applied++
		res.Erased = res.Erased || erased
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

// sameOp reports whether op is the one held under its id: the same content, or (after an
// erasure scrubbed the held copy) the same content once scrubbed.
func (s *Store) sameOp(ctx context.Context, tx *sql.Tx, op capture.Op, hash string, heldHash sql.NullString) (bool, error) {
	if !heldHash.Valid || heldHash.String == hash {
		return true, nil // ops stored before hashes were kept are taken on trust
	}
	clean, ok := capture.ScrubPayload(op)
	if !ok {
		return false, nil
	}
	var held []byte
	if err := tx.QueryRowContext(ctx, s.q(`SELECT payload FROM ops WHERE op_id = ?`), op.ID).Scan(&held); err != nil {
		return false, err
	}
	return bytes.Equal(clean, held), nil
}

// insert logs an accepted op and applies it to what the server keeps besides the log. It
// reports whether personal data was erased.
func (s *Store) insert(ctx context.Context, v view, op capture.Op, hash string, refs capture.Refs) (bool, error) {
	spec, _ := capture.Spec(op.Kind)
	if refs.Merge != "" && len(refs.Leads) == 0 {
		keep, others, err := v.Merge(refs.Merge)
		if err != nil {
			return false, fmt.Errorf("op %s: %w", op.ID, err)
		}
		refs.Leads = append([]string{keep}, others...)
	}
	var leadID, eventID string
	if spec.Audience == capture.AudienceLead && len(refs.Leads) == 1 {
		leadID = refs.Leads[0]
	}
	if len(refs.Events) == 1 {
		eventID = refs.Events[0]
	}
	payload, erased := op.Payload, op.Kind == capture.OpLeadErase
	if spec.Scrub != nil {
		// An op about a lead already erased is kept without its personal data.
		for _, lead := range refs.Leads {
			gone, err := v.Erased(lead)
			if err != nil {
				return false, err
			}
			if clean, ok := capture.ScrubPayload(op); ok && gone {
				payload, erased = clean, true
				break
			}
		}
	}
	var seq int64
	err := v.tx.QueryRowContext(ctx, s.q(`INSERT INTO ops (op_id, device_id, hlc, kind, entity_id, payload, event_id, lead_id, audience, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`),
		op.ID, op.Device, int64(op.HLC), string(op.Kind), op.Entity, []byte(payload), nullable(eventID), nullable(leadID), string(spec.Audience), hash).Scan(&seq)
	if err != nil {
		return false, fmt.Errorf("insert op %s: %w", op.ID, err)
	}
	if leadID == "" {
		for _, lead := range refs.Leads {
			if _, err := v.tx.ExecContext(ctx, s.q(`INSERT INTO op_leads (lead_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING`), lead, seq); err != nil {
				return false, fmt.Errorf("op %s leads: %w", op.ID, err)
			}
		}
	}
	if err := s.apply(ctx, v, op, refs, seq); err != nil {
		return false, fmt.Errorf("apply op %s: %w", op.ID, err)
	}
	if op.Kind == capture.OpCaptureDetach {
		// Detached from an erased lead that did not spare it, the capture's own lead is erased.
		gone, err := v.Erased(op.Entity)
		if err != nil || !gone {
			return erased, err
		}
		return true, s.scrubReach(ctx, v, op.Entity, nil, map[string]bool{})
	}
	return erased, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// apply keeps what the server needs besides the log: the events each lead was captured at
// (for scopes), the merges that stand (to refuse cycles), notices by hash (for the public
// notice pages), and erasure's scrub of the log.
func (s *Store) apply(ctx context.Context, v view, op capture.Op, refs capture.Refs, seq int64) error {
	tx := v.tx
	switch op.Kind {
	case capture.OpCaptureAdd:
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO lead_scope (lead_id, event_id, first_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`), refs.Leads[0], refs.Events[0], seq)
		return err
	case capture.OpLeadMerge:
		others, _ := json.Marshal(refs.Leads[1:])
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO merges (id, keep, others) VALUES (?, ?, ?)`), op.Entity, refs.Leads[0], string(others)); err != nil {
			return err
		}
		for _, other := range refs.Leads[1:] {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO merged (lead_id, merge_id, keep) VALUES (?, ?, ?)`), other, op.Entity, refs.Leads[0]); err != nil {
				return err
			}
		}
	case capture.OpLeadUnmerge:
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE merges SET undone = 1 WHERE id = ?`), op.Entity); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`DELETE FROM merged WHERE merge_id = ?`), op.Entity)
		return err
	case capture.OpCaptureDetach:
		// The capture's own lead is seen wherever the capture was seen (at every event of the
		// lead it leaves), so that what happens to it later reaches every device holding it.
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO lead_scope (lead_id, event_id, first_seq)
			SELECT ?, event_id, CAST(? AS BIGINT) FROM lead_scope WHERE lead_id = ? ON CONFLICT DO NOTHING`), op.Entity, seq, refs.Leads[0]); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO lead_scope (lead_id, event_id, first_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`), op.Entity, refs.Events[0], seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO op_leads (lead_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING`), op.Entity, seq); err != nil {
			return err // its reason goes if the own lead is erased
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE ops SET lead_id = ? WHERE entity_id = ? AND kind = ?`), op.Entity, op.Entity, string(capture.OpCaptureAdd))
		return err
	case capture.OpLeadErase:
		var e capture.Erasure
		if err := json.Unmarshal(op.Payload, &e); err != nil {
			return err
		}
		return s.scrubReach(ctx, v, op.Entity, e.Spares, map[string]bool{})
	case capture.OpEventSet:
		var e capture.Event
		if err := json.Unmarshal(op.Payload, &e); err != nil || e.Survey == nil {
			return err
		}
		for _, q := range e.Survey.Questions {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO event_questions (event_id, question_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), e.ID, q.ID); err != nil {
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
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO notices (id, hash, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`), n.ID, n.Hash, string(body))
		return err
	}
	return nil
}

// scrubReach scrubs an erased lead and, in turn, the own leads of the captures detached from
// it that spares does not name (those erased with it spare nothing): every capture ever
// attached to an erased lead is erased, as devices apply it. seen guards a bad log.
func (s *Store) scrubReach(ctx context.Context, v view, lead string, spares []string, seen map[string]bool) error {
	if seen[lead] {
		return nil
	}
	seen[lead] = true
	if err := s.scrubLead(ctx, v.tx, lead); err != nil {
		return err
	}
	detached, err := v.strings(`SELECT entity_id FROM ops WHERE lead_id = ? AND kind = ?`, lead, string(capture.OpCaptureDetach))
	if err != nil {
		return err
	}
	for _, c := range detached {
		if !slices.Contains(spares, c) {
			if err := s.scrubReach(ctx, v, c, nil, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// scrubLead removes an erased lead's personal data from every op in the log that names it,
// as the registry says for each kind.
func (s *Store) scrubLead(ctx context.Context, tx *sql.Tx, lead string) error {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT seq, op_id, kind, payload FROM ops WHERE lead_id = ? OR seq IN (SELECT seq FROM op_leads WHERE lead_id = ?)`), lead, lead)
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
		if clean, ok := capture.ScrubPayload(o); ok && !bytes.Equal(clean, o.Payload) {
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
	return nil
}

const opColumns = `seq, op_id, device_id, hlc, kind, entity_id, payload, lead_id, audience`

// Pull returns ops after the cursor that the query's role and events may read, up to its
// limit and byte budget. A lead that becomes visible to the reader (captured at one of its
// events) comes with its earlier ops, so every replica that may see a lead holds all of it.
// What is sent depends only on the cursor, never on what was sent before: an answer that
// was lost is sent again in full.
func (s *Store) Pull(ctx context.Context, pq server.PullQuery) ([]capture.Op, int64, bool, error) {
	where, args := "seq > ?", []any{pq.After}
	if pq.Device != "" {
		where, args = where+" AND device_id <> ?", append(args, pq.Device)
	}
	scope := newScope(s, ctx, pq)
	if pq.Events != nil {
		marks := scope.marks()
		where += ` AND (audience = 'all' OR audience = 'leads' OR (audience = 'managers' AND ?)
			OR (audience = 'event' AND event_id IN (` + marks + `))
			OR (audience = 'lead' AND lead_id IN (SELECT lead_id FROM lead_scope WHERE event_id IN (` + marks + `))))`
		args = append(args, pq.Role != capture.RoleBooth)
		args = append(append(args, scope.args()...), scope.args()...)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+opColumns+` FROM ops WHERE `+where+` ORDER BY seq LIMIT ?`), append(args, pq.Limit+1)...)
	if err != nil {
		return nil, 0, false, err
	}
	page, err := scanOps(rows)
	if err != nil {
		return nil, 0, false, err
	}
	more := len(page) > pq.Limit
	if more {
		page = page[:pq.Limit]
	}
	budget := pq.MaxBytes
	if budget <= 0 {
		budget = server.MaxPullBytes
	}
	var out []capture.Op
	sent := map[int64]bool{}
	cursor, size := pq.After, 0
	for i, r := range page {
		var add []loggedOp
		if pq.Events != nil && r.audience == string(capture.AudienceLead) {
			if add, err = scope.backfill(r.lead, sent); err != nil {
				return nil, 0, false, err
			}
		}
		ok, err := scope.visible(r)
		if err != nil {
			return nil, 0, false, err
		}
		if ok {
			add = append(add, r)
		}
		n := 0
		for _, a := range add {
			n += len(a.op.Payload) + 256
		}
		if i > 0 && size+n > budget {
			more = true
			break
		}
		for _, a := range add {
			sent[a.seq] = true
			out = append(out, scope.redact(a.op))
		}
		size += n
		cursor = r.seq
	}
	return out, cursor, more, nil
}

// loggedOp is an op as the server logged it.
type loggedOp struct {
	op       capture.Op
	seq      int64
	lead     string
	audience string
}

// scope answers what one reader may see.
type scope struct {
	s       *Store
	ctx     context.Context
	pq      server.PullQuery
	inScope map[string]bool
}

func newScope(s *Store, ctx context.Context, pq server.PullQuery) *scope {
	return &scope{s: s, ctx: ctx, pq: pq, inScope: map[string]bool{}}
}

func (c *scope) marks() string {
	if len(c.pq.Events) == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(c.pq.Events)), ", ")
}

func (c *scope) args() []any {
	out := make([]any, len(c.pq.Events))
	for i, e := range c.pq.Events {
		out[i] = e
	}
	return out
}

// leadVisible reports whether the reader may see lead.
func (c *scope) leadVisible(lead string) (bool, error) {
	if c.pq.Events == nil {
		return true, nil
	}
	if v, ok := c.inScope[lead]; ok {
		return v, nil
	}
	var n int
	err := c.s.db.QueryRowContext(c.ctx, c.s.q(`SELECT count(*) FROM lead_scope WHERE lead_id = ? AND event_id IN (`+c.marks()+`)`), append([]any{lead}, c.args()...)...).Scan(&n)
	c.inScope[lead] = n > 0
	return n > 0, err
}

// visible applies the registry's audience of an op to the reader; the SQL of Pull has done
// the same for the audiences it can (all, event, lead), so this decides the rest.
func (c *scope) visible(r loggedOp) (bool, error) {
	aud := capture.Audience(r.audience)
	if aud == capture.AudienceManagers && c.pq.Role != capture.RoleAdmin && c.pq.Role != capture.RoleManager {
		return false, nil
	}
	if c.pq.Events == nil || (aud != capture.AudienceLeads && aud != capture.AudienceManagers) {
		return true, nil
	}
	refs := capture.RefsOf(r.op)
	if refs.Merge != "" {
		var keep, others string
		if err := c.s.db.QueryRowContext(c.ctx, c.s.q(`SELECT keep, others FROM merges WHERE id = ?`), refs.Merge).Scan(&keep, &others); err != nil {
			return false, nil // a merge the server never took names nobody the reader may see
		}
		var list []string
		json.Unmarshal([]byte(others), &list)
		refs.Leads = append([]string{keep}, list...)
	}
	for _, e := range refs.Events {
		if !slices.Contains(c.pq.Events, e) {
			return false, nil
		}
	}
	for _, lead := range refs.Leads {
		if ok, err := c.leadVisible(lead); !ok || err != nil {
			return false, err
		}
	}
	return len(refs.Leads) > 0 || len(refs.Events) > 0, nil
}

// redact leaves out what only admins may read.
func (c *scope) redact(op capture.Op) capture.Op {
	if c.pq.Role == capture.RoleAdmin {
		return op
	}
	if clean, ok := capture.RedactPayload(op); ok {
		op.Payload = clean
	}
	return op
}

// backfill returns the ops of lead before the cursor when the reader starts to see the lead
// after it: the lead's first capture at one of the reader's events is after the cursor.
func (c *scope) backfill(lead string, sent map[int64]bool) ([]loggedOp, error) {
	var first sql.NullInt64
	err := c.s.db.QueryRowContext(c.ctx, c.s.q(`SELECT min(first_seq) FROM lead_scope WHERE lead_id = ? AND event_id IN (`+c.marks()+`)`), append([]any{lead}, c.args()...)...).Scan(&first)
	if err != nil || !first.Valid || first.Int64 <= c.pq.After {
		return nil, err
	}
	rows, err := c.s.db.QueryContext(c.ctx, c.s.q(`SELECT `+opColumns+` FROM ops WHERE (lead_id = ? OR seq IN (SELECT seq FROM op_leads WHERE lead_id = ?))
		AND seq <= ? AND device_id <> ? ORDER BY seq`), lead, lead, c.pq.After, c.pq.Device)
	if err != nil {
		return nil, err
	}
	list, err := scanOps(rows)
	if err != nil {
		return nil, err
	}
	var out []loggedOp
	for _, r := range list {
		if sent[r.seq] {
			continue
		}
		ok, err := c.visible(r)
		if err != nil {
			return nil, err
		}
		if ok {
			sent[r.seq] = true
			out = append(out, r)
		}
	}
	return out, nil
}

func scanOps(rows *sql.Rows) ([]loggedOp, error) {
	defer rows.Close()
	var out []loggedOp
	for rows.Next() {
		var r loggedOp
		var h int64
		var kind string
		var payload []byte
		var lead, audience sql.NullString
		if err := rows.Scan(&r.seq, &r.op.ID, &r.op.Device, &h, &kind, &r.op.Entity, &payload, &lead, &audience); err != nil {
			return nil, err
		}
		r.op.HLC, r.op.Kind, r.op.Payload = capture.HLC(h), capture.OpKind(kind), payload
		r.lead, r.audience = lead.String, audience.String
		out = append(out, r)
	}
	return out, rows.Err()
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
