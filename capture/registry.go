package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The roles a sync token has. A role may write what the roles before it may, and more.
const (
	RoleBooth   = "booth"
	RoleManager = "manager"
	RoleAdmin   = "admin"
)

// Roles lists the roles, least trusted first.
var Roles = []string{RoleBooth, RoleManager, RoleAdmin}

// Audience says who may read ops of a kind.
type Audience string

// The audiences.
const (
	// AudienceAll: configuration every device needs (the org, notices, staff without secrets).
	AudienceAll Audience = "all"
	// AudienceEvent: an event's definition, for the devices of that event.
	AudienceEvent Audience = "event"
	// AudienceLead: an op about one lead, for whoever may see that lead.
	AudienceLead Audience = "lead"
	// AudienceLeads: an op about several leads (a merge, a link), for whoever may see every one.
	AudienceLeads Audience = "leads"
	// AudienceManagers: an audit record, for admins and the managers of every lead and event
	// it names.
	AudienceManagers Audience = "managers"
)

// Refs are the leads, events and merge an op names: what its scope depends on.
type Refs struct {
	Leads  []string
	Events []string
	// Merge is the merge an unmerge undoes; its leads are the unmerge's.
	Merge string
}

// OpSpec is everything the system knows about one kind of op. The device store, the push
// decoder, the server's authorisation, its pull filter and both erasure paths read it, so a
// kind is added in one place.
type OpSpec struct {
	// Payload returns a new value of the payload's type.
	Payload func() any
	// Writer is the least role that may push the op.
	Writer string
	// Audience is who may read it.
	Audience Audience
	// CreatesLead says the op may name a lead nobody has seen yet (a capture makes it).
	CreatesLead bool
	// Refs names what the op is about.
	Refs func(op Op, payload any) Refs
	// Check is the semantic check of a decoded payload, the same rules the device applies
	// when it makes the op.
	Check func(op Op, payload any, now time.Time) error
	// Scrub removes the personal data an erasure removes, in place.
	Scrub func(payload any)
	// Redact removes secrets that only admins may read (staff PIN hashes), in place.
	Redact func(payload any)
}

// MaxClockSkew is how far ahead of the receiver's clock an op's HLC may be.
const MaxClockSkew = 5 * time.Minute

// Limits on what one op may carry, beyond the field limits.
const (
	MaxOpBytes    = 64 << 10
	MaxAnswers    = 100
	MaxListLength = 1000
)

// Errors CheckOp returns, for callers that branch on them.
var (
	ErrFutureClock = errors.New("clock reading from the future")
	ErrBadOp       = errors.New("bad op")
)

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// idPattern is what lead, event, capture and record ids may look like: UUIDs in practice,
	// short plain words in tests and scripts, never anything that needs escaping.
	idPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	hexPattern = regexp.MustCompile(`^[0-9a-f]+$`)
	// secretPattern is what a PIN hash or salt may hold: an encoded digest and its parameters.
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9$=,+/._-]{0,512}$`)
)

// IsUUID reports whether s is a lower-case UUID, as op and device ids are.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// ValidID reports whether s may be an entity id.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Spec returns the registry entry of kind.
func Spec(kind OpKind) (OpSpec, bool) {
	spec, ok := registry[kind]
	return spec, ok
}

// Kinds lists every kind the registry knows, sorted.
func Kinds() []OpKind {
	out := make([]OpKind, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// MayWrite reports whether role may push ops of kind.
func MayWrite(role string, kind OpKind) bool {
	spec, ok := registry[kind]
	return ok && slices.Index(Roles, role) >= slices.Index(Roles, spec.Writer) && slices.Contains(Roles, role)
}

// DecodePayload checks an op's envelope and decodes its payload strictly into its kind's
// type: unknown kinds and fields, ids that are not ids, and strings or payloads over the
// limits are refused. What passes has the right shape; CheckOp says whether it makes sense.
func DecodePayload(op Op) (any, error) {
	if !IsUUID(op.ID) {
		return nil, fmt.Errorf("op_id %q is not a UUID", op.ID)
	}
	if !IsUUID(op.Device) {
		return nil, fmt.Errorf("device_id %q is not a UUID", op.Device)
	}
	spec, ok := registry[op.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", op.Kind)
	}
	if a, b, isLink := strings.Cut(op.Entity, "+"); !(ValidID(op.Entity) || isLink && ValidID(a) && ValidID(b)) {
		return nil, fmt.Errorf("entity_id of %d bytes is not an id", len(op.Entity))
	}
	if len(op.Payload) > MaxOpBytes {
		return nil, fmt.Errorf("%s payload of %d bytes (at most %d)", op.Kind, len(op.Payload), MaxOpBytes)
	}
	v := spec.Payload()
	dec := json.NewDecoder(bytes.NewReader(op.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("%s payload: %v", op.Kind, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s payload: trailing data", op.Kind)
	}
	if n := longestString(reflect.ValueOf(v)); n > MaxNoteBytes {
		return nil, fmt.Errorf("%s payload: a field of %d bytes (at most %d)", op.Kind, n, MaxNoteBytes)
	}
	return v, nil
}

// CheckOp decodes op and checks it as the device that made it would have: the clock is not
// ahead of now by more than MaxClockSkew, and the payload passes its kind's rules. It returns
// the decoded payload.
func CheckOp(op Op, now time.Time) (any, error) {
	v, err := DecodePayload(op)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadOp, err)
	}
	return v, CheckDecoded(op, v, now)
}

// CheckDecoded is CheckOp for a payload DecodePayload has already decoded.
func CheckDecoded(op Op, payload any, now time.Time) error {
	if !utf8.Valid(op.Payload) { // the JSON decoder quietly turns such bytes into U+FFFD
		return fmt.Errorf("%w: %s payload is not valid UTF-8", ErrBadOp, op.Kind)
	}
	if err := CheckClock(op.HLC, now); err != nil {
		return err
	}
	if err := registry[op.Kind].Check(op, payload, now); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadOp, op.Kind, err)
	}
	return nil
}

// CheckClock refuses a reading more than MaxClockSkew ahead of now, or one that does not fit
// a signed 64-bit column.
func CheckClock(h HLC, now time.Time) error {
	if h >= 1<<63 || h.Time().After(now.Add(MaxClockSkew)) {
		return fmt.Errorf("%w: hlc %d is %s; this clock says %s", ErrFutureClock, uint64(h), h.Time().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// RefsOf returns what an op names, or nothing for a payload that does not decode.
func RefsOf(op Op) Refs {
	spec, ok := registry[op.Kind]
	if !ok {
		return Refs{}
	}
	v := spec.Payload()
	if json.Unmarshal(op.Payload, v) != nil {
		return Refs{}
	}
	return spec.Refs(op, v)
}

// ScrubPayload returns an op's payload without the personal data an erasure removes. It
// reports false for kinds that carry none, and for payloads it cannot read.
func ScrubPayload(op Op) (json.RawMessage, bool) {
	return rewrite(op, func(s OpSpec) func(any) { return s.Scrub })
}

// RedactPayload returns an op's payload without what only admins may read; it reports false
// when the kind has nothing to redact.
func RedactPayload(op Op) (json.RawMessage, bool) {
	return rewrite(op, func(s OpSpec) func(any) { return s.Redact })
}

func rewrite(op Op, pick func(OpSpec) func(any)) (json.RawMessage, bool) {
	spec, ok := registry[op.Kind]
	if !ok || pick(spec) == nil {
		return nil, false
	}
	v := spec.Payload()
	if json.Unmarshal(op.Payload, v) != nil {
		return nil, false
	}
	pick(spec)(v)
	raw, err := json.Marshal(v)
	return raw, err == nil
}

// longestString walks a decoded payload and returns the length of its longest string.
func longestString(v reflect.Value) int {
	longest := 0
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return longestString(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			longest = max(longest, longestString(v.Field(i)))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			longest = max(longest, longestString(v.Index(i)))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			longest = max(longest, longestString(it.Key()), longestString(it.Value()))
		}
	}
	return longest
}

// spec builds a registry entry from typed functions, so each entry reads as what it is.
func spec[T any](writer string, aud Audience, refs func(Op, *T) Refs, check func(Op, *T, time.Time) error, scrub, redact func(*T)) OpSpec {
	s := OpSpec{
		Payload:  func() any { return new(T) },
		Writer:   writer,
		Audience: aud,
		Refs:     func(op Op, v any) Refs { return refs(op, v.(*T)) },
		Check:    func(op Op, v any, now time.Time) error { return check(op, v.(*T), now) },
	}
	if scrub != nil {
		s.Scrub = func(v any) { scrub(v.(*T)) }
	}
	if redact != nil {
		s.Redact = func(v any) { redact(v.(*T)) }
	}
	return s
}

// creates marks a kind whose op may name a lead nobody has seen yet.
func creates(s OpSpec) OpSpec { s.CreatesLead = true; return s }

func noRefs[T any](Op, *T) Refs          { return Refs{} }
func entityLead[T any](op Op, _ *T) Refs { return Refs{Leads: []string{op.Entity}} }

// registry is the op registry: one entry per kind.
var registry = map[OpKind]OpSpec{
	OpOrgSet: spec(RoleAdmin, AudienceAll, noRefs[Org], func(op Op, o *Org, _ time.Time) error {
		var v errs
		wantEntity(&v, op, "org")
		checkClean(&v, *o, Org.Clean)
		if o.SuppressionKey != "" && !isHex(o.SuppressionKey, 64) {
			v.add("suppression_key", "id_syntax")
		}
		return v.err()
	}, nil, nil),
	OpNoticeAdd: spec(RoleAdmin, AudienceAll, noRefs[Notice], func(op Op, n *Notice, _ time.Time) error {
		var v errs
		wantEntity(&v, op, n.ID)
		checkClean(&v, n.NoticeBody, NoticeBody.Clean)
		if n.Hash != n.NoticeBody.Hash() {
			v.add("hash", "hash_mismatch")
		}
		if n.Version < 1 {
			v.add("version", "required")
		}
		if n.Supersedes != "" {
			checkIDs(&v, "supersedes", n.Supersedes)
		}
		return v.err()
	}, nil, nil),
	OpEventSet: spec(RoleAdmin, AudienceEvent, func(op Op, e *Event) Refs { return Refs{Events: []string{e.ID}} },
		func(op Op, e *Event, _ time.Time) error {
			var v errs
			wantEntity(&v, op, e.ID)
			checkClean(&v, *e, Event.Clean)
			checkIDs(&v, "notice", e.NoticeID)
			return v.err()
		}, nil, nil),
	OpStaffSet: spec(RoleAdmin, AudienceAll, noRefs[Staff], func(op Op, m *Staff, _ time.Time) error {
		var v errs
		wantEntity(&v, op, m.ID)
		if name := cleanText(&v, "name", m.Name); name == "" {
			v.add("name", "required")
		} else if name != m.Name {
			v.add("name", "not_normalised")
		}
		if !secretPattern.MatchString(m.Salt) || !secretPattern.MatchString(m.PINHash) || !secretPattern.MatchString(m.KDF) {
			v.add("pin_hash", "id_syntax")
		}
		return v.err()
	}, nil, func(m *Staff) { m.Salt, m.PINHash, m.KDF = "", "", "" }),
	OpCaptureAdd: creates(spec(RoleBooth, AudienceLead, func(_ Op, c *Capture) Refs {
		return Refs{Leads: []string{c.LeadID}, Events: []string{c.EventID}}
	}, checkCapture, (*Capture).scrub, nil)),
	OpLeadCorrect: spec(RoleBooth, AudienceLead, entityLead[Correction], func(op Op, c *Correction, _ time.Time) error {
		var v errs
		checkClean(&v, *c, Correction.Clean)
		return v.err()
	}, func(c *Correction) {
		for f := range c.Fields {
			c.Fields[f] = ""
		}
		c.Reason = ""
	}, nil),
	OpLeadWithdraw: spec(RoleManager, AudienceLead, entityLead[Withdrawal], func(op Op, w *Withdrawal, _ time.Time) error {
		var v errs
		if len(w.Channels) == 0 {
			v.add("channels", "required")
		}
		for _, ch := range w.Channels {
			if !slices.Contains(Channels, ch) {
				v.add("channels", "one_of", joinAny(Channels))
			}
		}
		cleanText(&v, "reason", w.Reason)
		return v.err()
	}, func(w *Withdrawal) { w.Reason = "" }, nil),
	OpLeadErase: spec(RoleManager, AudienceLead, entityLead[Erasure], func(op Op, e *Erasure, now time.Time) error {
		var v errs
		if cleanText(&v, "reason", e.Reason) == "" {
			v.add("reason", "required")
		}
		for _, k := range e.Keys {
			if !isHex(k, 40) {
				v.add("keys", "id_syntax")
				break
			}
		}
		checkTime(&v, "at", e.At, now)
		checkIDs(&v, "spares", e.Spares...)
		return v.err()
	}, nil, nil),
	OpCaptureDetach: spec(RoleManager, AudienceLead, func(_ Op, d *Detach) Refs {
		return Refs{Leads: []string{d.From}, Events: []string{d.Event}}
	}, func(op Op, d *Detach, _ time.Time) error {
		var v errs
		wantEntity(&v, op, d.Capture)
		checkIDs(&v, "from", d.From)
		checkIDs(&v, "event", d.Event)
		if d.From == d.Capture {
			v.add("from", "detach_own_lead")
		}
		cleanText(&v, "reason", d.Reason)
		return v.err()
	}, func(d *Detach) { d.Reason = "" }, nil),
	OpExportRecord: spec(RoleManager, AudienceManagers, func(_ Op, r *ExportRecord) Refs {
		return Refs{Leads: r.Leads, Events: r.Events}
	}, func(op Op, r *ExportRecord, now time.Time) error {
		var v errs
		wantEntity(&v, op, r.ID)
		if !slices.Contains(Uses, r.Use) {
			v.add("use", "one_of", joinAny(Uses))
		}
		if !slices.Contains(Bases, r.Basis) {
			v.add("basis", "one_of", joinAny(Bases))
		}
		checkIDs(&v, "leads", r.Leads...)
		checkIDs(&v, "events", r.Events...)
		for _, f := range []struct{ name, val string }{{"by", r.By}, {"recipient", r.Recipient}, {"format", r.Format}} {
			cleanText(&v, f.name, f.val)
		}
		checkTime(&v, "at", r.At, now)
		return v.err()
	}, nil, nil),
	OpLeadMerge: spec(RoleManager, AudienceLeads, func(_ Op, m *MergeRecord) Refs {
		return Refs{Leads: append([]string{m.Keep}, m.Others...)}
	}, func(op Op, m *MergeRecord, _ time.Time) error {
		var v errs
		wantEntity(&v, op, m.ID)
		checkMergeLeads(&v, m.Keep, m.Others)
		if m.Batch != "" {
			checkIDs(&v, "batch", m.Batch)
		}
		var p Person
		for f, val := range m.Fields {
			if ptr := p.Field(f); ptr != nil {
				*ptr = val
			} else {
				v.add("fields."+f, "one_of", strings.Join(PersonFields, ", "))
			}
		}
		if _, err := p.Clean(false); err != nil {
			v.list = append(v.list, err.(*ValidationError).Fields...)
		}
		cleanText(&v, "reason", m.Reason)
		return v.err()
	}, (*MergeRecord).scrub, nil),
	OpLeadUnmerge: spec(RoleManager, AudienceLeads, func(_ Op, u *Unmerge) Refs { return Refs{Merge: u.MergeID} },
		func(op Op, u *Unmerge, _ time.Time) error {
			var v errs
			wantEntity(&v, op, u.MergeID)
			return v.err()
		}, nil, nil),
	OpLeadLink: spec(RoleManager, AudienceLeads, func(_ Op, k *Link) Refs { return Refs{Leads: k.Leads} },
		func(op Op, k *Link, _ time.Time) error {
			var v errs
			if len(k.Leads) != 2 || k.Leads[0] == k.Leads[1] {
				v.add("leads", "link_needs_two")
			} else {
				checkIDs(&v, "leads", k.Leads...)
				wantEntity(&v, op, LinkKey(k.Leads[0], k.Leads[1]))
			}
			if k.Relation != RelationConcurrent && k.Relation != RelationDistinct {
				v.add("relation", "one_of", "concurrent, distinct")
			}
			return v.err()
		}, nil, nil),
	OpRequest: spec(RoleManager, AudienceManagers, func(_ Op, r *RequestRecord) Refs {
		if r.Lead == "" {
			return Refs{}
		}
		return Refs{Leads: strings.Split(r.Lead, ",")} // a search names every lead it found
	}, func(op Op, r *RequestRecord, now time.Time) error {
		var v errs
		wantEntity(&v, op, r.ID)
		if !slices.Contains(RequestKinds, r.Kind) {
			v.add("kind", "one_of", strings.Join(RequestKinds, ", "))
		}
		if r.Lead != "" {
			checkIDs(&v, "lead", strings.Split(r.Lead, ",")...)
		}
		for _, f := range []struct{ name, val string }{{"by", r.By}, {"reason", r.Reason}, {"outcome", r.Outcome}} {
			cleanText(&v, f.name, f.val)
		}
		checkTime(&v, "received", r.Received, now)
		checkTime(&v, "done", r.Done, now)
		return v.err()
	}, func(r *RequestRecord) { r.Reason = "" }, nil),
}

// checkCapture is a capture's rules: what NewCapture.Clean enforces, on what arrived.
func checkCapture(op Op, c *Capture, now time.Time) error {
	var v errs
	wantEntity(&v, op, c.ID)
	checkIDs(&v, "lead_id", c.LeadID)
	if c.LeadID == c.ID {
		v.add("lead_id", "detach_own_lead") // only a detach makes a lead under a capture's id
	}
	checkIDs(&v, "event_id", c.EventID)
	if c.NoticeID != "" {
		checkIDs(&v, "notice_id", c.NoticeID)
	}
	if c.DeviceID != op.Device {
		v.add("device_id", "device_mismatch")
	}
	if !slices.Contains(Sources, c.Source) {
		v.add("source", "one_of", joinAny(Sources))
	}
	if !slices.Contains([]Shown{ShownScreen, ShownPrint, ShownVerbal, ShownNone}, c.NoticeShown) {
		v.add("notice_shown", "one_of", "screen, print, verbal, none")
	}
	if c.NoticeHash != "" && !isHex(c.NoticeHash, 64) {
		v.add("notice_hash", "id_syntax")
	}
	for _, k := range c.Consents {
		if !slices.Contains(ConsentKinds, k.Kind) {
			v.add("consent", "one_of", joinAny(ConsentKinds))
		}
		if !slices.Contains([]ConsentMethod{MethodCheckbox, MethodSignature, MethodVerbal, MethodImpliedCard}, k.Method) {
			v.add("consent_method", "one_of", "checkbox, signature, verbal, implied_card")
		}
	}
	cleanText(&v, "staff", c.Staff)
	if _, err := c.Person.Clean(false); err != nil { // an erased capture is pushed scrubbed: no identity
		v.list = append(v.list, err.(*ValidationError).Fields...)
	}
	if !slices.Contains([]Rating{"", "A", "B", "C"}, c.Rating) {
		v.add("rating", "one_of", "A, B, C")
	}
	if _, err := CleanNote("note", c.Note); err != nil {
		v.list = append(v.list, err.(*ValidationError).Fields...)
	}
	checkAnswers(&v, c.Answers)
	checkTime(&v, "at", c.At, now)
	if !slices.Contains([]string{"", AttachMatcher, AttachStaff}, c.AttachedBy) {
		v.add("attached_by", "one_of", AttachMatcher+", "+AttachStaff)
	}
	for _, f := range c.Keeps {
		if !slices.Contains(PersonFields, f) {
			v.add("keeps", "one_of", strings.Join(PersonFields, ", "))
		}
	}
	return v.err()
}

// checkAnswers bounds survey answers; which questions they answer is the event's to say.
func checkAnswers(v *errs, a Answers) {
	if len(a) > MaxAnswers {
		v.add("answers", "too_many", MaxAnswers, len(a))
		return
	}
	for id, ans := range a {
		f := "answers." + id
		if !ValidID(id) {
			v.add(f, "id_syntax")
			continue
		}
		switch x := ans.(type) {
		case string:
			if _, err := CleanNote(f, x); err != nil {
				v.list = append(v.list, err.(*ValidationError).Fields...)
			}
		case float64:
			if x != float64(int(x)) || x < 1 || x > 5 {
				v.add(f, "rating_range")
			}
		case []any:
			if len(x) > MaxAnswers {
				v.add(f, "too_many", MaxAnswers, len(x))
				continue
			}
			for _, item := range x {
				if s, ok := item.(string); !ok {
					v.add(f, "answer_type", "list of strings")
				} else {
					cleanText(v, f, s)
				}
			}
		default:
			v.add(f, "answer_type", "string, list of strings or 1-5")
		}
	}
}

func checkMergeLeads(v *errs, keep string, others []string) {
	checkIDs(v, "keep", keep)
	checkIDs(v, "others", others...)
	if len(others) == 0 {
		v.add("leads", "merge_needs_two")
	}
	if len(others) > MaxListLength {
		v.add("others", "too_many", MaxListLength, len(others))
	}
	seen := map[string]bool{keep: true}
	for _, o := range others {
		if seen[o] {
			v.add("others", "duplicate", o)
		}
		seen[o] = true
	}
}

// wantEntity checks that an op's entity id is the id its payload says.
func wantEntity(v *errs, op Op, id string) {
	if op.Entity != id {
		v.add("entity_id", "entity_mismatch", id)
	}
}

func checkIDs(v *errs, field string, ids ...string) {
	if len(ids) > MaxListLength {
		v.add(field, "too_many", MaxListLength, len(ids))
		return
	}
	for _, id := range ids {
		if !ValidID(id) {
			v.add(field, "id_syntax")
			return
		}
	}
}

// checkClean runs a type's own Clean on a value that arrived, keeping its field errors.
func checkClean[T any](v *errs, x T, clean func(T) (T, error)) {
	if _, err := clean(x); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			v.list = append(v.list, ve.Fields...)
		} else {
			v.add("payload", "json_syntax", err.Error())
		}
	}
}

// checkTime refuses a time ahead of now by more than the clock skew: retention counts from
// it, so a year-3000 date would keep the data for ever.
func checkTime(v *errs, field string, t, now time.Time) {
	if t.After(now.Add(MaxClockSkew)) {
		v.add(field, "future_time", t.UTC().Format(time.RFC3339))
	}
}

func isHex(s string, n int) bool {
	return (n == 0 || len(s) == n) && s != "" && hexPattern.MatchString(s)
}

func (m *MergeRecord) scrub() {
	for f := range m.Fields {
		m.Fields[f] = ""
	}
	m.Reason = ""
}

// RequestKinds are the kinds of individuals' request the audit log records.
var RequestKinds = []string{"find", "disclose", "correct", "stop-use", "erase"}
