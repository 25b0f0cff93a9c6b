package main

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/boothledger/boothledger/capture/store"
)

// stats prints the dashboard's figures: the store computes them for both.
func (m *Main) stats(ctx context.Context, args []string) error {
	f := newFlags("stats")
	var q store.StatsQuery
	f.StringVar(&q.EventID, "event", "", "only captures of this event")
	f.StringVar(&q.Day, "day", "", "only captures of this date (YYYY-MM-DD)")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Stats(ctx, q)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(st)
	}
	m.say("captures: %d", st.Captures)
	for _, g := range []struct {
		name   string
		counts map[string]int
		byKey  bool // in key order (hours, days), else most first
	}{
		{"by staff", st.ByStaff, false}, {"by hour", st.ByHour, true}, {"by day", st.ByDay, true},
		{"by source", st.BySource, false}, {"by rating", st.ByRating, true}, {"consent", st.Consent, false},
	} {
		m.say("%s:", g.name)
		keys := slices.Sorted(maps.Keys(g.counts))
		if !g.byKey {
			slices.SortStableFunc(keys, func(a, b string) int { return cmp.Compare(g.counts[b], g.counts[a]) })
		}
		for _, k := range keys {
			name := k
			if k == "" {
				name = "(none)"
			}
			m.say("  %6d  %s", g.counts[k], name) // the figure first: names differ in width
		}
	}
	m.say("pending duplicates: %d", st.PendingDuplicates)
	return nil
}
