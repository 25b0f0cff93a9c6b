package main

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// retentionRun erases what the company may no longer keep (APPI Art.22).
func (m *Main) retentionRun(ctx context.Context, args []string) error {
	f := newFlags("retention run")
	dryRun := f.Bool("dry-run", false, "list, erase nothing")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	due, err := s.RunRetention(ctx, time.Now(), *dryRun)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"leads": nonNil(due), "erased": !*dryRun})
	}
	m.printExpiries(ctx, s, due)
	verb := "erased"
	if *dryRun {
		verb = "would be erased (dry run)"
	}
	m.say("%d lead(s) past their retention %s", len(due), verb)
	return nil
}

// retentionList shows what expires soon, so that a manager can act before it goes.
func (m *Main) retentionList(ctx context.Context, args []string) error {
	f := newFlags("retention list")
	within := f.Int("within", 30, "days ahead")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	if *within < 0 {
		return capture.Invalid("within", "one_of", "0, 1, 2, ...")
	}
	soon, err := s.Expiries(ctx, time.Now().AddDate(0, 0, *within))
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"leads": nonNil(soon), "within_days": *within})
	}
	m.printExpiries(ctx, s, soon)
	m.say("%d lead(s) expire within %d day(s)", len(soon), *within)
	return nil
}

func (m *Main) printExpiries(ctx context.Context, s *store.Store, list []capture.Expiry) {
	names := map[string]string{}
	if events, err := s.Events(ctx); err == nil {
		for _, e := range events {
			names[e.ID] = e.Name
		}
	}
	for _, e := range list {
		at := make([]string, len(e.Events))
		for i, id := range e.Events {
			at[i] = cmp.Or(names[id], id)
		}
		m.say("%s  %s  %s  until %s  (%s)", e.LeadID, e.Name, e.Company, e.Until.Local().Format(capture.DateLayout), strings.Join(at, "、"))
	}
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
