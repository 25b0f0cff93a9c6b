package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
)

// dupPair is one pair for review: two leads the matcher thinks are one person.
type dupPair struct {
	a, b capture.Lead
	pair match.Pair
}

// DuplicatesScreen is the managers' 名寄せ review: side-by-side cards with the differing
// fields marked, and merge, keep apart, link (兼務) and undo.
type DuplicatesScreen struct {
	app     *App
	content *fyne.Container
	gate    *widget.Label
	body    fyne.CanvasObject
	pairs   []dupPair
	current *dupPair

	List      *widget.List
	Left      map[string]*widget.Label
	Right     map[string]*widget.Label
	Why       *widget.Label
	Merge     *widget.Button
	KeepApart *widget.Button
	Link      *widget.Button
	Undo      *widget.Button
	Status    *widget.Label

	lastMerge string
}

func newDuplicatesScreen(u *App) *DuplicatesScreen {
	s := &DuplicatesScreen{app: u, Left: map[string]*widget.Label{}, Right: map[string]*widget.Label{}}
	s.gate = widget.NewLabel(u.T("dup.managers_only"))
	s.List = widget.NewList(
		func() int { return len(s.pairs) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := s.pairs[i]
			mark := "＝"
			if p.pair.Decision == match.Propose {
				mark = "？"
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s（%s） ⇔ %s（%s）", mark, p.a.Person.Name, p.a.Person.Company, p.b.Person.Name, p.b.Person.Company))
		})
	s.List.OnSelected = func(i widget.ListItemID) { s.show(i) }
	grid := container.NewGridWithColumns(3, bold(""), bold("A"), bold("B"))
	for _, f := range formFields {
		s.Left[f], s.Right[f] = widget.NewLabel(""), widget.NewLabel("")
		grid.Add(widget.NewLabel(u.T("field." + f)))
		grid.Add(s.Left[f])
		grid.Add(s.Right[f])
	}
	s.Why = wrapped("")
	s.Merge = widget.NewButton(u.T("dup.merge"), s.merge)
	s.Merge.Importance = widget.HighImportance
	s.KeepApart = widget.NewButton(u.T("dup.keep_apart"), func() { s.link(capture.RelationDistinct) })
	s.Link = widget.NewButton(u.T("dup.link"), func() { s.link(capture.RelationConcurrent) })
	s.Undo = widget.NewButton(u.T("dup.undo"), s.undo)
	s.Undo.Disable()
	s.Status = wrapped("")
	s.Status.Hide()
	detail := container.NewVScroll(container.NewVBox(grid, s.Why, container.NewHBox(s.Merge, s.KeepApart, s.Link, s.Undo), s.Status))
	split := container.NewHSplit(s.List, detail)
	split.SetOffset(0.4)
	s.body = split
	s.content = container.NewStack(container.NewCenter(s.gate), s.body)
	s.Refresh()
	return s
}

// Content is the screen's layout.
func (s *DuplicatesScreen) Content() fyne.CanvasObject { return s.content }

// Refresh runs the matcher over the leads for a signed-in manager.
func (s *DuplicatesScreen) Refresh() {
	u := s.app
	if u.staff == nil || !u.staff.Manager {
		s.body.Hide()
		s.gate.Show()
		return
	}
	s.gate.Hide()
	s.body.Show()
	d, err := u.store.Duplicates(u.ctx(), "")
	if err != nil {
		u.showError(err)
		return
	}
	s.pairs = nil
	for _, p := range d.Pairs {
		s.pairs = append(s.pairs, dupPair{a: d.Leads[p.A], b: d.Leads[p.B], pair: p})
	}
	s.current = nil
	s.List.UnselectAll()
	s.List.Refresh()
	s.setButtons()
	for _, f := range formFields {
		s.Left[f].SetText("")
		s.Right[f].SetText("")
	}
	s.Why.SetText(u.T("dup.count", len(s.pairs)))
	if len(s.pairs) > 0 {
		s.List.Select(0) // the first pair side by side at once
	}
}

func (s *DuplicatesScreen) setButtons() {
	for _, b := range []*widget.Button{s.Merge, s.KeepApart, s.Link} {
		if s.current == nil {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// show puts the pair side by side, the fields that differ marked.
func (s *DuplicatesScreen) show(i int) {
	p := s.pairs[i]
	s.current = &p
	for _, f := range formFields {
		a, b := *p.a.Person.Field(f), *p.b.Person.Field(f)
		s.Left[f].SetText(a)
		s.Right[f].SetText(b)
		imp := widget.MediumImportance
		if a != b {
			imp = widget.WarningImportance
		}
		s.Left[f].Importance, s.Right[f].Importance = imp, imp
		s.Left[f].Refresh()
		s.Right[f].Refresh()
	}
	why := s.app.T("dup.why", p.pair.Score, strings.Join(p.pair.Reasons, ", "))
	if p.pair.Decision == match.Propose {
		why += "\n" + s.app.proposalNote(p.pair.Reasons)
	}
	s.Why.SetText(why)
	s.setButtons()
}

// proposalNote says why the matcher asks rather than merges: the same personal address
// under another name, or the same person known at another company.
func (u *App) proposalNote(reasons []string) string {
	if slices.Contains(reasons, match.ReasonNameDiffers) {
		return u.T("capture.hint_name_differs")
	}
	return u.T("capture.hint_new_company")
}

// merge keeps the more recently seen lead and shows the other as part of it.
func (s *DuplicatesScreen) merge() {
	if s.current == nil {
		return
	}
	keep, other := s.current.a, s.current.b
	if other.LastSeen.After(keep.LastSeen) {
		keep, other = other, keep
	}
	m, err := s.app.store.MergeLeads(s.app.ctx(), keep.ID, []string{other.ID}, nil, s.app.T("dup.reason"))
	if err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	s.lastMerge = m.ID
	s.Undo.Enable()
	showText(s.Status, s.app.T("dup.merged", keep.Person.Name))
	s.Refresh()
}

func (s *DuplicatesScreen) link(relation string) {
	if s.current == nil {
		return
	}
	if err := s.app.store.LinkLeads(s.app.ctx(), s.current.a.ID, s.current.b.ID, relation); err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	showText(s.Status, s.app.T("dup.linked."+relation))
	s.Refresh()
}

// undo takes back the last merge made here.
func (s *DuplicatesScreen) undo() {
	if s.lastMerge == "" {
		return
	}
	if err := s.app.store.Unmerge(s.app.ctx(), s.lastMerge); err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	s.lastMerge = ""
	s.Undo.Disable()
	showText(s.Status, s.app.T("dup.undone"))
	s.Refresh()
}
