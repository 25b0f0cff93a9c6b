package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

const builderJSON = `{"title": "来場者アンケート", "questions": [
 {"id": "interest", "text": "ご関心のある製品", "kind": "multi", "options": ["温度センサー", "圧力センサー, 差圧計", "IoTゲートウェイ"], "required": true},
 {"id": "timing", "text": "導入のご予定", "kind": "single", "options": ["3か月以内", "1年以内", "未定"]},
 {"id": "score", "text": "展示の満足度", "kind": "rating"},
 {"id": "comment", "text": "ご意見", "kind": "text"}]}`

func openBuilder(t *testing.T) (*App, *surveyBuilder) {
	t.Helper()
	u, _, _, _ := newTestApp(t)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	return u, u.Notices.Builder
}

// TestSurveyBuilderRoundTripsJSON: JSON imported into the builder comes out of it as the
// same survey, ids, kinds, options (commas kept), required marks and order.
func TestSurveyBuilderRoundTripsJSON(t *testing.T) {
	_, b := openBuilder(t)
	b.JSON.SetText(builderJSON)
	test.Tap(b.ImportJSON)
	if len(b.Rows) != 4 || b.Rows[0].Kind.Selected != "いくつでも選ぶ" || !b.Rows[0].Required.Checked || b.Rows[2].Options.Visible() {
		t.Fatalf("rows after import: %d, first %q", len(b.Rows), b.Rows[0].Kind.Selected)
	}
	test.Tap(b.ExportJSON)
	want, _ := capture.DecodeSurvey([]byte(builderJSON))
	got, err := capture.DecodeSurvey([]byte(b.JSON.Text))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip\n got %+v (%v)\nwant %+v", got, err, want)
	}
}

// TestSurveyBuilderEditsAndPreviews: questions are added, reordered and removed by buttons,
// the previews follow every edit (the capture screen's own form; the paper sheet's own
// headings), the checker's findings show under their question, and the event keeps the
// survey as built.
func TestSurveyBuilderEditsAndPreviews(t *testing.T) {
	u, b := openBuilder(t)
	u.Notices.show(tabSurvey, "")
	b.Set(nil)
	test.Type(b.Title, "来場者アンケート")
	test.Tap(b.AddQuestion)
	q1 := b.Rows[0]
	if u.win.Canvas().Focused() != q1.Text {
		t.Fatal("a new question does not take the focus")
	}
	test.Type(q1.Text, "導入のご予定")
	test.Type(q1.Options, "3か月以内\n1年以内")
	test.Tap(b.AddQuestion)
	q2 := b.Rows[1]
	test.Type(q2.Text, "展示の満足度")
	q2.Kind.SetSelected("5段階評価")
	q2.Required.SetChecked(true)
	test.Tap(b.AddQuestion)
	q3 := b.Rows[2]
	q3.Kind.SetSelected("いくつでも選ぶ") // no options yet: the checker says so under it
	if !q3.Error.Visible() || !strings.Contains(q3.Error.Text, "選択肢") {
		t.Fatalf("no finding under the question: %q", q3.Error.Text)
	}
	test.Tap(q3.Remove)
	test.Tap(q2.Up)
	sv := b.Survey()
	if len(sv.Questions) != 2 || sv.Questions[0].ID != "q2" || sv.Questions[0].Kind != capture.QuestionRating || !sv.Questions[0].Required ||
		sv.Questions[1].ID != "q1" || !reflect.DeepEqual(sv.Questions[1].Options, []string{"3か月以内", "1年以内"}) {
		t.Fatalf("built %+v", sv)
	}
	if !q2.Up.Disabled() || !q1.Down.Disabled() || q2.Down.Disabled() {
		t.Fatal("the first cannot go up and the last cannot go down")
	}
	if _, err := sv.Clean(); err != nil {
		t.Fatalf("built survey: %v", err)
	}

	// The screen preview is the capture screen's survey form; the paper one reads as the sheet.
	form := b.PreviewForm
	if _, ok := form.Inputs["q2"].(*widget.RadioGroup); !ok || len(form.Inputs) != 2 || !slices.Contains(form.box.Objects, form.Inputs["q1"]) {
		t.Fatalf("screen preview inputs %v", form.Inputs)
	}
	paper := labelTexts(b.Paper)
	if !slices.Contains(paper, "Q1. 展示の満足度 （必須）") || !slices.Contains(paper, "    ☐ 3か月以内") {
		t.Fatalf("paper preview %q", paper)
	}

	test.Tap(u.Notices.SaveSurvey)
	e, _ := u.store.Event(u.ctx(), u.event.ID)
	if e.Survey == nil || len(e.Survey.Questions) != 2 || e.Survey.Questions[0].ID != "q2" || e.Version != 2 {
		t.Fatalf("event after saving the survey: %+v", e)
	}
	raw, _ := json.Marshal(e.Survey)
	if !strings.Contains(string(raw), `"title":"来場者アンケート"`) {
		t.Fatalf("stored survey %s", raw)
	}
}

func labelTexts(c *fyne.Container) []string {
	var out []string
	for _, o := range c.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestSurveyBuilderPrintsTheDraftSheet: the paper survey can be seen as it will print
// before the survey is saved.
func TestSurveyBuilderPrintsTheDraftSheet(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	u, b := openBuilder(t)
	test.Tap(b.AddQuestion)
	test.Type(b.Rows[len(b.Rows)-1].Text, "ご予算")
	b.Rows[len(b.Rows)-1].Kind.SetSelected("自由記述")
	test.Tap(u.Notices.PaperPDF)
	files, _ := filepath.Glob(filepath.Join(documentsDir(home), "BoothLedger", "prints", "*-survey.pdf"))
	if len(files) != 1 || !strings.Contains(u.Notices.SurveyStatus.Text, files[0]) {
		t.Fatalf("files %v, status %q", files, u.Notices.SurveyStatus.Text)
	}
	t.Cleanup(func() { os.Remove(files[0]) }) // on Windows the folder is the real Documents
	if e, _ := u.store.Event(u.ctx(), u.event.ID); len(e.Survey.Questions) != 2 {
		t.Fatal("seeing the sheet saved the survey")
	}
}
