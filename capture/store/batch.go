package store

import (
	"context"
	"slices"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
)

// MergeClusters merges, in one transaction, every cluster of the matcher whose weakest
// link scores at least minScore: each keeps its most recently seen lead. The merges share a
// batch id, so that UnmergeBatch takes them all back at once. It returns the batch id and
// the merges (none, and no batch, when no cluster qualifies).
func (s *Store) MergeClusters(ctx context.Context, clusters []match.Cluster, minScore float64, reason string) (string, []capture.MergeRecord, error) {
	batch := capture.NewID()
	var merges []capture.MergeRecord
	var ops []capture.Op
	for _, c := range clusters {
		if c.Score < minScore || len(c.Leads) < 2 {
			continue
		}
		keep, err := s.newest(ctx, c.Leads)
		if err != nil {
			return "", nil, err
		}
		m := capture.MergeRecord{ID: capture.NewID(), Keep: keep, Reason: reason, Batch: batch,
			Others: slices.DeleteFunc(slices.Clone(c.Leads), func(id string) bool { return id == keep })}
		op, err := s.mergeOp(ctx, m)
		if err != nil {
			return "", nil, err
		}
		merges, ops = append(merges, m), append(ops, op)
	}
	if len(ops) == 0 {
		return "", nil, nil
	}
	return batch, merges, s.commit(ctx, ops, nil)
}

// newest returns the most recently seen of leads.
func (s *Store) newest(ctx context.Context, leads []string) (string, error) {
	var best capture.Lead
	for _, id := range leads {
		l, err := s.Lead(ctx, id)
		if err != nil {
			return "", err
		}
		if best.ID == "" || l.LastSeen.After(best.LastSeen) {
			best = l
		}
	}
	return best.ID, nil
}

// UnmergeBatch undoes, in one transaction, every merge of a batch that still stands, and
// returns how many it undid.
func (s *Store) UnmergeBatch(ctx context.Context, batch string) (int, error) {
	history, err := s.MergeHistory(ctx)
	if err != nil {
		return 0, err
	}
	var ops []capture.Op
	found := false
	for _, m := range history {
		if m.Batch != batch {
			continue
		}
		found = true
		if m.Undone {
			continue
		}
		op, err := s.newOp(capture.OpLeadUnmerge, m.ID, capture.Unmerge{MergeID: m.ID})
		if err != nil {
			return 0, err
		}
		ops = append(ops, op)
	}
	switch {
	case !found:
		return 0, capture.Invalid("batch", "not_found", batch)
	case len(ops) == 0:
		return 0, capture.Invalid("batch", "merge_undone", batch)
	}
	return len(ops), s.commit(ctx, ops, nil)
}

// MergeHistory lists every merge held, the newest first, undone ones included.
func (s *Store) MergeHistory(ctx context.Context) ([]capture.MergeRecord, error) {
	st := capture.NewState()
	if err := loadMerges(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	out := make([]capture.MergeRecord, 0, len(st.Merges))
	for _, m := range st.Merges {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b capture.MergeRecord) int { return b.Stamp.Compare(a.Stamp) })
	return out, nil
}
