package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/notice"
)

// questionKinds are the kinds a builder row offers, in the order of its drop-down.
var questionKinds = []capture.QuestionKind{capture.QuestionSingle, capture.QuestionMulti, capture.QuestionText, capture.QuestionRating}

// surveyBuilder edits an event's survey question by question — add, reorder, remove, kind,
// options, required — and previews it live as the capture screen shows it and as the paper
// survey prints it. The survey's JSON stays as import and export.
type surveyBuilder struct {
	app *App
	// lang is the language of the notice the paper survey is printed with.
	lang func() string
	// onChange runs after every edit (the event form shows a summary).
	onChange func()

	Title       *widget.Entry
	Rows        []*questionRow
	AddQuestion *widget.Button
	JSON        *widget.Entry
	ImportJSON  *widget.Button
	ExportJSON  *widget.Button
	Error       *widget.Label
	Preview     *fyne.Container // as the capture screen shows the questions
	PreviewForm *surveyForm     // the capture screen's form, drawn in Preview
	Paper       *fyne.Container // as the paper survey prints them

	list    *fyne.Container
	loading bool
}

// questionRow is one question being edited.
type questionRow struct {
	id       string // the answers' key; kept from an imported survey, made for a new question
	Number   *widget.Label
	Text     *widget.Entry
	Kind     *widget.Select
	Options  *widget.Entry // one option per line
	Required *widget.Check
	Up       *widget.Button
	Down     *widget.Button
	Remove   *widget.Button
	Error    *widget.Label
	box      *fyne.Container
}

func newSurveyBuilder(u *App, lang func() string) *surveyBuilder {
	b := &surveyBuilder{app: u, lang: lang}
	b.Title = widget.NewEntry()
	b.Title.SetPlaceHolder(u.T("builder.title_hint"))
	b.Title.OnChanged = func(string) { b.changed() }
	b.AddQuestion = widget.NewButtonWithIcon(u.T("builder.add"), theme.ContentAddIcon(), func() {
		b.add(capture.Question{Kind: capture.QuestionSingle})
		b.changed()
		u.win.Canvas().Focus(b.Rows[len(b.Rows)-1].Text)
	})
	b.JSON = widget.NewMultiLineEntry()
	b.JSON.SetPlaceHolder(u.T("events.survey_hint"))
	b.JSON.SetMinRowsVisible(4)
	b.ImportJSON = widget.NewButton(u.T("builder.import"), b.importJSON)
	b.ExportJSON = widget.NewButton(u.T("builder.export"), b.exportJSON)
	b.Error = errorLabel()
	b.Preview = container.NewVBox()
	b.Paper = container.NewVBox()
	b.list = container.NewVBox()
	b.changed()
	return b
}

// Content is the builder's layout: the questions on the left, the two previews on the right.
func (b *surveyBuilder) Content() fyne.CanvasObject {
	u := b.app
	editor := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(u.T("builder.survey_title")), nil, b.Title),
		b.list, container.NewHBox(b.AddQuestion), b.Error,
		widget.NewSeparator(),
		bold(u.T("builder.json")), b.JSON, container.NewHBox(b.ImportJSON, b.ExportJSON),
	)
	previews := container.NewVBox(
		bold(u.T("builder.preview_screen")), b.Preview, widget.NewSeparator(),
		bold(u.T("builder.preview_paper")), b.Paper,
	)
	split := container.NewHSplit(container.NewVScroll(editor), container.NewVScroll(previews))
	split.SetOffset(0.55)
	return split
}

// Set loads a survey (nil: none) into the builder.
func (b *surveyBuilder) Set(sv *capture.Survey) {
	b.loading = true
	b.Rows = nil
	b.Title.SetText("")
	if sv != nil {
		b.Title.SetText(sv.Title)
		for _, q := range sv.Questions {
			b.add(q)
		}
	}
	b.loading = false
	b.changed()
}

// Survey is the survey as built, nil when there is none (no title and no questions).
func (b *surveyBuilder) Survey() *capture.Survey {
	title := strings.TrimSpace(b.Title.Text)
	if title == "" && len(b.Rows) == 0 {
		return nil
	}
	sv := &capture.Survey{Title: title, Questions: []capture.Question{}}
	for _, r := range b.Rows {
		q := capture.Question{ID: r.id, Text: r.Text.Text, Kind: questionKinds[max(r.Kind.SelectedIndex(), 0)], Required: r.Required.Checked}
		if q.Kind == capture.QuestionSingle || q.Kind == capture.QuestionMulti {
			for _, o := range strings.Split(r.Options.Text, "\n") {
				if o = strings.TrimSpace(o); o != "" {
					q.Options = append(q.Options, o)
				}
			}
		}
		sv.Questions = append(sv.Questions, q)
	}
	return sv
}

// add appends a question row; a new question gets the first free id q1, q2, …
func (b *surveyBuilder) add(q capture.Question) {
	u := b.app
	if q.ID == "" {
		for i := len(b.Rows) + 1; ; i++ {
			id := fmt.Sprintf("q%d", i)
			if !slices.ContainsFunc(b.Rows, func(r *questionRow) bool { return r.id == id }) {
				q.ID = id
				break
			}
		}
	}
	r := &questionRow{id: q.ID, Number: bold(""), Error: errorLabel()}
	r.Text = widget.NewEntry()
	r.Text.SetPlaceHolder(u.T("builder.question_hint"))
	r.Text.SetText(q.Text)
	r.Text.OnChanged = func(string) { b.changed() }
	kinds := make([]string, len(questionKinds))
	for i, k := range questionKinds {
		kinds[i] = u.T("builder.kind." + string(k))
	}
	r.Kind = widget.NewSelect(kinds, nil)
	r.Kind.SetSelectedIndex(max(slices.Index(questionKinds, q.Kind), 0))
	r.Kind.OnChanged = func(string) { b.showOptions(r); b.changed() }
	r.Options = widget.NewMultiLineEntry()
	r.Options.SetPlaceHolder(u.T("builder.options_hint"))
	r.Options.SetMinRowsVisible(3)
	r.Options.SetText(strings.Join(q.Options, "\n"))
	r.Options.OnChanged = func(string) { b.changed() }
	r.Required = widget.NewCheck(u.T("builder.required"), func(bool) { b.changed() })
	r.Required.SetChecked(q.Required)
	r.Up = widget.NewButtonWithIcon(u.T("builder.up"), theme.MoveUpIcon(), func() { b.move(r, -1) })
	r.Down = widget.NewButtonWithIcon(u.T("builder.down"), theme.MoveDownIcon(), func() { b.move(r, 1) })
	r.Remove = widget.NewButtonWithIcon(u.T("builder.remove"), theme.DeleteIcon(), func() { b.remove(r) })
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, r.Number, nil, r.Text),
		container.NewHBox(container.NewGridWrap(fyne.NewSize(190, r.Kind.MinSize().Height), r.Kind), r.Required, r.Up, r.Down, r.Remove),
		r.Options, r.Error, widget.NewSeparator())
	b.showOptions(r)
	b.Rows = append(b.Rows, r)
}

// showOptions shows the options only for the kinds that have them.
func (b *surveyBuilder) showOptions(r *questionRow) {
	if k := questionKinds[max(r.Kind.SelectedIndex(), 0)]; k == capture.QuestionSingle || k == capture.QuestionMulti {
		r.Options.Show()
	} else {
		r.Options.Hide()
	}
}

func (b *surveyBuilder) move(r *questionRow, by int) {
	i := slices.Index(b.Rows, r)
	if j := i + by; i >= 0 && j >= 0 && j < len(b.Rows) {
		b.Rows[i], b.Rows[j] = b.Rows[j], b.Rows[i]
		b.changed()
	}
}

func (b *surveyBuilder) remove(r *questionRow) {
	b.Rows = slices.DeleteFunc(b.Rows, func(x *questionRow) bool { return x == r })
	b.changed()
}

// changed lays the rows out again, checks the survey as the store will and redraws the
// previews.
func (b *surveyBuilder) changed() {
	if b.loading {
		return
	}
	b.list.Objects = nil
	for i, r := range b.Rows {
		r.Number.SetText(fmt.Sprintf("Q%d", i+1))
		if i == 0 {
			r.Up.Disable()
		} else {
			r.Up.Enable()
		}
		if i == len(b.Rows)-1 {
			r.Down.Disable()
		} else {
			r.Down.Enable()
		}
		setError(r.Error, "")
		b.list.Add(r.box)
	}
	b.list.Refresh()
	setError(b.Error, "")
	sv := b.Survey()
	if sv != nil {
		if _, err := sv.Clean(); err != nil {
			b.showErrors(err)
		}
	}
	b.preview(sv)
	if b.onChange != nil {
		b.onChange()
	}
}

// showErrors puts each of the checker's messages under the question it is about.
func (b *surveyBuilder) showErrors(err error) {
	var ve *capture.ValidationError
	if !errors.As(err, &ve) {
		setError(b.Error, b.app.message(err))
		return
	}
	var general []string
	for _, f := range ve.Fields {
		text := b.app.fieldText(f)
		var i int
		if _, err := fmt.Sscanf(f.Field, "survey.questions[%d]", &i); err == nil && i < len(b.Rows) {
			if l := b.Rows[i].Error; l.Text == "" {
				setError(l, text)
			} else {
				setError(l, l.Text+"\n"+text)
			}
			continue
		}
		general = append(general, text)
	}
	setError(b.Error, strings.Join(general, "\n"))
}

// preview draws the questions with the capture screen's own form and with the paper
// survey's own headings.
func (b *surveyBuilder) preview(sv *capture.Survey) {
	u := b.app
	b.Preview.Objects = nil
	b.Paper.Objects = nil
	if sv == nil || len(sv.Questions) == 0 {
		b.Preview.Add(widget.NewLabel(u.T("builder.empty")))
		b.Paper.Add(widget.NewLabel(u.T("builder.empty")))
	} else {
		b.PreviewForm = newSurveyForm(u, sv, false)
		b.Preview.Add(b.PreviewForm.Content())
		lang := b.lang()
		b.Paper.Add(bold(notice.SurveyHeading(lang)))
		for i, q := range sv.Questions {
			b.Paper.Add(wrapped(notice.QuestionLabel(lang, i, q)))
			switch q.Kind {
			case capture.QuestionSingle, capture.QuestionMulti:
				for _, o := range q.Options {
					b.Paper.Add(widget.NewLabel("    ☐ " + o))
				}
			case capture.QuestionRating:
				b.Paper.Add(widget.NewLabel("    ☐ 1    ☐ 2    ☐ 3    ☐ 4    ☐ 5"))
			case capture.QuestionText:
				b.Paper.Add(widget.NewLabel("    ________________________________________"))
				b.Paper.Add(widget.NewLabel("    ________________________________________"))
			}
		}
	}
	b.Preview.Refresh()
	b.Paper.Refresh()
}

// importJSON loads the survey typed or pasted into the JSON field.
func (b *surveyBuilder) importJSON() {
	text := strings.TrimSpace(b.JSON.Text)
	if text == "" {
		b.Set(nil)
		return
	}
	sv, err := capture.DecodeSurvey([]byte(text))
	if err != nil && sv.Title == "" && len(sv.Questions) == 0 { // not JSON at all
		setError(b.Error, b.app.message(err))
		return
	}
	b.Set(&sv) // the checker's findings show under their questions, to be fixed here
}

// exportJSON writes the survey as built into the JSON field, as boothctl event add reads it.
func (b *surveyBuilder) exportJSON() {
	sv := b.Survey()
	if sv == nil {
		b.JSON.SetText("")
		return
	}
	out, err := json.MarshalIndent(sv, "", "  ")
	if err != nil {
		setError(b.Error, err.Error())
		return
	}
	b.JSON.SetText(string(out))
}

// summary says in a line what the survey asks.
func (b *surveyBuilder) summary() string {
	sv := b.Survey()
	if sv == nil || len(sv.Questions) == 0 {
		return b.app.T("builder.none")
	}
	return b.app.T("builder.summary", sv.Title, len(sv.Questions))
}
