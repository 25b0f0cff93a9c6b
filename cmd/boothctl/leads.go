package main

import (
	"context"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// leadJSON is a lead as boothctl prints it: its fields and its permissions per channel.
type leadJSON struct {
	ID          string               `json:"id"`
	Person      capture.Person       `json:"person"`
	Rating      capture.Rating       `json:"rating,omitempty"`
	Captures    int                  `json:"captures"`
	FirstSeen   time.Time            `json:"first_seen"`
	LastSeen    time.Time            `json:"last_seen"`
	Erased      *capture.ErasedMark  `json:"erased,omitempty"`
	Permissions []capture.Permission `json:"permissions"`
}

func toLeadJSON(l capture.Lead) leadJSON {
	return leadJSON{ID: l.ID, Person: l.Person, Rating: l.Rating, Captures: l.Captures, FirstSeen: l.FirstSeen,
		LastSeen: l.LastSeen, Erased: l.Erased, Permissions: l.Permissions()}
}

// captureJSON is a capture with what its ids refer to spelled out.
type captureJSON struct {
	capture.Capture
	EventName     string `json:"event_name"`
	NoticeVersion int    `json:"notice_version"`
	NoticeTitle   string `json:"notice_title"`
}

func (m *Main) leadsList(ctx context.Context, args []string) error {
	f := newFlags("leads list")
	var q store.LeadQuery
	f.StringVar(&q.EventID, "event", "", "only leads captured at this event")
	f.StringVar(&q.Search, "search", "", "name, reading, company, email or phone contains this")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	leads, err := s.Leads(ctx, q)
	if err != nil {
		return err
	}
	if f.json {
		out := make([]leadJSON, 0, len(leads))
		for _, l := range leads {
			out = append(out, toLeadJSON(l))
		}
		return m.printJSON(out)
	}
	for _, l := range leads {
		p := l.Person
		m.say("%s  %s  %s  %s  %s", l.ID, p.Name, p.Company, p.Email, l.LastSeen.Local().Format("2006-01-02 15:04"))
	}
	return nil
}

func (m *Main) leadsShow(ctx context.Context, args []string) error {
	f := newFlags("leads show")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := s.Lead(ctx, pos[0])
	if err != nil {
		return err
	}
	caps, err := s.CapturesOf(ctx, l.ID)
	if err != nil {
		return err
	}
	out := struct {
		leadJSON
		CaptureList []captureJSON `json:"capture_list"`
	}{leadJSON: toLeadJSON(l), CaptureList: []captureJSON{}}
	for _, c := range caps {
		cj := captureJSON{Capture: c}
		if e, err := s.Event(ctx, c.EventID); err == nil {
			cj.EventName = e.Name
		}
		if n, err := s.Notice(ctx, c.NoticeID); err == nil {
			cj.NoticeVersion, cj.NoticeTitle = n.Version, n.Title
		}
		out.CaptureList = append(out.CaptureList, cj)
	}
	if f.json {
		return m.printJSON(out)
	}
	p := l.Person
	m.say("%s", l.ID)
	for _, name := range capture.PersonFields {
		if v := *p.Field(name); v != "" {
			m.say("  %-10s %s", name, v)
		}
	}
	if l.Erased != nil {
		m.say("  erased: %s", l.Erased.Reason)
	}
	m.say("permissions:")
	for _, perm := range out.Permissions {
		mark := "no "
		if perm.Allowed {
			mark = "yes"
		}
		m.say("  %-18s %s  %s %s", perm.Channel, mark, perm.Basis, perm.Reason)
	}
	m.say("captures:")
	for _, c := range out.CaptureList {
		var consents []string
		for _, k := range c.Consents {
			consents = append(consents, string(k.Kind)+"("+string(k.Method)+")")
		}
		attached := ""
		if c.AttachedBy != "" {
			attached = ", attached by the " + c.AttachedBy
		}
		m.say("  %s  %s  %s  by %s via %s%s", c.ID, c.At.Local().Format("2006-01-02 15:04"), c.EventName, c.Staff, c.Source, attached)
		m.say("    notice %s v%d %s shown on %s; consents: %s", c.NoticeID, c.NoticeVersion, c.NoticeHash, c.NoticeShown, strings.Join(consents, ", "))
	}
	return nil
}

// leadsDetach takes a capture out of the lead it was attached to into a lead of its own.
func (m *Main) leadsDetach(ctx context.Context, args []string) error {
	f := newFlags("leads detach")
	reason := f.String("reason", "", "why the attach was wrong (required; kept with the detach)")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := s.Detach(ctx, pos[0], *reason)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(toLeadJSON(l))
	}
	m.say("capture %s is now lead %s (%s)", pos[0], l.ID, l.Person.Name)
	return nil
}

func (m *Main) opsList(ctx context.Context, args []string) error {
	f := newFlags("ops list")
	after := f.Int64("after", 0, "only ops after this sequence number")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	ops, err := s.Ops(ctx, *after, 0)
	if err != nil {
		return err
	}
	if f.json {
		if ops == nil {
			ops = []store.LoggedOp{}
		}
		return m.printJSON(ops)
	}
	for _, o := range ops {
		m.say("%6d  %s  %s  %-14s %s", o.Seq, o.HLC.Time().Local().Format("2006-01-02 15:04:05.000"), o.Device, o.Kind, o.Entity)
	}
	return nil
}

// leadsRate gives leads a rating (A, B, C, or none to clear it), all in one transaction.
func (m *Main) leadsRate(ctx context.Context, args []string) error {
	f := newFlags("leads rate")
	rating := f.String("rating", "", "A, B, C, or none")
	reason := f.String("reason", "", "why (kept with the correction)")
	ids, s, err := f.parseOpen(args, -1)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(ids) == 0 {
		return usagef("leads rate takes one or more lead ids")
	}
	r := capture.Rating(*rating)
	if *rating == "none" {
		r = ""
	}
	if err := s.Rate(ctx, ids, r, *reason); err != nil {
		return err
	}
	m.say("%d leads rated %s", len(ids), *rating)
	return nil
}
