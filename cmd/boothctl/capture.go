package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/csvimport"
	"github.com/boothledger/boothledger/capture/store"
)

// consentFlags are the provenance flags shared by capture add and capture import.
type consentFlags struct {
	event, source, staff, consents, method, shown string
}

func (c *consentFlags) register(f *cmdFlags, defaultSource capture.Source) {
	f.StringVar(&c.event, "event", "", "event id")
	f.StringVar(&c.source, "source", string(defaultSource), "booth_card, survey, kiosk, rep_exchange, badge_scan, import or telesales")
	f.StringVar(&c.staff, "staff", "", "who captured")
	f.StringVar(&c.consents, "consent", "", "consents given, comma-separated: purpose, email_optin, third_party, joint_use")
	f.StringVar(&c.method, "consent-method", "checkbox", "checkbox, signature, verbal or implied_card")
	f.StringVar(&c.shown, "shown", "", "how the notice was shown: screen, print, verbal or none (default: print for a survey, screen when consent is recorded, else none)")
}

func (c *consentFlags) capture() capture.NewCapture {
	n := capture.NewCapture{EventID: c.event, Source: capture.Source(c.source), Staff: c.staff,
		Method: capture.ConsentMethod(c.method), Shown: capture.Shown(c.shown)}
	for _, k := range list(c.consents) {
		n.Consents = append(n.Consents, capture.ConsentKind(k))
	}
	return n
}

func (m *Main) captureAdd(ctx context.Context, args []string) error {
	f := newFlags("capture add")
	var cf consentFlags
	cf.register(f, capture.SourceBoothCard)
	var p capture.Person
	for _, name := range capture.PersonFields {
		f.StringVar(p.Field(name), name, "", name)
	}
	answers := f.String("answers", "", "survey answers JSON file")
	rating := f.String("rating", "", "A, B or C")
	note := f.String("note", "", "memo")
	lead := f.String("lead", "", "record as another capture of this lead (staff decided it is the same person)")
	newLead := f.Bool("new-lead", false, "a new lead even if the matcher finds the person known (staff decided it is someone else)")
	at := f.String("at", "", "when the card was taken (RFC 3339 or YYYY-MM-DD; default now)")
	confirm := f.Bool("confirm-suppressed", false, "the person was erased or opted out before and has now given fresh consent")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	n := cf.capture()
	n.Person, n.Rating, n.Note, n.LeadID, n.NewLead, n.ConfirmSuppressed = p, capture.Rating(*rating), *note, *lead, *newLead, *confirm
	if *answers != "" {
		data, err := m.readJSONInput("answers", *answers)
		if err != nil {
			return err
		}
		if n.Answers, err = capture.DecodeAnswers(data); err != nil {
			return err
		}
	}
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return capture.Invalid("at", "date")
		}
		n.At = t
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.AddCapture(ctx, n)
	if err != nil {
		return err
	}
	// What the app asks staff to confirm is said here too, after the fact: a script has no
	// one to ask.
	warnings := n.Warnings()
	if w, ok := unknownStaff(ctx, s, res.Capture.Staff); ok {
		warnings = append(warnings, w)
	}
	for _, w := range warnings {
		fmt.Fprintln(m.Stderr, "warning:", w.Message(m.Lang))
	}
	if f.json {
		cands := []string{}
		for _, c := range res.Candidates {
			cands = append(cands, c.Lead.ID)
		}
		return m.printJSON(map[string]any{"id": res.Capture.ID, "capture_id": res.Capture.ID, "lead_id": res.Lead.ID,
			"attached": res.Attached, "candidates": cands})
	}
	m.say("%s %s", res.Capture.ID, res.Lead.ID)
	for _, c := range res.Candidates {
		fmt.Fprintf(m.Stderr, "possible duplicate: lead %s (%s), matched on %v\n", c.Lead.ID, c.Lead.Person.Name, c.On)
	}
	return nil
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation(capture.DateLayout, s, time.Local)
}

// importLine is one line of capture import's JSON output.
type importLine struct {
	Line      int    `json:"line"`
	LeadID    string `json:"lead_id,omitempty"`
	CaptureID string `json:"capture_id,omitempty"`
	Error     string `json:"error,omitempty"`
}

func (m *Main) captureImport(ctx context.Context, args []string) error {
	f := newFlags("capture import")
	var cf consentFlags
	cf.register(f, capture.SourceImport)
	strict := f.Bool("strict", false, "import nothing if any row is bad")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	data, err := m.readInput("file", pos[0])
	if err != nil {
		return err
	}
	file, err := csvimport.Parse(data)
	if err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Event(ctx, cf.event); errors.Is(err, capture.ErrNotFound) {
		return cf.capture().NoEvent()
	} else if err != nil {
		return err
	}

	lines := make([]importLine, len(file.Rows))
	var good []capture.NewCapture
	var goodIdx []int
	for i, row := range file.Rows {
		lines[i].Line = row.Line
		if row.Err != nil {
			lines[i].Error = m.message(row.Err)
			continue
		}
		n := cf.capture()
		n.Person, n.At, n.Note = row.Person, row.At, row.Note
		n, err := s.CheckCapture(ctx, n)
		if err != nil {
			if !errors.Is(err, capture.ErrInvalid) {
				return err
			}
			lines[i].Error = m.message(err)
			continue
		}
		good = append(good, n)
		goodIdx = append(goodIdx, i)
	}
	bad := len(file.Rows) - len(good)
	if bad == 0 || !*strict {
		res, err := s.AddCaptures(ctx, good)
		if err != nil {
			return err
		}
		for j, r := range res {
			lines[goodIdx[j]].LeadID, lines[goodIdx[j]].CaptureID = r.Lead.ID, r.Capture.ID
		}
	}
	if f.json {
		for _, l := range lines {
			if err := m.printCompactJSON(l); err != nil {
				return err
			}
		}
	} else {
		for _, l := range lines {
			if l.Error != "" {
				fmt.Fprintf(m.Stderr, "line %d: %s\n", l.Line, l.Error)
			}
		}
	}
	imported := len(good)
	if bad > 0 && *strict {
		imported = 0
	}
	fmt.Fprintf(m.Stderr, "%s: %d imported, %d skipped (%s)\n", pos[0], imported, bad, file.Encoding)
	if len(file.Ignored) > 0 {
		fmt.Fprintf(m.Stderr, "columns not imported: %v\n", file.Ignored)
	}
	if bad > 0 && *strict {
		return fmt.Errorf("%d bad row(s): nothing imported (--strict)", bad)
	}
	return nil
}

// message renders an error for a person: field-level messages in the user's language.
func (m *Main) message(err error) string {
	var ve *capture.ValidationError
	if errors.As(err, &ve) {
		return ve.Message(m.Lang)
	}
	return err.Error()
}

// unknownStaff is the warning for a --staff name that is none of the registered staff (a
// typo that splits one person's captures in two), when any are registered: a device whose
// staff are not kept in it records whatever name it is given.
func unknownStaff(ctx context.Context, s *store.Store, name string) (capture.FieldError, bool) {
	if name == "" {
		return capture.FieldError{}, false
	}
	staff, err := s.StaffList(ctx)
	if err != nil || len(staff) == 0 {
		return capture.FieldError{}, false
	}
	for _, st := range staff {
		if st.Name == name { // both cleaned as the domain cleans names
			return capture.FieldError{}, false
		}
	}
	return capture.Field("staff", "unknown_staff", name), true
}
