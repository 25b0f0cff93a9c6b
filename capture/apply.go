package capture

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Lead is a person as merged from one or more captures.
type Lead struct {
	ID     string `json:"id"`
	Person Person `json:"person"`
	Rating Rating `json:"rating,omitempty"`
	// FieldStamps records which write each field's value came from (last writer wins).
	FieldStamps map[string]Stamp `json:"field_stamps,omitempty"`
	Grants      []Grant          `json:"grants,omitempty"`
	Revokes     []Revoke         `json:"revokes,omitempty"`
	Erased      *ErasedMark      `json:"erased,omitempty"`
	Captures    int              `json:"captures"`
	FirstSeen   time.Time        `json:"first_seen"`
	LastSeen    time.Time        `json:"last_seen"`

	// summary, when set, stands in for Grants and Revokes: a lead read for a list
	// carries its derived permissions instead of its history (see PermissionSummary).
	summary []Permission
}

// ErasedMark is the minimal record kept of an erasure: when and why, nothing personal.
type ErasedMark struct {
	Stamp  Stamp  `json:"stamp"`
	Reason string `json:"reason"`
	// Spares are captures detached from the lead that the erasure left alone.
	Spares []string `json:"spares,omitempty"`
}

// Permissions derives each channel's state: a channel is allowed when a grant is newer than
// the latest withdrawal; the strongest such grant is the basis shown.
func (l *Lead) Permissions() []Permission {
	if l.summary != nil {
		return append([]Permission(nil), l.summary[:len(Channels)]...)
	}
	out := make([]Permission, 0, len(Channels))
	for _, ch := range Channels {
		var last *Revoke
		for i := range l.Revokes {
			if r := &l.Revokes[i]; r.Channel == ch && (last == nil || r.Stamp.After(last.Stamp)) {
				last = r
			}
		}
		var best *Grant
		for i := range l.Grants {
			g := &l.Grants[i]
			if g.Channel != ch || (last != nil && !g.Stamp.After(last.Stamp)) {
				continue
			}
			if best == nil || basisRank[g.Basis] > basisRank[best.Basis] ||
				basisRank[g.Basis] == basisRank[best.Basis] && g.Stamp.After(best.Stamp) {
				best = g
			}
		}
		p := Permission{Channel: ch, Basis: BasisNone}
		switch {
		case l.Erased != nil:
			p.Basis, p.Reason = BasisWithdrawn, "erased"
		case best != nil:
			p.Allowed, p.Basis, p.Evidence = true, best.Basis, best.Evidence
		case last != nil:
			p.Basis, p.Evidence, p.Reason = BasisWithdrawn, last.Evidence, last.Reason
		}
		out = append(out, p)
	}
	return out
}

// Permission returns the derived state of one channel.
func (l *Lead) Permission(ch Channel) Permission {
	if l.summary != nil {
		for _, p := range l.summary[:len(Channels)] {
			if p.Channel == ch {
				return p
			}
		}
	}
	for _, p := range l.Permissions() {
		if p.Channel == ch {
			return p
		}
	}
	return Permission{Channel: ch, Basis: BasisNone}
}

// LiveGrant reports whether the lead holds a grant of basis for ch newer than its latest
// withdrawal of ch (an opt-in still counts even where a business card is the basis shown).
func (l *Lead) LiveGrant(ch Channel, basis string) bool {
	if l.Erased != nil {
		return false
	}
	if l.summary != nil {
		return ch == ChannelEmailMarketing && basis == BasisOptIn && l.summary[len(Channels)].Allowed
	}
	var last Stamp
	for _, r := range l.Revokes {
		if r.Channel == ch && r.Stamp.After(last) {
			last = r.Stamp
		}
	}
	return slices.ContainsFunc(l.Grants, func(g Grant) bool { return g.Channel == ch && g.Basis == basis && g.Stamp.After(last) })
}

// PermissionSummary is the lead's derived permissions in a compact text the store keeps
// beside the lead: "1:basis" or "0:basis" per channel, then whether a live email opt-in is
// held, separated by semicolons.
func (l *Lead) PermissionSummary() string {
	parts := make([]string, 0, len(Channels)+1)
	for _, p := range l.Permissions() {
		flag := "0"
		if p.Allowed {
			flag = "1"
		}
		parts = append(parts, flag+":"+p.Basis)
	}
	optIn := "0"
	if l.LiveGrant(ChannelEmailMarketing, BasisOptIn) {
		optIn = "1"
	}
	return strings.Join(append(parts, optIn+":"+BasisOptIn), ";")
}

// UseSummary makes the lead answer permission questions from a PermissionSummary instead of
// its history; it reports false, changing nothing, for a summary it cannot read.
func (l *Lead) UseSummary(summary string) bool {
	parts := strings.Split(summary, ";")
	if len(parts) != len(Channels)+1 {
		return false
	}
	perms := make([]Permission, len(parts))
	for i, part := range parts {
		flag, basis, ok := strings.Cut(part, ":")
		if !ok {
			return false
		}
		ch := Channel("")
		if i < len(Channels) {
			ch = Channels[i]
		}
		perms[i] = Permission{Channel: ch, Allowed: flag == "1", Basis: basis}
	}
	l.summary = perms
	return true
}

// State is the result of applying ops: the whole of it in tests and replays, or just the
// entities one op touches when the store applies an op.
type State struct {
	Org      *Org                `json:"org,omitempty"`
	OrgStamp Stamp               `json:"org_stamp"`
	Notices  map[string]*Notice  `json:"notices"`
	Events   map[string]*Event   `json:"events"`
	Leads    map[string]*Lead    `json:"leads"`
	Captures map[string]*Capture `json:"captures"`
	// EventStamps records which write each event's current definition came from.
	EventStamps map[string]Stamp  `json:"event_stamps"`
	Staff       map[string]*Staff `json:"staff"`
	StaffStamps map[string]Stamp  `json:"staff_stamps"`
	// Exports are the audit and provision records; immutable once written.
	Exports map[string]*ExportRecord `json:"exports"`
	// Merges are 名寄せ decisions; an unmerge marks one undone, whichever arrives first.
	Merges map[string]*MergeRecord `json:"merges"`
	// Links are pairs staff decided to keep apart or to link as one person's two posts.
	Links map[string]*Link `json:"links"`
	// Suppressions are the keyed hashes of erased people, by key.
	Suppressions map[string]*Suppression `json:"suppressions"`
	// Requests are the audit records of individuals' requests.
	Requests map[string]*RequestRecord `json:"requests"`
	// Detaches are the captures taken out of the lead they were attached to, by capture.
	Detaches map[string]*Detach `json:"detaches"`
	// corrections are each lead's corrections, for rebuilding it after a detach.
	corrections map[string][]stampedFields
	// withdrawals are each lead's own withdrawals (without their reasons), kept through an
	// erasure, for the captures detached from it later.
	withdrawals map[string][]Revoke
}

// AddWithdrawal gives the state a withdrawal made on a lead, so that a capture detached from
// the lead later keeps it (the store loads them so).
func (s *State) AddWithdrawal(lead string, r Revoke) {
	if s.withdrawals == nil {
		s.withdrawals = map[string][]Revoke{}
	}
	r.Reason = ""
	if !slices.Contains(s.withdrawals[lead], r) {
		s.withdrawals[lead] = append(s.withdrawals[lead], r)
	}
}

// withdrawalsOf are the withdrawals that hold for a lead's captures: its own, and for a
// detached capture's lead those of the lead it left that were made before it left.
func (s *State) withdrawalsOf(lead string, seen map[string]bool) []Revoke {
	if seen[lead] {
		return nil // a log that loops
	}
	seen[lead] = true
	out := slices.Clone(s.withdrawals[lead])
	if d, ok := s.Detaches[lead]; ok {
		for _, r := range s.withdrawalsOf(d.From, seen) {
			if d.Stamp.After(r.Stamp) && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// stampedFields are the fields one correction set.
type stampedFields struct {
	fields map[string]string
	stamp  Stamp
}

// AddCorrection gives the state a correction already applied to a lead, so that a detach
// can rebuild the lead from its captures and corrections (the store loads them so).
func (s *State) AddCorrection(lead string, fields map[string]string, st Stamp) {
	if s.corrections == nil {
		s.corrections = map[string][]stampedFields{}
	}
	s.corrections[lead] = append(s.corrections[lead], stampedFields{fields, st})
}

// NewState returns an empty state.
func NewState() *State {
	return &State{
		Notices:      map[string]*Notice{},
		Events:       map[string]*Event{},
		Leads:        map[string]*Lead{},
		Captures:     map[string]*Capture{},
		EventStamps:  map[string]Stamp{},
		Staff:        map[string]*Staff{},
		StaffStamps:  map[string]Stamp{},
		Exports:      map[string]*ExportRecord{},
		Merges:       map[string]*MergeRecord{},
		Links:        map[string]*Link{},
		Suppressions: map[string]*Suppression{},
		Requests:     map[string]*RequestRecord{},
		Detaches:     map[string]*Detach{},
	}
}

// Replay applies ops to a new state.
func Replay(ops []Op) (*State, error) {
	s := NewState()
	for _, op := range ops {
		if err := s.Apply(op); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Apply merges one op into the state. It is pure and deterministic, and the result of
// applying a set of ops does not depend on their order or on repeats: fields are
// last-writer-wins by (HLC, device), captures are a set, and erasure beats everything.
func (s *State) Apply(op Op) error {
	st := op.Stamp()
	switch op.Kind {
	case OpOrgSet:
		var o Org
		if err := decodeOp(op, &o); err != nil {
			return err
		}
		if s.Org == nil || st.After(s.OrgStamp) {
			s.Org, s.OrgStamp = &o, st
		}
	case OpNoticeAdd:
		var n Notice
		if err := decodeOp(op, &n); err != nil {
			return err
		}
		if _, ok := s.Notices[n.ID]; !ok {
			s.Notices[n.ID] = &n
		}
	case OpEventSet:
		var e Event
		if err := decodeOp(op, &e); err != nil {
			return err
		}
		if old, ok := s.EventStamps[e.ID]; !ok || st.After(old) {
			s.Events[e.ID], s.EventStamps[e.ID] = &e, st
		}
	case OpStaffSet:
		var m Staff
		if err := decodeOp(op, &m); err != nil {
			return err
		}
		if old, ok := s.StaffStamps[m.ID]; !ok || st.After(old) {
			s.Staff[m.ID], s.StaffStamps[m.ID] = &m, st
		}
	case OpExportRecord:
		var r ExportRecord
		if err := decodeOp(op, &r); err != nil {
			return err
		}
		if _, ok := s.Exports[r.ID]; !ok {
			s.Exports[r.ID] = &r
		}
	case OpRequest:
		var r RequestRecord
		if err := decodeOp(op, &r); err != nil {
			return err
		}
		if _, ok := s.Requests[r.ID]; !ok {
			if s.anyErased(strings.Split(r.Lead, ",")) {
				r.Reason = ""
			}
			s.Requests[r.ID] = &r
		}
	case OpLeadMerge:
		var m MergeRecord
		if err := decodeOp(op, &m); err != nil {
			return err
		}
		m.Stamp = st
		if old, ok := s.Merges[op.Entity]; ok {
			m.Undone = old.Undone // an unmerge that arrived first
		}
		if s.anyErased(append([]string{m.Keep}, m.Others...)) {
			m.scrub() // an erasure that arrived first
		}
		s.Merges[op.Entity] = &m
	case OpLeadUnmerge:
		m, ok := s.Merges[op.Entity]
		if !ok {
			m = &MergeRecord{ID: op.Entity}
			s.Merges[op.Entity] = m
		}
		m.Undone = true
	case OpLeadLink:
		var k Link
		if err := decodeOp(op, &k); err != nil {
			return err
		}
		k.Stamp = st
		if old, ok := s.Links[op.Entity]; !ok || st.After(old.Stamp) {
			s.Links[op.Entity] = &k // a later decision about the same pair wins
		}
	case OpCaptureAdd:
		var c Capture
		if err := decodeOp(op, &c); err != nil {
			return err
		}
		s.addCapture(&c, st)
	case OpLeadCorrect:
		var c Correction
		if err := decodeOp(op, &c); err != nil {
			return err
		}
		l := s.lead(op.Entity)
		s.AddCorrection(l.ID, c.Fields, st)
		if l.Erased == nil {
			for f, val := range c.Fields {
				l.setField(f, val, st)
			}
		}
	case OpLeadWithdraw:
		var w Withdrawal
		if err := decodeOp(op, &w); err != nil {
			return err
		}
		for _, ch := range w.Channels {
			r := Revoke{Channel: ch, Reason: w.Reason, Evidence: op.ID, Stamp: st}
			s.AddWithdrawal(op.Entity, r)
			s.revoke(op.Entity, r, map[string]bool{})
		}
	case OpLeadErase:
		var e Erasure
		if err := decodeOp(op, &e); err != nil {
			return err
		}
		s.erase(s.lead(op.Entity), &ErasedMark{Stamp: st, Reason: e.Reason, Spares: e.Spares}, map[string]bool{})
		for _, k := range e.Keys {
			if old, ok := s.Suppressions[k]; !ok || old.Stamp.After(st) { // the first erasure is the one kept
				s.Suppressions[k] = &Suppression{Key: k, Reason: e.Reason, At: e.At, Stamp: st}
			}
		}
	case OpCaptureDetach:
		var d Detach
		if err := decodeOp(op, &d); err != nil {
			return err
		}
		d.Stamp = st
		if old, ok := s.Detaches[d.Capture]; ok && !st.After(old.Stamp) {
			break // two detaches of one capture move it to the same lead; the latest is kept
		}
		if s.anyErased([]string{d.From, d.Capture}) {
			d.Reason = "" // an erasure that arrived first
		}
		s.Detaches[d.Capture] = &d
		s.detach(&d)
	default:
		return fmt.Errorf("apply op %s: %w: %q", op.ID, ErrUnknownOp, op.Kind)
	}
	return nil
}

func decodeOp(op Op, v any) error {
	if err := json.Unmarshal(op.Payload, v); err != nil {
		return fmt.Errorf("apply op %s (%s): decode payload: %w", op.ID, op.Kind, err)
	}
	return nil
}

// anyErased reports whether any of the leads is erased.
func (s *State) anyErased(ids []string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { l, ok := s.Leads[id]; return ok && l.Erased != nil })
}

// lead returns the lead with id, creating an empty one: ops about a lead may arrive before
// the capture that made it.
func (s *State) lead(id string) *Lead {
	l, ok := s.Leads[id]
	if !ok {
		l = &Lead{ID: id}
		s.Leads[id] = l
	}
	return l
}

func (s *State) addCapture(c *Capture, st Stamp) {
	if _, dup := s.Captures[c.ID]; dup {
		return
	}
	c.Stamp = st
	d, detached := s.Detaches[c.ID]
	if detached {
		c.LeadID = d.Capture // detached before it arrived
	}
	s.lead(c.LeadID).take(c)
	s.Captures[c.ID] = c
	if detached {
		s.inherit(d)
	}
}

// erase marks a lead erased and scrubs it, with its captures but those the erasure spares
// and what staff wrote about the person elsewhere (values chosen in a merge, the reasons of
// requests and detaches). The earliest erasure's time and reason are kept, and a capture is
// spared only if every erasure spared it. Captures detached from the lead that it does not
// spare go with it, each with its own lead and, in turn, what was detached from that: every
// capture ever attached to an erased lead is erased, whichever order the ops came in. seen
// guards a log that names a detach cycle.
func (s *State) erase(l *Lead, mark *ErasedMark, seen map[string]bool) {
	if seen[l.ID] {
		return
	}
	seen[l.ID] = true
	switch old := l.Erased; {
	case old == nil:
		l.Erased = mark
	default:
		spares := slices.DeleteFunc(slices.Clone(mark.Spares), func(id string) bool { return !slices.Contains(old.Spares, id) })
		if old.Stamp.After(mark.Stamp) {
			old = mark
		}
		l.Erased = &ErasedMark{Stamp: old.Stamp, Reason: old.Reason, Spares: spares}
	}
	if len(l.Erased.Spares) == 0 {
		l.Erased.Spares = nil
	}
	l.scrub()
	for _, c := range s.Captures {
		if c.LeadID == l.ID && !l.spares(c.ID) {
			c.scrub()
		}
	}
	for _, m := range s.Merges {
		if m.Keep == l.ID || slices.Contains(m.Others, l.ID) {
			m.scrub()
		}
	}
	for _, r := range s.Requests {
		if slices.Contains(strings.Split(r.Lead, ","), l.ID) {
			r.Reason = ""
		}
	}
	for _, d := range s.Detaches {
		if d.From == l.ID || d.Capture == l.ID {
			d.Reason = ""
		}
	}
	for _, d := range s.Detaches {
		if d.From == l.ID && !l.spares(d.Capture) {
			s.erase(s.lead(d.Capture), &ErasedMark{Stamp: l.Erased.Stamp, Reason: l.Erased.Reason}, seen)
		}
	}
}

// spares reports whether the lead's erasure left capture id alone.
func (l *Lead) spares(id string) bool { return l.Erased != nil && slices.Contains(l.Erased.Spares, id) }

// revoke records a withdrawal on a lead and on the own leads of captures detached from it
// after it was made: a person who said "stop" while their card sat in the wrong lead said it
// either way, and a withdrawal can only hold back.
func (s *State) revoke(lead string, r Revoke, seen map[string]bool) {
	if seen[lead] {
		return // a log that loops
	}
	seen[lead] = true
	if l := s.lead(lead); l.Erased == nil && !slices.Contains(l.Revokes, r) {
		l.Revokes = append(l.Revokes, r)
		slices.SortFunc(l.Revokes, func(a, b Revoke) int {
			return strings.Compare(string(a.Channel)+a.Evidence, string(b.Channel)+b.Evidence)
		})
	}
	r.Reason = "" // the reason was given on the other lead
	for _, d := range s.Detaches {
		if _, held := s.Captures[d.Capture]; held && d.From == lead && d.Stamp.After(r.Stamp) {
			s.revoke(d.Capture, r, seen)
		}
	}
}

// inherit gives a detached capture's own lead the withdrawals made while it was attached.
func (s *State) inherit(d *Detach) {
	for _, r := range s.withdrawalsOf(d.From, map[string]bool{}) {
		if d.Stamp.After(r.Stamp) {
			s.revoke(d.Capture, r, map[string]bool{})
		}
	}
}

// detach moves a capture into its own lead and rebuilds the lead it left from what remains.
func (s *State) detach(d *Detach) {
	if from, ok := s.Leads[d.From]; ok && from.Erased != nil && !from.spares(d.Capture) {
		// erased with the lead it was attached to
		s.erase(s.lead(d.Capture), &ErasedMark{Stamp: from.Erased.Stamp, Reason: from.Erased.Reason}, map[string]bool{})
	}
	c, ok := s.Captures[d.Capture]
	if !ok {
		return // it arrives later
	}
	if c.LeadID == d.Capture {
		s.inherit(d) // moved already by an earlier detach: this later one holds more withdrawals
		return
	}
	left := c.LeadID
	c.LeadID = d.Capture
	s.rebuild(left)
	s.lead(d.Capture).take(c)
	s.inherit(d)
}

// rebuild derives a lead again from its captures, corrections and withdrawals, as if the
// ops that made it had been applied without a capture that left it.
func (s *State) rebuild(id string) {
	l := s.lead(id)
	fresh := &Lead{ID: id, Revokes: l.Revokes, Erased: l.Erased}
	caps := make([]*Capture, 0, l.Captures)
	for _, c := range s.Captures {
		if c.LeadID == id {
			caps = append(caps, c)
		}
	}
	slices.SortFunc(caps, func(a, b *Capture) int { return strings.Compare(a.ID, b.ID) })
	for _, c := range caps {
		fresh.take(c)
	}
	if fresh.Erased == nil {
		for _, c := range s.corrections[id] {
			for f, val := range c.fields {
				fresh.setField(f, val, c.stamp)
			}
		}
	}
	*l = *fresh
}

// take adds what a capture brings to its lead: fields (but those it keeps), grants, counts.
func (l *Lead) take(c *Capture) {
	switch {
	case l.spares(c.ID):
		// someone else's, on its way to a lead of its own: the erased lead gains nothing
	case l.Erased != nil:
		c.scrub() // an erased lead gains nothing: no fields, no grants
	default:
		l.Grants = append(l.Grants, grantsFor(c, c.Stamp)...)
		for _, f := range PersonFields {
			if v := *c.Person.Field(f); v != "" && !slices.Contains(c.Keeps, f) {
				l.setField(f, v, c.Stamp)
			}
		}
		if c.Rating != "" {
			l.setField("rating", string(c.Rating), c.Stamp)
		}
	}
	slices.SortFunc(l.Grants, func(a, b Grant) int {
		return strings.Compare(string(a.Channel)+a.Evidence, string(b.Channel)+b.Evidence)
	})
	l.Captures++
	if l.FirstSeen.IsZero() || c.At.Before(l.FirstSeen) {
		l.FirstSeen = c.At
	}
	if c.At.After(l.LastSeen) {
		l.LastSeen = c.At
	}
}

func (l *Lead) setField(f, v string, st Stamp) {
	if old, ok := l.FieldStamps[f]; ok && !st.After(old) {
		return
	}
	switch ptr := l.Person.Field(f); {
	case ptr != nil:
		*ptr = v
	case f == "rating":
		l.Rating = Rating(v)
	default:
		return
	}
	if l.FieldStamps == nil {
		l.FieldStamps = map[string]Stamp{}
	}
	l.FieldStamps[f] = st
}

// scrub leaves an erased lead nothing but its id, counts and the mark of the erasure:
// the grants go too, since they were derived from fields that no longer exist anywhere.
func (l *Lead) scrub() {
	l.Person, l.Rating, l.FieldStamps, l.Grants, l.Revokes = Person{}, "", nil, nil, nil
}

func (c *Capture) scrub() {
	c.Person, c.Answers, c.Note = Person{}, nil, ""
}
