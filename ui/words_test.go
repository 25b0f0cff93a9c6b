package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
)

// goFiles parses the non-test Go files under dir.
func goFiles(t *testing.T, dir string) []*ast.File {
	t.Helper()
	var files []*ast.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		files = append(files, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// fieldArg is the position of the field name among the arguments of each function that
// names a field in a validation error.
// (v.add is capture's errs.add; export's bad wraps capture.Invalid.)
var fieldArg = map[string]int{"v.add": 0, "Invalid": 0, "bad": 0, "cleanText": 1, "cleanList": 1, "checkIDs": 1, "checkTime": 1, "jsonInvalid": 0}

// errorFields lists the field paths the domain's validation errors name, read from its
// source; a part built at run time (a person field, a consent kind, a question id) is "*".
func errorFields(t *testing.T) []string {
	t.Helper()
	var path func(e ast.Expr) (string, bool)
	path = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		case *ast.BinaryExpr:
			l, lok := path(x.X)
			r, rok := path(x.Y)
			if !lok {
				l = "*"
			}
			if !rok {
				r = "*"
			}
			return l + r, lok || rok
		case *ast.CallExpr: // fmt.Sprintf("survey.questions[%d]", i)
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" {
				if f, ok := path(x.Args[0]); ok {
					return strings.NewReplacer("%d", "0", "%s", "*").Replace(f), true
				}
			}
		case *ast.Ident: // f := fmt.Sprintf(...) is followed where it is declared
			if x.Obj != nil {
				if as, ok := x.Obj.Decl.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
					return path(as.Rhs[0])
				}
			}
		}
		return "", false
	}
	seen := map[string]bool{}
	for _, dir := range []string{"../capture", "../sync"} {
		for _, f := range goFiles(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if id, ok := fn.X.(*ast.Ident); ok && fn.Sel.Name == "add" {
						name = id.Name + ".add"
					}
				}
				if i, ok := fieldArg[name]; ok && len(call.Args) > i {
					if p, ok := path(call.Args[i]); ok {
						seen[p] = true
					}
				}
				return true
			})
		}
	}
	list := make([]string, 0, len(seen))
	for p := range seen {
		list = append(list, p)
	}
	sort.Strings(list)
	if len(list) < 50 {
		t.Fatalf("found only %d field names in the domain's source: %q", len(list), list)
	}
	return list
}

// TestEveryErrorFieldHasALabel: every field a validation error can name is shown by its
// label in both languages, never by its code.
func TestEveryErrorFieldHasALabel(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		u := &App{tx: assets.Texts{Lang: lang}}
		for _, field := range errorFields(t) {
			parent := ""
			for _, part := range strings.Split(field, ".") {
				name, _, _ := strings.Cut(part, "[")
				if name != "*" && name != "" && u.partLabel(parent, name) == name {
					t.Errorf("%s: no label for %q in %s", lang, name, field)
				}
				parent = name
			}
		}
	}
	u := &App{tx: assets.Texts{Lang: "ja"}}
	if got := u.fieldLabel("", "survey.questions[2].options"); got != "アンケートの設問（3件目）の選択肢" {
		t.Errorf("a path reads %q", got)
	}
	if got := u.fieldLabel("", "consent.email_optin"); got != "同意の"+u.T("consent.email_optin") {
		t.Errorf("a consent reads %q", got)
	}
}

// TestEveryTextKeyExists: every key the screens translate with a literal exists in both
// languages, and every export choice has its words.
func TestEveryTextKeyExists(t *testing.T) {
	ja, en := assets.Catalog("ja"), assets.Catalog("en")
	var keys []string
	for _, f := range goFiles(t, ".") {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "T" && len(call.Args) > 0 {
					if lit, ok := call.Args[0].(*ast.BasicLit); ok {
						k, _ := strconv.Unquote(lit.Value)
						keys = append(keys, k)
					}
				}
			}
			return true
		})
	}
	for _, c := range export.Formats {
		keys = append(keys, "export.format."+c)
	}
	for _, c := range export.ColumnSets {
		keys = append(keys, "export.columns."+c)
	}
	for _, c := range export.Encodings {
		keys = append(keys, "export.encoding."+c)
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys", len(keys))
	}
	for _, k := range keys {
		if ja[k] == "" || en[k] == "" {
			t.Errorf("%s: ja %q, en %q", k, ja[k], en[k])
		}
	}
}

// screenTexts is every text drawn on the canvas, dialogs included, and every choice of
// the selects on it.
func screenTexts(c fyne.Canvas) []string {
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			texts = append(texts, x.Text)
		case *widget.Select:
			texts = append(texts, x.Options...)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, child := range x.Objects {
				walk(child)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(x).Objects() {
				walk(child)
			}
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return texts
}

// codesOnScreen returns the texts on c that show a field code ("pin: …"), a raw choice
// code, an untranslated key or Go's own error text.
func codesOnScreen(t *testing.T, c fyne.Canvas) []string {
	t.Helper()
	names := map[string]bool{}
	for _, f := range errorFields(t) {
		for _, part := range strings.Split(f, ".") {
			if name, _, _ := strings.Cut(part, "["); name != "*" && name != "" {
				names[regexp.QuoteMeta(name)] = true
			}
		}
	}
	alt := make([]string, 0, len(names))
	for n := range names {
		alt = append(alt, n)
	}
	// A field error starts its line, or follows what introduces it ("…: ", "（").
	prefix := regexp.MustCompile(`(^|\n|: |：|（|\()(` + strings.Join(alt, "|") + `)(\[\d+\])?(\.[a-z_0-9\[\]*]+)*: `)
	raw := regexp.MustCompile(`(^|[^.\w])(utf8bom|utf8|cp932|xlsx|salesforce|hubspot|json_[a-z_]+)\b|json: |invalid character|sql: |%!|(^|\s)(kiosk|export|label|field|error|capture|signin|settings|events|notices)\.[a-z_.]+`)
	exact := map[string]bool{"ja": true, "en": true, "csv": true, "pdf": true, "vcf": true}
	var bad []string
	for _, s := range screenTexts(c) {
		if prefix.MatchString(s) || raw.MatchString(s) || exact[s] {
			bad = append(bad, s)
		}
	}
	return bad
}

// showTab selects the tab that holds content.
func showTab(u *App, content fyne.CanvasObject) {
	for i, it := range u.tabs.Items {
		if it.Content == content {
			u.tabs.SelectIndex(i)
		}
	}
}

// TestNoCodesOnScreens drives each screen into its error states, in Japanese and English,
// and reads everything drawn: no field codes, raw choices or Go errors.
func TestNoCodesOnScreens(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		u, s, _, _ := newTestApp(t)
		if lang != "ja" {
			u.SetLanguage(lang)
		}
		if err := u.SignIn("田中", "123456"); err != nil {
			t.Fatal(err)
		}
		c := u.win.Canvas()
		check := func(screen string) {
			t.Helper()
			if bad := codesOnScreen(t, c); len(bad) > 0 {
				t.Errorf("%s %s shows codes: %q", lang, screen, bad)
			}
		}

		cs := u.Capture
		test.Type(cs.Fields["name"], "山田 太郎")
		test.Type(cs.Fields["email"], "taro@")
		test.Type(cs.Fields["phone"], "03-abc")
		test.Tap(cs.Save)
		if cs.Errors["email"].Text == "" {
			t.Fatalf("%s capture: no error for a bad email", lang)
		}
		check("capture")

		showTab(u, u.Settings.Content())
		test.Type(u.Settings.NewName, "佐藤")
		test.Type(u.Settings.NewPIN, "12")
		test.Tap(u.Settings.AddStaff)
		if u.Settings.StaffError.Text == "" {
			t.Fatalf("%s settings: no error for a short PIN", lang)
		}
		check("settings")

		x := u.Export
		showTab(u, x.Content())
		x.Events.SetSelected(x.Events.Options)
		x.Use.SetSelectedIndex(slices.Index(capture.Uses, capture.UseThirdParty))
		x.Basis.SetSelectedIndex(slices.Index(capture.Bases, capture.BasisConsent))
		test.Tap(x.Preview)
		if x.Summary.Text == "" {
			t.Fatalf("%s export: no error without a recipient", lang)
		}
		check("export")

		u.EnterKiosk()
		k := u.Kiosk
		test.Tap(k.Consents[capture.ConsentPurpose])
		test.Type(k.Fields["email"], "hanako@")
		test.Tap(k.Submit)
		check("kiosk")
		test.Tap(k.Exit)
		submitPIN(k, "000000")
		check("kiosk exit")
		k.stop()
		s.Close()
	}
}

// TestErrorsReadAsWords: a field error is its label and its message, in the interface's
// punctuation; JSON errors give the line.
func TestErrorsReadAsWords(t *testing.T) {
	u, _, _, _ := newTestApp(t)
	_, err := capture.DecodeSurvey([]byte("{\n  \"title\": \"来場者アンケート\",,\n}"))
	if got, want := u.message(err), "アンケート：2行目 23文字目の「,」でJSONが読めません（カンマ・引用符・かっこを確認してください）"; got != want {
		t.Fatalf("survey error %q, want %q", got, want)
	}
	u.SetLanguage("en")
	_, err = capture.NewStaff("佐藤", "12", false)
	if got := u.message(err); got != "PIN: must be 6 to 12 digits" {
		t.Fatalf("English field error %q", got)
	}
	if got := u.message(capture.Invalid("survey.questions[1].options", "options_needed")); got != "Survey / Question 2 / Options: needs options for a choice question" {
		t.Fatalf("English path %q", got)
	}
}

// TestEnglishPunctuation: English text has no Japanese punctuation; an event's dates read
// "2026-11-25 – 2026-11-27" in English.
func TestEnglishPunctuation(t *testing.T) {
	for k, v := range assets.Catalog("en") {
		if strings.ContainsAny(v, "、。「」（）：；！？〜～") {
			t.Errorf("en %s: %q", k, v)
		}
	}
	u, _, _, e := newTestApp(t) // the event runs 2026-11-25 to 2026-11-27
	u.SetLanguage("en")
	if got := u.Capture.EventLine.Text; !strings.Contains(got, e.Date+" – "+e.End) || e.End == "" {
		t.Fatalf("English dates %q", got)
	}
}
