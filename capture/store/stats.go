package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/boothledger/boothledger/capture"
)

// StatsQuery chooses the captures the figures are about.
type StatsQuery struct {
	EventID string // "" for every event
	Day     string // one local date (2026-11-25 or as capture.ParseDate reads it), "" for every day
}

// Stats are the figures the dashboard draws and boothctl stats prints, so both show the
// same numbers. Every figure counts captures; an empty key counts those with no staff
// member or no rating. Imports are captures too: BySource tells them apart.
type Stats struct {
	Captures int            `json:"captures"`
	ByStaff  map[string]int `json:"by_staff"`
	ByHour   map[string]int `json:"by_hour"` // the hour of the capturing device's clock, "09"
	ByDay    map[string]int `json:"by_day"`
	BySource map[string]int `json:"by_source"`
	ByRating map[string]int `json:"by_rating"`
	// Consent counts the captures that record each kind of consent (every kind listed).
	Consent map[string]int `json:"consent"`
	// PendingDuplicates is the number of pairs waiting in 名寄せ among the event's leads
	// (every lead for all events), whatever the day.
	PendingDuplicates int `json:"pending_duplicates"`
}

// Share is the part of the captures that record consent of kind k, from 0 to 1.
func (st Stats) Share(k capture.ConsentKind) float64 {
	if st.Captures == 0 {
		return 0
	}
	return float64(st.Consent[string(k)]) / float64(st.Captures)
}

// Stats counts the captures q chooses by staff, hour, day, source, rating and consent, and
// the duplicates waiting to be reviewed.
func (s *Store) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	if q.Day != "" {
		day, ok := capture.ParseDate(q.Day)
		if !ok {
			return Stats{}, capture.Invalid("day", "date")
		}
		q.Day = day
	}
	if q.EventID != "" {
		if _, err := s.Event(ctx, q.EventID); errors.Is(err, capture.ErrNotFound) {
			return Stats{}, capture.Invalid("event", "not_found", q.EventID)
		} else if err != nil {
			return Stats{}, err
		}
	}
	st := Stats{ByStaff: map[string]int{}, ByHour: map[string]int{}, ByDay: map[string]int{},
		BySource: map[string]int{}, ByRating: map[string]int{}, Consent: map[string]int{}}
	const where = `(?1 = '' OR event_id = ?1) AND (?2 = '' OR day = ?2)`
	// One pass groups by every dimension at once; the maps add the groups up.
	rows, err := s.read.QueryContext(ctx, `SELECT staff, substr(at, 12, 2), day, source,
		coalesce(json_extract(evidence, '$.rating'), ''), count(*) FROM captures
		WHERE `+where+` GROUP BY 1, 2, 3, 4, 5`, q.EventID, q.Day)
	if err != nil {
		return st, fmt.Errorf("count captures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var staff, hour, day, source, rating string
		var n int
		if err := rows.Scan(&staff, &hour, &day, &source, &rating, &n); err != nil {
			return st, fmt.Errorf("count captures: %w", err)
		}
		st.Captures += n
		st.ByStaff[staff] += n
		st.ByHour[hour] += n
		st.ByDay[day] += n
		st.BySource[source] += n
		st.ByRating[rating] += n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("count captures: %w", err)
	}
	for _, k := range capture.ConsentKinds {
		st.Consent[string(k)] = 0
	}
	rows, err = s.read.QueryContext(ctx, `SELECT json_extract(j.value, '$.kind'), count(DISTINCT captures.id)
		FROM captures, json_each(evidence, '$.consents') j WHERE `+where+` GROUP BY 1`, q.EventID, q.Day)
	if err != nil {
		return st, fmt.Errorf("count consents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return st, fmt.Errorf("count consents: %w", err)
		}
		st.Consent[kind] = n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("count consents: %w", err)
	}
	d, err := s.Duplicates(ctx, q.EventID)
	if err != nil {
		return st, fmt.Errorf("count duplicates: %w", err)
	}
	st.PendingDuplicates = len(d.Pairs)
	return st, nil
}

// LastSeq is the local op log's last sequence number: every change to the store, made here
// or pulled by sync, is an op, so figures counted at one number are current while it holds.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM ops`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read op log: %w", err)
	}
	return n, nil
}
