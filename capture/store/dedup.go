package store

import (
	"context"
	"slices"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
)

// Duplicates is the 名寄せ report the app and boothctl both show: the matcher's pairs among
// the active leads, less those staff already decided about (兼務 or two people).
type Duplicates struct {
	Leads map[string]capture.Lead
	// Pairs are every pair with a decision, best first.
	Pairs []match.Pair
	// Clusters join the merge pairs into groups.
	Clusters []match.Cluster
}

// Proposals are the pairs to review rather than merge.
func (d Duplicates) Proposals() []match.Pair {
	return slices.DeleteFunc(slices.Clone(d.Pairs), func(p match.Pair) bool { return p.Decision != match.Propose })
}

// Duplicates runs the matcher over the active leads (of one event when eventID is set).
func (s *Store) Duplicates(ctx context.Context, eventID string) (Duplicates, error) {
	d := Duplicates{Leads: map[string]capture.Lead{}}
	leads, err := s.Leads(ctx, LeadQuery{EventID: eventID, Listing: true})
	if err != nil {
		return d, err
	}
	links, err := s.Links(ctx)
	if err != nil {
		return d, err
	}
	recs := make([]match.Record, len(leads))
	for i, l := range leads {
		d.Leads[l.ID] = l
		recs[i] = match.Record{ID: l.ID, Person: l.Person}
	}
	d.Pairs = slices.DeleteFunc(match.New(recs).Pairs(), func(p match.Pair) bool {
		_, decided := links[capture.LinkKey(p.A, p.B)]
		return decided
	})
	d.Clusters = match.Clusters(d.Pairs)
	return d, nil
}
