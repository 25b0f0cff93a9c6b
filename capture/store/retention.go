package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// longerThan reports whether the event's retention override would keep data longer than the
// notice told people (measured from the same day).
func longerThan(event, notice string) bool {
	e, ok := capture.ParseRetention(event)
	if !ok {
		return false
	}
	n, ok := capture.ParseRetention(notice)
	if !ok {
		return false // the notice names no length; the event's is the first concrete one
	}
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	return e.After(day).After(n.After(day))
}

// periods returns each event's retention period: the event's own, else its notice's. Events
// whose period names no length are left out, and their leads are never erased automatically.
func (s *Store) periods(ctx context.Context) (map[string]capture.Period, error) {
	events, err := s.Events(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]capture.Period{}
	for _, e := range events {
		text := e.Retention
		if text == "" {
			n, err := s.Notice(ctx, e.NoticeID)
			if err != nil {
				return nil, fmt.Errorf("notice of event %s: %w", e.ID, err)
			}
			text = n.Retention
		}
		if p, ok := capture.ParseRetention(text); ok {
			out[e.ID] = p
		}
	}
	return out, nil
}

// Expiries returns the live leads whose retention ends by before, soonest first. A lead with
// any capture at an event without a readable period is left out: nobody can say when it ends.
func (s *Store) Expiries(ctx context.Context, before time.Time) ([]capture.Expiry, error) {
	periods, err := s.periods(ctx)
	if err != nil {
		return nil, err
	}
	owner := map[string]string{} // merged-away lead -> the lead it lives on in
	rows, err := s.read.QueryContext(ctx, `SELECT id, merged_into FROM leads WHERE merged_into <> ''`)
	if err != nil {
		return nil, fmt.Errorf("read merges: %w", err)
	}
	for rows.Next() {
		var id, into string
		if err := rows.Scan(&id, &into); err != nil {
			rows.Close()
			return nil, err
		}
		owner[id] = into
	}
	rows.Close()
	ownerOf := func(id string) string {
		for i := 0; i < 64 && owner[id] != ""; i++ { // merges chain; the bound guards a bad log
			id = owner[id]
		}
		return id
	}

	type span struct {
		until   time.Time
		longest capture.Period
		unknown bool
		events  []string
	}
	spans := map[string]*span{}
	get := func(id string) *span {
		if spans[id] == nil {
			spans[id] = &span{}
		}
		return spans[id]
	}
	rows, err = s.read.QueryContext(ctx, `SELECT lead_id, event_id, at FROM captures`)
	if err != nil {
		return nil, fmt.Errorf("read captures: %w", err)
	}
	for rows.Next() {
		var lead, event, at string
		if err := rows.Scan(&lead, &event, &at); err != nil {
			rows.Close()
			return nil, err
		}
		sp := get(ownerOf(lead))
		if !slices.Contains(sp.events, event) {
			sp.events = append(sp.events, event)
		}
		p, ok := periods[event]
		t, err := time.Parse(time.RFC3339Nano, at)
		if !ok || err != nil {
			sp.unknown = true
			continue
		}
		if end := p.After(t); end.After(sp.until) {
			sp.until = end
		}
		// The longest period restarts from a correction.
		if day := time.Unix(0, 0); p.After(day).After(sp.longest.After(day)) {
			sp.longest = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// A correction is later activity: the person's data was in use, so the clock restarts.
	rows, err = s.read.QueryContext(ctx, `SELECT entity_id, MAX(hlc) FROM ops WHERE kind = ? GROUP BY entity_id`, capture.OpLeadCorrect)
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	lastCorrected := map[string]time.Time{}
	for rows.Next() {
		var lead string
		var hlc capture.HLC
		if err := rows.Scan(&lead, &hlc); err != nil {
			rows.Close()
			return nil, err
		}
		id := ownerOf(lead)
		// A clock reading is a device's word, not a date: one from the future must not keep
		// the data for ever, so no correction counts as later than now.
		t := hlc.Time()
		if now := s.now(); t.After(now) {
			t = now
		}
		if t.After(lastCorrected[id]) {
			lastCorrected[id] = t
		}
	}
	rows.Close()

	live, err := s.strings(ctx, `SELECT id FROM leads WHERE erased = 0 AND merged_into = ''`)
	if err != nil {
		return nil, err
	}
	var out []capture.Expiry
	for _, id := range live {
		sp := spans[id]
		if sp == nil || sp.unknown || sp.until.IsZero() {
			continue
		}
		until := sp.until
		if c, ok := lastCorrected[id]; ok {
			if end := sp.longest.After(c); end.After(until) {
				until = end
			}
		}
		if until.After(before) {
			continue
		}
		// Only the few that are due are read whole: reading every lead's personal data
		// would cost a second on 100,000 leads.
		l, err := s.Lead(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, capture.Expiry{LeadID: id, Name: l.Person.Name, Company: l.Person.Company, Until: until, Events: sp.events})
	}
	slices.SortFunc(out, func(a, b capture.Expiry) int {
		if c := a.Until.Compare(b.Until); c != 0 {
			return c
		}
		return strings.Compare(a.LeadID, b.LeadID)
	})
	return out, nil
}

// RunRetention erases every lead whose retention has ended at now (APPI Art.22) and returns
// them; with dryRun it only returns them. The persons are not suppressed: they objected to
// nothing, and may hand over a card again next year.
func (s *Store) RunRetention(ctx context.Context, now time.Time, dryRun bool) ([]capture.Expiry, error) {
	all, err := s.Expiries(ctx, now)
	if err != nil {
		return nil, err
	}
	var due []capture.Expiry
	for _, e := range all {
		if !dryRun {
			reason := fmt.Sprintf("retention: period ended %s", e.Until.Format(capture.DateLayout))
			if _, err := s.erase(ctx, e.LeadID, reason, false); err != nil {
				return due, fmt.Errorf("erase %s: %w", e.LeadID, err)
			}
		}
		due = append(due, e)
	}
	return due, nil
}

// metaRetentionRun is when RunRetentionDaily last ran, in RFC 3339.
const metaRetentionRun = "retention.last_run"

// RunRetentionDaily runs RunRetention when it has not run in the last 24 hours on this device,
// and reports whether it ran. The app calls it hourly, so a laptop that sleeps through the
// night still runs it the next morning.
func (s *Store) RunRetentionDaily(ctx context.Context, now time.Time) (ran bool, erased []capture.Expiry, err error) {
	if last, _ := s.Meta(ctx, metaRetentionRun); last != "" {
		if t, err := time.Parse(time.RFC3339, last); err == nil && now.Sub(t) < 24*time.Hour && !now.Before(t) {
			return false, nil, nil
		}
	}
	erased, err = s.RunRetention(ctx, now, false)
	if err != nil {
		return true, erased, err
	}
	return true, erased, s.SetMeta(ctx, metaRetentionRun, now.UTC().Format(time.RFC3339))
}
