package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/store"
)

// requestFind finds a person's leads the way 名寄せ compares: by normalised email, phone or name.
func (m *Main) requestFind(ctx context.Context, args []string) error {
	f := newFlags("request find")
	email := f.String("email", "", "the person's email")
	phone := f.String("phone", "", "the person's phone or mobile")
	name := f.String("name", "", "the person's name")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	if *email == "" && *phone == "" && *name == "" {
		return usagef("request find needs --email, --phone or --name")
	}
	search := *email
	if search == "" {
		search = *phone
	}
	if search == "" {
		search = *name
	}
	leads, err := s.Leads(ctx, store.LeadQuery{Search: search, Erased: true})
	if err != nil {
		return err
	}
	var found []capture.Lead
	for _, l := range leads {
		p := l.Person
		switch {
		case *email != "" && match.Email(p.Email) == match.Email(*email),
			*phone != "" && (match.Phone(p.Phone) == match.Phone(*phone) || match.Phone(p.Mobile) == match.Phone(*phone)),
			*email == "" && *phone == "" && match.Name(p.Name) == match.Name(*name):
			found = append(found, l)
		}
	}
	if f.json {
		out := make([]leadJSON, 0, len(found))
		for _, l := range found {
			out = append(out, toLeadJSON(l))
		}
		return m.printJSON(out)
	}
	for _, l := range found {
		m.say("%s  %s  %s  %s", l.ID, l.Person.Name, l.Person.Company, l.Person.Email)
	}
	m.say("%d lead(s)", len(found))
	return nil
}

// disclosure is everything held about a person (APPI Art.33), provision records included.
type disclosure struct {
	Lead       leadJSON               `json:"lead"`
	Captures   []disclosedCapture     `json:"captures"`
	Provisions []capture.ExportRecord `json:"provisions"`
}

type disclosedCapture struct {
	capture.Capture
	Event  capture.Event  `json:"event"`
	Notice capture.Notice `json:"notice"`
}

func (m *Main) requestDisclose(ctx context.Context, args []string) error {
	f := newFlags("request disclose")
	format := f.String("format", "json", "json (pdf: not yet)")
	out := f.String("o", "", "output file")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	if *format != "json" {
		return capture.Invalid("format", "one_of", "json")
	}
	if *out == "" {
		return usagef("request disclose needs -o FILE")
	}
	l, err := s.Lead(ctx, pos[0])
	if err != nil {
		return capture.Invalid("lead", "not_found", pos[0])
	}
	d := disclosure{Lead: toLeadJSON(l), Captures: []disclosedCapture{}}
	caps, err := s.CapturesOf(ctx, l.ID)
	if err != nil {
		return err
	}
	for _, c := range caps {
		dc := disclosedCapture{Capture: c}
		dc.Event, _ = s.Event(ctx, c.EventID)
		dc.Notice, _ = s.Notice(ctx, c.NoticeID)
		d.Captures = append(d.Captures, dc)
	}
	if d.Provisions, err = s.ExportRecords(ctx, l.ID, true); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(d, "", "  ")
	if err := os.WriteFile(*out, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	m.say("%s", *out)
	return nil
}

func (m *Main) requestCorrect(ctx context.Context, args []string) error {
	f := newFlags("request correct")
	var set multi
	f.Var(&set, "set", "field=value (repeat)")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	fields := map[string]string{}
	for _, kv := range set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usagef("--set takes field=value")
		}
		fields[k] = v
	}
	if len(fields) == 0 {
		return usagef("request correct needs --set field=value")
	}
	if _, err := s.Correct(ctx, pos[0], fields, *reason); err != nil {
		return err
	}
	m.say("%s corrected", pos[0])
	return nil
}

func (m *Main) requestStopUse(ctx context.Context, args []string) error {
	f := newFlags("request stop-use")
	channel := f.String("channel", "", "email_marketing, phone, postal, third_party or all")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	channels := []capture.Channel{capture.Channel(*channel)}
	if *channel == "all" {
		channels = capture.Channels
	}
	if _, err := s.Withdraw(ctx, pos[0], channels, *reason); err != nil {
		return err
	}
	m.say("%s: %s stopped", pos[0], *channel)
	return nil
}

func (m *Main) requestErase(ctx context.Context, args []string) error {
	f := newFlags("request erase")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	if strings.TrimSpace(*reason) == "" {
		return capture.Invalid("reason", "required")
	}
	if _, err := s.Erase(ctx, pos[0], *reason); err != nil {
		return err
	}
	m.say("%s erased", pos[0])
	return nil
}
