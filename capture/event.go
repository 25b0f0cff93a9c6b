package capture

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Org is the company that collects the data: what notices, prints and disclosure reports name.
type Org struct {
	Name           string `json:"name"`
	Address        string `json:"address"`
	Representative string `json:"representative"`
	PrivacyManager string `json:"privacy_manager"`
	Contact        string `json:"contact"`
	PolicyURL      string `json:"policy_url"`
	// SuppressionKey keys the hashes erased people are suppressed under; made once and
	// synced with the organisation so that every device computes the same hashes.
	SuppressionKey string `json:"suppression_key,omitempty"`
}

// Clean normalises and checks the organisation's details.
func (o Org) Clean() (Org, error) {
	var v errs
	o.Name = cleanText(&v, "name", o.Name)
	o.Address = cleanText(&v, "address", o.Address)
	o.Representative = cleanText(&v, "representative", o.Representative)
	o.PrivacyManager = cleanText(&v, "privacy_manager", o.PrivacyManager)
	o.Contact = cleanText(&v, "contact", o.Contact)
	o.PolicyURL = cleanText(&v, "policy_url", o.PolicyURL)
	if o.Name == "" {
		v.add("name", "required")
	}
	if !reachable(o.Contact) { // the person must be able to ask (APPI Art.32)
		v.add("contact", "contact_reach")
	}
	if o.PolicyURL != "" && !isHTTPSURL(o.PolicyURL) {
		v.add("policy_url", "https_url")
	}
	return o, v.err()
}

// isHTTPSURL accepts what a visitor's phone can open safely from a QR code or a print: an
// https URL with a host name.
func isHTTPSURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.User == nil &&
		!strings.ContainsAny(s, " \t") && strings.Contains(u.Hostname(), ".")
}

// reachable reports whether a contact gives a way to reach it: an email address or a phone
// number somewhere in the text ("個人情報お問い合わせ窓口 privacy@example.co.jp" is one).
func reachable(s string) bool {
	for _, tok := range strings.FieldsFunc(norm.NFKC.String(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:、。「」（）()<>", r)
	}) {
		if validEmail(tok) {
			return true
		}
		digits, other := 0, false
		for _, r := range dashes.Replace(tok) {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r != '-' && r != '+':
				other = true
			}
		}
		if !other && digits >= 10 && digits <= 13 {
			return true
		}
	}
	return false
}

// DateLayout is how event dates are stored and shown.
const DateLayout = "2006-01-02"

// ParseDate reads a date as people type it — 2026-11-25, 2026/11/25, 2026/1/5, 2026.11.25,
// 2026年11月25日, in full-width digits too — and returns it in DateLayout.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(norm.NFKC.String(s))
	s = strings.TrimSuffix(strings.NewReplacer("年", "-", "月", "-", "/", "-", ".", "-").Replace(s), "日")
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return "", false
	}
	for i, p := range parts[1:] {
		if len(p) == 1 {
			parts[i+1] = "0" + p
		}
	}
	t, err := time.Parse(DateLayout, strings.Join(parts, "-"))
	if err != nil {
		return "", false
	}
	return t.Format(DateLayout), true
}

// Event is one exhibition; every capture belongs to one.
type Event struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Venue    string  `json:"venue"`
	Date     string  `json:"date"`
	End      string  `json:"end,omitempty"`
	NoticeID string  `json:"notice_id"`
	Survey   *Survey `json:"survey,omitempty"`
	// LintOverride is a manager's reason for capturing under a notice the checker finds
	// errors in; without it such an event cannot capture.
	LintOverride string `json:"lint_override,omitempty"`
	// Retention overrides the notice's retention for this event's captures ("2年"); it must
	// name a length, and cannot be longer than what the notice told people.
	Retention string `json:"retention,omitempty"`
	// Version counts the event's definitions: 1 when made, one more with each edit. Every
	// version stays in the op log, so what the event said on any day can be shown.
	Version int `json:"version,omitempty"`
}

// Running reports whether t falls on one of the event's days.
func (e Event) Running(t time.Time) bool {
	day := t.Format(DateLayout)
	end := e.End
	if end == "" {
		end = e.Date
	}
	return e.Date <= day && day <= end
}

// NotStarted refuses a capture at t under an event whose first day is later: it says when
// the event starts, and that it is tomorrow when it is, so that a booth set up the day
// before does not record test cards as the show's first visitors.
func (e Event) NotStarted(t time.Time) error {
	start, err := time.ParseInLocation(DateLayout, e.Date, t.Location())
	if err != nil {
		return nil // an event that failed Clean is refused elsewhere
	}
	y, m, d := t.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	days := int(start.Sub(today).Hours()+12) / 24 // +12: a day with a DST shift is still one day
	switch {
	case days <= 0:
		return nil
	case days == 1:
		return Invalid("event", "event_starts_tomorrow", e.Date)
	default:
		return Invalid("event", "event_not_started", e.Date, days)
	}
}

// Clean normalises and checks an event (not whether its notice exists: that needs the store).
func (e Event) Clean() (Event, error) {
	var v errs
	e.Name = cleanText(&v, "name", e.Name)
	e.Venue = cleanText(&v, "venue", e.Venue)
	e.LintOverride = cleanText(&v, "lint_override", e.LintOverride)
	e.Retention = cleanText(&v, "retention", e.Retention)
	if _, ok := ParseRetention(e.Retention); e.Retention != "" && !ok {
		v.add("retention", "period")
	}
	if e.Name == "" {
		v.add("name", "required")
	}
	start, ok := ParseDate(e.Date)
	if ok {
		e.Date = start
	} else {
		v.add("date", "date")
	}
	if e.End = strings.TrimSpace(e.End); e.End != "" {
		end, ok2 := ParseDate(e.End)
		switch {
		case !ok2:
			v.add("end", "date")
		case ok && end < start: // DateLayout sorts as it reads
			v.add("end", "end_before_start")
		default:
			e.End = end
		}
	}
	if e.NoticeID == "" {
		v.add("notice", "required")
	}
	if e.Survey != nil {
		s, err := e.Survey.Clean()
		if ve, ok := err.(*ValidationError); ok {
			v.list = append(v.list, ve.Fields...)
		}
		e.Survey = &s
	}
	return e, v.err()
}

// QuestionKind is how a survey question is answered.
type QuestionKind string

// The kinds of survey question.
const (
	QuestionSingle QuestionKind = "single"
	QuestionMulti  QuestionKind = "multi"
	QuestionText   QuestionKind = "text"
	QuestionRating QuestionKind = "rating"
)

// Survey is an event's questionnaire.
type Survey struct {
	Title     string     `json:"title"`
	Questions []Question `json:"questions"`
}

// Question is one survey question.
type Question struct {
	ID       string       `json:"id"`
	Text     string       `json:"text"`
	Kind     QuestionKind `json:"kind"`
	Options  []string     `json:"options,omitempty"`
	Required bool         `json:"required,omitempty"`
}

// DecodeSurvey reads survey JSON strictly.
func DecodeSurvey(data []byte) (Survey, error) {
	var s Survey
	if err := decodeStrict(data, &s); err != nil {
		return Survey{}, jsonInvalid("survey", data, err)
	}
	return s.Clean()
}

// Clean checks a survey definition.
func (s Survey) Clean() (Survey, error) {
	var v errs
	s.Title = cleanText(&v, "survey.title", s.Title)
	seen := map[string]bool{}
	for i := range s.Questions {
		q := &s.Questions[i]
		f := fmt.Sprintf("survey.questions[%d]", i)
		q.ID = strings.TrimSpace(q.ID)
		switch {
		case q.ID == "":
			v.add(f+".id", "required")
		case seen[q.ID]:
			v.add(f+".id", "duplicate", q.ID)
		}
		seen[q.ID] = true
		q.Text = cleanText(&v, f+".text", q.Text)
		if q.Text == "" {
			v.add(f+".text", "required")
		}
		q.Options = cleanList(&v, f+".options", q.Options)
		switch q.Kind {
		case QuestionSingle, QuestionMulti:
			if len(q.Options) == 0 {
				v.add(f+".options", "options_needed")
			}
		case QuestionText, QuestionRating:
			if len(q.Options) > 0 {
				v.add(f+".options", "no_options")
			}
		default:
			v.add(f+".kind", "one_of", "single, multi, text, rating")
		}
	}
	return s, v.err()
}

// Answers maps a question id to its answer: a string (single, text), a list of strings
// (multi) or a number from 1 to 5 (rating).
type Answers map[string]any

// DecodeAnswers reads answers JSON.
func DecodeAnswers(data []byte) (Answers, error) {
	var a Answers
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, jsonInvalid("answers", data, err)
	}
	return a, nil
}

// Check validates answers against the survey and returns them in a canonical form
// (multi answers as []string, ratings as int). Required questions are enforced only when
// enforceRequired is set: a filled-in survey must answer them, a business card need not.
func (s *Survey) Check(a Answers, enforceRequired bool) (Answers, error) {
	var v errs
	if raw, err := json.Marshal(a); err == nil { // Go values (int, []string) to their JSON shapes
		a = nil
		_ = json.Unmarshal(raw, &a)
	}
	out := Answers{}
	byID := map[string]Question{}
	if s != nil {
		for _, q := range s.Questions {
			byID[q.ID] = q
		}
	}
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		f := "answers." + id
		q, ok := byID[id]
		if !ok {
			v.add(f, "unknown_question", id)
			continue
		}
		switch q.Kind {
		case QuestionSingle, QuestionText:
			str, ok := a[id].(string)
			if !ok {
				v.add(f, "answer_type", "string")
				continue
			}
			if q.Kind == QuestionText {
				if c, err := CleanNote(f, str); err != nil {
					v.list = append(v.list, err.(*ValidationError).Fields...)
				} else if c != "" {
					out[id] = c
				}
				continue
			}
			if str == "" {
				continue
			}
			if !slices.Contains(q.Options, str) {
				v.add(f, "not_an_option", str)
				continue
			}
			out[id] = str
		case QuestionMulti:
			list, ok := a[id].([]any)
			if !ok {
				v.add(f, "answer_type", "list of strings")
				continue
			}
			var picked []string
			for _, item := range list {
				str, ok := item.(string)
				if !ok {
					v.add(f, "answer_type", "list of strings")
					break
				}
				if !slices.Contains(q.Options, str) {
					v.add(f, "not_an_option", str)
					break
				}
				if !slices.Contains(picked, str) {
					picked = append(picked, str)
				}
			}
			if len(picked) > 0 {
				out[id] = picked
			}
		case QuestionRating:
			n, ok := a[id].(float64)
			if !ok || n != float64(int(n)) || n < 1 || n > 5 {
				v.add(f, "rating_range")
				continue
			}
			out[id] = int(n)
		}
	}
	if s != nil && enforceRequired {
		for _, q := range s.Questions {
			if _, ok := out[q.ID]; q.Required && !ok {
				v.add("answers."+q.ID, "required")
			}
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return out, v.err()
}
