package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
	"github.com/boothledger/boothledger/capture/store"
)

func (m *Main) orgSet(ctx context.Context, args []string) error {
	f := newFlags("org set")
	var o capture.Org
	f.StringVar(&o.Name, "name", "", "company name")
	f.StringVar(&o.Address, "address", "", "address")
	f.StringVar(&o.Representative, "representative", "", "representative")
	f.StringVar(&o.PrivacyManager, "privacy-manager", "", "person responsible for personal data")
	f.StringVar(&o.Contact, "contact", "", "contact for requests")
	f.StringVar(&o.PolicyURL, "policy-url", "", "privacy policy URL")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	o, err = s.SetOrg(ctx, o)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(o)
	}
	m.say("%s", o.Name)
	return nil
}

func (m *Main) orgShow(ctx context.Context, args []string) error {
	f := newFlags("org show")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	o, err := s.Org(ctx)
	if errors.Is(err, capture.ErrNotFound) {
		return capture.Invalid("org", "org_not_set")
	} else if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(o)
	}
	m.say("name:            %s\naddress:         %s\nrepresentative:  %s\nprivacy manager: %s\ncontact:         %s\npolicy url:      %s",
		o.Name, o.Address, o.Representative, o.PrivacyManager, o.Contact, o.PolicyURL)
	return nil
}

func (m *Main) noticeAdd(ctx context.Context, args []string) error {
	f := newFlags("notice add")
	supersedes := f.String("supersedes", "", "id of the notice version this one replaces")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	data, err := m.readJSONInput("notice", pos[0])
	if err != nil {
		return err
	}
	body, err := capture.DecodeNoticeBody(data)
	if err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.AddNotice(ctx, body, *supersedes)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(n)
	}
	m.say("%s", n.ID)
	return nil
}

func (m *Main) noticeShow(ctx context.Context, args []string) error {
	f := newFlags("notice show")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Notice(ctx, pos[0])
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(n)
	}
	m.say("%s (version %d, hash %s)", n.Title, n.Version, n.Hash)
	m.say("id: %s", n.ID)
	if n.Supersedes != "" {
		m.say("supersedes: %s", n.Supersedes)
	}
	m.say("purposes:")
	for i, p := range n.Purposes {
		m.say("  %d. %s", i+1, p)
	}
	m.say("items: %s", strings.Join(n.Items, ", "))
	if n.ThirdParty.Provides {
		m.say("third party: %s (items: %s; %s)", strings.Join(n.ThirdParty.Recipients, ", "), strings.Join(n.ThirdParty.Items, ", "), n.ThirdParty.Method)
	}
	if j := n.JointUse; j != nil {
		m.say("joint use: %s — %s (items: %s; responsible: %s, %s, %s)", j.Users, j.Purpose, strings.Join(j.Items, ", "), j.Responsible.Name, j.Responsible.Address, j.Responsible.Representative)
	}
	m.say("retention: %s\ncontact: %s\npolicy url: %s", n.Retention, n.Contact, n.PolicyURL)
	return nil
}

func (m *Main) eventAdd(ctx context.Context, args []string) error {
	f := newFlags("event add")
	var e capture.Event
	f.StringVar(&e.Name, "name", "", "event name")
	f.StringVar(&e.Venue, "venue", "", "venue")
	f.StringVar(&e.Date, "date", "", "first day, YYYY-MM-DD")
	f.StringVar(&e.End, "end", "", "last day, YYYY-MM-DD")
	f.StringVar(&e.NoticeID, "notice", "", "id of the purpose notice shown at this event")
	f.StringVar(&e.LintOverride, "lint-override", "", "a manager's reason to capture although the notice checker finds errors")
	f.StringVar(&e.Retention, "retention", "", "how long this event's data is kept (\"2年\"), at most what the notice says")
	survey := f.String("survey", "", "survey definition JSON file")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	if *survey != "" {
		data, err := m.readJSONInput("survey", *survey)
		if err != nil {
			return err
		}
		sv, err := capture.DecodeSurvey(data)
		if err != nil {
			return err
		}
		e.Survey = &sv
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	e, err = s.SaveEvent(ctx, e)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(e)
	}
	m.say("%s", e.ID)
	return nil
}

// openEvent opens the store and reads the event named on the command line.
func openEvent(ctx context.Context, f *cmdFlags, id string) (*store.Store, capture.Event, error) {
	s, err := f.open()
	if err != nil {
		return nil, capture.Event{}, err
	}
	e, err := s.Event(ctx, id)
	if errors.Is(err, capture.ErrNotFound) {
		err = capture.Invalid("event", "not_found", id)
	}
	if err != nil {
		s.Close()
		return nil, e, err
	}
	return s, e, nil
}

// eventEdit saves an edit of an event as its next version: only the flags given change.
func (m *Main) eventEdit(ctx context.Context, args []string) error {
	f := newFlags("event edit")
	name := f.String("name", "", "event name")
	venue := f.String("venue", "", "venue")
	date := f.String("date", "", "first day, 2026-11-25 or 2026/11/25")
	end := f.String("end", "", "last day (empty: a one-day event)")
	noticeID := f.String("notice", "", "id of the purpose notice shown from now on")
	retention := f.String("retention", "", "how long this event's data is kept, at most what the notice says")
	survey := f.String("survey", "", "survey definition JSON file (- for standard input)")
	noSurvey := f.Bool("no-survey", false, "the event has no survey from now on")
	confirm := f.Bool("confirm-survey-change", false, "change the survey although the event has begun or holds captures")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	if *survey != "" && *noSurvey {
		return usagef("event edit takes --survey or --no-survey, not both")
	}
	s, e, err := openEvent(ctx, f, pos[0])
	if err != nil {
		return err
	}
	defer s.Close()
	var readErr error
	f.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "name":
			e.Name = *name
		case "venue":
			e.Venue = *venue
		case "date":
			e.Date = *date
		case "end":
			e.End = *end
		case "notice":
			e.NoticeID = *noticeID
		case "retention":
			e.Retention = *retention
		case "no-survey":
			e.Survey = nil
		case "survey":
			data, err := m.readJSONInput("survey", *survey)
			if err == nil {
				var sv capture.Survey
				if sv, err = capture.DecodeSurvey(data); err == nil {
					e.Survey = &sv
				}
			}
			readErr = err
		}
	})
	if readErr != nil {
		return readErr
	}
	var opts []store.SaveOption
	if *confirm {
		opts = append(opts, store.ConfirmSurveyChange)
	}
	if e, err = s.SaveEvent(ctx, e, opts...); err != nil {
		if errors.Is(err, store.ErrSurveyRunning) {
			fmt.Fprintln(m.Stderr, "boothctl: add --confirm-survey-change to change it anyway")
		}
		return err
	}
	if f.json {
		return m.printJSON(e)
	}
	m.say("%s version %d", e.ID, e.Version)
	return nil
}

func (m *Main) eventList(ctx context.Context, args []string) error {
	f := newFlags("event list")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	events, err := s.Events(ctx)
	if err != nil {
		return err
	}
	if f.json {
		if events == nil {
			events = []capture.Event{}
		}
		return m.printJSON(events)
	}
	for _, e := range events {
		dates := e.Date
		if e.End != "" && e.End != e.Date {
			dates += "〜" + e.End
		}
		m.say("%s  %s  %s  %s", e.ID, dates, e.Name, e.Venue)
	}
	if len(events) == 0 {
		fmt.Fprintln(m.Stderr, "no events yet: boothctl event add --name .. --venue .. --date YYYY-MM-DD --notice ID")
	}
	return nil
}

func (m *Main) noticeLint(ctx context.Context, args []string) error {
	f := newFlags("notice lint")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	body, err := m.noticeBody(ctx, f, pos[0])
	if err != nil {
		return err
	}
	findings := body.Lint()
	errs := capture.Errors(findings)
	if f.json {
		if findings == nil {
			findings = []capture.Finding{}
		}
		if err := m.printJSON(map[string]any{"ok": errs == 0, "errors": errs, "warnings": len(findings) - errs, "findings": findings}); err != nil {
			return err
		}
	} else {
		for _, x := range findings {
			m.say("%-7s %-22s %-24s %s", x.Severity, x.Rule, x.Field, x.Message(m.Lang))
		}
		m.say("%d error(s), %d warning(s)", errs, len(findings)-errs)
	}
	if errs > 0 {
		return fmt.Errorf("the notice has %d error(s)", errs)
	}
	return nil
}

// noticeBody reads a notice from a JSON file, or from the database when arg is not a file.
func (m *Main) noticeBody(ctx context.Context, f *cmdFlags, arg string) (capture.NoticeBody, error) {
	if _, err := os.Stat(arg); err == nil || arg == "-" {
		data, err := m.readJSONInput("notice", arg)
		if err != nil {
			return capture.NoticeBody{}, err
		}
		body, err := capture.DecodeNoticeBody(data)
		if err != nil {
			return body, err
		}
		return body.Clean()
	}
	s, err := f.open()
	if err != nil {
		return capture.NoticeBody{}, err
	}
	defer s.Close()
	n, err := s.Notice(ctx, arg)
	if errors.Is(err, capture.ErrNotFound) {
		return capture.NoticeBody{}, capture.Invalid("notice", "not_found", arg)
	}
	return n.NoticeBody, err
}

func (m *Main) eventOverride(ctx context.Context, args []string) error {
	f := newFlags("event override")
	reason := f.String("reason", "", "why capturing may go ahead despite the notice checker's errors")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*reason) == "" {
		return capture.Invalid("reason", "required")
	}
	s, e, err := openEvent(ctx, f, pos[0])
	if err != nil {
		return err
	}
	defer s.Close()
	e.LintOverride = *reason
	if e, err = s.SaveEvent(ctx, e); err != nil {
		return err
	}
	if f.json {
		return m.printJSON(e)
	}
	m.say("%s", e.ID)
	return nil
}

func (m *Main) noticePDF(ctx context.Context, args []string) error {
	f := newFlags("notice pdf")
	layout := f.String("layout", "poster", "poster, tent or survey")
	eventID := f.String("event", "", "the event whose name and survey the print shows")
	out := f.String("o", "", "output PDF file")
	pos, err := f.parse(args, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("notice pdf needs -o FILE.pdf")
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	doc, err := noticeDoc(ctx, s, pos[0], *eventID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := notice.Render(&buf, notice.Layout(*layout), doc); err != nil {
		if errors.Is(err, notice.ErrNeedsEvent) {
			return capture.Invalid("event", "required")
		}
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if f.json {
		return m.printJSON(map[string]any{"file": *out, "bytes": buf.Len(), "url": notice.QRURL(doc.Notice)})
	}
	m.say("%s", *out)
	return nil
}

// noticeDoc gathers what a print shows: the org, the notice and, if named, the event.
func noticeDoc(ctx context.Context, s *store.Store, noticeID, eventID string) (notice.Doc, error) {
	var doc notice.Doc
	n, err := s.Notice(ctx, noticeID)
	if errors.Is(err, capture.ErrNotFound) {
		return doc, capture.Invalid("notice", "not_found", noticeID)
	}
	if err != nil {
		return doc, err
	}
	doc.Notice = n
	if o, err := s.Org(ctx); err == nil {
		doc.Org = o
	}
	if eventID != "" {
		e, err := s.Event(ctx, eventID)
		if errors.Is(err, capture.ErrNotFound) {
			return doc, capture.Invalid("event", "not_found", eventID)
		}
		if err != nil {
			return doc, err
		}
		doc.Event = &e
	}
	return doc, nil
}

func (m *Main) staffAdd(ctx context.Context, args []string) error {
	f := newFlags("staff add")
	name := f.String("name", "", "staff member's name")
	pin := f.String("pin", "", "PIN of 6 to 12 digits (default: read from standard input)")
	manager := f.Bool("manager", false, "may manage notices, events and exports")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	if *pin == "" {
		var err error
		if *pin, err = m.readPIN(); err != nil {
			return err
		}
	}
	staff, err := capture.NewStaff(*name, *pin, *manager)
	if err != nil {
		return err
	}
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SaveStaff(ctx, staff); err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"id": staff.ID, "name": staff.Name, "manager": staff.Manager})
	}
	m.say("%s", staff.ID)
	return nil
}
