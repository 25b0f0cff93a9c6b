package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/ledger"
	"github.com/boothledger/boothledger/capture/safefile"
)

// ExportScreen is the managers' export wizard: choose events, use, recipient and basis, see
// how many leads go and how many are left out and why, then write the file and open its folder.
type ExportScreen struct {
	app     *App
	content *fyne.Container
	events  []capture.Event
	plan    *export.Plan

	Gate      *widget.Label
	Events    *widget.CheckGroup
	Use       *widget.Select
	Recipient *widget.Entry
	Basis     *widget.Select
	Format    *widget.Select
	Columns   *widget.Select
	Encoding  *widget.Select
	Preview   *widget.Button
	Summary   *widget.Label
	Write     *widget.Button
	Result    *widget.Label
	// Ledger writes the personal information ledger (個人情報管理台帳) for auditors.
	Ledger *widget.Button

	form fyne.CanvasObject
	// Dir is where files are written (the user's Documents/BoothLedger/exports by default).
	Dir string
}

func newExportScreen(u *App) *ExportScreen {
	s := &ExportScreen{app: u}
	s.Gate = widget.NewLabel(u.T("export.managers_only"))
	s.Events = widget.NewCheckGroup(nil, func([]string) { s.invalidate() })
	uses := make([]string, len(capture.Uses))
	for i, x := range capture.Uses {
		uses[i] = u.T("use." + string(x))
	}
	s.Use = widget.NewSelect(uses, func(string) { s.invalidate() })
	s.Use.SetSelectedIndex(0)
	s.Recipient = widget.NewEntry()
	s.Recipient.SetPlaceHolder(u.T("export.recipient_hint"))
	s.Recipient.OnChanged = func(string) { s.invalidate() }
	bases := make([]string, len(capture.Bases))
	for i, x := range capture.Bases {
		bases[i] = u.T("export_basis." + string(x))
	}
	s.Basis = widget.NewSelect(bases, func(string) { s.invalidate() })
	s.Basis.SetSelectedIndex(0)
	// The choices are the export package's codes, shown in words (export.format.xlsx …).
	s.Format = s.choice("export.format.", export.Formats, export.FormatXLSX)
	s.Columns = s.choice("export.columns.", export.ColumnSets, export.ColumnSets[0])
	s.Encoding = s.choice("export.encoding.", export.Encodings, export.Encodings[0])
	s.Preview = widget.NewButton(u.T("export.preview"), s.preview)
	s.Summary = wrapped("")
	s.Summary.Hide()
	s.Write = widget.NewButton(u.T("export.write"), s.write)
	s.Write.Importance = widget.HighImportance
	s.Write.Disable()
	s.Result = wrapped("")
	s.Result.Hide()
	s.Ledger = widget.NewButton(u.T("export.ledger"), s.writeLedger)
	if home, err := os.UserHomeDir(); err == nil {
		s.Dir = filepath.Join(home, "Documents", "BoothLedger", "exports")
	}
	rows := labelledRows()
	for _, r := range []struct {
		key   string
		field fyne.CanvasObject
	}{{"export.use", s.Use}, {"export.recipient", s.Recipient}, {"export.basis", s.Basis},
		{"export.format", s.Format}, {"export.columns", s.Columns}, {"export.encoding", s.Encoding}} {
		addRow(rows, u.T(r.key), r.field)
	}
	s.form = container.NewVScroll(container.NewVBox(
		bold(u.T("export.title")),
		widget.NewLabel(u.T("export.events")), s.Events,
		rows,
		s.Preview, s.Summary, s.Write, s.Result,
		bold(u.T("export.ledger_title")), s.Ledger))
	s.content = container.NewStack(container.NewCenter(s.Gate), s.form)
	s.Refresh()
	return s
}

// Content is the screen's layout.
func (s *ExportScreen) Content() fyne.CanvasObject { return s.content }

// Refresh shows the wizard to a signed-in manager only.
func (s *ExportScreen) Refresh() {
	if s.app.staff == nil || !s.app.staff.Manager {
		s.form.Hide()
		s.Gate.Show()
		return
	}
	s.Gate.Hide()
	s.form.Show()
	s.events, _ = s.app.store.Events(s.app.ctx())
	names := make([]string, len(s.events))
	for i, e := range s.events {
		names[i] = e.Date + " " + e.Name
	}
	s.Events.Options = names
	s.Events.Refresh()
}

// choice is a select of codes, each shown as the text of key prefix+code, with def chosen.
func (s *ExportScreen) choice(prefix string, codes []string, def string) *widget.Select {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = s.app.T(prefix + c)
	}
	sel := widget.NewSelect(words, func(string) { s.invalidate() })
	sel.SetSelectedIndex(slices.Index(codes, def))
	return sel
}

// code is the code chosen in a select made by choice.
func code(sel *widget.Select, codes []string) string {
	if i := sel.SelectedIndex(); i >= 0 {
		return codes[i]
	}
	return ""
}

func (s *ExportScreen) invalidate() {
	s.plan = nil
	if s.Write != nil {
		s.Write.Disable()
	}
}

func (s *ExportScreen) request() export.Request {
	req := export.Request{Recipient: s.Recipient.Text, Format: code(s.Format, export.Formats),
		Columns: code(s.Columns, export.ColumnSets), Encoding: code(s.Encoding, export.Encodings), Lang: s.app.tx.Lang}
	if i := s.Use.SelectedIndex(); i >= 0 {
		req.Use = capture.Uses[i]
	}
	if i := s.Basis.SelectedIndex(); i >= 0 {
		req.Basis = capture.Bases[i]
	}
	for _, picked := range s.Events.Selected {
		for i, e := range s.events {
			if s.Events.Options[i] == picked {
				req.Events = append(req.Events, e.ID)
			}
		}
	}
	return req
}

// manager is the signed-in manager, who an export record names; nil when none is signed in.
func (s *ExportScreen) manager() *capture.Staff {
	if st := s.app.staff; st != nil && st.Manager {
		return st
	}
	return nil
}

// preview counts who goes and who is left out, and why, before anything is written.
func (s *ExportScreen) preview() {
	u := s.app
	plan, err := export.Select(u.ctx(), u.store, s.request())
	if err != nil {
		showText(s.Summary, u.message(err))
		s.invalidate()
		return
	}
	s.plan = plan
	lines := []string{u.T("export.count", len(plan.Rows), len(plan.Excluded))}
	counts := plan.Counts()
	reasons := make([]string, 0, len(counts))
	for r := range counts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		text := export.ReasonText[r][0]
		if u.tx.Lang != "ja" {
			text = export.ReasonText[r][1]
		}
		lines = append(lines, fmt.Sprintf("・%s: %d", text, counts[r]))
	}
	// What the persons' notices did not declare for this provision is not given.
	var omitted []string
	for _, w := range plan.Withheld() {
		if w.Omitted {
			omitted = append(omitted, w.Column)
		} else {
			lines = append(lines, "・"+u.T("export.withheld_rows", w.Column, w.Rows))
		}
	}
	if len(omitted) > 0 {
		lines = append(lines, "・"+u.T("export.withheld", strings.Join(omitted, u.T("punct.list"))))
	}
	showText(s.Summary, strings.Join(lines, "\n"))
	s.Write.Enable()
}

// write writes the previewed list, records the export and opens the folder.
func (s *ExportScreen) write() {
	u := s.app
	m := s.manager()
	if s.plan == nil || m == nil {
		return
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		showText(s.Result, u.message(err))
		return
	}
	// The record names whoever is signed in when the file is written.
	s.plan.Request.By = m.Name
	req := s.plan.Request
	path := filepath.Join(s.Dir, fmt.Sprintf("%s-%s-%s.%s", time.Now().Format("20060102-150405"), req.Use, req.Basis, req.Format))
	res, err := export.WriteFile(u.ctx(), u.store, s.plan, path)
	if err != nil {
		showText(s.Result, u.message(err))
		return
	}
	msg := u.T("export.written", res.Record.Count, path)
	if res.Record.LeavesCompany() {
		msg += "\n" + u.T("export.provision")
	}
	if len(res.Unmappable) > 0 {
		msg += "\n" + u.T("export.unmappable", len(res.Unmappable))
	}
	showText(s.Result, msg+u.reveal(s.Dir))
	s.invalidate()
}

// writeLedger writes the personal information ledger as a spreadsheet and opens its folder.
func (s *ExportScreen) writeLedger() {
	u := s.app
	l, err := ledger.Build(u.ctx(), u.store)
	var buf bytes.Buffer
	if err == nil {
		err = l.WriteXLSX(&buf)
	}
	path := filepath.Join(s.Dir, fmt.Sprintf("ledger-%s.xlsx", u.now().Format("20060102-150405")))
	if err == nil {
		err = os.MkdirAll(s.Dir, 0o700)
	}
	if err == nil {
		err = safefile.Replace(path, buf.Bytes())
	}
	if err != nil {
		showText(s.Result, u.message(err))
		return
	}
	showText(s.Result, u.T("export.ledger_written", len(l.Entries), path)+u.reveal(s.Dir))
}
