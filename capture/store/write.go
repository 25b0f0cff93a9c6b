package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
)

// commitOp applies one new local op in its own transaction.
func (s *Store) commitOp(ctx context.Context, kind capture.OpKind, entity string, payload any) (capture.Op, error) {
	op, err := s.newOp(kind, entity, payload)
	if err != nil {
		return op, err
	}
	return op, s.commit(ctx, []capture.Op{op}, nil)
}

// SetOrg records the organisation's details.
func (s *Store) SetOrg(ctx context.Context, o capture.Org) (capture.Org, error) {
	o, err := o.Clean()
	if err != nil {
		return o, err
	}
	if o.SuppressionKey == "" { // made once, then kept: every device hashes alike
		if old, err := s.Org(ctx); err == nil && old.SuppressionKey != "" {
			o.SuppressionKey = old.SuppressionKey
		} else {
			o.SuppressionKey = capture.NewSuppressionKey()
		}
	}
	_, err = s.commitOp(ctx, capture.OpOrgSet, "org", o)
	return o, err
}

// AddNotice stores a new notice version. supersedes names the version it replaces, or "".
func (s *Store) AddNotice(ctx context.Context, body capture.NoticeBody, supersedes string) (capture.Notice, error) {
	body, err := body.Clean()
	if err != nil {
		return capture.Notice{}, err
	}
	n := capture.Notice{ID: capture.NewID(), Version: 1, Supersedes: supersedes, Hash: body.Hash(), NoticeBody: body}
	if supersedes != "" {
		prev, err := s.Notice(ctx, supersedes)
		if errors.Is(err, capture.ErrNotFound) {
			return n, capture.Invalid("supersedes", "not_found", supersedes)
		}
		if err != nil {
			return n, err
		}
		n.Version = prev.Version + 1
	}
	_, err = s.commitOp(ctx, capture.OpNoticeAdd, n.ID, n)
	return n, err
}

// SaveOption is something a manager confirmed when saving an event.
type SaveOption int

// ConfirmSurveyChange lets an edit change the survey of an event that has begun or has
// captures.
const ConfirmSurveyChange SaveOption = 1

// ErrSurveyRunning comes (with the field error) from an edit that changes the survey of an
// event that has begun or has captures, unless ConfirmSurveyChange is given: the front end
// asks the manager, then saves again with it.
var ErrSurveyRunning = errors.New("survey change in a running event")

// SaveEvent creates an event (empty ID, version 1) or saves an edit of it as its next
// version; the op log keeps every version.
func (s *Store) SaveEvent(ctx context.Context, e capture.Event, opts ...SaveOption) (capture.Event, error) {
	e, err := e.Clean()
	if err != nil {
		return e, err
	}
	n, err := s.Notice(ctx, e.NoticeID)
	if errors.Is(err, capture.ErrNotFound) {
		return e, capture.Invalid("notice", "not_found", e.NoticeID)
	} else if err != nil {
		return e, err
	}
	if longerThan(e.Retention, n.Retention) {
		return e, capture.Invalid("retention", "longer_than_notice", n.Retention)
	}
	if errs := s.needsOverride(e, n); errs > 0 {
		return e, capture.Invalid("lint_override", "notice_needs_override", errs)
	}
	if e.ID == "" {
		e.ID, e.Version = capture.NewID(), 1
	} else {
		prev, err := s.Event(ctx, e.ID)
		if err != nil {
			return e, err
		}
		if err := s.surveyChange(ctx, prev, e, slices.Contains(opts, ConfirmSurveyChange)); err != nil {
			return e, err
		}
		e.Version = max(prev.Version, 1) + 1 // events made before versions were counted are version 1
	}
	_, err = s.commitOp(ctx, capture.OpEventSet, e.ID, e)
	return e, err
}

// surveyChange refuses an unconfirmed change of the survey once the event has begun or
// holds captures: sheets are printed and answers were given to the questions as they were.
func (s *Store) surveyChange(ctx context.Context, prev, e capture.Event, confirmed bool) error {
	was, _ := json.Marshal(prev.Survey)
	now, _ := json.Marshal(e.Survey)
	if confirmed || bytes.Equal(was, now) {
		return nil
	}
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM captures WHERE event_id = ?`, e.ID).Scan(&n); err != nil {
		return fmt.Errorf("count captures: %w", err)
	}
	if n == 0 && !prev.Running(s.now()) {
		return nil
	}
	return errors.Join(ErrSurveyRunning, capture.Invalid("survey", "survey_change_running"))
}

// needsOverride is the one lint gate: an event whose notice the checker finds errors in is
// saved, and captures, only with a manager's override reason. It returns the number of errors
// standing in the way (0 when none do).
func (s *Store) needsOverride(e capture.Event, n capture.Notice) int {
	if e.LintOverride != "" {
		return 0
	}
	return s.noticeErrors(n)
}

// SaveStaff adds or replaces a staff member (made with capture.NewStaff).
func (s *Store) SaveStaff(ctx context.Context, m capture.Staff) error {
	if m.ID == "" || m.PINHash == "" {
		return capture.Invalid("pin", "required")
	}
	_, err := s.commitOp(ctx, capture.OpStaffSet, m.ID, m)
	return err
}

// RecordExport writes an export's audit (and, when the data leaves the company, provision)
// record as an op, so it syncs and is kept with the rest of the evidence. The record must
// name who exported. place, when not nil, runs inside the record's transaction just before
// it commits — the export puts its file in place there — so a failed place records nothing.
func (s *Store) RecordExport(ctx context.Context, r capture.ExportRecord, place func() error) (capture.ExportRecord, error) {
	if strings.TrimSpace(r.By) == "" {
		return r, capture.Invalid("by", "required")
	}
	if r.ID == "" {
		r.ID = capture.NewID()
	}
	if r.At.IsZero() {
		r.At = s.now()
	}
	r.KeepUntil = r.At.Add(capture.ProvisionRetention)
	op, err := s.newOp(capture.OpExportRecord, r.ID, r)
	if err != nil {
		return r, err
	}
	return r, s.commit(ctx, []capture.Op{op}, place)
}

// CaptureResult is what saving a capture did.
type CaptureResult struct {
	Capture capture.Capture
	Lead    capture.Lead
	// Attached is true when the capture joined a lead that existed before.
	Attached bool
	// Candidates are other known leads that may be the same person; the capture was not
	// attached to them.
	Candidates []capture.Candidate
}

// CheckCapture validates a new capture against its event without writing anything.
func (s *Store) CheckCapture(ctx context.Context, n capture.NewCapture) (capture.NewCapture, error) {
	n, _, err := s.prepare(ctx, s.read, n)
	return n, err
}

// prepare validates a new capture against its event and returns it cleaned, with the notice
// it will record.
func (s *Store) prepare(ctx context.Context, q querier, n capture.NewCapture) (capture.NewCapture, capture.Notice, error) {
	e, err := s.event(ctx, q, n.EventID)
	if errors.Is(err, capture.ErrNotFound) {
		return n, capture.Notice{}, n.NoEvent()
	}
	if err != nil {
		return n, capture.Notice{}, err
	}
	notice, err := s.notice(ctx, q, e.NoticeID)
	if err != nil {
		return n, notice, fmt.Errorf("notice of event %s: %w", e.ID, err)
	}
	if errs := s.needsOverride(e, notice); errs > 0 { // saved before the checker knew better
		return n, notice, capture.Invalid("notice", "notice_has_errors", errs, e.ID)
	}
	// Not before the show (by this device's day: cards typed up later keep their own time),
	// but a list bought in may come earlier.
	if n.Source != capture.SourceImport {
		if err := e.NotStarted(s.now().Local()); err != nil {
			return n, notice, err
		}
	}
	n, err = n.Clean(notice.NoticeBody, e.Survey)
	if err != nil {
		return n, notice, err
	}
	sup, err := s.suppressionOf(ctx, q, n.Person)
	switch {
	case err != nil:
		return n, notice, err
	case sup == nil:
	case !n.ConfirmSuppressed:
		field := "email"
		if n.Person.Email == "" {
			field = "phone"
		}
		return n, notice, capture.Invalid(field, "suppressed", sup.At.Local().Format("2006-01-02"), sup.Reason)
	case !slices.Contains(n.Consents, capture.ConsentPurpose):
		return n, notice, capture.Invalid("consent", "suppressed_needs_consent")
	}
	return n, notice, nil
}

// AddCapture validates and saves one capture with its op, and the lead it belongs to, in one
// transaction: when it returns nil the capture survives a crash.
func (s *Store) AddCapture(ctx context.Context, n capture.NewCapture) (CaptureResult, error) {
	res, err := s.AddCaptures(ctx, []capture.NewCapture{n})
	if err != nil {
		return CaptureResult{}, err
	}
	return res[0], nil
}

// BatchError says which item of a batch was refused; nothing of the batch was written.
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string { return fmt.Sprintf("item %d: %v", e.Index+1, e.Err) }
func (e *BatchError) Unwrap() error { return e.Err }

// AddCaptures saves captures all or nothing, in one transaction.
func (s *Store) AddCaptures(ctx context.Context, list []capture.NewCapture) ([]CaptureResult, error) {
	out := make([]CaptureResult, 0, len(list))
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		for i, n := range list {
			r, err := s.addCapture(ctx, tx, n)
			if err != nil {
				if len(list) == 1 {
					return err
				}
				return &BatchError{Index: i, Err: err}
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) addCapture(ctx context.Context, tx *sql.Tx, n capture.NewCapture) (CaptureResult, error) {
	var res CaptureResult
	var attachedBy string
	n, notice, err := s.prepare(ctx, tx, n)
	if err != nil {
		return res, err
	}
	cands, err := candidates(ctx, tx, n.Person, 20)
	if err != nil {
		return res, err
	}
	var held *capture.Lead
	switch merges := slices.DeleteFunc(slices.Clone(cands), func(c capture.Candidate) bool { return c.Decision != match.Merge }); {
	case n.LeadID != "":
		l, err := s.lead(ctx, tx, n.LeadID)
		if errors.Is(err, capture.ErrNotFound) {
			return res, capture.Invalid("lead", "not_found", n.LeadID)
		} else if err != nil {
			return res, err
		}
		held, res.Attached, attachedBy = &l, true, capture.AttachStaff
	case len(merges) == 1 && !n.NewLead:
		// The one "same person" decision is the matcher's: the capture joins a lead only on
		// its "merge", about exactly one lead. Anything less makes a new lead and says why.
		held, res.Attached, attachedBy = &merges[0].Lead, true, capture.AttachMatcher
		n.LeadID = held.ID
	default:
		n.LeadID = capture.NewID()
	}
	res.Candidates = slices.DeleteFunc(cands, func(c capture.Candidate) bool { return c.Lead.ID == n.LeadID })
	var keeps []string
	if held != nil && match.ShorterWriting(held.Person.Company, n.Person.Company) {
		keeps = []string{"company"}
	}
	at := n.At
	if at.IsZero() {
		at = s.now()
	}
	c := capture.Capture{
		ID: capture.NewID(), LeadID: n.LeadID, EventID: n.EventID, Source: n.Source, Staff: n.Staff,
		DeviceID: s.device, At: at.Round(0), NoticeID: notice.ID, NoticeHash: notice.Hash, NoticeShown: n.Shown,
		Answers: n.Answers, Person: n.Person, Rating: n.Rating, Note: n.Note, AttachedBy: attachedBy, Keeps: keeps,
	}
	for _, k := range n.Consents {
		c.Consents = append(c.Consents, capture.Consent{Kind: k, Method: n.Method})
	}
	op, err := s.newOp(capture.OpCaptureAdd, c.ID, c)
	if err != nil {
		return res, err
	}
	st, err := s.applyOp(ctx, tx, op)
	if err != nil {
		return res, err
	}
	res.Capture, res.Lead = c, *st.Leads[n.LeadID]
	return res, nil
}

// Correct records a correction of a lead's fields (name → value, "" clears). The captures,
// which are the evidence, are not changed.
func (s *Store) Correct(ctx context.Context, leadID string, fields map[string]string, reason string) (capture.Lead, error) {
	return s.act(ctx, leadID, Act{Correct: fields, Reason: reason})
}

// Rate gives leads a rating (A, B, C, or "" for none) as a correction of each, all in one
// transaction: the lead table's selection and boothctl leads rate.
func (s *Store) Rate(ctx context.Context, leadIDs []string, r capture.Rating, reason string) error {
	var ops []capture.Op
	for _, id := range leadIDs {
		o, err := s.actOps(ctx, id, Act{Correct: map[string]string{"rating": string(r)}, Reason: reason})
		if err != nil {
			return err
		}
		ops = append(ops, o...)
	}
	return s.commit(ctx, ops, nil)
}

// Withdraw records a withdrawal of consent or an opt-out for channels.
func (s *Store) Withdraw(ctx context.Context, leadID string, channels []capture.Channel, reason string) (capture.Lead, error) {
	return s.act(ctx, leadID, Act{Withdraw: channels, Reason: reason})
}

// Act is what an individual's request does to a lead besides being recorded: a correction,
// a withdrawal, an erasure, or a file put in place (a disclosure). Nothing for a search.
type Act struct {
	Correct  map[string]string
	Withdraw []capture.Channel
	Erase    bool
	Reason   string
	// Place runs last in the transaction (renaming a written file into place): if it fails,
	// nothing is recorded.
	Place func() error
}

// actOps validates the act and makes its ops; nothing is written.
func (s *Store) actOps(ctx context.Context, leadID string, a Act) ([]capture.Op, error) {
	switch {
	case a.Correct != nil:
		c, err := capture.Correction{Fields: a.Correct, Reason: a.Reason}.Clean()
		if err != nil {
			return nil, err
		}
		return s.leadOps(ctx, leadID, capture.OpLeadCorrect, c)
	case a.Withdraw != nil:
		for _, ch := range a.Withdraw {
			if !slices.Contains(capture.Channels, ch) {
				return nil, capture.Invalid("channel", "one_of", fmt.Sprint(capture.Channels))
			}
		}
		return s.leadOps(ctx, leadID, capture.OpLeadWithdraw, capture.Withdrawal{Channels: a.Withdraw, Reason: a.Reason})
	case a.Erase:
		return s.eraseOps(ctx, leadID, a.Reason, true)
	}
	return nil, nil
}

// act makes an act's ops and commits them.
func (s *Store) act(ctx context.Context, leadID string, a Act) (capture.Lead, error) {
	ops, err := s.actOps(ctx, leadID, a)
	if err == nil {
		err = s.commit(ctx, ops, a.Place)
	}
	if err != nil {
		return capture.Lead{}, err
	}
	return s.Lead(ctx, leadID)
}

// commit applies ops in one transaction, then place (when set) before it commits. Each op
// is first checked as boothd will check it (the registry's rules), so that nothing is kept
// here that the server would set aside. (Captures, checked by NewCapture.Clean, take their
// own faster path.)
func (s *Store) commit(ctx context.Context, ops []capture.Op, place func() error) error {
	for _, op := range ops {
		// The op's clock is this device's own, so it is not "from the future".
		now := s.now()
		if t := op.HLC.Time(); t.After(now) {
			now = t
		}
		if _, err := capture.CheckOp(op, now); err != nil {
			return err
		}
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		for _, op := range ops {
			if _, err := s.applyOp(ctx, tx, op); err != nil {
				return err
			}
		}
		if place != nil {
			return place()
		}
		return nil
	})
}

// Answer does what an individual's request asks of a lead (r.Lead; none for a search) and
// writes the request's audit record, in one transaction: either both are kept or neither.
// The record names who handled it.
func (s *Store) Answer(ctx context.Context, r capture.RequestRecord, a Act) (capture.RequestRecord, error) {
	if strings.TrimSpace(r.By) == "" {
		return r, capture.Invalid("by", "required")
	}
	if r.ID == "" {
		r.ID = capture.NewID()
	}
	if r.Done.IsZero() {
		r.Done = s.now()
	}
	if r.Received.IsZero() {
		r.Received = r.Done
	}
	ops, err := s.actOps(ctx, r.Lead, a)
	if err != nil {
		return r, err
	}
	rec, err := s.newOp(capture.OpRequest, r.ID, r)
	if err != nil {
		return r, err
	}
	return r, s.commit(ctx, append(ops, rec), a.Place)
}

// MergeLeads records a 名寄せ merge: others are shown as part of keep, with fields chosen
// by staff overriding the newest values. Nothing is rewritten, so Unmerge restores exactly.
func (s *Store) MergeLeads(ctx context.Context, keep string, others []string, fields map[string]string, reason string) (capture.MergeRecord, error) {
	m := capture.MergeRecord{ID: capture.NewID(), Keep: keep, Others: others, Fields: fields, Reason: reason}
	op, err := s.mergeOp(ctx, m)
	if err == nil {
		err = s.commit(ctx, []capture.Op{op}, nil)
	}
	return m, err
}

// mergeOp checks a merge against the leads held and makes its op; nothing is written.
func (s *Store) mergeOp(ctx context.Context, m capture.MergeRecord) (capture.Op, error) {
	if len(m.Others) == 0 {
		return capture.Op{}, capture.Invalid("leads", "merge_needs_two")
	}
	for _, id := range append([]string{m.Keep}, m.Others...) {
		l, err := s.lead(ctx, s.read, id)
		if errors.Is(err, capture.ErrNotFound) {
			return capture.Op{}, capture.Invalid("lead", "not_found", id)
		}
		if err != nil {
			return capture.Op{}, err
		}
		into, _ := s.MergedInto(ctx, id)
		switch {
		case l.Erased != nil:
			return capture.Op{}, capture.Invalid("lead", "merge_erased", id)
		case into != "":
			return capture.Op{}, capture.Invalid("lead", "merge_merged", id, into)
		case id != m.Keep && slices.Contains(m.Others[:slices.Index(m.Others, id)], id), id == m.Keep && slices.Contains(m.Others, m.Keep):
			return capture.Op{}, capture.Invalid("lead", "duplicate", id)
		}
	}
	return s.newOp(capture.OpLeadMerge, m.ID, m)
}

// Unmerge undoes a merge: every lead is shown again exactly as it was.
func (s *Store) Unmerge(ctx context.Context, mergeID string) error {
	m, err := s.Merge(ctx, mergeID)
	if errors.Is(err, capture.ErrNotFound) {
		return capture.Invalid("merge", "not_found", mergeID)
	}
	if err != nil {
		return err
	}
	if m.Undone {
		return capture.Invalid("merge", "merge_undone", mergeID)
	}
	_, err = s.commitOp(ctx, capture.OpLeadUnmerge, mergeID, capture.Unmerge{MergeID: mergeID})
	return err
}

// LinkLeads records a decision about two leads: one person's two posts (兼務), or two people.
func (s *Store) LinkLeads(ctx context.Context, a, b, relation string) error {
	if relation != capture.RelationConcurrent && relation != capture.RelationDistinct {
		return capture.Invalid("relation", "one_of", "concurrent, distinct")
	}
	for _, id := range []string{a, b} {
		if _, err := s.lead(ctx, s.read, id); err != nil {
			return capture.Invalid("lead", "not_found", id)
		}
	}
	_, err := s.commitOp(ctx, capture.OpLeadLink, capture.LinkKey(a, b), capture.Link{Leads: []string{min(a, b), max(a, b)}, Relation: relation})
	return err
}

// Erase records the erasure of a lead at the person's request: its personal fields are
// scrubbed from the state here and, through sync, everywhere, and the person is suppressed.
// The leads merged into it hold the same person and are erased with it, in one transaction.
func (s *Store) Erase(ctx context.Context, leadID, reason string) (capture.Lead, error) {
	return s.act(ctx, leadID, Act{Erase: true, Reason: reason})
}

// erase scrubs a lead; suppress also keeps the person from being captured again without
// fresh consent, which an objection calls for and data that merely aged out does not.
func (s *Store) erase(ctx context.Context, leadID, reason string, suppress bool) (capture.Lead, error) {
	ops, err := s.eraseOps(ctx, leadID, reason, suppress)
	if err == nil {
		err = s.commit(ctx, ops, nil)
	}
	if err != nil {
		return capture.Lead{}, err
	}
	return s.Lead(ctx, leadID)
}

// eraseOps makes the erasure ops of a lead and of every lead merged into it.
func (s *Store) eraseOps(ctx context.Context, leadID, reason string, suppress bool) ([]capture.Op, error) {
	if strings.TrimSpace(reason) == "" { // the minimal record kept says when and why
		return nil, capture.Invalid("reason", "required")
	}
	l, err := s.Lead(ctx, leadID)
	if err != nil {
		return nil, err
	}
	ids, err := s.mergedTree(ctx, leadID)
	if err != nil {
		return nil, err
	}
	people := []capture.Person{l.Person}
	for _, id := range ids {
		caps, err := s.CapturesOf(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, c := range caps {
			people = append(people, c.Person)
		}
	}
	erasure := capture.Erasure{Reason: reason, At: s.now()}
	// Captures detached from these leads are someone else's, as far as this device knows —
	// but those whose own lead was merged back into them: the person's, erased here too.
	for _, id := range ids {
		spared, err := s.strings(ctx, `SELECT capture_id FROM detaches WHERE from_lead = ? ORDER BY capture_id`, id)
		if err != nil {
			return nil, err
		}
		erasure.Spares = append(erasure.Spares, slices.DeleteFunc(spared, func(c string) bool { return slices.Contains(ids, c) })...)
	}
	if suppress { // under every email and phone the lead was ever captured with
		org, _ := s.Org(ctx)
		erasure.Keys = capture.SuppressionKeys(org.SuppressionKey, people...)
	}
	ops := make([]capture.Op, 0, len(ids))
	for _, id := range ids {
		op, err := s.newOp(capture.OpLeadErase, id, erasure)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// Detach takes a capture out of the lead it was attached to into a lead of its own: a wrong
// attach (by the matcher or by staff) undone. The lead it leaves is derived again from its
// other captures and corrections; the capture and its consents go with it.
func (s *Store) Detach(ctx context.Context, captureID, reason string) (capture.Lead, error) {
	var lead, event string
	err := s.read.QueryRowContext(ctx, `SELECT lead_id, event_id FROM captures WHERE id = ?`, captureID).Scan(&lead, &event)
	if errors.Is(err, sql.ErrNoRows) {
		return capture.Lead{}, capture.Invalid("capture", "not_found", captureID)
	}
	if err != nil {
		return capture.Lead{}, fmt.Errorf("detach: %w", err)
	}
	from, err := s.Lead(ctx, lead)
	switch {
	case err != nil:
		return capture.Lead{}, err
	case lead == captureID:
		return capture.Lead{}, capture.Invalid("capture", "detached_already")
	case from.Erased != nil:
		return capture.Lead{}, capture.Invalid("capture", "lead_erased")
	case from.Captures < 2:
		return capture.Lead{}, capture.Invalid("capture", "capture_alone")
	case strings.TrimSpace(reason) == "": // kept with the detach: why the attach was wrong
		return capture.Lead{}, capture.Invalid("reason", "required")
	}
	if reason, err = capture.CleanNote("reason", reason); err != nil {
		return capture.Lead{}, err
	}
	d := capture.Detach{Capture: captureID, From: lead, Event: event, Reason: reason}
	if _, err := s.commitOp(ctx, capture.OpCaptureDetach, captureID, d); err != nil {
		return capture.Lead{}, err
	}
	return s.Lead(ctx, captureID)
}

// mergedTree returns id and every lead merged into it, directly or through other merges.
func (s *Store) mergedTree(ctx context.Context, id string) ([]string, error) {
	return s.strings(ctx, `WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT l.id FROM leads l JOIN tree ON l.merged_into = tree.id)
		SELECT id FROM tree`, id)
}

// leadOps makes the op of kind about a lead that exists.
func (s *Store) leadOps(ctx context.Context, leadID string, kind capture.OpKind, payload any) ([]capture.Op, error) {
	if _, err := s.Lead(ctx, leadID); err != nil {
		return nil, err
	}
	op, err := s.newOp(kind, leadID, payload)
	return []capture.Op{op}, err
}

// ApplyOps applies ops received from elsewhere (sync), each at most once, in one
// transaction. An op this device cannot apply (one that fails the registry's checks, a merge
// that conflicts with the merges held, one whose apply fails) is set aside with its reason
// and the rest go on: no single op blocks the log. It returns how many were applied.
func (s *Store) ApplyOps(ctx context.Context, ops []capture.Op) (int, error) {
	applied := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var highest capture.HLC
		for _, op := range ops {
			ok, err := s.applyRemote(ctx, tx, op)
			if err != nil {
				return err
			}
			if ok {
				applied++
				highest = max(highest, op.HLC)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('max_remote_hlc', ?)
			ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`, fmt.Sprint(int64(s.clock.Clamp(highest))))
		return err
	})
	if err != nil {
		return 0, err
	}
	return applied, nil
}

// applyRemote applies one op from elsewhere, or sets it aside; it reports whether the op was new
// and applied.
func (s *Store) applyRemote(ctx context.Context, tx *sql.Tx, op capture.Op) (bool, error) {
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ops WHERE op_id = ?`, op.ID).Scan(&held); err != nil {
		return false, err
	}
	if held > 0 {
		return false, nil
	}
	payload, err := capture.CheckOp(op, s.now())
	reason := ""
	if err != nil {
		reason = err.Error()
	} else if m, ok := payload.(*capture.MergeRecord); ok {
		if reason, err = mergeConflict(ctx, tx, m.Keep, m.Others); err != nil {
			return false, err
		}
	}
	if reason == "" {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT remote_op`); err != nil {
			return false, err
		}
		_, err := s.applyOp(ctx, tx, op)
		if err == nil {
			_, err = tx.ExecContext(ctx, `RELEASE remote_op`)
			return err == nil, err
		}
		if ctx.Err() != nil {
			return false, err // stopped, not the op's fault
		}
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO remote_op`); rerr != nil {
			return false, errors.Join(err, rerr)
		}
		reason = err.Error()
	}
	return false, s.setAside(ctx, tx, op, false, reason)
}

// mergeConflict says why keep and others cannot be merged as things stand, or "": a lead merged
// away already, or erased, cannot join another merge (that is what keeps merges acyclic).
func mergeConflict(ctx context.Context, q querier, keep string, others []string) (string, error) {
	if slices.Contains(others, keep) {
		return fmt.Sprintf("lead %s cannot be merged into itself", keep), nil
	}
	for _, id := range append([]string{keep}, others...) {
		var into string
		var erased int
		err := q.QueryRowContext(ctx, `SELECT merged_into, erased FROM leads WHERE id = ?`, id).Scan(&into, &erased)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue // a lead this device does not hold
		case err != nil:
			return "", err
		case erased == 1:
			return fmt.Sprintf("lead %s is erased", id), nil
		case into != "":
			return fmt.Sprintf("lead %s is already merged into %s", id, into), nil
		}
	}
	return "", nil
}

// setAside keeps the envelope of an op that is not applied here, and why; never its payload.
func (s *Store) setAside(ctx context.Context, q querier, op capture.Op, local bool, reason string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO set_aside (op_id, kind, entity_id, device_id, hlc, local, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (op_id) DO UPDATE SET reason = excluded.reason, at = excluded.at`,
		op.ID, string(op.Kind), op.Entity, op.Device, int64(op.HLC), local, reason, s.now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("set op %s aside: %w", op.ID, err)
	}
	return nil
}

// Refused records that the server refused one of this device's ops, with its reason. A refused
// merge is undone here too, so that this device shows what the others show.
func (s *Store) Refused(ctx context.Context, opID, reason string) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		var op capture.Op
		var h int64
		var sealed []byte
		err := tx.QueryRowContext(ctx, `SELECT op_id, device_id, hlc, kind, entity_id, payload FROM ops WHERE op_id = ? AND device_id = ?`, opID, s.device).
			Scan(&op.ID, &op.Device, &h, &op.Kind, &op.Entity, &sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not one of ours: nothing to set aside
		}
		if err != nil {
			return err
		}
		op.HLC = capture.HLC(h)
		if err := s.setAside(ctx, tx, op, true, reason); err != nil {
			return err
		}
		if op.Kind != capture.OpLeadMerge {
			return nil
		}
		st := capture.NewState()
		if err := loadMerges(ctx, tx, st, `WHERE id = ?`, op.Entity); err != nil {
			return err
		}
		if m := st.Merges[op.Entity]; m != nil && !m.Undone {
			m.Undone = true
			return s.save(ctx, tx, st, op)
		}
		return nil
	})
}

// SetAsideOp is an op this device does not apply: one it received and could not, or one of
// its own the server refused.
type SetAsideOp struct {
	OpID   string         `json:"op_id"`
	Kind   capture.OpKind `json:"kind"`
	Entity string         `json:"entity_id"`
	Device string         `json:"device_id"`
	Local  bool           `json:"local"`
	Reason string         `json:"reason"`
	At     string         `json:"at"`
}

// SetAside lists the ops set aside, newest first.
func (s *Store) SetAside(ctx context.Context) ([]SetAsideOp, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT op_id, kind, entity_id, device_id, local, reason, at FROM set_aside ORDER BY at DESC, op_id`)
	if err != nil {
		return nil, fmt.Errorf("read set-aside ops: %w", err)
	}
	defer rows.Close()
	var out []SetAsideOp
	for rows.Next() {
		var o SetAsideOp
		if err := rows.Scan(&o.OpID, &o.Kind, &o.Entity, &o.Device, &o.Local, &o.Reason, &o.At); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
