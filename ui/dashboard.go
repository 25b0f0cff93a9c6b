package ui

import (
	"cmp"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// The dashboard's figures shown as numbers, and its charts, by name.
var (
	dashTiles  = []string{"captures", "email_optin", "third_party", "purpose", "duplicates"}
	dashCharts = []string{"hour", "day", "staff", "source", "rating", "consent"}
)

// dashStaffBars is how many staff members get a bar of their own; the rest share one.
const dashStaffBars = 8

// DashboardTile is one figure in large type with what it counts under it.
type DashboardTile struct {
	Value   *canvas.Text
	Caption *widget.Label
}

// DashboardScreen is the managers' first tab: today's or the whole event's captures drawn
// as charts, with the consent shares and the pairs waiting in 名寄せ. The store computes
// the figures (the same as boothctl stats) in the background; they reach the widgets
// through fyne.Do.
type DashboardScreen struct {
	app     *App
	content *fyne.Container
	gate    fyne.CanvasObject
	body    fyne.CanvasObject
	events  []capture.Event

	// Gate signs a manager in where the figures would be.
	Gate    *signInForm
	Event   *widget.Select     // every event, or one
	Period  *widget.RadioGroup // today, or every day
	Updated *widget.Label
	Error   *widget.Label
	Tiles   map[string]DashboardTile
	Charts  map[string]*canvas.Image
	// Figures are the figures on screen; nil until the first load ends.
	Figures *store.Stats

	// asked and seq are the query of the last load and the op log's last sequence number
	// when it began: while both hold, the figures on screen are current.
	asked store.StatsQuery
	seq   int64

	mu      sync.Mutex
	running bool
	next    *dashLoad // asked for while a load ran: the one to run after it
}

// dashLoad is one refresh: what to count and what the drawing needs from the window.
type dashLoad struct {
	q     store.StatsQuery
	event *capture.Event // the event whose days the day chart shows; nil for every event
	tx    assets.Texts
	style chartStyle
}

func newDashboardScreen(u *App) *DashboardScreen {
	s := &DashboardScreen{app: u, Tiles: map[string]DashboardTile{}, Charts: map[string]*canvas.Image{}}
	s.Gate = newSignInForm(u, nil)
	s.gate = container.NewCenter(container.NewVBox(bold(u.T("dash.managers_only")), container.NewGridWrap(fyne.NewSize(360, 200), s.Gate.box)))
	s.events, _ = u.store.Events(u.ctx())
	options := []string{u.T("dash.all_events")}
	for _, e := range s.events {
		options = append(options, u.T("dash.event", e.Name, u.eventDates(e)))
	}
	// The event being captured, today, until the manager chooses otherwise.
	s.Event = widget.NewSelect(options, nil)
	s.Event.SetSelectedIndex(slices.IndexFunc(s.events, func(e capture.Event) bool { return u.event != nil && e.ID == u.event.ID }) + 1)
	s.Event.OnChanged = func(string) { s.Refresh() }
	s.Period = widget.NewRadioGroup([]string{u.T("dash.today"), u.T("dash.whole")}, nil)
	s.Period.Horizontal, s.Period.Required = true, true
	s.Period.SetSelected(u.T("dash.today"))
	s.Period.OnChanged = func(string) { s.Refresh() }
	s.Updated = widget.NewLabel("")
	s.Error = errorLabel()

	tiles := container.NewGridWithColumns(len(dashTiles))
	for _, k := range dashTiles {
		t := DashboardTile{Value: canvas.NewText("–", theme.Color(theme.ColorNameForeground)), Caption: widget.NewLabel(u.T("dash.tile." + k))}
		t.Value.TextSize, t.Value.TextStyle = 30, fyne.TextStyle{Bold: true}
		t.Caption.Wrapping = fyne.TextWrapWord
		s.Tiles[k] = t
		tiles.Add(container.NewVBox(container.NewPadded(t.Value), t.Caption))
	}
	charts := container.NewGridWithColumns(3)
	for _, k := range dashCharts {
		img := canvas.NewImageFromImage(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(chartW, chartH))
		s.Charts[k] = img
		charts.Add(container.NewBorder(bold(u.T("dash.chart."+k)), nil, nil, nil, img))
	}
	// Wide enough for an event's name and dates: a select is as narrow as its placeholder.
	top := container.NewHBox(container.NewGridWrap(fyne.NewSize(380, s.Event.MinSize().Height), s.Event), s.Period, layout.NewSpacer(), s.Updated)
	s.body = container.NewBorder(container.NewVBox(top, s.Error, tiles), nil, nil, nil, container.NewVScroll(charts))
	s.content = container.NewStack(s.gate, s.body)
	s.allowed()
	return s
}

// Content is the screen's layout.
func (s *DashboardScreen) Content() fyne.CanvasObject { return s.content }

// shown tells whether the dashboard is the tab on screen.
func (s *DashboardScreen) shown() bool {
	t := s.app.tabs
	return t != nil && t.Selected() != nil && t.Selected().Content == s.content
}

// Locked tells whether the screen shows the sign-in in place of the figures.
func (s *DashboardScreen) Locked() bool { return s.gate.Visible() && !s.body.Visible() }

// changed follows a sign-in or out, a save or a sync round: the figures are counted again
// while they are on screen, and otherwise when the tab is chosen.
func (s *DashboardScreen) changed() {
	if s.allowed() && s.shown() {
		s.load(false)
	}
}

// Refresh counts again for a signed-in manager; others see why they may not.
func (s *DashboardScreen) Refresh() {
	if s.allowed() {
		s.load(true)
	}
}

// allowed shows the figures to a signed-in manager and anyone else why not.
func (s *DashboardScreen) allowed() bool {
	if u := s.app; u.staff == nil || !u.staff.Manager {
		s.Gate.reload()
		s.body.Hide()
		s.gate.Show()
		return false
	}
	s.gate.Hide()
	s.body.Show()
	return true
}

// load counts and draws in the background: always when the manager asks, otherwise only
// when the store or the query changed since the last load (most sync rounds bring nothing,
// and 名寄せ reads every lead).
func (s *DashboardScreen) load(always bool) {
	u := s.app
	l := dashLoad{tx: u.tx, style: chartStyle{
		bg: theme.Color(theme.ColorNameBackground), fg: theme.Color(theme.ColorNameForeground), bar: theme.Color(theme.ColorNamePrimary)}}
	if i := s.Event.SelectedIndex(); i > 0 {
		l.event = &s.events[i-1]
		l.q.EventID = l.event.ID
	}
	if s.Period.Selected == u.T("dash.today") {
		l.q.Day = u.now().Format(capture.DateLayout)
	}
	seq, err := u.store.LastSeq(u.ctx())
	if !always && err == nil && seq == s.seq && l.q == s.asked {
		return
	}
	s.asked, s.seq = l.q, seq
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running { // one load at a time: the newest request runs when it ends
		s.next = &l
		return
	}
	s.running = true
	go s.run(l)
}

// run loads and draws in the background until no newer request waits.
func (s *DashboardScreen) run(l dashLoad) {
	for {
		st, err := s.app.store.Stats(s.app.ctx(), l.q)
		var imgs map[string]image.Image
		if err == nil {
			imgs, err = drawDashboard(st, l)
		}
		fyne.Do(func() { s.show(st, imgs, err) })
		s.mu.Lock()
		if s.next == nil {
			s.running = false
			s.mu.Unlock()
			return
		}
		l, s.next = *s.next, nil
		s.mu.Unlock()
	}
}

// show puts loaded figures and their charts on screen.
func (s *DashboardScreen) show(st store.Stats, imgs map[string]image.Image, err error) {
	u := s.app
	if err != nil {
		setError(s.Error, u.message(err))
		return
	}
	setError(s.Error, "")
	set := func(k, value, caption string) {
		s.Tiles[k].Value.Text = value
		s.Tiles[k].Value.Refresh()
		s.Tiles[k].Caption.SetText(caption)
	}
	caption := u.T("dash.tile.captures")
	if n := st.BySource[string(capture.SourceImport)]; n > 0 { // the capture screen's count leaves them out
		caption += u.T("dash.with_imports", n)
	}
	set("captures", fmt.Sprint(st.Captures), caption)
	for _, k := range []capture.ConsentKind{capture.ConsentEmailOptIn, capture.ConsentThirdParty, capture.ConsentPurpose} {
		set(string(k), percent(st.Share(k)), u.T("dash.tile."+string(k))+u.T("dash.of", st.Consent[string(k)], st.Captures))
	}
	set("duplicates", fmt.Sprint(st.PendingDuplicates), u.T("dash.tile.duplicates"))
	for k, img := range imgs {
		s.Charts[k].Image = img
		s.Charts[k].Refresh()
	}
	s.Updated.SetText(u.T("dash.updated", u.now().Format("15:04:05")))
	s.Figures = &st // last: once it is set, everything it shows is
}

func percent(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }

// drawDashboard draws every chart of the figures.
func drawDashboard(st store.Stats, l dashLoad) (map[string]image.Image, error) {
	t := l.tx
	named := func(label string, n int) bar { return bar{label: label, value: float64(n), text: fmt.Sprint(n)} }
	var hours []bar
	first, last := 9, 17 // booth hours, widened to any capture outside them
	for h := range 24 {
		if st.ByHour[fmt.Sprintf("%02d", h)] > 0 {
			first, last = min(first, h), max(last, h)
		}
	}
	for h := first; h <= last; h++ {
		hours = append(hours, named(t.T("dash.hour", h), st.ByHour[fmt.Sprintf("%02d", h)]))
	}
	var days []bar
	for _, d := range dashDays(st, l) {
		label := d
		if day, err := time.Parse(capture.DateLayout, d); err == nil {
			label = day.Format("1/2")
		}
		days = append(days, named(label, st.ByDay[d]))
	}
	staff := make([]string, 0, len(st.ByStaff))
	for name := range st.ByStaff {
		staff = append(staff, name)
	}
	// Most first, from the top down: the horizontal chart draws its first bar at the bottom.
	slices.SortFunc(staff, func(a, b string) int { return cmp.Or(st.ByStaff[b]-st.ByStaff[a], strings.Compare(a, b)) })
	var people []bar
	rest := 0
	for i, name := range staff {
		switch {
		case i >= dashStaffBars:
			rest += st.ByStaff[name]
		case name == "":
			people = append(people, named(t.T("dash.no_staff"), st.ByStaff[name]))
		default:
			people = append(people, named(name, st.ByStaff[name]))
		}
	}
	if rest > 0 {
		people = append(people, named(t.T("dash.other_staff", len(staff)-dashStaffBars), rest))
	}
	slices.Reverse(people)
	var sources []bar
	for _, src := range capture.Sources {
		if n := st.BySource[string(src)]; n > 0 {
			sources = append(sources, named(t.T("source."+string(src)), n))
		}
	}
	var ratings []bar
	for _, r := range []string{"A", "B", "C", ""} {
		label := r
		if r == "" {
			label = t.T("dash.unrated")
		}
		ratings = append(ratings, named(label, st.ByRating[r]))
	}
	var consents []bar
	for _, k := range slices.Backward(capture.ConsentKinds) {
		consents = append(consents, bar{label: t.T("dash.consent." + string(k)), value: st.Share(k) * 100, text: percent(st.Share(k))})
	}
	out := map[string]image.Image{}
	for _, c := range []struct {
		name       string
		bars       []bar
		horizontal bool
		max        float64
	}{
		{"hour", hours, false, 0}, {"day", days, false, 0}, {"staff", people, true, 0},
		{"source", sources, false, 0}, {"rating", ratings, false, 0}, {"consent", consents, true, 100},
	} {
		img, err := barChart(c.bars, c.horizontal, c.max, l.style)
		if err != nil {
			return nil, err
		}
		out[c.name] = img
	}
	return out, nil
}

// dashDays are the days the day chart shows: the event's days and any day with captures.
func dashDays(st store.Stats, l dashLoad) []string {
	days := make([]string, 0, len(st.ByDay))
	for d := range st.ByDay {
		days = append(days, d)
	}
	if l.event != nil && l.q.Day == "" {
		start, err1 := time.Parse(capture.DateLayout, l.event.Date)
		end, err2 := time.Parse(capture.DateLayout, l.event.End)
		if err2 != nil {
			end = start
		}
		for d := start; err1 == nil && !d.After(end); d = d.AddDate(0, 0, 1) {
			if day := d.Format(capture.DateLayout); !slices.Contains(days, day) {
				days = append(days, day)
			}
		}
	}
	slices.Sort(days)
	return days
}
