package request

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/safefile"
	"github.com/boothledger/boothledger/capture/store"
)

// Request is what every answer records besides its outcome: who handled it, when it came
// in (zero: now) and, for acts on the data, the person's words.
type Request struct {
	By       string
	Received time.Time
	Reason   string
}

func (r Request) record(kind, lead, outcome string) capture.RequestRecord {
	return capture.RequestRecord{Kind: kind, Lead: lead, By: r.By, Received: r.Received, Reason: r.Reason, Outcome: outcome}
}

// Query is how a person asking is identified: by email, phone or, failing both, name.
type Query struct {
	Email, Phone, Name string
}

// Find returns the leads held about the person, compared the way 名寄せ compares (normalised
// email, phone or mobile, or name), erased ones included, and records the search.
func Find(ctx context.Context, s *store.Store, r Request, q Query) ([]capture.Lead, capture.RequestRecord, error) {
	search := q.Email
	for _, v := range []string{q.Phone, q.Name} {
		if search == "" {
			search = v
		}
	}
	if strings.TrimSpace(search) == "" {
		return nil, capture.RequestRecord{}, capture.Invalid("query", "request_needs_query")
	}
	leads, err := s.Leads(ctx, store.LeadQuery{Search: search, Erased: true})
	if err != nil {
		return nil, capture.RequestRecord{}, err
	}
	email, phone, name := match.Email(q.Email), match.Phone(q.Phone), match.Name(q.Name)
	found := slices.DeleteFunc(leads, func(l capture.Lead) bool {
		p := l.Person
		switch {
		case email != "":
			return match.Email(p.Email) != email
		case phone != "":
			return match.Phone(p.Phone) != phone && match.Phone(p.Mobile) != phone
		}
		return match.Name(p.Name) != name
	})
	ids := make([]string, len(found))
	for i, l := range found {
		ids[i] = l.ID
	}
	rec, err := s.Answer(ctx, r.record("find", strings.Join(ids, ","), fmt.Sprintf("%d lead(s) found", len(found))), store.Act{})
	return found, rec, err
}

// Disclosure formats.
const (
	FormatPDF  = "pdf"
	FormatJSON = "json"
)

// Disclose writes what is held about a lead, where it came from and to whom it went (APPI
// Art.33) to path as a PDF or JSON, and records the request: the file takes its name in the
// record's transaction, so there is never a disclosure without its record nor the reverse.
func Disclose(ctx context.Context, s *store.Store, r Request, leadID, format, path string) (Disclosure, capture.RequestRecord, error) {
	if format != FormatPDF && format != FormatJSON {
		return Disclosure{}, capture.RequestRecord{}, capture.Invalid("format", "one_of", FormatPDF+", "+FormatJSON)
	}
	d, err := Build(ctx, s, leadID)
	if err != nil {
		return d, capture.RequestRecord{}, err
	}
	var buf bytes.Buffer
	if format == FormatJSON {
		err = d.WriteJSON(&buf)
	} else {
		err = d.WritePDF(&buf)
	}
	if err != nil {
		return d, capture.RequestRecord{}, err
	}
	file, err := safefile.Stage(path, buf.Bytes())
	if err != nil {
		return d, capture.RequestRecord{}, fmt.Errorf("write disclosure: %w", err)
	}
	rec, err := s.Answer(ctx, r.record("disclose", d.Lead.ID, fmt.Sprintf("disclosed %d capture(s), %d provision(s) as %s", len(d.Captures), len(d.Provisions), format)),
		store.Act{Place: file.Place})
	if err != nil {
		file.Abandon()
	}
	return d, rec, err
}

// Correct corrects a lead's fields as the person asked (APPI Art.34) and records it.
func Correct(ctx context.Context, s *store.Store, r Request, leadID string, fields map[string]string) (capture.RequestRecord, error) {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	return s.Answer(ctx, r.record("correct", leadID, "corrected "+strings.Join(names, ", ")), store.Act{Correct: fields, Reason: r.Reason})
}

// StopUse stops the use of a lead for channels (all of them when none are named), as the
// person asked (Art.35), and records it.
func StopUse(ctx context.Context, s *store.Store, r Request, leadID string, channels []capture.Channel) (capture.RequestRecord, error) {
	name := "all"
	if len(channels) == 0 || slices.Equal(channels, capture.Channels) {
		channels = capture.Channels
	} else {
		parts := make([]string, len(channels))
		for i, ch := range channels {
			parts[i] = string(ch)
		}
		name = strings.Join(parts, ", ")
	}
	return s.Answer(ctx, r.record("stop-use", leadID, "stopped "+name), store.Act{Withdraw: channels, Reason: r.Reason})
}

// Erase erases a lead (and the leads merged into it) and suppresses the person, as they
// asked (Art.35), and records it.
func Erase(ctx context.Context, s *store.Store, r Request, leadID string) (capture.RequestRecord, error) {
	return s.Answer(ctx, r.record("erase", leadID, "erased; suppressed"), store.Act{Erase: true, Reason: r.Reason})
}
