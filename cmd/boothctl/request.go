package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/request"
	"github.com/boothledger/boothledger/capture/store"
)

// requestFlags adds what every request command records: when the request came in.
func requestFlags(name string) (*cmdFlags, *string) {
	f := newFlags(name)
	return f, f.String("received", "", "when the request came in (YYYY-MM-DD; default today)")
}

// logRequest keeps the request and its outcome in the audit log, with its dates.
func logRequest(ctx context.Context, s *store.Store, kind, lead, received, reason, outcome string) error {
	r := capture.RequestRecord{Kind: kind, Lead: lead, Reason: reason, Outcome: outcome, By: os.Getenv("USER")}
	if received != "" {
		t, err := time.ParseInLocation(capture.DateLayout, received, time.Local)
		if err != nil {
			return capture.Invalid("received", "date")
		}
		r.Received = t
	}
	_, err := s.RecordRequest(ctx, r)
	return err
}

// requestFind finds a person's leads the way 名寄せ compares: by normalised email, phone or name.
func (m *Main) requestFind(ctx context.Context, args []string) error {
	f, received := requestFlags("request find")
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
	ids := make([]string, len(found))
	for i, l := range found {
		ids[i] = l.ID
	}
	if err := logRequest(ctx, s, "find", strings.Join(ids, ","), *received, "", fmt.Sprintf("%d lead(s) found", len(found))); err != nil {
		return err
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

func (m *Main) requestDisclose(ctx context.Context, args []string) error {
	f, received := requestFlags("request disclose")
	format := f.String("format", "pdf", "pdf or json")
	out := f.String("o", "", "output file")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	if *format != "json" && *format != "pdf" {
		return capture.Invalid("format", "one_of", "pdf, json")
	}
	if *out == "" {
		return usagef("request disclose needs -o FILE")
	}
	d, err := request.Build(ctx, s, pos[0])
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *format == "json" {
		err = d.WriteJSON(&buf)
	} else {
		err = d.WritePDF(&buf)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := logRequest(ctx, s, "disclose", d.Lead.ID, *received, "", fmt.Sprintf("disclosed %d capture(s), %d provision(s) as %s", len(d.Captures), len(d.Provisions), *format)); err != nil {
		return err
	}
	m.say("%s", *out)
	return nil
}

func (m *Main) requestCorrect(ctx context.Context, args []string) error {
	f, received := requestFlags("request correct")
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
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	if err := logRequest(ctx, s, "correct", pos[0], *received, *reason, "corrected "+strings.Join(names, ", ")); err != nil {
		return err
	}
	m.say("%s corrected", pos[0])
	return nil
}

func (m *Main) requestStopUse(ctx context.Context, args []string) error {
	f, received := requestFlags("request stop-use")
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
	if err := logRequest(ctx, s, "stop-use", pos[0], *received, *reason, "stopped "+*channel); err != nil {
		return err
	}
	m.say("%s: %s stopped", pos[0], *channel)
	return nil
}

func (m *Main) requestErase(ctx context.Context, args []string) error {
	f, received := requestFlags("request erase")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Erase(ctx, pos[0], *reason); err != nil {
		return err
	}
	if err := logRequest(ctx, s, "erase", pos[0], *received, *reason, "erased; suppressed"); err != nil {
		return err
	}
	m.say("%s erased", pos[0])
	return nil
}

func (m *Main) requestLog(ctx context.Context, args []string) error {
	f := newFlags("request log")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.Requests(ctx)
	if err != nil {
		return err
	}
	if f.json {
		if recs == nil {
			recs = []capture.RequestRecord{}
		}
		return m.printJSON(recs)
	}
	for _, r := range recs {
		m.say("%s  received %s  done %s  %-9s %s  %s", r.ID, r.Received.Local().Format("2006-01-02"), r.Done.Local().Format("2006-01-02 15:04"), r.Kind, r.Lead, r.Outcome)
	}
	return nil
}
