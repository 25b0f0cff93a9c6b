package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/request"
	"github.com/boothledger/boothledger/capture/store"
)

// leadsPage is how many leads the table shows at once; the pager reaches every other.
const leadsPage = 50

// Columns of the lead table.
const (
	colChoose = iota
	colName
	colCompany
	colTitle
	colEmail
	colEvent
	colAt
	colStaff
	colRating
	colPermissions
	leadColumns
)

// columnSorts is the store's order for each column, columnKeys its heading.
var (
	columnSorts = [leadColumns]store.LeadSort{colName: store.SortName, colCompany: store.SortCompany, colTitle: store.SortTitle,
		colEmail: store.SortEmail, colEvent: store.SortEvent, colAt: store.SortLastSeen, colStaff: store.SortStaff,
		colRating: store.SortRating, colPermissions: store.SortPermissions}
	columnKeys   = [leadColumns]string{"", "name", "company", "title", "email", "event", "at", "staff", "rating", "permissions"}
	columnWidths = [leadColumns]float32{36, 92, 112, 64, 112, 96, 108, 52, 44, 116}
)

// channelIcons stand for the channels in the permission column, in capture.Channels order:
// a function, since the theme's icons may be asked for only once the app has started.
func channelIcons() []fyne.Resource {
	return []fyne.Resource{theme.AccountIcon(), theme.MailComposeIcon(), theme.VolumeUpIcon(), theme.HomeIcon(), theme.MailForwardIcon()}
}

// channelIcon is the i-th channel's icon: in the primary colour when allowed, greyed when not.
func channelIcon(i int, allowed bool) fyne.Resource {
	if allowed {
		return theme.NewPrimaryThemedResource(channelIcons()[i])
	}
	return theme.NewDisabledResource(channelIcons()[i])
}

// LeadsScreen is the lead table: every lead, a page at a time, sorted by any column and
// filtered by event, dates, rating, source, staff and permission, with bulk actions on the
// leads chosen, and the chosen lead's evidence beside it. It needs a signed-in staff
// member: the list is personal data of everyone captured.
type LeadsScreen struct {
	app     *App
	content *fyne.Container

	Gate *signInForm
	// Filters. The selects' first option is "all".
	Search                                *widget.Entry
	Event, Rating, Source, Staff, Allowed *widget.Select
	From, To                              *widget.Entry
	FilterError                           *widget.Label
	Clear                                 *widget.Button
	eventIDs, staffNames                  []string

	Table                   *widget.Table
	Total, PageLabel        *widget.Label
	First, Prev, Next, Last *widget.Button
	query                   store.LeadQuery // filters and order; Offset is the page
	total                   int
	leads                   []store.LeadRow // the page shown
	eventNames              map[string]string

	// The leads chosen for a bulk action, kept across pages and sorts.
	chosen               map[string]bool
	Chosen               *widget.Label
	ClearChoice          *widget.Button
	bulkBox, bulkActions *fyne.Container
	BulkRating           *widget.Select
	Rate                 *widget.Button
	BulkChannel          *widget.Select
	BulkReason           *widget.Entry
	StopUse              *widget.Button
	ExportUse            *widget.Select
	ExportBasis          *widget.Select
	ExportTo             *widget.Entry
	Export               *widget.Button
	Merge                *widget.Button
	BulkMsg              *widget.Label
	// ExportDir is where a selection's list is written (Documents/BoothLedger/exports).
	ExportDir string

	// The chosen lead.
	selected  *capture.Lead
	Pick      *widget.Label
	Expiring  *widget.Label
	detailBox *fyne.Container
	Heading   *widget.Label
	Fields    *fyne.Container
	Perms     *fyne.Container
	Timeline  *fyne.Container
	History   *fyne.Container // corrections, merges, provisions and requests

	Fix       map[string]*widget.Entry
	FixReason *widget.Entry
	FixSave   *widget.Button
	FixError  *widget.Label
	// FixByRequest marks a correction the person asked for (Art.34): it is kept in the
	// request log with the date the request came in (the panel's 受付日).
	FixByRequest *widget.Check
	// Requests stays under the detail, outside its scroll: its buttons are always in view.
	Requests *RequestsPanel

	// Detach (managers): a capture wrongly attached to this lead becomes a lead of its own.
	DetachPick   *widget.Select
	DetachReason *widget.Entry
	Detach       *widget.Button
	DetachMsg    *widget.Label
	detachBox    *fyne.Container
	detachIDs    []string

	gateView, listView fyne.CanvasObject
}

func newLeadsScreen(u *App) *LeadsScreen {
	s := &LeadsScreen{app: u, Fix: map[string]*widget.Entry{}, chosen: map[string]bool{}}
	s.Gate = newSignInForm(u, nil)
	s.gateView = container.NewCenter(container.NewVBox(bold(u.T("leads.locked")), container.NewGridWrap(fyne.NewSize(360, 200), s.Gate.box)))
	if home, err := os.UserHomeDir(); err == nil {
		s.ExportDir = filepath.Join(home, "Documents", "BoothLedger", "exports")
	}
	filters := s.newFilters()
	s.newTable()
	pager := container.NewHBox(s.First, s.Prev, s.PageLabel, s.Next, s.Last, layout.NewSpacer(), s.Total)
	legend := container.NewHBox(widget.NewLabel(u.T("leads.legend")))
	for i, ch := range capture.Channels {
		legend.Add(widget.NewIcon(channelIcons()[i]))
		legend.Add(widget.NewLabel(u.T("channel." + string(ch))))
	}
	s.newBulk()
	list := container.NewBorder(nil, container.NewVBox(pager, container.NewHScroll(legend), s.bulkBox), nil, nil, s.Table)

	detail := s.newDetail()
	split := container.NewHSplit(list, detail)
	split.SetOffset(0.76)
	s.listView = container.NewBorder(filters, nil, nil, nil, split)
	s.content = container.NewStack(s.gateView, s.listView)
	s.Refresh()
	return s
}

// newFilters builds the filter bar; every change reads the first page again.
func (s *LeadsScreen) newFilters() fyne.CanvasObject {
	u := s.app
	changed := func(string) { s.filter() }
	s.Search = widget.NewEntry()
	s.Search.SetPlaceHolder(u.T("leads.search"))
	s.Search.OnChanged = changed
	s.Event = widget.NewSelect(nil, changed)
	s.Rating = widget.NewSelect([]string{u.T("leads.filter.rating_all"), "A", "B", "C", u.T("leads.filter.unrated")}, changed)
	sources := []string{u.T("leads.filter.source_all")}
	for _, src := range capture.Sources {
		sources = append(sources, u.T("source."+string(src)))
	}
	s.Source = widget.NewSelect(sources, changed)
	s.Staff = widget.NewSelect(nil, changed)
	allowed := []string{u.T("leads.filter.allowed_all")}
	for _, ch := range capture.Channels {
		allowed = append(allowed, u.T("leads.filter.allowed", u.T("channel."+string(ch))))
	}
	s.Allowed = widget.NewSelect(allowed, changed)
	s.From, s.To = widget.NewEntry(), widget.NewEntry()
	s.From.SetPlaceHolder(u.T("leads.filter.from"))
	s.To.SetPlaceHolder(u.T("leads.filter.to"))
	s.From.OnChanged, s.To.OnChanged = changed, changed
	s.FilterError = errorLabel()
	s.Clear = widget.NewButtonWithIcon(u.T("leads.filter.clear"), theme.ContentClearIcon(), s.clearFilters)
	for _, sel := range []*widget.Select{s.Rating, s.Source, s.Allowed} {
		sel.SetSelectedIndex(0)
	}
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, s.Clear, s.Search),
		container.NewGridWithColumns(7, s.Event, s.From, s.To, s.Rating, s.Source, s.Staff, s.Allowed),
		s.FilterError)
}

// newTable builds the table, its sortable headings and the pager.
func (s *LeadsScreen) newTable() {
	u := s.app
	s.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.leads), leadColumns },
		func() fyne.CanvasObject {
			label := widget.NewLabel("")
			label.Truncation = fyne.TextTruncateEllipsis
			return container.NewStack(label, widget.NewCheck("", nil), container.NewHBox())
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { s.updateCell(id, o.(*fyne.Container)) })
	s.Table.ShowHeaderColumn = false
	s.Table.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	s.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		b.Importance = widget.LowImportance
		if id.Col == colChoose {
			b.SetText("")
			b.SetIcon(theme.CheckButtonCheckedIcon())
			b.OnTapped = s.choosePage
			return
		}
		text := u.T("leads.col." + columnKeys[id.Col])
		if columnSorts[id.Col] == s.query.Sort {
			text += map[bool]string{false: " ▼", true: " ▲"}[s.query.Reverse]
		}
		b.SetIcon(nil)
		b.SetText(text)
		col := id.Col
		b.OnTapped = func() { s.SortBy(col) }
	}
	for c, w := range columnWidths {
		s.Table.SetColumnWidth(c, w)
	}
	s.Table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.leads) {
			s.show(s.leads[id.Row].Lead)
		}
	}
	s.Total, s.PageLabel = widget.NewLabel(""), widget.NewLabel("")
	s.First = widget.NewButtonWithIcon("", theme.MediaSkipPreviousIcon(), func() { s.GoTo(0) })
	s.Prev = widget.NewButtonWithIcon(u.T("leads.prev"), theme.NavigateBackIcon(), func() { s.GoTo(s.query.Offset - leadsPage) })
	s.Next = widget.NewButtonWithIcon(u.T("leads.next"), theme.NavigateNextIcon(), func() { s.GoTo(s.query.Offset + leadsPage) })
	s.Last = widget.NewButtonWithIcon("", theme.MediaSkipNextIcon(), func() { s.GoTo(s.pages()*leadsPage - leadsPage) })
}

func (s *LeadsScreen) updateCell(id widget.TableCellID, box *fyne.Container) {
	label, check, icons := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Check), box.Objects[2].(*fyne.Container)
	label.Hide()
	check.Hide()
	icons.Hide()
	if id.Row >= len(s.leads) {
		return
	}
	r := s.leads[id.Row]
	switch id.Col {
	case colChoose:
		check.OnChanged = nil
		check.SetChecked(s.chosen[r.ID])
		check.OnChanged = func(on bool) { s.Choose(r.ID, on) }
		check.Show()
		return
	case colPermissions:
		icons.Objects = icons.Objects[:0]
		for i, p := range r.Permissions() {
			icons.Add(widget.NewIcon(channelIcon(i, p.Allowed)))
		}
		icons.Refresh()
		icons.Show()
		return
	}
	label.SetText(s.cellText(r, id.Col))
	label.Show()
}

func (s *LeadsScreen) cellText(r store.LeadRow, col int) string {
	p := r.Person
	switch col {
	case colName:
		return p.Name
	case colCompany:
		return p.Company
	case colTitle:
		return p.Title
	case colEmail:
		return p.Email
	case colEvent:
		return s.eventNames[r.EventID]
	case colAt:
		if r.LastSeen.IsZero() {
			return ""
		}
		// This year's captures by day and time, older ones by date: the column stays narrow
		// enough for every column to fit at 1280 pixels; the detail has the full time.
		at := r.LastSeen.Local()
		if at.Year() == s.app.now().Year() {
			return at.Format("01-02 15:04")
		}
		return at.Format(capture.DateLayout)
	case colStaff:
		return r.Staff
	case colRating:
		return string(r.Rating)
	}
	return ""
}

// newBulk builds the bulk actions on the chosen leads (managers).
func (s *LeadsScreen) newBulk() {
	u := s.app
	s.Chosen = widget.NewLabel("")
	s.ClearChoice = widget.NewButton(u.T("leads.clear_choice"), func() {
		s.chosen = map[string]bool{}
		s.showChosen()
	})
	s.BulkRating = widget.NewSelect([]string{"A", "B", "C", u.T("leads.bulk.rating_none")}, nil)
	s.BulkRating.PlaceHolder = u.T("leads.bulk.rating_pick")
	s.Rate = widget.NewButton(u.T("leads.bulk.rate"), s.rate)
	channels := make([]string, len(capture.Channels))
	for i, ch := range capture.Channels {
		channels[i] = u.T("channel." + string(ch))
	}
	s.BulkChannel = widget.NewSelect(channels, nil)
	s.BulkChannel.SetSelectedIndex(1) // advertising email: the usual stop
	s.BulkReason = widget.NewEntry()
	s.BulkReason.SetPlaceHolder(u.T("leads.bulk.reason"))
	s.StopUse = widget.NewButton(u.T("leads.bulk.stop"), s.stopUse)
	uses := make([]string, len(capture.Uses))
	for i, x := range capture.Uses {
		uses[i] = u.T("use." + string(x))
	}
	s.ExportUse = widget.NewSelect(uses, nil)
	s.ExportUse.SetSelectedIndex(0)
	bases := make([]string, len(capture.Bases))
	for i, x := range capture.Bases {
		bases[i] = u.T("export_basis." + string(x))
	}
	s.ExportBasis = widget.NewSelect(bases, nil)
	s.ExportBasis.SetSelectedIndex(0)
	s.ExportTo = widget.NewEntry()
	s.ExportTo.SetPlaceHolder(u.T("export.recipient_hint"))
	s.Export = widget.NewButton(u.T("leads.bulk.export"), s.exportChosen)
	s.Merge = widget.NewButton(u.T("leads.bulk.merge"), s.merge)
	s.BulkMsg = wrapped("")
	s.BulkMsg.Hide()
	// The actions take room from the table only while leads are chosen.
	s.bulkActions = container.NewVBox(
		container.NewGridWithColumns(4, s.BulkRating, s.Rate, s.BulkReason, s.Merge),
		container.NewGridWithColumns(4, s.BulkChannel, s.StopUse, s.ExportUse, s.ExportBasis),
		container.NewBorder(nil, nil, nil, s.Export, s.ExportTo))
	s.bulkBox = container.NewVBox(widget.NewSeparator(),
		container.NewHBox(bold(u.T("leads.bulk.title")), s.Chosen, s.ClearChoice),
		s.bulkActions, s.BulkMsg)
}

// newDetail builds the chosen lead's pane: a readable record with the request buttons
// below it, always in view.
func (s *LeadsScreen) newDetail() fyne.CanvasObject {
	u := s.app
	s.Heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Heading.SizeName = theme.SizeNameSubHeadingText
	s.Heading.Wrapping = fyne.TextWrapWord
	s.Fields = container.New(layout.NewFormLayout())
	s.Perms = container.New(layout.NewFormLayout())
	s.Timeline = container.NewVBox()
	s.History = container.NewVBox()
	for _, f := range formFields {
		s.Fix[f] = widget.NewEntry()
		s.Fix[f].SetPlaceHolder(u.T("field." + f))
	}
	s.FixReason = widget.NewEntry()
	s.FixReason.SetPlaceHolder(u.T("leads.fix_reason"))
	s.FixSave = widget.NewButton(u.T("leads.fix_save"), s.saveFix)
	s.FixError = errorLabel()
	s.FixByRequest = widget.NewCheck(u.T("leads.fix_by_request"), nil)
	fix := container.New(layout.NewFormLayout())
	for _, f := range formFields {
		fix.Add(widget.NewLabel(u.T("field." + f)))
		fix.Add(s.Fix[f])
	}
	s.Requests = newRequestsPanel(u, func() *capture.Lead { return s.selected }, func() { s.reselect(s.selected.ID) })
	s.DetachPick = widget.NewSelect(nil, func(string) { s.setDetach() })
	s.DetachPick.PlaceHolder = u.T("leads.detach_pick")
	s.DetachReason = widget.NewEntry()
	s.DetachReason.SetPlaceHolder(u.T("leads.detach_reason"))
	s.DetachReason.OnChanged = func(string) { s.setDetach() }
	s.Detach = widget.NewButton(u.T("leads.detach"), s.detach)
	s.DetachMsg = wrapped("")
	s.DetachMsg.Hide()
	s.detachBox = container.NewVBox(bold(u.T("leads.detach_title")), wrapped(u.T("leads.detach_help")),
		s.DetachPick, s.DetachReason, container.NewHBox(s.Detach))
	s.detailBox = container.NewVBox(s.Heading, s.Fields,
		widget.NewSeparator(), bold(u.T("leads.permissions")), s.Perms,
		widget.NewSeparator(), bold(u.T("leads.history")), s.Timeline, s.DetachMsg, s.detachBox,
		widget.NewSeparator(), s.History,
		widget.NewSeparator(), bold(u.T("leads.fix")), fix, s.FixReason, s.FixByRequest, s.FixError, container.NewHBox(s.FixSave))
	s.Pick = widget.NewLabel(u.T("leads.pick"))
	s.Expiring = wrapped("")
	scroll := container.NewVScroll(container.NewVBox(s.Pick, s.Expiring, s.detailBox))
	return container.NewBorder(nil, s.Requests.box, nil, nil, scroll)
}

// Content is the screen's layout.
func (s *LeadsScreen) Content() fyne.CanvasObject { return s.content }

// Locked reports whether the screen is asking for a PIN instead of showing leads.
func (s *LeadsScreen) Locked() bool { return s.gateView.Visible() && !s.listView.Visible() }

// Refresh shows the sign-in gate, or the leads to a signed-in staff member.
func (s *LeadsScreen) Refresh() {
	if s.app.staff == nil {
		s.leads, s.selected, s.chosen = nil, nil, map[string]bool{}
		s.clearDetail()
		s.Gate.reload()
		s.listView.Hide()
		s.gateView.Show()
		return
	}
	s.gateView.Hide()
	s.listView.Show()
	s.loadChoices()
	if s.app.staff.Manager {
		s.bulkBox.Show()
	} else {
		s.bulkBox.Hide()
	}
	s.reload()
	// Not on every filter change: it reads every capture.
	s.showExpiring()
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.Search); c != nil {
		c.Focus(s.Search)
	}
}

// loadChoices fills the event and staff filters, keeping what was chosen.
func (s *LeadsScreen) loadChoices() {
	u := s.app
	events, err := u.store.Events(u.ctx())
	if err != nil {
		u.showError(err)
		return
	}
	s.eventNames = map[string]string{}
	s.eventIDs = []string{""}
	options := []string{u.T("leads.filter.event_all")}
	for _, e := range events {
		s.eventNames[e.ID] = e.Name
		s.eventIDs = append(s.eventIDs, e.ID)
		options = append(options, e.Name+"（"+e.Date+"）")
	}
	staff, err := u.store.StaffList(u.ctx())
	if err != nil {
		u.showError(err)
		return
	}
	s.staffNames = []string{""}
	names := []string{u.T("leads.filter.staff_all")}
	for _, m := range staff {
		s.staffNames = append(s.staffNames, m.Name)
		names = append(names, m.Name)
	}
	for _, f := range []struct {
		sel     *widget.Select
		options []string
	}{{s.Event, options}, {s.Staff, names}} {
		i := max(f.sel.SelectedIndex(), 0)
		f.sel.Options = f.options
		if i >= len(f.options) {
			i = 0
		}
		f.sel.OnChanged, f.sel.PlaceHolder = nil, ""
		f.sel.SetSelectedIndex(i)
		f.sel.OnChanged = func(string) { s.filter() }
	}
}

// filter reads the filters into the query and shows its first page; a bad date is said
// under the filters and changes nothing.
func (s *LeadsScreen) filter() {
	if s.app.staff == nil || s.detailBox == nil { // nil: the screen is still being built
		return
	}
	q := store.LeadQuery{Search: s.Search.Text, Sort: s.query.Sort, Reverse: s.query.Reverse, Listing: true, Limit: leadsPage}
	if i := s.Event.SelectedIndex(); i > 0 {
		q.EventID = s.eventIDs[i]
	}
	if i := s.Staff.SelectedIndex(); i > 0 {
		q.Staff = s.staffNames[i]
	}
	if i := s.Source.SelectedIndex(); i > 0 {
		q.Source = capture.Sources[i-1]
	}
	if i := s.Allowed.SelectedIndex(); i > 0 {
		q.Allowed = capture.Channels[i-1]
	}
	if i := s.Rating.SelectedIndex(); i > 0 {
		q.Ratings = []capture.Rating{[]capture.Rating{"A", "B", "C", ""}[i-1]}
	}
	for _, d := range []struct {
		entry *widget.Entry
		field string
		to    *string
	}{{s.From, "from", &q.From}, {s.To, "to", &q.To}} {
		text := strings.TrimSpace(d.entry.Text)
		if text == "" {
			continue
		}
		day, ok := capture.ParseDate(text)
		if !ok {
			setError(s.FilterError, s.app.message(capture.Invalid(d.field, "date")))
			return
		}
		*d.to = day
	}
	if err := s.load(q); err != nil {
		setError(s.FilterError, s.app.message(err))
		return
	}
	setError(s.FilterError, "")
}

func (s *LeadsScreen) clearFilters() {
	for _, e := range []*widget.Entry{s.Search, s.From, s.To} {
		e.OnChanged = nil
		e.SetText("")
		e.OnChanged = func(string) { s.filter() }
	}
	for _, sel := range []*widget.Select{s.Event, s.Rating, s.Source, s.Staff, s.Allowed} {
		sel.OnChanged = nil
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { s.filter() }
	}
	s.filter()
}

// reload reads the page shown again, as it is now.
func (s *LeadsScreen) reload() {
	if s.app.staff == nil {
		return
	}
	if s.query.Limit == 0 {
		s.filter()
		return
	}
	if err := s.load(s.query); err != nil {
		s.app.showError(err)
	}
}

// load reads the page q asks for with the true total, and clears the chosen lead.
func (s *LeadsScreen) load(q store.LeadQuery) error {
	p, err := s.app.store.LeadPage(s.app.ctx(), q)
	if err != nil {
		return err
	}
	if q.Offset > 0 && len(p.Rows) == 0 && p.Total > 0 { // the page emptied (leads merged or erased)
		q.Offset = (s.pagesOf(p.Total) - 1) * leadsPage
		if p, err = s.app.store.LeadPage(s.app.ctx(), q); err != nil {
			return err
		}
	}
	s.query, s.total, s.leads = q, p.Total, p.Rows
	s.Table.UnselectAll()
	s.Table.Refresh()
	s.Table.ScrollToTop()
	s.clearDetail()
	s.showPager()
	return nil
}

func (s *LeadsScreen) pagesOf(total int) int { return max(1, (total+leadsPage-1)/leadsPage) }

func (s *LeadsScreen) pages() int { return s.pagesOf(s.total) }

func (s *LeadsScreen) showPager() {
	u := s.app
	page := s.query.Offset/leadsPage + 1
	s.PageLabel.SetText(u.T("leads.page", page, s.pages()))
	s.Total.SetText(u.T("leads.total", grouped(s.total), grouped(len(s.leads))))
	for _, b := range []*widget.Button{s.First, s.Prev} {
		if page > 1 {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	for _, b := range []*widget.Button{s.Next, s.Last} {
		if page < s.pages() {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	s.showChosen()
}

// GoTo shows the page that starts at offset (clamped to the first and last).
func (s *LeadsScreen) GoTo(offset int) {
	q := s.query
	q.Offset = min(max(offset, 0), (s.pages()-1)*leadsPage)
	if err := s.load(q); err != nil {
		s.app.showError(err)
	}
}

// SortBy orders the table by a column; the same column again turns the order round.
func (s *LeadsScreen) SortBy(col int) {
	q := s.query
	if q.Sort == columnSorts[col] {
		q.Reverse = !q.Reverse
	} else {
		q.Sort, q.Reverse = columnSorts[col], false
	}
	q.Offset = 0
	if err := s.load(q); err != nil {
		s.app.showError(err)
	}
}

// grouped writes n with thousands separators (1,234).
func grouped(n int) string {
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// Choose adds a lead to the bulk selection, or takes it out.
func (s *LeadsScreen) Choose(id string, on bool) {
	if on {
		s.chosen[id] = true
	} else {
		delete(s.chosen, id)
	}
	s.showChosen()
}

// choosePage chooses every lead on the page, or none of them when all were chosen.
func (s *LeadsScreen) choosePage() {
	all := true
	for _, r := range s.leads {
		all = all && s.chosen[r.ID]
	}
	for _, r := range s.leads {
		s.Choose(r.ID, !all)
	}
	s.Table.Refresh()
}

// chosenIDs are the chosen leads, those on the page first in table order, then the rest.
func (s *LeadsScreen) chosenIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, r := range s.leads {
		if s.chosen[r.ID] {
			ids, seen[r.ID] = append(ids, r.ID), true
		}
	}
	for id := range s.chosen {
		if !seen[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *LeadsScreen) showChosen() {
	s.Chosen.SetText(s.app.T("leads.chosen", len(s.chosen)))
	for _, b := range []*widget.Button{s.Rate, s.StopUse, s.Export, s.ClearChoice} {
		if len(s.chosen) > 0 {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if len(s.chosen) > 1 {
		s.Merge.Enable()
	} else {
		s.Merge.Disable()
	}
	if len(s.chosen) > 0 {
		s.bulkActions.Show()
	} else {
		s.bulkActions.Hide()
	}
	s.Table.Refresh()
}

// rate gives every chosen lead the rating picked, in one transaction (as boothctl leads rate).
func (s *LeadsScreen) rate() {
	u := s.app
	i := s.BulkRating.SelectedIndex()
	if i < 0 {
		showText(s.BulkMsg, u.message(capture.Invalid("rating", "required")))
		return
	}
	r := []capture.Rating{"A", "B", "C", ""}[i]
	ids := s.chosenIDs()
	if err := u.store.Rate(u.ctx(), ids, r, s.BulkReason.Text); err != nil {
		showText(s.BulkMsg, u.message(err))
		return
	}
	s.done(u.T("leads.bulk.rated", len(ids), s.BulkRating.Selected))
}

// stopUse stops the chosen channel for every chosen lead, each kept in the request log as
// boothctl request stop-use keeps it.
func (s *LeadsScreen) stopUse() {
	u := s.app
	if strings.TrimSpace(s.BulkReason.Text) == "" {
		showText(s.BulkMsg, u.message(capture.Invalid("reason", "required")))
		return
	}
	ch := capture.Channels[s.BulkChannel.SelectedIndex()]
	r := request.Request{Received: u.now(), Reason: s.BulkReason.Text}
	if u.staff != nil {
		r.By = u.staff.Name
	}
	ids := s.chosenIDs()
	for i, id := range ids {
		if _, err := request.StopUse(u.ctx(), u.store, r, id, []capture.Channel{ch}); err != nil {
			showText(s.BulkMsg, u.T("leads.bulk.stopped_at", i, len(ids), u.message(err)))
			s.reload()
			return
		}
	}
	s.done(u.T("leads.bulk.stopped", len(ids), s.BulkChannel.Selected))
}

// exportChosen writes a CSV of the chosen leads through the export rules: those the rules
// leave out are counted, a provision is recorded as for any list.
func (s *LeadsScreen) exportChosen() {
	u := s.app
	req := export.Request{Use: capture.Uses[s.ExportUse.SelectedIndex()], Basis: capture.Bases[s.ExportBasis.SelectedIndex()],
		Recipient: s.ExportTo.Text, Lang: u.tx.Lang, Leads: s.chosenIDs()}
	if u.staff != nil {
		req.By = u.staff.Name
	}
	for _, id := range s.eventIDs[1:] {
		req.Events = append(req.Events, id)
	}
	plan, err := export.Select(u.ctx(), u.store, req)
	if err == nil {
		err = os.MkdirAll(s.ExportDir, 0o700)
	}
	var res export.Result
	path := filepath.Join(s.ExportDir, fmt.Sprintf("%s-selection-%s-%s.csv", u.now().Format("20060102-150405"), req.Use, req.Basis))
	if err == nil {
		res, err = export.WriteFile(u.ctx(), u.store, plan, path)
	}
	if err != nil {
		showText(s.BulkMsg, u.message(err))
		return
	}
	showText(s.BulkMsg, u.T("leads.bulk.exported", res.Record.Count, len(plan.Excluded), path))
}

// merge shows the chosen leads as one (the first chosen on the page kept), as boothctl
// merge does; the 名寄せ tab can undo it.
func (s *LeadsScreen) merge() {
	u := s.app
	ids := s.chosenIDs()
	if strings.TrimSpace(s.BulkReason.Text) == "" {
		showText(s.BulkMsg, u.message(capture.Invalid("reason", "required")))
		return
	}
	if _, err := u.store.MergeLeads(u.ctx(), ids[0], ids[1:], nil, s.BulkReason.Text); err != nil {
		showText(s.BulkMsg, u.message(err))
		return
	}
	kept, _ := u.store.Lead(u.ctx(), ids[0])
	s.done(u.T("leads.bulk.merged", len(ids), kept.Person.Name))
}

// done ends a bulk action: the selection is cleared and the page read again.
func (s *LeadsScreen) done(msg string) {
	s.chosen = map[string]bool{}
	s.BulkReason.SetText("")
	s.reload()
	showText(s.BulkMsg, msg)
}

// expiringDays is how far ahead the lead list warns of retention ending.
const expiringDays = 30

// showExpiring fills the 30-day list in the background: it reads every capture (0.4 s on
// 100,000 leads), which the tab switch should not wait for.
func (s *LeadsScreen) showExpiring() {
	u := s.app
	s.Expiring.SetText(u.T("leads.expiring_loading"))
	horizon := u.now().AddDate(0, 0, expiringDays)
	go func() {
		soon, err := u.store.Expiries(u.ctx(), horizon)
		fyne.Do(func() {
			if err != nil {
				s.Expiring.SetText(u.message(err))
				return
			}
			var b strings.Builder
			for i, e := range soon {
				if i == 50 {
					b.WriteString(u.T("leads.expiring_more", len(soon)-50) + "\n")
					break
				}
				fmt.Fprintf(&b, "%s  %s  %s\n", e.Until.Local().Format(capture.DateLayout), e.Name, e.Company)
			}
			s.Expiring.SetText(u.T("leads.expiring", expiringDays, len(soon)) + "\n" + b.String())
		})
	}()
}

// clearDetail shows the hint to choose a lead instead of a lead.
func (s *LeadsScreen) clearDetail() {
	s.selected = nil
	s.detailBox.Hide()
	s.Requests.box.Hide()
	s.Pick.Show()
	s.Expiring.Show()
}

// show displays one lead: its fields, its permissions with their basis, and its history —
// every capture with the notice it was shown, corrections, merges, provisions, requests.
func (s *LeadsScreen) show(l capture.Lead) {
	u := s.app
	s.selected = &l
	s.Pick.Hide()
	s.Expiring.Hide()
	showText(s.Requests.Result, "")
	if u.staff != nil && u.staff.Manager {
		s.Requests.box.Show()
	} else {
		s.Requests.box.Hide()
	}
	s.detailBox.Show()
	s.Heading.SetText(l.Person.Name)
	if l.Erased != nil {
		s.Heading.SetText(u.T("leads.erased"))
	}
	s.Fields.Objects = nil
	for _, f := range capture.PersonFields {
		if v := *l.Person.Field(f); v != "" {
			s.Fields.Add(widget.NewLabelWithStyle(u.T("field."+f), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			s.Fields.Add(wrapped(v))
		}
		if e, ok := s.Fix[f]; ok {
			e.SetText(*l.Person.Field(f))
		}
	}
	if l.Rating != "" {
		s.Fields.Add(widget.NewLabelWithStyle(u.T("leads.col.rating"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		s.Fields.Add(widget.NewLabel(string(l.Rating)))
	}
	s.Fields.Refresh()
	s.Perms.Objects = nil
	for i, p := range l.Permissions() {
		icon, mark := channelIcon(i, p.Allowed), u.T("leads.not_allowed")
		if p.Allowed {
			mark = u.T("leads.allowed")
		}
		basis := mark + " — " + u.T("basis."+p.Basis)
		if p.Reason != "" {
			basis += u.T("leads.because", p.Reason)
		}
		s.Perms.Add(container.NewHBox(widget.NewIcon(icon), widget.NewLabel(u.T("channel."+string(p.Channel)))))
		s.Perms.Add(wrapped(basis))
	}
	s.Perms.Refresh()
	caps, err := u.store.CapturesOf(u.ctx(), l.ID)
	if err != nil {
		u.showError(err)
		return
	}
	s.showTimeline(caps)
	s.showHistory(l)
	s.DetachMsg.Hide()
	s.DetachReason.SetText("")
	if u.staff != nil && u.staff.Manager && len(caps) > 1 {
		s.detachBox.Show()
	} else {
		s.detachBox.Hide()
	}
	s.setDetach()
}

// showTimeline lists the captures, oldest first: when, where, by whom, how; the notice
// shown by version and short hash (the full hash and the purposes on demand); the consents.
func (s *LeadsScreen) showTimeline(caps []capture.Capture) {
	u := s.app
	s.Timeline.Objects = nil
	s.detachIDs = nil
	var picks []string
	for _, c := range caps {
		e, _ := u.store.Event(u.ctx(), c.EventID)
		n, _ := u.store.Notice(u.ctx(), c.NoticeID)
		line := fmt.Sprintf("%s  %s  %s  %s", c.At.Local().Format("2006-01-02 15:04"), e.Name, c.Staff, u.T("source."+string(c.Source)))
		s.detachIDs, picks = append(s.detachIDs, c.ID), append(picks, line)
		heading := widget.NewLabelWithStyle("■ "+line, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		heading.Wrapping = fyne.TextWrapWord
		card := container.NewVBox(heading)
		if c.AttachedBy != "" {
			card.Add(wrapped(u.T("leads.attached_" + c.AttachedBy)))
		}
		short := c.NoticeHash
		if len(short) > 12 {
			short = short[:12] + "…"
		}
		card.Add(wrapped(u.T("leads.notice_shown", n.Version, short, u.T("shown."+string(c.NoticeShown)))))
		full := wrapped(fullNotice(n, c.NoticeHash))
		full.Wrapping = fyne.TextWrapBreak
		full.Hide()
		var more *widget.Button
		more = widget.NewButtonWithIcon(u.T("leads.full_hash"), theme.VisibilityIcon(), func() {
			full.Show()
			more.Hide()
		})
		more.Importance = widget.LowImportance
		card.Add(container.NewHBox(more))
		card.Add(full)
		var consents []string
		for _, k := range c.Consents {
			consents = append(consents, u.T("consent."+string(k.Kind))+"（"+u.T("method."+string(k.Method))+"）")
		}
		if len(consents) == 0 {
			consents = []string{u.T("leads.none")}
		}
		card.Add(wrapped(u.T("leads.consents") + ": " + strings.Join(consents, u.T("punct.list"))))
		s.Timeline.Add(card)
	}
	s.Timeline.Refresh()
	s.DetachPick.Options = picks
	s.DetachPick.ClearSelected()
}

// fullNotice is the notice a capture was shown: its full hash, title and purposes.
func fullNotice(n capture.Notice, hash string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SHA-256 %s\n「%s」", hash, n.Title)
	for i, p := range n.Purposes {
		fmt.Fprintf(&b, "\n%d. %s", i+1, p)
	}
	return b.String()
}

// showHistory lists what happened to the lead after capture: corrections, merges,
// provisions to third parties and the person's requests.
func (s *LeadsScreen) showHistory(l capture.Lead) {
	u := s.app
	ctx := u.ctx()
	s.History.Objects = nil
	section := func(title string, lines []string, err error) {
		if err != nil {
			lines = []string{u.message(err)}
		}
		if len(lines) == 0 {
			lines = []string{u.T("leads.none")}
		}
		s.History.Add(bold(title))
		for _, line := range lines {
			s.History.Add(wrapped(line))
		}
	}
	day := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }
	var lines []string
	fixes, err := u.store.Corrections(ctx, l.ID)
	for _, c := range fixes {
		var parts []string
		for _, f := range append(append([]string(nil), capture.PersonFields...), "rating") {
			if v, ok := c.Fields[f]; ok {
				name := u.T("field." + f)
				if f == "rating" {
					name = u.T("leads.col.rating")
				}
				parts = append(parts, name+": "+v)
			}
		}
		line := day(c.At) + "  " + strings.Join(parts, u.T("punct.list"))
		if c.Reason != "" {
			line += u.T("leads.because", c.Reason)
		}
		lines = append(lines, line)
	}
	section(u.T("leads.corrections"), lines, err)
	lines = nil
	merges, err := u.store.MergesInto(ctx, l.ID)
	for _, m := range merges {
		line := u.T("leads.merge_line", day(m.Stamp.HLC.Time()), len(m.Others))
		if m.Reason != "" {
			line += u.T("leads.because", m.Reason)
		}
		if m.Undone {
			line += u.T("leads.merge_undone")
		}
		lines = append(lines, line)
	}
	section(u.T("leads.merges"), lines, err)
	lines = nil
	provisions, err := u.store.ExportRecords(ctx, l.ID, true)
	for _, r := range provisions {
		lines = append(lines, u.T("leads.provision_line", day(r.At), r.Recipient, u.T("export_basis."+string(r.Basis)), strings.Join(r.Items, u.T("punct.list"))))
	}
	section(u.T("leads.provisions"), lines, err)
	lines = nil
	requests, err := u.store.RequestsOf(ctx, l.ID)
	for _, r := range requests {
		lines = append(lines, u.T("leads.request_line", day(r.Done), u.T("leads.request."+r.Kind), r.By))
	}
	section(u.T("leads.requests"), lines, err)
	s.History.Refresh()
}

// setDetach enables the detach button once a capture is chosen and a reason written: the
// reason is kept with the detach.
func (s *LeadsScreen) setDetach() {
	if s.DetachPick.SelectedIndex() >= 0 && strings.TrimSpace(s.DetachReason.Text) != "" {
		s.Detach.Enable()
	} else {
		s.Detach.Disable()
	}
}

// detach takes the chosen capture out into a lead of its own and shows the lead it left.
func (s *LeadsScreen) detach() {
	u := s.app
	i := s.DetachPick.SelectedIndex()
	if s.selected == nil || i < 0 {
		return
	}
	left := s.selected.ID
	own, err := u.store.Detach(u.ctx(), s.detachIDs[i], s.DetachReason.Text)
	if err != nil {
		showText(s.DetachMsg, u.message(err))
		return
	}
	s.reselect(left)
	showText(s.DetachMsg, u.T("leads.detached", own.Person.Name, own.Person.Company))
}

// saveFix records a correction as a new op; the captures keep what was taken.
func (s *LeadsScreen) saveFix() {
	if s.selected == nil {
		return
	}
	changed := map[string]string{}
	for _, f := range formFields {
		if v := s.Fix[f].Text; v != *s.selected.Person.Field(f) {
			changed[f] = v
		}
	}
	if len(changed) == 0 {
		return
	}
	received, err := s.Requests.received()
	if err != nil && s.FixByRequest.Checked {
		setError(s.FixError, s.app.message(err))
		return
	}
	id := s.selected.ID
	if s.FixByRequest.Checked {
		r := s.Requests.request(received)
		r.Reason = s.FixReason.Text
		_, err = request.Correct(s.app.ctx(), s.app.store, r, id, changed)
	} else {
		_, err = s.app.store.Correct(s.app.ctx(), id, changed, s.FixReason.Text)
	}
	if err != nil {
		setError(s.FixError, s.app.message(err))
		return
	}
	setError(s.FixError, "")
	s.FixReason.SetText("")
	s.FixByRequest.SetChecked(false)
	s.reselect(id)
}

// reselect reads the page again and shows lead id, wherever it is now: the lead is shown
// even when the page's order moved it off the page.
func (s *LeadsScreen) reselect(id string) {
	s.reload()
	for i := range s.leads {
		if s.leads[i].ID == id {
			s.Table.Select(widget.TableCellID{Row: i, Col: colName})
			return
		}
	}
	if l, err := s.app.store.Lead(s.app.ctx(), id); err == nil {
		s.show(l)
	}
}
