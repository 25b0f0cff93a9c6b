package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
)

// noticeEditor edits the text of a purpose notice and shows the checker's findings as the
// text changes.
type noticeEditor struct {
	app *App

	Lang       *widget.Select
	Title      *widget.Entry
	Purposes   *widget.Entry // one purpose per line
	Items      *widget.Entry // separated by 、 or ,
	Retention  *widget.Entry
	Contact    *widget.Entry
	PolicyURL  *widget.Entry
	ThirdParty *widget.Check
	Recipients *widget.Entry
	TPItems    *widget.Entry
	TPMethod   *widget.Entry
	JointUse   *widget.Check
	JUItems    *widget.Entry
	JUUsers    *widget.Entry
	JUPurpose  *widget.Entry
	JUName     *widget.Entry
	JUAddress  *widget.Entry
	JURep      *widget.Entry
	Findings   *widget.Label

	tpBox, juBox *fyne.Container
	// abroad are the loaded notice's recipients abroad (Art.28), which the editor has no
	// fields for: kept as they were, so that a new version does not drop them unseen.
	abroad []capture.Abroad
	// errors is the number of checker errors in the text as it stands.
	errors int
}

func newNoticeEditor(u *App) *noticeEditor {
	e := &noticeEditor{app: u}
	entry := func(key string) *widget.Entry {
		w := widget.NewEntry()
		w.SetPlaceHolder(u.T(key))
		w.OnChanged = func(string) { e.lint() }
		return w
	}
	e.Lang = widget.NewSelect(languageNames, func(string) { e.lint() })
	e.Lang.SetSelectedIndex(0)
	e.Title = entry("notice.title")
	e.Purposes = widget.NewMultiLineEntry()
	e.Purposes.SetPlaceHolder(u.T("notice.purposes_hint"))
	e.Purposes.Wrapping = fyne.TextWrapWord
	e.Purposes.SetMinRowsVisible(4)
	e.Purposes.OnChanged = func(string) { e.lint() }
	e.Items = entry("notice.items_hint")
	e.Retention = entry("notice.retention")
	e.Contact = entry("notice.contact")
	e.PolicyURL = entry("notice.policy_url")
	e.ThirdParty = widget.NewCheck(u.T("notice.third_party_declare"), func(bool) { e.showDeclarations(); e.lint() })
	e.Recipients = entry("notice.recipients")
	e.TPItems = entry("notice.tp_items")
	e.TPMethod = entry("notice.tp_method")
	e.JointUse = widget.NewCheck(u.T("notice.joint_use_declare"), func(bool) { e.showDeclarations(); e.lint() })
	e.JUItems = entry("notice.ju_items")
	e.JUUsers = entry("notice.ju_users")
	e.JUPurpose = entry("notice.ju_purpose")
	e.JUName = entry("notice.ju_name")
	e.JUAddress = entry("notice.ju_address")
	e.JURep = entry("notice.ju_rep")
	e.Findings = wrapped("")
	return e
}

// Content is the editor's layout.
func (e *noticeEditor) Content() fyne.CanvasObject {
	u := e.app
	row := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), widget.NewLabel(u.T(key))), nil, w)
	}
	e.tpBox = container.NewVBox(row("notice.recipients", e.Recipients), row("notice.tp_items", e.TPItems), row("notice.tp_method", e.TPMethod))
	e.juBox = container.NewVBox(row("notice.ju_items", e.JUItems), row("notice.ju_users", e.JUUsers), row("notice.ju_purpose", e.JUPurpose),
		row("notice.ju_name", e.JUName), row("notice.ju_address", e.JUAddress), row("notice.ju_rep", e.JURep))
	e.showDeclarations()
	return container.NewVBox(
		row("notice.lang", e.Lang), row("notice.title", e.Title),
		widget.NewLabel(u.T("notice.purposes")), e.Purposes,
		bold(u.T("notice.findings")), e.Findings,
		row("notice.items", e.Items), row("notice.retention", e.Retention),
		row("notice.contact", e.Contact), row("notice.policy_url", e.PolicyURL),
		e.ThirdParty, e.tpBox, e.JointUse, e.juBox,
	)
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Body is the notice as typed.
func (e *noticeEditor) Body() capture.NoticeBody {
	var purposes []string
	for _, l := range strings.Split(e.Purposes.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			purposes = append(purposes, l)
		}
	}
	b := capture.NoticeBody{Title: e.Title.Text, Lang: languages[max(e.Lang.SelectedIndex(), 0)], Purposes: purposes, Items: splitList(e.Items.Text),
		Retention: e.Retention.Text, Contact: e.Contact.Text, PolicyURL: strings.TrimSpace(e.PolicyURL.Text)}
	if e.ThirdParty.Checked {
		b.ThirdParty = capture.ThirdParty{Provides: true, Recipients: splitList(e.Recipients.Text), Items: splitList(e.TPItems.Text), Method: e.TPMethod.Text,
			Abroad: e.abroad}
	}
	if e.JointUse.Checked {
		b.JointUse = &capture.JointUse{Items: splitList(e.JUItems.Text), Users: e.JUUsers.Text, Purpose: e.JUPurpose.Text,
			Responsible: capture.Party{Name: e.JUName.Text, Address: e.JUAddress.Text, Representative: e.JURep.Text}}
	}
	return b
}

// Set loads a notice into the editor.
func (e *noticeEditor) Set(b capture.NoticeBody) {
	sep := "、" // lists read in the notice's own punctuation; splitList takes either
	if b.Lang == "en" {
		sep = ", "
	}
	e.Lang.SetSelectedIndex(slices.Index(languages, b.Lang))
	prefill(e.Title, b.Title)
	prefill(e.Purposes, strings.Join(b.Purposes, "\n"))
	e.Items.SetText(strings.Join(b.Items, sep)) // longer than the field: its start stays in view
	prefill(e.Retention, b.Retention)
	prefill(e.Contact, b.Contact)
	prefill(e.PolicyURL, b.PolicyURL)
	e.ThirdParty.SetChecked(b.ThirdParty.Provides)
	prefill(e.Recipients, strings.Join(b.ThirdParty.Recipients, "、")) // a name may hold a comma ("Acme, Inc.")
	prefill(e.TPItems, strings.Join(b.ThirdParty.Items, sep))
	prefill(e.TPMethod, b.ThirdParty.Method)
	e.abroad = b.ThirdParty.Abroad
	j := b.JointUse
	e.JointUse.SetChecked(j != nil)
	if j == nil {
		j = &capture.JointUse{}
	}
	prefill(e.JUItems, strings.Join(j.Items, sep))
	prefill(e.JUUsers, j.Users)
	prefill(e.JUPurpose, j.Purpose)
	prefill(e.JUName, j.Responsible.Name)
	prefill(e.JUAddress, j.Responsible.Address)
	prefill(e.JURep, j.Responsible.Representative)
	e.lint()
}

// showDeclarations shows the third-party and joint-use fields only when they are declared.
func (e *noticeEditor) showDeclarations() {
	for box, on := range map[*fyne.Container]bool{e.tpBox: e.ThirdParty.Checked, e.juBox: e.JointUse.Checked} {
		if box == nil {
			continue
		}
		if on {
			box.Show()
		} else {
			box.Hide()
		}
	}
}

// lint runs the checker on the text as it stands and lists what it finds.
func (e *noticeEditor) lint() {
	if e.Findings == nil {
		return // still being built
	}
	findings := e.Body().Lint()
	e.errors = capture.Errors(findings)
	if len(findings) == 0 {
		e.Findings.SetText(e.app.T("notice.no_findings"))
		e.Findings.Importance = widget.SuccessImportance
		e.Findings.Refresh()
		return
	}
	lines := make([]string, len(findings))
	for i, f := range findings {
		mark := "△"
		if f.Severity == capture.SeverityError {
			mark = "×"
		}
		lines[i] = mark + " " + f.Message(e.app.tx.Lang)
	}
	e.Findings.SetText(strings.Join(lines, "\n"))
	e.Findings.Importance = widget.WarningImportance
	if e.errors > 0 {
		e.Findings.Importance = widget.DangerImportance
	}
	e.Findings.Refresh()
}
