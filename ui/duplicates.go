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
	"github.com/boothledger/boothledger/capture/store"
)

// dupPair is one pair for review: two leads the matcher thinks are one person.
type dupPair struct {
	a, b capture.Lead
	pair match.Pair
}

// bulkScores are the weakest-link scores a bulk merge may start from.
var bulkScores = []string{"0.97", "0.96", "0.95", "0.93", "0.90"}

// DuplicatesScreen is the managers' 名寄せ review: side-by-side cards with the differing
// fields marked and the value to keep chosen per field; merge, keep apart, link (兼務), undo;
// a bulk merge of every cluster above a score with one undo; and the history of merges.
type DuplicatesScreen struct {
	app      *App
	content  *fyne.Container
	gate     *widget.Label
	body     fyne.CanvasObject
	report   store.Duplicates
	pairs    []dupPair
	current  *dupPair
	history  []capture.MergeRecord
	lastPick int

	List  *widget.List
	Left  map[string]*widget.Label
	Right map[string]*widget.Label
	// Keep chooses, for a field that differs, whose value the merged lead shows.
	Keep      map[string]*widget.RadioGroup
	Why       *widget.Label
	Merge     *widget.Button
	KeepApart *widget.Button
	Link      *widget.Button
	Undo      *widget.Button
	Status    *widget.Label

	MinScore  *widget.Select
	MergeAll  *widget.Button
	UndoBatch *widget.Button

	History     *widget.List
	HistoryUndo *widget.Button

	lastMerge, lastBatch string
}

func newDuplicatesScreen(u *App) *DuplicatesScreen {
	s := &DuplicatesScreen{app: u, Left: map[string]*widget.Label{}, Right: map[string]*widget.Label{}, Keep: map[string]*widget.RadioGroup{}, lastPick: -1}
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
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s ⇔ %s", mark, nameAt(p.a.Person), nameAt(p.b.Person)))
		})
	s.List.OnSelected = func(i widget.ListItemID) { s.show(i) }
	grid := container.NewGridWithColumns(4, bold(""), bold("A"), bold("B"), bold(u.T("dup.keep_value")))
	for _, f := range formFields {
		s.Left[f], s.Right[f] = widget.NewLabel(""), widget.NewLabel("")
		s.Keep[f] = widget.NewRadioGroup([]string{"A", "B"}, nil)
		s.Keep[f].Horizontal = true
		grid.Add(widget.NewLabel(u.T("field." + f)))
		grid.Add(s.Left[f])
		grid.Add(s.Right[f])
		grid.Add(container.NewStack(s.Keep[f])) // the cell stays when the choice is hidden
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

	s.MergeAll = widget.NewButton("", s.mergeAll)
	s.MinScore = widget.NewSelect(bulkScores, func(string) { s.setBulk() })
	s.MinScore.SetSelected("0.95")
	s.UndoBatch = widget.NewButton(u.T("dup.undo_batch"), s.undoBatch)
	s.UndoBatch.Disable()
	s.History = widget.NewList(
		func() int { return len(s.history) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.historyLine(s.history[i])) })
	s.History.OnSelected = func(i widget.ListItemID) { s.lastPick = i; s.setHistory() }
	s.HistoryUndo = widget.NewButton(u.T("dup.history_undo"), s.undoPicked)
	s.HistoryUndo.Disable()

	bulk := container.NewVBox(bold(u.T("dup.bulk")),
		container.NewHBox(widget.NewLabel(u.T("dup.min_score")), s.MinScore, s.MergeAll, s.UndoBatch))
	history := container.NewBorder(container.NewHBox(bold(u.T("dup.history")), s.HistoryUndo), nil, nil, nil, s.History)
	// The decision buttons stay in view however tall the cards are.
	detail := container.NewBorder(nil, container.NewVBox(s.Why, container.NewHBox(s.Merge, s.KeepApart, s.Link, s.Undo), s.Status), nil, nil,
		container.NewVScroll(grid))
	right := container.NewVSplit(detail, container.NewBorder(bulk, nil, nil, nil, history))
	right.SetOffset(0.62)
	split := container.NewHSplit(s.List, right)
	split.SetOffset(0.38)
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
	s.report = d
	s.pairs = nil
	for _, p := range d.Pairs {
		s.pairs = append(s.pairs, dupPair{a: d.Leads[p.A], b: d.Leads[p.B], pair: p})
	}
	if s.history, err = u.store.MergeHistory(u.ctx()); err != nil {
		u.showError(err)
		return
	}
	s.lastPick = -1
	s.History.UnselectAll()
	s.History.Refresh()
	s.setHistory()
	s.current = nil
	s.List.UnselectAll()
	s.List.Refresh()
	s.setButtons()
	s.setBulk()
	for _, f := range formFields {
		s.Left[f].SetText("")
		s.Right[f].SetText("")
		s.Keep[f].Hide()
	}
	if len(s.pairs) == 0 {
		s.Why.SetText(u.T("dup.none"))
		return
	}
	s.Why.SetText(u.T("dup.count", len(s.pairs)))
	s.List.Select(0) // the first pair side by side at once
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

// bulkClusters are the clusters a bulk merge at the chosen score would merge.
func (s *DuplicatesScreen) bulkClusters() (float64, int) {
	var min float64
	fmt.Sscan(s.MinScore.Selected, &min)
	n := 0
	for _, c := range s.report.Clusters {
		if c.Score >= min {
			n++
		}
	}
	return min, n
}

func (s *DuplicatesScreen) setBulk() {
	min, n := s.bulkClusters()
	s.MergeAll.SetText(s.app.T("dup.merge_all", n, min))
	if n == 0 {
		s.MergeAll.Disable()
	} else {
		s.MergeAll.Enable()
	}
}

// show puts the pair side by side, the fields that differ marked, each with a choice of the
// value to keep (the newer lead's at first).
func (s *DuplicatesScreen) show(i int) {
	p := s.pairs[i]
	s.current = &p
	newer := "A"
	if p.b.LastSeen.After(p.a.LastSeen) {
		newer = "B"
	}
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
		if a != b && a != "" && b != "" {
			s.Keep[f].SetSelected(newer)
			s.Keep[f].Show()
		} else {
			s.Keep[f].Hide()
		}
	}
	why := s.app.T("dup.why", p.pair.Score, s.app.reasonWords(p.pair.Reasons))
	if p.pair.Decision == match.Propose {
		why += "\n" + s.app.proposalNote(p.pair.Reasons)
	}
	s.Why.SetText(why)
	s.setButtons()
}

// nameAt is a person's name with their company in brackets, when one is known.
func nameAt(p capture.Person) string {
	if p.Company == "" {
		return p.Name
	}
	return p.Name + "（" + p.Company + "）"
}

// reasonWords says in words what the matcher found alike (メール一致, 氏名一致 …).
func (u *App) reasonWords(reasons []string) string {
	words := make([]string, len(reasons))
	for i, r := range reasons {
		words[i] = u.T("match." + r)
	}
	return strings.Join(words, u.T("list.sep"))
}

// proposalNote says why the matcher asks rather than merges: the same personal address
// under another name, or the same person known at another company.
func (u *App) proposalNote(reasons []string) string {
	if slices.Contains(reasons, match.ReasonNameDiffers) {
		return u.T("capture.hint_name_differs")
	}
	return u.T("capture.hint_new_company")
}

// merge keeps the more recently seen lead and shows the other as part of it, with the
// values chosen per field.
func (s *DuplicatesScreen) merge() {
	if s.current == nil {
		return
	}
	keep, other := s.current.a, s.current.b
	if other.LastSeen.After(keep.LastSeen) {
		keep, other = other, keep
	}
	fields := map[string]string{}
	for _, f := range formFields {
		if !s.Keep[f].Visible() {
			continue
		}
		side := s.current.a
		if s.Keep[f].Selected == "B" {
			side = s.current.b
		}
		fields[f] = *side.Person.Field(f)
	}
	m, err := s.app.store.MergeLeads(s.app.ctx(), keep.ID, []string{other.ID}, fields, s.app.T("dup.reason"))
	if err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	s.lastMerge = m.ID
	s.Undo.Enable()
	showText(s.Status, s.app.T("dup.merged", keep.Person.Name))
	s.Refresh()
}

// mergeAll merges every cluster at or above the chosen score in one batch.
func (s *DuplicatesScreen) mergeAll() {
	min, _ := s.bulkClusters()
	batch, merged, err := s.app.store.MergeClusters(s.app.ctx(), s.report.Clusters, min, s.app.T("dup.reason_bulk"))
	if err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	s.lastBatch = batch
	s.UndoBatch.Enable()
	showText(s.Status, s.app.T("dup.merged_all", len(merged)))
	s.Refresh()
}

// undoBatch takes back the last bulk merge made here, all of it.
func (s *DuplicatesScreen) undoBatch() {
	if s.lastBatch == "" {
		return
	}
	n, err := s.app.store.UnmergeBatch(s.app.ctx(), s.lastBatch)
	if err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	s.lastBatch = ""
	s.UndoBatch.Disable()
	showText(s.Status, s.app.T("dup.undone_batch", n))
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

// historyLine is one merge of the history: when, who was kept, how many joined, and whether
// it still stands.
func (s *DuplicatesScreen) historyLine(m capture.MergeRecord) string {
	name := m.Keep
	if l, err := s.app.store.Lead(s.app.ctx(), m.Keep); err == nil {
		name = nameAt(l.Person)
	}
	state := ""
	if m.Undone {
		state = s.app.T("dup.history_undone")
	}
	return s.app.T("dup.history_line", m.Stamp.HLC.Time().Local().Format("2006-01-02 15:04"), name, len(m.Others)+1) + state
}

func (s *DuplicatesScreen) setHistory() {
	if s.lastPick >= 0 && s.lastPick < len(s.history) && !s.history[s.lastPick].Undone {
		s.HistoryUndo.Enable()
	} else {
		s.HistoryUndo.Disable()
	}
}

// undoPicked undoes the merge chosen in the history.
func (s *DuplicatesScreen) undoPicked() {
	if s.lastPick < 0 || s.lastPick >= len(s.history) {
		return
	}
	if err := s.app.store.Unmerge(s.app.ctx(), s.history[s.lastPick].ID); err != nil {
		showText(s.Status, s.app.message(err))
		return
	}
	showText(s.Status, s.app.T("dup.undone"))
	s.Refresh()
}
