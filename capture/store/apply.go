package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// querier is what both *sql.DB and *sql.Tx offer, so reads work inside and outside a write.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeTx runs fn in one immediate transaction on the single writer connection.
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err = fn(tx)
	if err != nil {
		tx.Rollback()
	} else if err = tx.Commit(); err != nil {
		err = fmt.Errorf("commit: %w", err)
	}
	// After an erasure, the WAL still holds the pages as they were before it: checkpoint
	// them into the file (where secure_delete has zeroed what was removed) and truncate it.
	s.mu.Lock()
	erased := s.erasedSinceCheckpoint
	s.erasedSinceCheckpoint = false
	s.mu.Unlock()
	if erased && err == nil {
		if _, cerr := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); cerr != nil {
			err = fmt.Errorf("checkpoint after erasure: %w", cerr)
		}
	}
	// Cached events may have changed, whether the write landed or not.
	s.mu.Lock()
	if s.eventsDirty {
		clear(s.events)
		s.eventsDirty = false
		s.eventsGen++
	}
	s.mu.Unlock()
	return err
}

// newOp stamps a local op with this device and a fresh clock reading.
func (s *Store) newOp(kind capture.OpKind, entity string, payload any) (capture.Op, error) {
	return capture.NewOp(s.device, s.clock.Now(), kind, entity, payload)
}

// applyOp records op in the log and applies it to the state tables, in tx, and returns the
// entities it touched as they are now. It returns nil, changing nothing, when the op is
// already in the log.
func (s *Store) applyOp(ctx context.Context, tx *sql.Tx, op capture.Op) (*capture.State, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO ops (op_id, device_id, hlc, kind, entity_id, payload)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING`,
		op.ID, op.Device, int64(op.HLC), string(op.Kind), op.Entity, sealBytes(op.Payload))
	if err != nil {
		return nil, fmt.Errorf("log op: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil
	}
	if err := logLeads(ctx, tx, op); err != nil {
		return nil, err
	}
	st := capture.NewState()
	if err := s.loadFor(ctx, tx, st, op); err != nil {
		return nil, fmt.Errorf("apply %s: %w", op.Kind, err)
	}
	if err := st.Apply(op); err != nil {
		return nil, err
	}
	if err := s.save(ctx, tx, st, op); err != nil {
		return nil, fmt.Errorf("apply %s: %w", op.Kind, err)
	}
	if err := s.scrubLog(ctx, tx, st, op); err != nil {
		return nil, fmt.Errorf("apply %s: %w", op.Kind, err)
	}
	s.clock.Observe(op.HLC)
	return st, nil
}

// logLeads remembers the leads an op names besides its entity, for scrubLog.
func logLeads(ctx context.Context, tx *sql.Tx, op capture.Op) error {
	if op.Kind == capture.OpCaptureAdd {
		return nil // the captures table has its lead
	}
	for _, lead := range capture.RefsOf(op).Leads {
		if lead == op.Entity {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO op_leads (lead_id, op_id) VALUES (?, ?)`, lead, op.ID); err != nil {
			return fmt.Errorf("log op leads: %w", err)
		}
	}
	return nil
}

// scrubLog removes an erased lead's personal data from the op log too: on erasure, from every
// op about the lead that carries any (the registry says which kinds do and what goes);
// afterwards, from any such op that arrives late.
func (s *Store) scrubLog(ctx context.Context, tx *sql.Tx, st *capture.State, op capture.Op) error {
	spec, _ := capture.Spec(op.Kind)
	var erased []*capture.Lead
	switch {
	case op.Kind == capture.OpLeadErase, op.Kind == capture.OpCaptureDetach:
		// An erasure reaches the own leads of the captures detached from the lead, and a
		// detach from an erased lead erases the capture's own lead: all are in st.
		for _, l := range st.Leads {
			if l.Erased != nil {
				erased = append(erased, l)
			}
		}
	case spec.Scrub != nil:
		leads := capture.RefsOf(op).Leads
		if c, ok := st.Captures[op.Entity]; ok && op.Kind == capture.OpCaptureAdd {
			leads = append(leads, c.LeadID) // detached before it arrived: its own lead
		}
		for _, id := range leads {
			if l, ok := st.Leads[id]; ok && l.Erased != nil {
				erased = append(erased, l)
			}
		}
	}
	for _, l := range erased {
		if err := s.scrubOpsOf(ctx, tx, l.ID, l.Erased.Spares); err != nil {
			return err
		}
	}
	return nil
}

// scrubOpsOf rewrites every logged op that names lead without its personal data, but the
// captures its erasure spares (someone else's, still in the lead until their detach arrives).
func (s *Store) scrubOpsOf(ctx context.Context, tx *sql.Tx, lead string, spares []string) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, op_id, device_id, hlc, kind, entity_id, payload FROM ops
		WHERE entity_id = ?1 OR entity_id IN (SELECT id FROM captures WHERE lead_id = ?1)
		   OR op_id IN (SELECT op_id FROM op_leads WHERE lead_id = ?1)`, lead)
	if err != nil {
		return err
	}
	type scrubbed struct {
		seq     int64
		payload []byte
	}
	// A capture is the lead's if it is in the lead now and not spared: one detached from it
	// (or on its way out) is someone else's, one detached into it is the person's.
	current := map[string]bool{}
	caps, err := tx.QueryContext(ctx, `SELECT id FROM captures WHERE lead_id = ?`, lead)
	if err != nil {
		rows.Close()
		return err
	}
	for caps.Next() {
		var id string
		if err := caps.Scan(&id); err != nil {
			caps.Close()
			rows.Close()
			return err
		}
		current[id] = !slices.Contains(spares, id)
	}
	caps.Close()
	var updates []scrubbed
	for rows.Next() {
		var o capture.Op
		var seq, h int64
		var sealed []byte
		if err := rows.Scan(&seq, &o.ID, &o.Device, &h, &o.Kind, &o.Entity, &sealed); err != nil {
			rows.Close()
			return err
		}
		if o.Payload, err = openBytes(sealed); err != nil {
			rows.Close()
			return err
		}
		switch {
		case o.Kind == capture.OpCaptureAdd:
			if !current[o.Entity] {
				continue
			}
		case !slices.Contains(capture.RefsOf(o).Leads, lead) && !(o.Kind == capture.OpCaptureDetach && current[o.Entity]):
			continue // an entity id that happens to equal the lead's, of another kind
		}
		if clean, ok := capture.ScrubPayload(o); ok {
			updates = append(updates, scrubbed{seq, sealBytes(clean)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range updates {
		if _, err := tx.ExecContext(ctx, `UPDATE ops SET payload = ? WHERE seq = ?`, u.payload, u.seq); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.erasedSinceCheckpoint = true
	s.mu.Unlock()
	return nil
}

// loadFor loads into st the entities op touches, so that Apply sees what it would see
// on the whole state.
func (s *Store) loadFor(ctx context.Context, q querier, st *capture.State, op capture.Op) error {
	switch op.Kind {
	case capture.OpOrgSet:
		return loadOrg(ctx, q, st)
	case capture.OpNoticeAdd:
		n, err := s.notice(ctx, q, op.Entity)
		if err == nil {
			st.Notices[n.ID] = &n
		} else if !errors.Is(err, capture.ErrNotFound) {
			return err
		}
	case capture.OpEventSet:
		return loadEvent(ctx, q, st, op.Entity)
	case capture.OpStaffSet:
		return loadStaff(ctx, q, st, op.Entity)
	case capture.OpExportRecord:
		return loadExports(ctx, q, st, `WHERE id = ?`, op.Entity)
	case capture.OpLeadMerge, capture.OpLeadUnmerge:
		if err := loadLeadsOf(ctx, q, st, op); err != nil { // is any of them erased?
			return err
		}
		return loadMerges(ctx, q, st, `WHERE id = ?`, op.Entity)
	case capture.OpLeadLink:
		return loadLinks(ctx, q, st, `WHERE id = ?`, op.Entity)
	case capture.OpRequest:
		if err := loadLeadsOf(ctx, q, st, op); err != nil {
			return err
		}
		return loadBodies(ctx, q, "requests", "WHERE id = ?", []any{op.Entity}, func(_ string, r *capture.RequestRecord) { st.Requests[r.ID] = r })
	case capture.OpCaptureAdd:
		var ref struct {
			LeadID string `json:"lead_id"`
		}
		if err := json.Unmarshal(op.Payload, &ref); err != nil {
			return fmt.Errorf("decode payload: %w", err)
		}
		if err := loadLead(ctx, q, st, ref.LeadID); err != nil {
			return err
		}
		if err := loadDetaches(ctx, q, st, `WHERE capture_id = ?`, op.Entity); err != nil { // detached before it arrived
			return err
		}
		if d, ok := st.Detaches[op.Entity]; ok { // with the withdrawals made while it was attached
			if err := loadWithdrawals(ctx, q, st, d.From, map[string]bool{}); err != nil {
				return err
			}
		}
		return loadCaptures(ctx, q, st, `WHERE id = ?`, op.Entity)
	case capture.OpCaptureDetach:
		// The lead it leaves is rebuilt from its other captures and its corrections.
		var d capture.Detach
		if err := json.Unmarshal(op.Payload, &d); err != nil {
			return fmt.Errorf("decode payload: %w", err)
		}
		if err := loadLead(ctx, q, st, op.Entity); err != nil {
			return err
		}
		// If the lead it leaves is erased, the erasure reaches the capture's own lead.
		if err := loadReach(ctx, q, st, op.Entity); err != nil {
			return err
		}
		if err := loadLead(ctx, q, st, d.From); err != nil {
			return err
		}
		// Withdrawals made while it was attached go with it.
		if err := loadWithdrawals(ctx, q, st, d.From, map[string]bool{}); err != nil {
			return err
		}
		var current string
		err := q.QueryRowContext(ctx, `SELECT lead_id FROM captures WHERE id = ?`, op.Entity).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the capture arrives later
		}
		if err != nil {
			return err
		}
		if err := loadLead(ctx, q, st, current); err != nil {
			return err
		}
		if err := loadCorrections(ctx, q, st, current); err != nil {
			return err
		}
		return loadCaptures(ctx, q, st, `WHERE lead_id IN (?, ?)`, current, op.Entity)
	case capture.OpLeadCorrect:
		return loadLead(ctx, q, st, op.Entity)
	case capture.OpLeadWithdraw:
		// A withdrawal also holds for the captures detached from the lead after it.
		if err := loadLead(ctx, q, st, op.Entity); err != nil {
			return err
		}
		return loadDetaches(ctx, q, st, `WHERE from_lead IN (WITH RECURSIVE reach (id) AS (
			SELECT ?1 UNION SELECT capture_id FROM detaches JOIN reach ON from_lead = reach.id) SELECT id FROM reach)`, op.Entity)
	case capture.OpLeadErase:
		if err := loadLead(ctx, q, st, op.Entity); err != nil {
			return err
		}
		var e capture.Erasure
		if err := json.Unmarshal(op.Payload, &e); err != nil {
			return fmt.Errorf("decode payload: %w", err)
		}
		for _, k := range e.Keys {
			if err := loadBodies(ctx, q, "suppressions", "WHERE key = ?", []any{k}, func(_ string, v *capture.Suppression) { st.Suppressions[v.Key] = v }); err != nil {
				return err
			}
		}
		if err := loadReach(ctx, q, st, op.Entity); err != nil {
			return err
		}
		return loadCaptures(ctx, q, st, `WHERE lead_id = ?`, op.Entity)
	}
	return nil
}

// loadReach loads what an erasure of lead reaches besides the lead: the detaches of the
// captures ever attached to it and, in turn, to their own leads (with those leads and their
// captures), and the merges, requests and detaches naming any of these leads, which lose what
// staff wrote about the person.
func loadReach(ctx context.Context, q querier, st *capture.State, lead string) error {
	if err := loadDetaches(ctx, q, st, `WHERE capture_id = ?1 OR from_lead IN (WITH RECURSIVE reach (id) AS (
			SELECT ?1 UNION SELECT capture_id FROM detaches JOIN reach ON from_lead = reach.id) SELECT id FROM reach)`, lead); err != nil {
		return err
	}
	leads := []string{lead}
	for _, d := range st.Detaches {
		if d.Capture != lead {
			leads = append(leads, d.Capture)
		}
	}
	for _, id := range leads {
		if err := loadMerges(ctx, q, st, `WHERE id IN (`+entitiesNaming+`) OR keep = ?1`, id); err != nil {
			return err
		}
		if err := loadBodies(ctx, q, "requests", "WHERE id IN ("+entitiesNaming+")", []any{id}, func(_ string, r *capture.RequestRecord) { st.Requests[r.ID] = r }); err != nil {
			return err
		}
	}
	return nil
}

// entitiesNaming selects the entities of the ops that name lead ?1 besides their own entity.
const entitiesNaming = `SELECT entity_id FROM ops WHERE op_id IN (SELECT op_id FROM op_leads WHERE lead_id = ?1)`

// loadLeadsOf loads the leads an op names.
func loadLeadsOf(ctx context.Context, q querier, st *capture.State, op capture.Op) error {
	for _, id := range capture.RefsOf(op).Leads {
		if err := loadLead(ctx, q, st, id); err != nil {
			return err
		}
	}
	return nil
}

// save writes back every entity in st.
func (s *Store) save(ctx context.Context, tx *sql.Tx, st *capture.State, op capture.Op) error {
	if st.Org != nil {
		s.mu.Lock()
		s.suppressionKeyKnown = false
		s.mu.Unlock()
		body, _ := json.Marshal(st.Org)
		stamp, _ := json.Marshal(st.OrgStamp)
		if _, err := tx.ExecContext(ctx, `INSERT INTO org (id, body, stamp) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, stamp = excluded.stamp`, string(body), string(stamp)); err != nil {
			return err
		}
	}
	for _, n := range st.Notices {
		body, _ := json.Marshal(n.NoticeBody)
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (id, version, supersedes, hash, body) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, n.ID, n.Version, n.Supersedes, n.Hash, string(body)); err != nil {
			return err
		}
	}
	if len(st.Events) > 0 {
		s.mu.Lock()
		s.eventsDirty = true
		s.mu.Unlock()
	}
	for id, e := range st.Events {
		body, _ := json.Marshal(e)
		stamp, _ := json.Marshal(st.EventStamps[id])
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, date, notice_id, body, stamp) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET date = excluded.date, notice_id = excluded.notice_id, body = excluded.body, stamp = excluded.stamp`,
			id, e.Date, e.NoticeID, string(body), string(stamp)); err != nil {
			return err
		}
	}
	for id, m := range st.Staff {
		body, _ := json.Marshal(m)
		stamp, _ := json.Marshal(st.StaffStamps[id])
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff (id, name, body, stamp) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body, stamp = excluded.stamp`,
			id, m.Name, string(body), string(stamp)); err != nil {
			return err
		}
	}
	for id, r := range st.Exports {
		body, _ := json.Marshal(r)
		res, err := tx.ExecContext(ctx, `INSERT INTO exports (id, at, basis, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			id, r.At.UTC().Format(time.RFC3339Nano), string(r.Basis), string(body))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			for _, lead := range r.Leads {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO export_leads (export_id, lead_id) VALUES (?, ?)`, id, lead); err != nil {
					return err
				}
			}
		}
	}
	for id, m := range st.Merges {
		body, _ := json.Marshal(m)
		if _, err := tx.ExecContext(ctx, `INSERT INTO merges (id, keep, undone, body) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET keep = excluded.keep, undone = excluded.undone, body = excluded.body`, id, m.Keep, m.Undone, string(body)); err != nil {
			return err
		}
		into := m.Keep
		if m.Undone {
			into = ""
		}
		for _, other := range m.Others {
			if _, err := tx.ExecContext(ctx, `UPDATE leads SET merged_into = ? WHERE id = ?`, into, other); err != nil {
				return err
			}
		}
		if m.Keep != "" {
			if err := s.refreshCombined(ctx, tx, m.Keep); err != nil {
				return err
			}
		}
	}
	for id, r := range st.Requests { // written once; rewritten only by an erasure's scrub
		body, _ := json.Marshal(r)
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, at, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
			id, r.Received.UTC().Format(time.RFC3339Nano), string(body)); err != nil {
			return err
		}
	}
	for key, sup := range st.Suppressions {
		body, _ := json.Marshal(sup)
		if _, err := tx.ExecContext(ctx, `INSERT INTO suppressions (key, body) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body`, key, string(body)); err != nil {
			return err
		}
	}
	for id, k := range st.Links {
		body, _ := json.Marshal(k)
		if _, err := tx.ExecContext(ctx, `INSERT INTO links (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`, id, string(body)); err != nil {
			return err
		}
	}
	for _, l := range st.Leads {
		if err := saveLead(ctx, tx, l); err != nil {
			return err
		}
		// A lead that is part of a merge changes what the kept lead shows.
		var keep string
		if err := tx.QueryRowContext(ctx, `SELECT CASE WHEN merged_into <> '' THEN merged_into
			WHEN EXISTS (SELECT 1 FROM merges WHERE keep = ?1 AND undone = 0) THEN ?1 ELSE '' END FROM leads WHERE id = ?1`, l.ID).Scan(&keep); err != nil {
			return err
		}
		if keep != "" {
			if err := s.refreshCombined(ctx, tx, keep); err != nil {
				return err
			}
		}
	}
	for _, c := range st.Captures {
		if err := saveCapture(ctx, tx, c); err != nil {
			return err
		}
	}
	for _, d := range st.Detaches {
		if _, err := tx.ExecContext(ctx, `INSERT INTO detaches (capture_id, from_lead, event_id, reason, hlc, device_id) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (capture_id) DO UPDATE SET reason = excluded.reason, hlc = excluded.hlc, device_id = excluded.device_id`,
			d.Capture, d.From, d.Event, d.Reason, int64(d.Stamp.HLC), d.Stamp.Device); err != nil {
			return fmt.Errorf("save detach: %w", err)
		}
	}
	return nil
}

// loadDetaches loads the detaches that match where, with the leads the captures now form
// and their captures.
func loadDetaches(ctx context.Context, q querier, st *capture.State, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT capture_id, from_lead, event_id, reason, hlc, device_id FROM detaches `+where, args...)
	if err != nil {
		return fmt.Errorf("read detaches: %w", err)
	}
	var found []*capture.Detach
	for rows.Next() {
		var d capture.Detach
		var h int64
		if err := rows.Scan(&d.Capture, &d.From, &d.Event, &d.Reason, &h, &d.Stamp.Device); err != nil {
			rows.Close()
			return err
		}
		d.Stamp.HLC = capture.HLC(h)
		found = append(found, &d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range found {
		st.Detaches[d.Capture] = d
		if err := loadLead(ctx, q, st, d.Capture); err != nil {
			return err
		}
		if err := loadCaptures(ctx, q, st, `WHERE lead_id = ?`, d.Capture); err != nil {
			return err
		}
	}
	return nil
}

// loadWithdrawals gives st the withdrawals made on a lead and, when the lead is a detached
// capture's, on the leads it came from (with those detaches), from the op log.
func loadWithdrawals(ctx context.Context, q querier, st *capture.State, lead string, seen map[string]bool) error {
	if seen[lead] {
		return nil
	}
	seen[lead] = true
	rows, err := q.QueryContext(ctx, `SELECT op_id, device_id, hlc, payload FROM ops WHERE entity_id = ? AND kind = ?`, lead, string(capture.OpLeadWithdraw))
	if err != nil {
		return fmt.Errorf("read withdrawals: %w", err)
	}
	for rows.Next() {
		var id string
		var stamp capture.Stamp
		var h int64
		var sealed []byte
		if err := rows.Scan(&id, &stamp.Device, &h, &sealed); err != nil {
			rows.Close()
			return err
		}
		stamp.HLC = capture.HLC(h)
		var w capture.Withdrawal
		if err := openJSON(sealed, &w); err != nil {
			rows.Close()
			return fmt.Errorf("withdrawal of %s: %w", lead, err)
		}
		for _, ch := range w.Channels {
			st.AddWithdrawal(lead, capture.Revoke{Channel: ch, Evidence: id, Stamp: stamp})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := loadDetaches(ctx, q, st, `WHERE capture_id = ?`, lead); err != nil {
		return err
	}
	if d, ok := st.Detaches[lead]; ok {
		return loadWithdrawals(ctx, q, st, d.From, seen)
	}
	return nil
}

// loadCorrections gives st the corrections of a lead, from the op log.
func loadCorrections(ctx context.Context, q querier, st *capture.State, lead string) error {
	rows, err := q.QueryContext(ctx, `SELECT device_id, hlc, payload FROM ops WHERE entity_id = ? AND kind = ?`, lead, string(capture.OpLeadCorrect))
	if err != nil {
		return fmt.Errorf("read corrections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st0 capture.Stamp
		var h int64
		var sealed []byte
		if err := rows.Scan(&st0.Device, &h, &sealed); err != nil {
			return err
		}
		st0.HLC = capture.HLC(h)
		var c capture.Correction
		if err := openJSON(sealed, &c); err != nil {
			return fmt.Errorf("correction of %s: %w", lead, err)
		}
		st.AddCorrection(lead, c.Fields, st0)
	}
	return rows.Err()
}

func saveLead(ctx context.Context, tx *sql.Tx, l *capture.Lead) error {
	personal, err := sealJSON(l.Person)
	if err != nil {
		return err
	}
	rest := *l
	rest.Person = capture.Person{}
	state, err := json.Marshal(rest)
	if err != nil {
		return err
	}
	k := keysOf(l.Person)
	erased := 0
	if l.Erased != nil {
		erased = 1
	}
	lastSeen := ""
	if !l.LastSeen.IsZero() {
		lastSeen = l.LastSeen.UTC().Format(time.RFC3339Nano)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO leads (id, personal, email_key, phone_key, mobile_key, name_company_key, reading_company_key, search, state, erased, last_seen, perms, rating,
			sort_name, sort_company, sort_title, sort_email, allowed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET personal = excluded.personal, email_key = excluded.email_key, phone_key = excluded.phone_key,
			mobile_key = excluded.mobile_key, name_company_key = excluded.name_company_key, reading_company_key = excluded.reading_company_key,
			search = excluded.search, state = excluded.state, erased = excluded.erased, last_seen = excluded.last_seen, perms = excluded.perms, rating = excluded.rating,
			sort_name = excluded.sort_name, sort_company = excluded.sort_company, sort_title = excluded.sort_title, sort_email = excluded.sort_email, allowed = excluded.allowed`,
		l.ID, personal, k.Email, k.Phone, k.Mobile, k.NameCompany, k.ReadingCompany, k.Search, string(state), erased, lastSeen, l.PermissionSummary(), string(l.Rating),
		k.SortName, k.SortCompany, k.SortTitle, k.SortEmail, allowedBits(l))
	if err != nil {
		return fmt.Errorf("save lead: %w", err)
	}
	return nil
}

// saveCapture inserts a capture, or rewrites its personal part (only an erasure does that:
// the evidence itself is never updated) and its lead (only a detach changes that).
func saveCapture(ctx context.Context, tx *sql.Tx, c *capture.Capture) error {
	personal, err := sealJSON(capturePersonal{Person: c.Person, Answers: c.Answers, Note: c.Note})
	if err != nil {
		return err
	}
	rest := *c
	rest.Person, rest.Answers, rest.Note = capture.Person{}, nil, ""
	evidence, err := json.Marshal(rest)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO captures (id, lead_id, event_id, hlc, at, day, staff, source, evidence, personal)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET personal = excluded.personal, lead_id = excluded.lead_id`,
		c.ID, c.LeadID, c.EventID, int64(c.Stamp.HLC), c.At.Format(time.RFC3339Nano), c.At.Format(capture.DateLayout),
		c.Staff, string(c.Source), string(evidence), personal)
	if err != nil {
		return fmt.Errorf("save capture: %w", err)
	}
	return nil
}

func loadOrg(ctx context.Context, q querier, st *capture.State) error {
	var body, stamp string
	err := q.QueryRowContext(ctx, `SELECT body, stamp FROM org WHERE id = 1`).Scan(&body, &stamp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	st.Org = new(capture.Org)
	if err := json.Unmarshal([]byte(body), st.Org); err != nil {
		return err
	}
	return json.Unmarshal([]byte(stamp), &st.OrgStamp)
}

// loadEvent loads one event, or all when id is "".
func loadEvent(ctx context.Context, q querier, st *capture.State, id string) error {
	return loadStamped(ctx, q, "events", id, func(e *capture.Event, s capture.Stamp) {
		st.Events[e.ID], st.EventStamps[e.ID] = e, s
	})
}

// loadStaff loads one staff member, or all when id is "".
func loadStaff(ctx context.Context, q querier, st *capture.State, id string) error {
	return loadStamped(ctx, q, "staff", id, func(m *capture.Staff, s capture.Stamp) {
		st.Staff[m.ID], st.StaffStamps[m.ID] = m, s
	})
}

// loadStamped reads the rows of a last-writer-wins table (body and stamp), one by id or
// all when id is "", and hands each to put.
func loadStamped[T any](ctx context.Context, q querier, table, id string, put func(*T, capture.Stamp)) error {
	rows, err := q.QueryContext(ctx, `SELECT body, stamp FROM `+table+` WHERE id = ? OR ? = ''`, id, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var body, stamp string
		if err := rows.Scan(&body, &stamp); err != nil {
			return err
		}
		v := new(T)
		var s capture.Stamp
		if err := errors.Join(json.Unmarshal([]byte(body), v), json.Unmarshal([]byte(stamp), &s)); err != nil {
			return err
		}
		put(v, s)
	}
	return rows.Err()
}

func loadExports(ctx context.Context, q querier, st *capture.State, where string, args ...any) error {
	return loadBodies(ctx, q, "exports", where+" ORDER BY at", args, func(_ string, r *capture.ExportRecord) { st.Exports[r.ID] = r })
}

// loadBodies reads the JSON bodies of a table's rows (id, body) and hands each to put.
func loadBodies[T any](ctx context.Context, q querier, table, where string, args []any, put func(id string, v *T)) error {
	idCol := "id"
	if table == "suppressions" {
		idCol = "key"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+idCol+`, body FROM `+table+` `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(body), v); err != nil {
			return fmt.Errorf("decode %s %s: %w", table, id, err)
		}
		put(id, v)
	}
	return rows.Err()
}

func loadMerges(ctx context.Context, q querier, st *capture.State, where string, args ...any) error {
	return loadBodies(ctx, q, "merges", where, args, func(_ string, m *capture.MergeRecord) { st.Merges[m.ID] = m })
}

func loadLinks(ctx context.Context, q querier, st *capture.State, where string, args ...any) error {
	return loadBodies(ctx, q, "links", where, args, func(id string, k *capture.Link) { st.Links[id] = k })
}

// refreshCombined rewrites the summary columns of a kept lead with what it shows combined
// with the leads merged into it, so that lists and exports see the merge.
func (s *Store) refreshCombined(ctx context.Context, q querier, keep string) error {
	l, err := s.combined(ctx, q, keep)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE leads SET perms = ?, rating = ?, last_seen = ?, allowed = ? WHERE id = ?`,
		l.PermissionSummary(), string(l.Rating), l.LastSeen.UTC().Format(time.RFC3339Nano), allowedBits(&l), keep)
	return err
}

// combined is a lead as shown: combined with every lead of its active merges, oldest merge first.
func (s *Store) combined(ctx context.Context, q querier, id string) (capture.Lead, error) {
	return s.combinedVisiting(ctx, q, id, map[string]bool{})
}

// combinedVisiting is combined that never visits a lead twice: merges are refused when they
// would make a cycle, but a log written before that rule may hold one, and showing a lead
// must never recurse for ever.
func (s *Store) combinedVisiting(ctx context.Context, q querier, id string, visited map[string]bool) (capture.Lead, error) {
	visited[id] = true
	l, err := s.lead(ctx, q, id)
	if err != nil {
		return l, err
	}
	st := capture.NewState()
	if err := loadMerges(ctx, q, st, `WHERE keep = ? AND undone = 0`, id); err != nil {
		return l, err
	}
	merges := make([]*capture.MergeRecord, 0, len(st.Merges))
	for _, m := range st.Merges {
		merges = append(merges, m)
	}
	slices.SortFunc(merges, func(a, b *capture.MergeRecord) int {
		if c := a.Stamp.Compare(b.Stamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, m := range merges {
		var others []capture.Lead
		for _, o := range m.Others {
			if visited[o] {
				continue
			}
			ol, err := s.combinedVisiting(ctx, q, o, visited) // a lead merged earlier into one merged now
			if errors.Is(err, capture.ErrNotFound) {
				continue // a lead this device may not see (another event's): shown without it
			}
			if err != nil {
				return l, err
			}
			others = append(others, ol)
		}
		l = capture.Combine(l, others, *m)
	}
	return l, nil
}

const leadColumns = `id, personal, state`

func scanLead(sc interface{ Scan(...any) error }) (*capture.Lead, error) {
	return scanLeadState(sc, true)
}

// scanLeadState reads a lead row; withStamps false skips decoding the per-field stamps,
// which only applying an op needs (lists of many leads are faster without them).
func scanLeadState(sc interface{ Scan(...any) error }, withStamps bool) (*capture.Lead, error) {
	var id, state string
	var personal []byte
	if err := sc.Scan(&id, &personal, &state); err != nil {
		return nil, err
	}
	l := new(capture.Lead)
	var err error
	if withStamps {
		err = json.Unmarshal([]byte(state), l)
	} else {
		// The outer field shadows the embedded one, so the stamps stay undecoded bytes.
		err = json.Unmarshal([]byte(state), &struct {
			*capture.Lead
			FieldStamps json.RawMessage `json:"field_stamps"`
		}{Lead: l})
	}
	if err != nil {
		return nil, fmt.Errorf("decode lead %s: %w", id, err)
	}
	if err := openJSON(personal, &l.Person); err != nil {
		return nil, fmt.Errorf("lead %s: %w", id, err)
	}
	return l, nil
}

func loadLead(ctx context.Context, q querier, st *capture.State, id string) error {
	l, err := scanLead(q.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	st.Leads[l.ID] = l
	return nil
}

const captureColumns = `evidence, personal, lead_id, hlc`

func scanCapture(sc interface{ Scan(...any) error }) (*capture.Capture, error) {
	var evidence, lead string
	var personal []byte
	var h int64
	if err := sc.Scan(&evidence, &personal, &lead, &h); err != nil {
		return nil, err
	}
	c := new(capture.Capture)
	if err := json.Unmarshal([]byte(evidence), c); err != nil {
		return nil, fmt.Errorf("decode capture: %w", err)
	}
	// The evidence names the lead the capture was first attached to; a detach moves it.
	c.LeadID, c.Stamp = lead, capture.Stamp{HLC: capture.HLC(h), Device: c.DeviceID}
	var p capturePersonal
	if err := openJSON(personal, &p); err != nil {
		return nil, fmt.Errorf("capture %s: %w", c.ID, err)
	}
	c.Person, c.Answers, c.Note = p.Person, p.Answers, p.Note
	return c, nil
}

func loadCaptures(ctx context.Context, q querier, st *capture.State, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT `+captureColumns+` FROM captures `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCapture(rows)
		if err != nil {
			return err
		}
		st.Captures[c.ID] = c
	}
	return rows.Err()
}
