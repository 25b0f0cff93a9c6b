package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
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
	above := f.Float64("merge-above", 0, "merge every cluster scoring at least this, in one batch (undo: unmerge --batch ID)")
	reason := f.String("reason", "一括統合", "why (kept with each merge)")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.Duplicates(ctx, *event)
	if err != nil {
		return err
	}
	if *above > 0 {
		batch, merged, err := s.MergeClusters(ctx, d.Clusters, *above, *reason)
		if err != nil {
			return err
		}
		if f.json {
			return m.printJSON(map[string]any{"batch": batch, "merges": len(merged)})
		}
		m.say("%d cluster(s) merged in batch %s", len(merged), batch)
		return nil
	}
	names := map[string]string{}
	for id, l := range d.Leads {
		names[id] = l.Person.Name + " (" + l.Person.Company + ")"
	}
	clusters := d.Clusters
	proposals := []proposalJSON{}
	for _, p := range d.Proposals() {
		proposals = append(proposals, proposalJSON{Leads: []string{p.A, p.B}, Score: p.Score, Reasons: p.Reasons})
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
	m.say("%d leads, %d clusters to merge, %d pairs to review", len(d.Leads), len(clusters), len(proposals))
	return nil
}

func (m *Main) mergeLeads(ctx context.Context, args []string) error {
	f := newFlags("merge")
	keep := f.String("keep", "", "the lead to keep (default: the first given)")
	reason := f.String("reason", "", "why (kept with the merge)")
	var set multi
	f.Var(&set, "set", "field=value to show instead of the newest value (repeat)")
	ids, err := f.parse(args, -1)
	if err != nil {
		return err
	}
	if len(ids) < 2 {
		return usagef("merge takes two or more lead ids")
	}
	k := *keep
	if k == "" {
		k = ids[0]
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	fields := map[string]string{}
	for _, kv := range set {
		name, value, ok := strings.Cut(kv, "=")
		var p capture.Person
		if !ok || p.Field(name) == nil {
			return capture.Invalid("set", "one_of", strings.Join(capture.PersonFields, ", "))
		}
		*p.Field(name) = value
		clean, err := p.Clean(false)
		if err != nil {
			return err
		}
		fields[name] = *clean.Field(name)
	}
	rec, err := s.MergeLeads(ctx, k, slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == k }), fields, *reason)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"id": rec.ID, "keep": rec.Keep, "others": rec.Others})
	}
	m.say("%s", rec.ID)
	return nil
}

func (m *Main) unmerge(ctx context.Context, args []string) error {
	f := newFlags("unmerge")
	batch := f.String("batch", "", "undo every merge of this bulk merge")
	pos, s, err := f.parseOpen(args, -1)
	if err != nil {
		return err
	}
	defer s.Close()
	if (*batch == "") == (len(pos) != 1) {
		return usagef("unmerge takes one MERGE_ID, or --batch ID")
	}
	if *batch != "" {
		n, err := s.UnmergeBatch(ctx, *batch)
		if err != nil {
			return err
		}
		m.say("%d merge(s) of batch %s undone", n, *batch)
		return nil
	}
	if err := s.Unmerge(ctx, pos[0]); err != nil {
		return err
	}
	m.say("%s undone", pos[0])
	return nil
}

// purge lists the stale part of the house list (no capture since DATE) for review, and
// without --dry-run erases it.
func (m *Main) purge(ctx context.Context, args []string) error {
	f := newFlags("purge")
	since := f.String("not-captured-since", "", "leads last captured before this date (YYYY-MM-DD)")
	dryRun := f.Bool("dry-run", false, "list, erase nothing")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	cut, err := time.ParseInLocation(capture.DateLayout, *since, time.Local)
	if err != nil {
		return capture.Invalid("not-captured-since", "date")
	}
	leads, err := s.Leads(ctx, store.LeadQuery{Listing: true})
	if err != nil {
		return err
	}
	var stale []map[string]any
	for _, l := range leads {
		if l.LastSeen.IsZero() || !l.LastSeen.Before(cut) {
			continue
		}
		entry := map[string]any{"lead_id": l.ID, "name": l.Person.Name, "company": l.Person.Company, "last_seen": l.LastSeen}
		if !*dryRun {
			if _, err := s.Erase(ctx, l.ID, fmt.Sprintf("purge: not captured since %s", *since)); err != nil {
				return err
			}
			entry["erased"] = true
		}
		stale = append(stale, entry)
	}
	if f.json {
		if stale == nil {
			stale = []map[string]any{}
		}
		return m.printJSON(map[string]any{"leads": stale, "erased": !*dryRun})
	}
	for _, e := range stale {
		m.say("%s  %s  %s  last captured %s", e["lead_id"], e["name"], e["company"], e["last_seen"].(time.Time).Local().Format("2006-01-02"))
	}
	verb := "would be erased (dry run)"
	if !*dryRun {
		verb = "erased"
	}
	m.say("%d lead(s) not captured since %s %s", len(stale), *since, verb)
	return nil
}
