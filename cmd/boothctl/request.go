package main

import (
	"context"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/request"
)

// requestFlags adds what every request command records: who handles it and when it came in.
func requestFlags(name string) (*cmdFlags, func() (request.Request, error)) {
	f := newFlags(name)
	staff := f.staffFlag()
	received := f.String("received", "", "when the request came in (YYYY-MM-DD; default today)")
	return f, func() (request.Request, error) {
		r := request.Request{By: staffName(*staff)}
		if *received != "" {
			t, err := time.ParseInLocation(capture.DateLayout, *received, time.Local)
			if err != nil {
				return r, capture.Invalid("received", "date")
			}
			r.Received = t
		}
		return r, nil
	}
}

// requestFind finds a person's leads the way 名寄せ compares: by normalised email, phone or name.
func (m *Main) requestFind(ctx context.Context, args []string) error {
	f, who := requestFlags("request find")
	var q request.Query
	f.StringVar(&q.Email, "email", "", "the person's email")
	f.StringVar(&q.Phone, "phone", "", "the person's phone or mobile")
	f.StringVar(&q.Name, "name", "", "the person's name")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := who()
	if err != nil {
		return err
	}
	found, _, err := request.Find(ctx, s, r, q)
	if err != nil {
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
	f, who := requestFlags("request disclose")
	format := f.String("format", request.FormatPDF, "pdf or json")
	out := f.String("o", "", "output file")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	if *out == "" {
		return usagef("request disclose needs -o FILE")
	}
	r, err := who()
	if err != nil {
		return err
	}
	if _, _, err := request.Disclose(ctx, s, r, pos[0], *format, *out); err != nil {
		return err
	}
	m.say("%s", *out)
	return nil
}

func (m *Main) requestCorrect(ctx context.Context, args []string) error {
	f, who := requestFlags("request correct")
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
	r, err := who()
	if err != nil {
		return err
	}
	r.Reason = *reason
	if _, err := request.Correct(ctx, s, r, pos[0], fields); err != nil {
		return err
	}
	m.say("%s corrected", pos[0])
	return nil
}

func (m *Main) requestStopUse(ctx context.Context, args []string) error {
	f, who := requestFlags("request stop-use")
	channel := f.String("channel", "", "email_marketing, phone, postal, third_party or all")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := who()
	if err != nil {
		return err
	}
	r.Reason = *reason
	var channels []capture.Channel // all
	if *channel != "all" {
		channels = []capture.Channel{capture.Channel(*channel)}
	}
	if _, err := request.StopUse(ctx, s, r, pos[0], channels); err != nil {
		return err
	}
	m.say("%s: %s stopped", pos[0], *channel)
	return nil
}

func (m *Main) requestErase(ctx context.Context, args []string) error {
	f, who := requestFlags("request erase")
	reason := f.String("reason", "", "the request")
	pos, s, err := f.parseOpen(args, 1)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := who()
	if err != nil {
		return err
	}
	r.Reason = *reason
	if _, err := request.Erase(ctx, s, r, pos[0]); err != nil {
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
