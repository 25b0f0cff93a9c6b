package capture

import (
	"slices"
	"strings"
)

// MergeRecord says which leads were merged into which. Merging changes no lead and no
// capture: the kept lead is shown combined with the others while the merge stands, and
// undoing it (Undone) shows each lead exactly as it was.
type MergeRecord struct {
	ID     string            `json:"id"`
	Keep   string            `json:"keep"`
	Others []string          `json:"others"`
	Fields map[string]string `json:"fields,omitempty"` // values staff chose, overriding the newest
	Reason string            `json:"reason,omitempty"`
	// Batch names the bulk merge this merge was one of, undone together.
	Batch  string `json:"batch,omitempty"`
	Stamp  Stamp  `json:"stamp"`
	Undone bool   `json:"undone,omitempty"`
}

// Unmerge undoes a merge.
type Unmerge struct {
	MergeID string `json:"merge_id"`
}

// Relations between two leads that 名寄せ must not merge.
const (
	RelationConcurrent = "concurrent" // one person with posts at two companies (兼務): linked, kept apart
	RelationDistinct   = "distinct"   // two people: keep apart
)

// Link records a decision about two leads the matcher proposed.
type Link struct {
	Leads    []string `json:"leads"`
	Relation string   `json:"relation"`
	Stamp    Stamp    `json:"stamp"`
}

// LinkKey identifies the link of two leads, whichever way round they are given.
func LinkKey(a, b string) string { return min(a, b) + "+" + max(a, b) }

// Combine shows a kept lead merged with others: every capture, consent and withdrawal of
// all of them; each field from the newest write on any side unless staff chose its value;
// and a withdrawal or opt-out on any side wins over consent given before the merge.
func Combine(keep Lead, others []Lead, m MergeRecord) Lead {
	out := keep
	out.Person, out.FieldStamps = keep.Person, map[string]Stamp{}
	for k, v := range keep.FieldStamps {
		out.FieldStamps[k] = v
	}
	out.Grants = slices.Clone(keep.Grants)
	out.Revokes = slices.Clone(keep.Revokes)
	withdrawn := map[Channel]bool{}
	for _, l := range append([]Lead{keep}, others...) {
		for _, p := range l.Permissions() {
			if p.Basis == BasisWithdrawn {
				withdrawn[p.Channel] = true
			}
		}
	}
	for _, o := range others {
		for f, st := range o.FieldStamps {
			if f == "rating" {
				out.setField(f, string(o.Rating), st)
			} else if ptr := o.Person.Field(f); ptr != nil {
				out.setField(f, *ptr, st)
			}
		}
		out.Grants = append(out.Grants, o.Grants...)
		out.Revokes = append(out.Revokes, o.Revokes...)
		out.Captures += o.Captures
		if !o.FirstSeen.IsZero() && (out.FirstSeen.IsZero() || o.FirstSeen.Before(out.FirstSeen)) {
			out.FirstSeen = o.FirstSeen
		}
		if o.LastSeen.After(out.LastSeen) {
			out.LastSeen = o.LastSeen
		}
	}
	for f, v := range m.Fields {
		if ptr := out.Person.Field(f); ptr != nil {
			*ptr = v
		}
	}
	for _, ch := range Channels {
		if withdrawn[ch] {
			out.Revokes = append(out.Revokes, Revoke{Channel: ch, Reason: "withdrawn before the merge", Evidence: m.ID, Stamp: m.Stamp})
		}
	}
	slices.SortFunc(out.Grants, func(a, b Grant) int {
		return strings.Compare(string(a.Channel)+a.Evidence, string(b.Channel)+b.Evidence)
	})
	out.summary = nil
	return out
}
