package store

import (
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

// Org returns the organisation's details (ErrNotFound before the first SetOrg).
func (s *Store) Org(ctx context.Context) (capture.Org, error) {
	st := capture.NewState()
	if err := loadOrg(ctx, s.read, st); err != nil {
		return capture.Org{}, fmt.Errorf("read org: %w", err)
	}
	if st.Org == nil {
		return capture.Org{}, fmt.Errorf("org: %w", capture.ErrNotFound)
	}
	return *st.Org, nil
}

// Notice returns one notice version.
func (s *Store) Notice(ctx context.Context, id string) (capture.Notice, error) {
	return s.notice(ctx, s.read, id)
}

func (s *Store) notice(ctx context.Context, q querier, id string) (capture.Notice, error) {
	s.mu.Lock()
	n, ok := s.notices[id]
	s.mu.Unlock()
	if ok {
		return n, nil
	}
	var body string
	err := q.QueryRowContext(ctx, `SELECT id, version, supersedes, hash, body FROM notices WHERE id = ?`, id).
		Scan(&n.ID, &n.Version, &n.Supersedes, &n.Hash, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return n, fmt.Errorf("notice %s: %w", id, capture.ErrNotFound)
	}
	if err != nil {
		return n, fmt.Errorf("read notice: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &n.NoticeBody); err != nil {
		return n, fmt.Errorf("decode notice %s: %w", id, err)
	}
	s.mu.Lock()
	s.notices[id] = n
	s.mu.Unlock()
	return n, nil
}

// noticeErrors counts the checker's errors in a notice, once per notice: notices never change.
func (s *Store) noticeErrors(n capture.Notice) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	errs, ok := s.lintErrors[n.ID]
	if !ok {
		errs = capture.Errors(n.Lint())
		s.lintErrors[n.ID] = errs
	}
	return errs
}

// Notices returns every notice version, newest first.
func (s *Store) Notices(ctx context.Context) ([]capture.Notice, error) {
	ids, err := s.strings(ctx, `SELECT id FROM notices ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	out := make([]capture.Notice, 0, len(ids))
	for _, id := range ids {
		n, err := s.Notice(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id string) (capture.Event, error) {
	return s.event(ctx, s.read, id)
}

func (s *Store) event(ctx context.Context, q querier, id string) (capture.Event, error) {
	if id == "" {
		return capture.Event{}, fmt.Errorf("event: %w", capture.ErrNotFound)
	}
	s.mu.Lock()
	e, ok := s.events[id]
	dirty, gen := s.eventsDirty, s.eventsGen
	s.mu.Unlock()
	if ok && !dirty {
		return e, nil
	}
	st := capture.NewState()
	if err := loadEvent(ctx, q, st, id); err != nil {
		return capture.Event{}, fmt.Errorf("read event: %w", err)
	}
	loaded, ok := st.Events[id]
	if !ok {
		return capture.Event{}, fmt.Errorf("event %s: %w", id, capture.ErrNotFound)
	}
	s.mu.Lock()
	// Cache only what no write has touched since the read began: that value is committed.
	if !dirty && !s.eventsDirty && s.eventsGen == gen {
		s.events[id] = *loaded
	}
	s.mu.Unlock()
	return *loaded, nil
}

// Events returns every event, the most recent date first.
func (s *Store) Events(ctx context.Context) ([]capture.Event, error) {
	st := capture.NewState()
	if err := loadEvent(ctx, s.read, st, ""); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	out := make([]capture.Event, 0, len(st.Events))
	for _, e := range st.Events {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b capture.Event) int {
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// Lead returns one lead as shown: combined with the leads merged into it.
func (s *Store) Lead(ctx context.Context, id string) (capture.Lead, error) {
	return s.combined(ctx, s.read, id)
}

// MergedInto returns the lead a merge shows this one as part of, or "".
func (s *Store) MergedInto(ctx context.Context, id string) (string, error) {
	var into string
	err := s.read.QueryRowContext(ctx, `SELECT merged_into FROM leads WHERE id = ?`, id).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("lead %s: %w", id, capture.ErrNotFound)
	}
	return into, err
}

func (s *Store) lead(ctx context.Context, q querier, id string) (capture.Lead, error) {
	l, err := scanLead(q.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return capture.Lead{}, fmt.Errorf("lead %s: %w", id, capture.ErrNotFound)
	}
	if err != nil {
		return capture.Lead{}, fmt.Errorf("read lead: %w", err)
	}
	return *l, nil
}

// LeadQuery selects leads, a page at a time.
type LeadQuery struct {
	EventID string // only leads captured at this event
	Search  string // a substring of name, reading, company, email or phone
	Erased  bool   // include erased leads
	// Captures taken by this staff member, from this source, on these local dates
	// (YYYY-MM-DD, inclusive; either may be ""): with EventID, one capture must meet them all.
	Staff    string
	Source   capture.Source
	From, To string
	Ratings  []capture.Rating // any of these ("" is unrated); nil: any rating
	Allowed  capture.Channel  // only leads this channel is allowed for
	Sort     LeadSort
	Reverse  bool // the sort's other direction
	Offset   int
	Limit    int // 0: no limit
	// Listing leaves out what only applying ops needs (the per-field stamps).
	Listing bool
}

// LeadSort is what a lead list is ordered by. Each has its natural direction: the most
// recently seen first, names and companies in reading order with blanks last, rating A
// first and unrated last, the most channels allowed first, the newest event first.
type LeadSort string

// The lead list's orders.
const (
	SortLastSeen    LeadSort = "" // captured at
	SortName        LeadSort = "name"
	SortCompany     LeadSort = "company"
	SortTitle       LeadSort = "title"
	SortEmail       LeadSort = "email"
	SortEvent       LeadSort = "event"
	SortStaff       LeadSort = "staff"
	SortRating      LeadSort = "rating"
	SortPermissions LeadSort = "permissions"
)

// LeadSorts are the orders, in the lead table's column order.
var LeadSorts = []LeadSort{SortName, SortCompany, SortTitle, SortEmail, SortEvent, SortLastSeen, SortStaff, SortRating, SortPermissions}

// sortTerms are each order's ORDER BY terms, each followed by its direction; every order
// matches an index of migration 0011 so that a page is read in order, not sorted.
var sortTerms = map[LeadSort][]string{
	SortLastSeen:    {"last_seen", "DESC", "id", "DESC"},
	SortName:        {"(sort_name = '')", "", "sort_name", "", "id", ""},
	SortCompany:     {"(sort_company = '')", "", "sort_company", "", "id", ""},
	SortTitle:       {"(sort_title = '')", "", "sort_title", "", "id", ""},
	SortEmail:       {"(sort_email = '')", "", "sort_email", "", "id", ""},
	SortEvent:       {"last_event", "DESC", "last_seen", "DESC", "id", "DESC"},
	SortStaff:       {"(last_staff = '')", "", "last_staff", "", "last_seen", "", "id", ""},
	SortRating:      {"(rating = '')", "", "rating", "", "last_seen", "", "id", ""},
	SortPermissions: {"allowed", "DESC", "last_seen", "DESC", "id", "DESC"},
}

// orderBy is q's ORDER BY clause.
func (q LeadQuery) orderBy() (string, error) {
	terms, ok := sortTerms[q.Sort]
	if !ok {
		return "", capture.Invalid("sort", "one_of", fmt.Sprint(LeadSorts))
	}
	parts := make([]string, 0, len(terms)/2)
	for i := 0; i < len(terms); i += 2 {
		dir := terms[i+1]
		if q.Reverse {
			dir = map[string]string{"": "DESC", "DESC": ""}[dir]
		}
		parts = append(parts, strings.TrimSpace(terms[i]+" "+dir))
	}
	return " ORDER BY " + strings.Join(parts, ", "), nil
}

// probe says how where matches a lead's captures. A list of the leads they keep costs in
// proportion to how many it holds (83 ms for 100,000); a probe of each lead's captures stops
// once a page is full, which is cheap when most leads pass and dear when few do.
type probe int

const (
	probeList   probe = iota // id IN (the leads the matching captures belong to)
	probeEach                // EXISTS (a matching capture of this lead)
	probeIgnore              // leave the capture filters out (to count what they filter)
)

// filtersCaptures reports whether q filters on its leads' captures.
func (q LeadQuery) filtersCaptures() bool {
	return q.EventID != "" || q.Staff != "" || q.Source != "" || q.From != "" || q.To != ""
}

// where is q's WHERE clause and its arguments.
func (q LeadQuery) where(how probe) (string, []any, error) {
	where := []string{"merged_into = ''"}
	var args []any
	if !q.Erased {
		where = append(where, "erased = 0")
	}
	// What a capture must meet: a lead merged into another shows its captures as the kept
	// lead's (merges are few; the second half reads only theirs).
	var cc []string
	var cargs []any
	add := func(cond string, v any) {
		cc, cargs = append(cc, cond), append(cargs, v)
	}
	if q.EventID != "" {
		add("c.event_id = ?", q.EventID)
	}
	if q.Staff != "" {
		add("c.staff = ?", q.Staff)
	}
	if q.Source != "" {
		add("c.source = ?", string(q.Source))
	}
	for _, d := range []struct {
		field, date, op string
	}{{"from", q.From, ">="}, {"to", q.To, "<="}} {
		if d.date == "" {
			continue
		}
		if _, err := time.Parse(capture.DateLayout, d.date); err != nil {
			return "", nil, capture.Invalid(d.field, "date")
		}
		add("c.day "+d.op+" ?", d.date)
	}
	if q.From != "" && q.To != "" && q.To < q.From {
		return "", nil, capture.Invalid("to", "end_before_start")
	}
	if len(cc) > 0 && how != probeIgnore {
		conds := strings.Join(cc, " AND ")
		// A probe of one lead's captures goes by its lead: a filter index would scan every
		// capture at the event for each lead.
		of := func(lead string) string {
			return "EXISTS (SELECT 1 FROM captures c INDEXED BY captures_lead WHERE c.lead_id = " + lead + " AND " + conds + ")"
		}
		merged := "SELECT m.merged_into FROM leads m WHERE m.merged_into > '' AND " + of("m.id")
		if how == probeEach {
			where = append(where, "("+of("leads.id")+" OR id IN ("+merged+"))")
		} else {
			where = append(where, "id IN (SELECT c.lead_id FROM captures c WHERE "+conds+" UNION ALL "+merged+")")
		}
		args = append(append(args, cargs...), cargs...)
	}
	if q.Ratings != nil {
		marks := make([]string, len(q.Ratings))
		for i, r := range q.Ratings {
			if !slices.Contains([]capture.Rating{"", "A", "B", "C"}, r) {
				return "", nil, capture.Invalid("rating", "one_of", "A, B, C")
			}
			marks[i] = "?"
			args = append(args, string(r))
		}
		where = append(where, "rating IN ("+strings.Join(marks, ", ")+")")
	}
	if q.Allowed != "" {
		bit := channelBit(q.Allowed)
		if bit == 0 {
			return "", nil, capture.Invalid("channel", "one_of", fmt.Sprint(capture.Channels))
		}
		where = append(where, "allowed & ? <> 0")
		args = append(args, bit)
	}
	if text := strings.TrimSpace(q.Search); text != "" {
		cond := `search LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(capture.NormText(text))+"%")
		if digits := capture.NormPhone(text); digits != "" && isPhoneLike(text) {
			cond = "(" + cond + ` OR search LIKE ? ESCAPE '\')`
			args = append(args, "%"+digits+"%")
		}
		where = append(where, cond)
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// channelBit is a channel's bit in the allowed column: individual contact the highest, so
// that sorting by the column puts the leads one may contact first.
func channelBit(ch capture.Channel) int {
	i := slices.Index(capture.Channels, ch)
	if i < 0 {
		return 0
	}
	return 1 << (len(capture.Channels) - 1 - i)
}

// allowedBits is the allowed column of a lead: the bits of the channels it allows.
func allowedBits(l *capture.Lead) int {
	bits := 0
	for _, p := range l.Permissions() {
		if p.Allowed {
			bits |= channelBit(p.Channel)
		}
	}
	return bits
}

// LeadRow is a lead as the lead table lists it, with the event and staff of its latest
// capture.
type LeadRow struct {
	capture.Lead
	EventID, Staff string
}

// LeadPage is one page of a lead list, with how many leads the whole list holds.
type LeadPage struct {
	Rows  []LeadRow
	Total int
}

// Leads returns the leads that match q, most recently seen first unless q sorts otherwise.
func (s *Store) Leads(ctx context.Context, q LeadQuery) ([]capture.Lead, error) {
	rows, err := s.leadRows(ctx, q, probeList)
	if err != nil {
		return nil, err
	}
	out := make([]capture.Lead, len(rows))
	for i, r := range rows {
		out[i] = r.Lead
	}
	return out, nil
}

// LeadPage returns the page of leads q asks for (Offset, Limit) and the true number of
// leads that match q.
func (s *Store) LeadPage(ctx context.Context, q LeadQuery) (LeadPage, error) {
	var p LeadPage
	if !q.filtersCaptures() {
		// The count and the page each read on a connection of their own, side by side.
		counted := make(chan error, 1)
		go func() {
			var err error
			p.Total, err = s.CountLeads(ctx, q)
			counted <- err
		}()
		rows, err := s.leadRows(ctx, q, probeList)
		if err := errors.Join(<-counted, err); err != nil {
			return LeadPage{}, err
		}
		p.Rows = rows
		return p, nil
	}
	// Filtered by captures: the count, and beside it how many leads the other filters keep,
	// say how to read the page — probing lead by lead while most pass, else from the list.
	var all int
	counted := make(chan error, 1)
	go func() {
		var err error
		all, err = s.count(ctx, q, probeIgnore)
		counted <- err
	}()
	total, err := s.CountLeads(ctx, q)
	if err := errors.Join(<-counted, err); err != nil {
		return LeadPage{}, err
	}
	// A page in the far half is read from the other end, in the reverse order, so that it is
	// as near the start as the first half's pages are.
	r, far := q, q.Limit > 0 && q.Offset > total/2
	if far {
		r.Reverse, r.Offset, r.Limit = !q.Reverse, max(total-q.Offset-q.Limit, 0), min(q.Limit, total-q.Offset)
	}
	how := probeList
	if total > 0 && (max(r.Offset, 0)+max(r.Limit, leadsProbed))*all/total <= leadsProbed {
		how = probeEach
	}
	rows, err := s.leadRows(ctx, r, how)
	if far {
		slices.Reverse(rows)
	}
	return LeadPage{Rows: rows, Total: total}, err
}

// leadsProbed is how many leads a page may probe one by one before reading them from a
// list is cheaper (about 10 ms of probes against the list's 20 to 80).
const leadsProbed = 10_000

// CountLeads counts the leads that match q (Offset and Limit aside).
func (s *Store) CountLeads(ctx context.Context, q LeadQuery) (int, error) {
	return s.count(ctx, q, probeList)
}

func (s *Store) count(ctx context.Context, q LeadQuery, how probe) (int, error) {
	where, args, err := q.where(how)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM leads`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count leads: %w", err)
	}
	return n, nil
}

func (s *Store) leadRows(ctx context.Context, q LeadQuery, how probe) ([]LeadRow, error) {
	where, args, err := q.where(how)
	if err != nil {
		return nil, err
	}
	order, err := q.orderBy()
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + leadColumns + `, perms, rating, erased, last_seen, last_event, last_staff FROM leads` + where + order
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1 // SQLite's "no limit", which OFFSET needs
		}
		query += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(q.Offset, 0))
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	var raws []rawRow
	var out []LeadRow
	for rows.Next() {
		var r rawRow
		var lr LeadRow
		if err := rows.Scan(&r.id, &r.personal, &r.state, &r.perms, &r.rating, &r.erased, &r.lastSeen, &lr.EventID, &lr.Staff); err != nil {
			return nil, err
		}
		raws, out = append(raws, r), append(out, lr)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = capture.Parallel(len(raws), func(i int) error {
		if q.Listing {
			if l, ok := raws[i].summary(); ok {
				out[i].Lead = l
				return nil
			}
		}
		l, err := scanLeadState(raws[i], !q.Listing)
		if err == nil {
			out[i].Lead = *l
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Kept leads of merges are shown combined (merges are few; the rest is untouched).
	keeps, err := s.strings(ctx, `SELECT DISTINCT keep FROM merges WHERE undone = 0`)
	if err != nil || len(keeps) == 0 {
		return out, err
	}
	for i := range out {
		if slices.Contains(keeps, out[i].ID) {
			if out[i].Lead, err = s.combined(ctx, s.read, out[i].ID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// rawRow is a lead row read but not yet decoded.
type rawRow struct {
	id            string
	personal      []byte
	state         string
	perms, rating string
	erased        bool
	lastSeen      string
}

// summary builds a listing's lead from the summary columns, leaving the history (state)
// undecoded; it reports false for a row written before those columns existed.
func (r rawRow) summary() (capture.Lead, bool) {
	l := capture.Lead{ID: r.id, Rating: capture.Rating(r.rating)}
	if !l.UseSummary(r.perms) {
		return l, false
	}
	if err := openJSON(r.personal, &l.Person); err != nil {
		return l, false
	}
	if r.erased {
		l.Erased = &capture.ErasedMark{}
	}
	l.LastSeen, _ = time.Parse(time.RFC3339Nano, r.lastSeen)
	return l, true
}

func (r rawRow) Scan(dest ...any) error {
	*dest[0].(*string), *dest[1].(*[]byte), *dest[2].(*string) = r.id, r.personal, r.state
	return nil
}

// CapturesAt returns, per lead, the captures made at the given events, oldest first, with
// only what a list shows of them: event, time, staff, source and notice (no consents, no
// personal fields). SQLite reads the notice id out of the evidence itself.
func (s *Store) CapturesAt(ctx context.Context, eventIDs []string) (map[string][]capture.Capture, error) {
	out := map[string][]capture.Capture{}
	for _, id := range eventIDs {
		rows, err := s.read.QueryContext(ctx, `SELECT lead_id, at, staff, source, json_extract(evidence, '$.notice_id') FROM captures
			WHERE event_id = ? ORDER BY hlc, id`, id)
		if err != nil {
			return nil, fmt.Errorf("read captures: %w", err)
		}
		for rows.Next() {
			c := capture.Capture{EventID: id}
			var at string
			if err := rows.Scan(&c.LeadID, &at, &c.Staff, &c.Source, &c.NoticeID); err != nil {
				rows.Close()
				return nil, err
			}
			c.At, _ = time.Parse(time.RFC3339Nano, at)
			out[c.LeadID] = append(out[c.LeadID], c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func isPhoneLike(s string) bool {
	return strings.Trim(capture.NormText(s), "0123456789+-()") == ""
}

// CapturesOf returns the captures of a lead, oldest first.
func (s *Store) CapturesOf(ctx context.Context, leadID string) ([]capture.Capture, error) {
	// A merged lead's captures include those of the leads merged into it, at any depth.
	rows, err := s.read.QueryContext(ctx, `WITH RECURSIVE grp(id) AS (SELECT ?1 UNION SELECT l.id FROM leads l JOIN grp ON l.merged_into = grp.id)
		SELECT `+captureColumns+` FROM captures WHERE lead_id IN (SELECT id FROM grp) ORDER BY hlc, id`, leadID)
	if err != nil {
		return nil, fmt.Errorf("list captures: %w", err)
	}
	defer rows.Close()
	var out []capture.Capture
	for rows.Next() {
		c, err := scanCapture(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// Candidates returns the known leads the 名寄せ matcher says may be the same person as p,
// best first, each with its decision and reasons: the leads sharing a blocking key with p,
// scored as the duplicates report scores them.
func (s *Store) Candidates(ctx context.Context, p capture.Person) ([]capture.Candidate, error) {
	return candidates(ctx, s.read, p, 20)
}

// maxCandidates bounds the leads compared with a capture: a key shared by more identifies
// no one (the matcher skips such blocks too).
const maxCandidates = 200

func candidates(ctx context.Context, q querier, p capture.Person, limit int) ([]capture.Candidate, error) {
	k := keysOf(p)
	if k.Keys == (match.Keys{}) {
		return nil, nil
	}
	// One OR of indexed equalities: SQLite answers it with a multi-index OR, without the
	// temporary b-trees a UNION or an ORDER BY would need. The unary + keeps erased and
	// merged_into from steering it to a lead-table index, which would read every lead.
	// Only the personal part is read for scoring; the few leads the matcher keeps are read
	// whole afterwards (their state is most of a row's decoding).
	rows, err := q.QueryContext(ctx, `SELECT id, personal FROM leads WHERE +erased = 0 AND (
			(email_key = ?1 AND email_key <> '')
			OR (phone_key = ?2 AND phone_key <> '')
			OR (mobile_key = ?3 AND mobile_key <> '')
			OR (name_company_key = ?4 AND name_company_key <> '')
			OR (reading_company_key = ?5 AND reading_company_key <> '')) AND +merged_into = '' LIMIT ?6`,
		k.Email, k.Phone, k.Mobile, k.NameCompany, k.ReadingCompany, maxCandidates)
	if err != nil {
		return nil, fmt.Errorf("find candidates: %w", err)
	}
	recs := []match.Record{{Person: p}} // the capture, id ""
	for rows.Next() {
		r := match.Record{}
		var sealed []byte
		if err := rows.Scan(&r.ID, &sealed); err != nil {
			rows.Close()
			return nil, err
		}
		if err := openJSON(sealed, &r.Person); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lead %s: %w", r.ID, err)
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []capture.Candidate
	for _, pair := range match.New(recs).Against("") {
		out = append(out, capture.Candidate{Lead: capture.Lead{ID: pair.A + pair.B}, // one of them is the capture's ""
			Decision: pair.Decision, Score: pair.Score, On: pair.Reasons})
		if len(out) == limit {
			break
		}
	}
	for i := range out {
		c := &out[i]
		l, err := scanLead(q.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`, c.Lead.ID))
		if err != nil {
			return nil, fmt.Errorf("candidate %s: %w", c.Lead.ID, err)
		}
		c.Lead = *l
		var at string
		err = q.QueryRowContext(ctx, `SELECT at, staff, event_id FROM captures WHERE lead_id = ? ORDER BY hlc DESC LIMIT 1`, c.Lead.ID).
			Scan(&at, &c.LastStaff, &c.LastEvent)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("last capture: %w", err)
		}
		c.LastAt, _ = time.Parse(time.RFC3339Nano, at)
	}
	return out, nil
}

// CountOn counts the captures of an event taken on one local date (YYYY-MM-DD): the capture
// screen's "today" figure, cheap enough to refresh after every save. Imports are left out: a
// list read in this morning is not today's visitors.
func (s *Store) CountOn(ctx context.Context, eventID, day string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM captures WHERE event_id = ? AND day = ? AND source <> ?`,
		eventID, day, capture.SourceImport).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count captures: %w", err)
	}
	return n, nil
}

// LoggedOp is an op with its position in the local log.
type LoggedOp struct {
	Seq int64 `json:"seq"`
	capture.Op
}

// Ops returns up to limit ops after seq, in log order (limit 0: all).
func (s *Store) Ops(ctx context.Context, after int64, limit int) ([]LoggedOp, error) {
	return s.ops(ctx, "", after, limit)
}

// LocalOps returns up to limit ops made on this device after seq, in log order: what sync
// pushes.
func (s *Store) LocalOps(ctx context.Context, after int64, limit int) ([]LoggedOp, error) {
	return s.ops(ctx, s.device, after, limit)
}

// PendingOps counts the ops made on this device after seq.
func (s *Store) PendingOps(ctx context.Context, after int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM ops WHERE seq > ? AND device_id = ?`, after, s.device).Scan(&n)
	return n, err
}

func (s *Store) ops(ctx context.Context, device string, after int64, limit int) ([]LoggedOp, error) {
	query := `SELECT seq, op_id, device_id, hlc, kind, entity_id, payload FROM ops WHERE seq > ? AND (? = '' OR device_id = ?) ORDER BY seq`
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.read.QueryContext(ctx, query, after, device, device)
	if err != nil {
		return nil, fmt.Errorf("list ops: %w", err)
	}
	defer rows.Close()
	var out []LoggedOp
	for rows.Next() {
		var o LoggedOp
		var h int64
		var sealed []byte
		if err := rows.Scan(&o.Seq, &o.ID, &o.Device, &h, &o.Kind, &o.Entity, &sealed); err != nil {
			return nil, err
		}
		o.HLC = capture.HLC(h)
		raw, err := openBytes(sealed)
		if err != nil {
			return nil, fmt.Errorf("op %s: %w", o.ID, err)
		}
		o.Payload = raw
		out = append(out, o)
	}
	return out, rows.Err()
}

// Snapshot reads the whole state, as Apply over the op log would build it.
func (s *Store) Snapshot(ctx context.Context) (*capture.State, error) {
	st := capture.NewState()
	if err := loadOrg(ctx, s.read, st); err != nil {
		return nil, err
	}
	ids, err := s.strings(ctx, `SELECT id FROM notices`)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		n, err := s.Notice(ctx, id)
		if err != nil {
			return nil, err
		}
		st.Notices[id] = &n
	}
	if err := loadEvent(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	if err := loadStaff(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	if err := loadExports(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	if err := loadMerges(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	if err := loadLinks(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	if err := loadBodies(ctx, s.read, "suppressions", "", nil, func(_ string, v *capture.Suppression) { st.Suppressions[v.Key] = v }); err != nil {
		return nil, err
	}
	if err := loadBodies(ctx, s.read, "requests", "", nil, func(_ string, r *capture.RequestRecord) { st.Requests[r.ID] = r }); err != nil {
		return nil, err
	}
	if err := loadDetaches(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+leadColumns+` FROM leads`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		st.Leads[l.ID] = l
	}
	rows.Close()
	if err := loadCaptures(ctx, s.read, st, ""); err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Capture returns one capture.
func (s *Store) Capture(ctx context.Context, id string) (capture.Capture, error) {
	c, err := scanCapture(s.read.QueryRowContext(ctx, `SELECT `+captureColumns+` FROM captures WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return capture.Capture{}, fmt.Errorf("capture %s: %w", id, capture.ErrNotFound)
	}
	if err != nil {
		return capture.Capture{}, fmt.Errorf("read capture: %w", err)
	}
	return *c, nil
}

// StaffList returns the staff members by name.
func (s *Store) StaffList(ctx context.Context) ([]capture.Staff, error) {
	st := capture.NewState()
	if err := loadStaff(ctx, s.read, st, ""); err != nil {
		return nil, fmt.Errorf("read staff: %w", err)
	}
	out := make([]capture.Staff, 0, len(st.Staff))
	for _, m := range st.Staff {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b capture.Staff) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ExportRecords lists export records, oldest first: those that included leadID, or all when
// leadID is ""; provisionsOnly keeps those whose data left the company.
func (s *Store) ExportRecords(ctx context.Context, leadID string, provisionsOnly bool) ([]capture.ExportRecord, error) {
	st := capture.NewState()
	where, args := "WHERE 1", []any{}
	if leadID != "" {
		where += " AND id IN (SELECT export_id FROM export_leads WHERE lead_id = ?)"
		args = append(args, leadID)
	}
	if provisionsOnly {
		where += " AND basis <> 'own'"
	}
	if err := loadExports(ctx, s.read, st, where, args...); err != nil {
		return nil, fmt.Errorf("read exports: %w", err)
	}
	out := make([]capture.ExportRecord, 0, len(st.Exports))
	for _, r := range st.Exports {
		out = append(out, *r)
	}
	// A detached card went wherever the lead it sat in went before it left (Art.33: to whom
	// the person's data was given).
	var from string
	var h int64
	err := s.read.QueryRowContext(ctx, `SELECT from_lead, hlc FROM detaches WHERE capture_id = ?`, leadID).Scan(&from, &h)
	switch {
	case leadID == "" || errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("read detach: %w", err)
	default:
		earlier, err := s.ExportRecords(ctx, from, provisionsOnly)
		if err != nil {
			return nil, err
		}
		left := capture.HLC(h).Time() // to the millisecond: a record of that millisecond counts
		for _, r := range earlier {
			if !r.At.Truncate(time.Millisecond).After(left) && !slices.ContainsFunc(out, func(x capture.ExportRecord) bool { return x.ID == r.ID }) {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b capture.ExportRecord) int { return a.At.Compare(b.At) })
	return out, nil
}

// Links returns the pairs staff decided about, by LinkKey.
func (s *Store) Links(ctx context.Context) (map[string]capture.Link, error) {
	st := capture.NewState()
	if err := loadLinks(ctx, s.read, st, ""); err != nil {
		return nil, fmt.Errorf("read links: %w", err)
	}
	out := map[string]capture.Link{}
	for k, v := range st.Links {
		out[k] = *v
	}
	return out, nil
}

// Merge returns one merge record.
func (s *Store) Merge(ctx context.Context, id string) (capture.MergeRecord, error) {
	st := capture.NewState()
	if err := loadMerges(ctx, s.read, st, `WHERE id = ?`, id); err != nil {
		return capture.MergeRecord{}, err
	}
	m, ok := st.Merges[id]
	if !ok || m.Keep == "" {
		return capture.MergeRecord{}, fmt.Errorf("merge %s: %w", id, capture.ErrNotFound)
	}
	return *m, nil
}

// suppressionOf returns the suppression a person falls under, if any.
func (s *Store) suppressionOf(ctx context.Context, q querier, p capture.Person) (*capture.Suppression, error) {
	s.mu.Lock()
	key, known := s.suppressionKey, s.suppressionKeyKnown
	s.mu.Unlock()
	if !known { // read once: the capture path asks on every save
		org, err := s.Org(ctx)
		if err != nil && !errors.Is(err, capture.ErrNotFound) {
			return nil, err
		}
		key = org.SuppressionKey
		s.mu.Lock()
		s.suppressionKey, s.suppressionKeyKnown = key, true
		s.mu.Unlock()
	}
	var found *capture.Suppression
	for _, k := range capture.SuppressionKeys(key, p) {
		err := loadBodies(ctx, q, "suppressions", "WHERE key = ?", []any{k}, func(_ string, v *capture.Suppression) { found = v })
		if err != nil || found != nil {
			return found, err
		}
	}
	return nil, nil
}

// Requests lists the audit records of individuals' requests, oldest first.
func (s *Store) Requests(ctx context.Context) ([]capture.RequestRecord, error) {
	var out []capture.RequestRecord
	err := loadBodies(ctx, s.read, "requests", "ORDER BY at, id", nil, func(_ string, r *capture.RequestRecord) { out = append(out, *r) })
	return out, err
}

// EventEvidence calls fn with each capture at the event without its personal fields: LeadID
// is the lead it lives on in now (after merges), erased whether that lead was erased.
func (s *Store) EventEvidence(ctx context.Context, eventID string, fn func(c capture.Capture, erased bool) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT c.evidence, COALESCE(NULLIF(l.merged_into, ''), c.lead_id), COALESCE(l.erased, 0)
		FROM captures c LEFT JOIN leads l ON l.id = c.lead_id WHERE c.event_id = ? ORDER BY c.hlc`, eventID)
	if err != nil {
		return fmt.Errorf("read evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var evidence, lead string
		var erased bool
		if err := rows.Scan(&evidence, &lead, &erased); err != nil {
			return err
		}
		var c capture.Capture
		if err := json.Unmarshal([]byte(evidence), &c); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		c.LeadID = lead
		if err := fn(c, erased); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MergesInto returns the merges that folded other leads into keep, undone ones included,
// oldest first: part of what a disclosure tells the person.
func (s *Store) MergesInto(ctx context.Context, keep string) ([]capture.MergeRecord, error) {
	st := capture.NewState()
	if err := loadMerges(ctx, s.read, st, `WHERE keep = ?`, keep); err != nil {
		return nil, err
	}
	out := make([]capture.MergeRecord, 0, len(st.Merges))
	for _, m := range st.Merges {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b capture.MergeRecord) int { return a.Stamp.HLC.Time().Compare(b.Stamp.HLC.Time()) })
	return out, nil
}

// CorrectionEntry is one correction of a lead as its detail lists it.
type CorrectionEntry struct {
	capture.Correction
	At time.Time
}

// Corrections returns the corrections of a lead, oldest first.
func (s *Store) Corrections(ctx context.Context, leadID string) ([]CorrectionEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT hlc, payload FROM ops WHERE entity_id = ? AND kind = ? ORDER BY hlc`, leadID, string(capture.OpLeadCorrect))
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	defer rows.Close()
	var out []CorrectionEntry
	for rows.Next() {
		var h int64
		var sealed []byte
		if err := rows.Scan(&h, &sealed); err != nil {
			return nil, err
		}
		e := CorrectionEntry{At: capture.HLC(h).Time()}
		if err := openJSON(sealed, &e.Correction); err != nil {
			return nil, fmt.Errorf("correction of %s: %w", leadID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RequestsOf lists the audit records of the requests about one lead, oldest first.
func (s *Store) RequestsOf(ctx context.Context, leadID string) ([]capture.RequestRecord, error) {
	var out []capture.RequestRecord
	err := loadBodies(ctx, s.read, "requests", "WHERE json_extract(body, '$.lead') = ? ORDER BY at, id", []any{leadID},
		func(_ string, r *capture.RequestRecord) { out = append(out, *r) })
	return out, err
}
