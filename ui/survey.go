package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

// surveyForm renders an event's survey questions from their definition.
type surveyForm struct {
	survey *capture.Survey
	// Inputs hold one widget per question id: *widget.RadioGroup (single, rating),
	// *widget.CheckGroup (multi) or *widget.Entry (text).
	Inputs map[string]fyne.CanvasObject
	errors map[string]*widget.Label
	box    *fyne.Container
}

func newSurveyForm(u *App, sv *capture.Survey, large bool) *surveyForm {
	f := &surveyForm{survey: sv, Inputs: map[string]fyne.CanvasObject{}, errors: map[string]*widget.Label{}, box: container.NewVBox()}
	if sv == nil || len(sv.Questions) == 0 {
		return f
	}
	f.box.Add(bold(sv.Title))
	for _, q := range sv.Questions {
		text := q.Text
		if q.Required {
			text += " " + u.T("survey.required")
		}
		var in fyne.CanvasObject
		switch q.Kind {
		case capture.QuestionSingle:
			r := widget.NewRadioGroup(q.Options, nil)
			r.Horizontal = !large && len(q.Options) <= 4
			in = r
		case capture.QuestionMulti:
			c := widget.NewCheckGroup(q.Options, nil)
			c.Horizontal = !large && len(q.Options) <= 4
			in = c
		case capture.QuestionRating:
			r := widget.NewRadioGroup([]string{"1", "2", "3", "4", "5"}, nil)
			r.Horizontal = true
			in = r
		default:
			in = widget.NewEntry()
		}
		f.Inputs[q.ID] = in
		f.errors[q.ID] = errorLabel()
		f.box.Add(wrapped(text))
		f.box.Add(in)
		f.box.Add(f.errors[q.ID])
	}
	return f
}

// Content is the questions' layout (empty when the event has no survey).
func (f *surveyForm) Content() fyne.CanvasObject { return f.box }

// answers reads what was picked, in the shapes capture.Survey.Check takes.
func (f *surveyForm) answers() capture.Answers {
	if f.survey == nil {
		return nil
	}
	a := capture.Answers{}
	for _, q := range f.survey.Questions {
		switch in := f.Inputs[q.ID].(type) {
		case *widget.RadioGroup:
			if in.Selected == "" {
				continue
			}
			if q.Kind == capture.QuestionRating {
				n, _ := strconv.Atoi(in.Selected)
				a[q.ID] = n
			} else {
				a[q.ID] = in.Selected
			}
		case *widget.CheckGroup:
			if len(in.Selected) > 0 {
				a[q.ID] = append([]string(nil), in.Selected...)
			}
		case *widget.Entry:
			if strings.TrimSpace(in.Text) != "" {
				a[q.ID] = in.Text
			}
		}
	}
	return a
}

func (f *surveyForm) reset() {
	for _, in := range f.Inputs {
		switch in := in.(type) {
		case *widget.RadioGroup:
			in.SetSelected("")
		case *widget.CheckGroup:
			in.SetSelected(nil)
		case *widget.Entry:
			in.SetText("")
		}
	}
}

func (f *surveyForm) setEnabled(on bool) {
	for _, in := range f.Inputs {
		if d, ok := in.(fyne.Disableable); ok {
			if on {
				d.Enable()
			} else {
				d.Disable()
			}
		}
	}
}

// showError puts a message like "answers.interest: ..." under its question.
func (f *surveyForm) showError(field, msg string) bool {
	l, ok := f.errors[strings.TrimPrefix(field, "answers.")]
	if ok {
		setError(l, strings.TrimPrefix(msg, field+": "))
	}
	return ok
}

func (f *surveyForm) clearErrors() {
	for _, l := range f.errors {
		setError(l, "")
	}
}
