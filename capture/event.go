package capture

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
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
	if o.PolicyURL != "" && !isHTTPURL(o.PolicyURL) {
		v.add("policy_url", "url")
	}
	return o, v.err()
}

// DateLayout is how event dates are written.
const DateLayout = "2006-01-02"

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
	start, err := time.Parse(DateLayout, e.Date)
	if err != nil {
		v.add("date", "date")
	}
	if e.End != "" {
		end, err2 := time.Parse(DateLayout, e.End)
		switch {
		case err2 != nil:
			v.add("end", "date")
		case err == nil && end.Before(start):
			v.add("end", "end_before_start")
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
		return Survey{}, Invalid("survey", "json_syntax", err.Error())
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
		return nil, Invalid("answers", "json_syntax", err.Error())
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
