package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
)

// eventDates is an event's first day, or its first and last, as the interface language
// writes a range.
func (u *App) eventDates(e capture.Event) string {
	if e.End == "" || e.End == e.Date {
		return e.Date
	}
	return e.Date + u.T("punct.range") + e.End
}

// message renders an error for the user in the interface language: each field's message
// after the field's label, never its code, and for other failures a sentence.
func (u *App) message(err error) string { return u.messageIn("", err) }

// messageIn is message for a form that tells what its fields are: under scope "notice" a
// title is the notice's, not a person's job title.
func (u *App) messageIn(scope string, err error) string {
	var ve *capture.ValidationError
	if errors.As(err, &ve) {
		lines := make([]string, len(ve.Fields))
		for i, f := range ve.Fields {
			lines[i] = u.fieldMessageIn(scope, f)
		}
		return strings.Join(lines, "\n")
	}
	if text, ok := u.tx.Failure(err); ok {
		return text
	}
	// What no sentence covers keeps its detail, for whoever the staff ask for help.
	return u.T("error.unexpected", err.Error())
}

// fieldMessage is one field's message after its label.
func (u *App) fieldMessage(f capture.FieldError) string { return u.fieldMessageIn("", f) }

func (u *App) fieldMessageIn(scope string, f capture.FieldError) string {
	return u.fieldLabel(scope, f.Field) + u.T("punct.colon") + u.fieldText(f)
}

// fieldText is a field's message alone, for the error line under the field itself.
func (u *App) fieldText(f capture.FieldError) string {
	if u.tx.Lang == "ja" {
		return f.JA
	}
	return f.EN
}

// fieldLabel names a field path such as "survey.questions[2].options" in words: each part by
// its label (a part under its parent first, so "consent.email_optin" is that consent's
// name), a list index as a count from one.
func (u *App) fieldLabel(scope, field string) string {
	parts := strings.Split(field, ".")
	words := make([]string, len(parts))
	parent := scope
	for i, p := range parts {
		name, index, indexed := strings.Cut(p, "[")
		words[i] = u.partLabel(parent, name)
		if n, err := strconv.Atoi(strings.TrimSuffix(index, "]")); indexed && err == nil {
			words[i] = u.T("label.nth", words[i], n+1)
		}
		parent = name
	}
	return strings.Join(words, u.T("punct.path"))
}

// partLabel is the label of one part of a field path; a part no label names (a survey
// question's id) is the user's own word and shown as it is.
func (u *App) partLabel(parent, name string) string {
	catalog := assets.Catalog(u.tx.Lang)
	keys := []string{"label." + name, "field." + name, parent + "." + name}
	if parent != "" {
		keys = append([]string{"label." + parent + "." + name}, keys...)
	}
	for _, k := range keys {
		if t, ok := catalog[k]; ok {
			return t
		}
	}
	return name
}
