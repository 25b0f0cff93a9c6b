package main

import (
	"context"
	"strings"

	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/store"
)

// proposalJSON is a pair to review rather than merge: the same person at another company.
type proposalJSON struct {
	Leads   []string `json:"leads"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

func (m *Main) dedup(ctx context.Context, args []string) error {
	f := newFlags("dedup")
	event := f.String("event", "", "only leads captured at this event")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	leads, err := s.Leads(ctx, store.LeadQuery{EventID: *event, Listing: true})
	if err != nil {
		return err
	}
	recs := make([]match.Record, len(leads))
	names := map[string]string{}
	for i, l := range leads {
		recs[i] = match.Record{ID: l.ID, Person: l.Person}
		names[l.ID] = l.Person.Name + " (" + l.Person.Company + ")"
	}
	pairs := match.New(recs).Pairs()
	clusters := match.Clusters(pairs)
	proposals := []proposalJSON{}
	for _, p := range pairs {
		if p.Decision == match.Propose {
			proposals = append(proposals, proposalJSON{Leads: []string{p.A, p.B}, Score: p.Score, Reasons: p.Reasons})
		}
	}
	if f.json {
		return m.printJSON(map[string]any{"clusters": clusters, "proposals": proposals})
	}
	for _, c := range clusters {
		var who []string
		for _, id := range c.Leads {
			who = append(who, names[id])
		}
		m.say("merge %.2f [%s]: %s", c.Score, strings.Join(c.Reasons, ","), strings.Join(who, " = "))
	}
	for _, p := range proposals {
		m.say("review %.2f [%s]: %s / %s", p.Score, strings.Join(p.Reasons, ","), names[p.Leads[0]], names[p.Leads[1]])
	}
	m.say("%d leads, %d clusters to merge, %d pairs to review", len(leads), len(clusters), len(proposals))
	return nil
}
