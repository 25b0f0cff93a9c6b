package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// selectRow shows the lead on row i of the table's page.
func selectRow(l *LeadsScreen, i int) { l.Table.Select(widget.TableCellID{Row: i, Col: colName}) }

// openNotices taps every "full hash" button of the chosen lead's timeline.
func openNotices(l *LeadsScreen) {
	for _, card := range l.Timeline.Objects {
		for _, o := range card.(*fyne.Container).Objects {
			if row, ok := o.(*fyne.Container); ok {
				for _, b := range row.Objects {
					if b, ok := b.(*widget.Button); ok && b.Visible() {
						test.Tap(b)
					}
				}
			}
		}
	}
}

// shownText is the text of every visible label and button under o, a line each.
func shownText(o fyne.CanvasObject) string {
	if !o.Visible() {
		return ""
	}
	switch w := o.(type) {
	case *widget.Label:
		return w.Text + "\n"
	case *widget.Button:
		return w.Text + "\n"
	case *fyne.Container:
		var b strings.Builder
		for _, c := range w.Objects {
			b.WriteString(shownText(c))
		}
		return b.String()
	}
	return ""
}

// seedLeads captures n people: every third by 佐藤 (else 田中), every fourth from a
// survey with consent to third-party provision, ratings A, B, C and none in turn, on
// 2026-11-25 to 27 by i%3.
func seedLeads(t testing.TB, s *store.Store, e capture.Event, n int) {
	t.Helper()
	for _, name := range []string{"佐藤"} {
		m, _ := capture.NewStaff(name, "246810", false)
		if err := s.SaveStaff(ctx(), m); err != nil {
			t.Fatal(err)
		}
	}
	var batch []capture.NewCapture
	for i := 0; i < n; i++ {
		c := capture.NewCapture{EventID: e.ID, Staff: "田中", Person: storetest.Person(i),
			Rating: []capture.Rating{"A", "B", "C", ""}[i%4], At: time.Date(2026, 11, 25+i%3, 10, i%60, 0, 0, time.Local)}
		c.Person.Kana = fmt.Sprintf("らいじょうしゃ%04d", n-i)
		if i%3 == 0 {
			c.Staff = "佐藤"
		}
		if i%4 == 0 {
			c.Source, c.Consents = capture.SourceSurvey, []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentThirdParty}
		}
		batch = append(batch, c)
	}
	if _, err := s.AddCaptures(ctx(), batch); err != nil {
		t.Fatal(err)
	}
}

// holds reports whether o lies inside box.
func holds(box, o fyne.CanvasObject) bool {
	if box == o {
		return true
	}
	if c, ok := box.(*fyne.Container); ok {
		return slices.ContainsFunc(c.Objects, func(x fyne.CanvasObject) bool { return holds(x, o) })
	}
	if s, ok := box.(*container.Scroll); ok {
		return holds(s.Content, o)
	}
	return false
}

func pageIDs(l *LeadsScreen) []string {
	var ids []string
	for _, r := range l.leads {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestLeadTableShowsTheTotalAndPagesThroughAll: the table says how many leads there are and
// how many it shows, and its pager reaches every lead once: nothing is capped.
func TestLeadTableShowsTheTotalAndPagesThroughAll(t *testing.T) {
	u, s, _, e := newTestApp(t)
	const n = 1234
	seedLeads(t, s, e, n)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	if l.Total.Text != "1,234件中 50件を表示" || l.PageLabel.Text != "1 / 25 ページ" || !l.Prev.Disabled() {
		t.Fatalf("first page: %q, %q", l.Total.Text, l.PageLabel.Text)
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		for _, id := range pageIDs(l) {
			if seen[id] {
				t.Fatalf("lead %s twice (page %d)", id, page)
			}
			seen[id] = true
		}
		if l.Next.Disabled() {
			if page != 25 || l.Total.Text != "1,234件中 34件を表示" {
				t.Fatalf("last page %d: %q", page, l.Total.Text)
			}
			break
		}
		test.Tap(l.Next)
	}
	if len(seen) != n {
		t.Fatalf("paged through %d of %d leads", len(seen), n)
	}
	test.Tap(l.First)
	first := pageIDs(l)
	test.Tap(l.Last)
	if l.PageLabel.Text != "25 / 25 ページ" || len(l.leads) != 34 {
		t.Fatalf("last: %q, %d rows", l.PageLabel.Text, len(l.leads))
	}
	test.Tap(l.Prev)
	if l.PageLabel.Text != "24 / 25 ページ" || slices.Equal(pageIDs(l), first) {
		t.Fatalf("previous: %q", l.PageLabel.Text)
	}
	// The English table says it in English.
	u.SetLanguage("en")
	u.Leads.Refresh()
	if got := u.Leads.Total.Text; got != "Showing 50 of 1,234" {
		t.Fatalf("en total: %q", got)
	}
}

// TestLeadTableSortsByAnyColumn: a heading sorts by its column, again the other way; the
// heading shows which.
func TestLeadTableSortsByAnyColumn(t *testing.T) {
	u, s, _, e := newTestApp(t)
	seedLeads(t, s, e, 120)
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	// Newest first by default.
	for i := 1; i < len(l.leads); i++ {
		if l.leads[i].LastSeen.After(l.leads[i-1].LastSeen) {
			t.Fatalf("default order at %d", i)
		}
	}
	l.SortBy(colName) // by reading: らいじょうしゃ0001 is the last person captured
	if l.leads[0].Person.Kana != "らいじょうしゃ0001" || l.leads[1].Person.Kana != "らいじょうしゃ0002" {
		t.Fatalf("by name: %s, %s", l.leads[0].Person.Kana, l.leads[1].Person.Kana)
	}
	header := widget.NewButton("", nil)
	l.Table.UpdateHeader(widget.TableCellID{Row: -1, Col: colName}, header)
	if header.Text != "氏名 ▼" {
		t.Fatalf("heading %q", header.Text)
	}
	header.OnTapped() // the same heading again: the other way round
	if l.leads[0].Person.Kana != "らいじょうしゃ0120" {
		t.Fatalf("by name, reversed: %s", l.leads[0].Person.Kana)
	}
	l.SortBy(colRating)
	if l.leads[0].Rating != "A" || l.leads[len(l.leads)-1].Rating != "B" {
		t.Fatalf("by rating: %s … %s", l.leads[0].Rating, l.leads[len(l.leads)-1].Rating)
	}
	test.Tap(l.Last)
	if r := l.leads[len(l.leads)-1]; r.Rating != "" {
		t.Fatalf("unrated leads are not last: %q", r.Rating)
	}
	l.SortBy(colStaff)
	if l.leads[0].Staff != "佐藤" || l.cellText(l.leads[0], colStaff) != "佐藤" {
		t.Fatalf("by staff: %s", l.leads[0].Staff)
	}
}

// TestLeadTableFilters: each filter narrows the table and its total; a bad date says so
// under the filters and leaves the table as it was.
func TestLeadTableFilters(t *testing.T) {
	u, s, n, e := newTestApp(t)
	seedLeads(t, s, e, 120)
	other, err := s.SaveEvent(ctx(), capture.Event{Name: "別の展示会", Venue: "幕張", Date: "2026-11-28", NoticeID: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: other.ID, Staff: "田中", Person: capture.Person{Name: "幕張 一郎", Email: "ichiro@makuhari.jp"},
		At: time.Date(2026, 11, 28, 11, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	total := func() string { return strings.Fields(l.Total.Text)[0] }
	if total() != "121件中" {
		t.Fatalf("all: %q", l.Total.Text)
	}
	l.Event.SetSelectedIndex(slices.Index(l.eventIDs, other.ID))
	if total() != "1件中" || l.cellText(l.leads[0], colEvent) != "別の展示会" {
		t.Fatalf("event: %q", l.Total.Text)
	}
	l.Event.SetSelectedIndex(0)
	l.Rating.SetSelectedIndex(1) // A
	if total() != "30件中" {
		t.Fatalf("rating A: %q", l.Total.Text)
	}
	l.Source.SetSelectedIndex(slices.Index(capture.Sources, capture.SourceSurvey) + 1)
	if total() != "30件中" { // every A is a survey (i%4 == 0)
		t.Fatalf("rating A from surveys: %q", l.Total.Text)
	}
	l.Staff.SetSelectedIndex(slices.Index(l.staffNames, "佐藤"))
	if total() != "10件中" {
		t.Fatalf("and by 佐藤: %q", l.Total.Text)
	}
	test.Tap(l.Clear)
	l.Allowed.SetSelectedIndex(slices.Index(capture.Channels, capture.ChannelThirdParty) + 1)
	if total() != "30件中" {
		t.Fatalf("allowed for third parties: %q", l.Total.Text)
	}
	test.Tap(l.Clear)
	test.Type(l.From, "2026/11/27")
	if total() != "41件中" { // i%3 == 2, and the card of 11-28
		t.Fatalf("from 11-27: %q (%s)", l.Total.Text, l.FilterError.Text)
	}
	test.Type(l.To, "2026-11-27")
	if total() != "40件中" {
		t.Fatalf("on 11-27: %q", l.Total.Text)
	}
	l.To.SetText("2026-11-26")
	if !l.FilterError.Visible() || !strings.Contains(l.FilterError.Text, "終了日") || total() != "40件中" {
		t.Fatalf("end before start: %q, %q", l.FilterError.Text, l.Total.Text)
	}
	l.To.SetText("11月27日")
	if !l.FilterError.Visible() || total() != "40件中" {
		t.Fatalf("bad date: %q, %q", l.FilterError.Text, l.Total.Text)
	}
	l.To.SetText("")
	if l.FilterError.Visible() || total() != "41件中" {
		t.Fatalf("date fixed: %q, %q", l.FilterError.Text, l.Total.Text)
	}
}

// TestLeadTableBulkActions: a manager chooses leads across pages and rates them, stops a
// channel for them (each kept in the request log as boothctl request stop-use keeps it),
// exports just them through the export rules, and merges two duplicates. Staff who are not
// managers have no bulk actions.
func TestLeadTableBulkActions(t *testing.T) {
	u, s, _, e := newTestApp(t)
	seedLeads(t, s, e, 80)
	dup, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Staff: "田中", NewLead: true, Person: storetest.Person(3),
		At: time.Date(2026, 11, 27, 18, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	if !l.bulkBox.Visible() || !l.Rate.Disabled() {
		t.Fatal("bulk actions hidden, or open with nothing chosen")
	}
	// Two leads on the first page (by the check column) and one on the second.
	var check *widget.Check
	cell := l.Table.CreateCell()
	l.Table.UpdateCell(widget.TableCellID{Row: 0, Col: colChoose}, cell)
	check = cell.(*fyne.Container).Objects[1].(*widget.Check)
	test.Tap(check)
	l.Choose(l.leads[1].ID, true)
	test.Tap(l.Next)
	l.Choose(l.leads[0].ID, true)
	chosen := l.chosenIDs()
	if len(chosen) != 3 || l.Chosen.Text != "3件を選択中" {
		t.Fatalf("chosen %v, %q", chosen, l.Chosen.Text)
	}

	l.BulkRating.SetSelectedIndex(2) // C
	test.Tap(l.Rate)
	for _, id := range chosen {
		if lead, _ := s.Lead(ctx(), id); lead.Rating != "C" {
			t.Fatalf("lead %s rated %q (%s)", id, lead.Rating, l.BulkMsg.Text)
		}
	}
	if len(l.chosen) != 0 {
		t.Fatal("the selection outlived its action")
	}

	for _, id := range chosen {
		l.Choose(id, true)
	}
	l.BulkChannel.SetSelectedIndex(slices.Index(capture.Channels, capture.ChannelPhone))
	test.Tap(l.StopUse)
	if lead, _ := s.Lead(ctx(), chosen[0]); !lead.Permission(capture.ChannelPhone).Allowed || !l.BulkMsg.Visible() {
		t.Fatalf("stop-use without a reason: %s", l.BulkMsg.Text)
	}
	test.Type(l.BulkReason, "電話お断りリスト")
	test.Tap(l.StopUse)
	for _, id := range chosen {
		lead, _ := s.Lead(ctx(), id)
		if lead.Permission(capture.ChannelPhone).Allowed || !lead.Permission(capture.ChannelIndividualContact).Allowed {
			t.Fatalf("lead %s after stop-use: %+v (%s)", id, lead.Permissions(), l.BulkMsg.Text)
		}
		recs, _ := s.RequestsOf(ctx(), id)
		if len(recs) != 1 || recs[0].Kind != "stop-use" || recs[0].By != "田中" || recs[0].Reason != "電話お断りリスト" {
			t.Fatalf("request log of %s: %+v", id, recs)
		}
	}

	// Export: the rules still decide (internal use takes all three).
	for _, id := range chosen {
		l.Choose(id, true)
	}
	l.ExportDir = t.TempDir()
	l.ExportUse.SetSelectedIndex(slices.Index(capture.Uses, capture.UseInternal))
	l.ExportBasis.SetSelectedIndex(slices.Index(capture.Bases, capture.BasisOwn))
	test.Type(l.ExportTo, "営業部")
	test.Tap(l.Export)
	files, _ := filepath.Glob(filepath.Join(l.ExportDir, "*-selection-internal-own.csv"))
	if len(files) != 1 || !strings.Contains(l.BulkMsg.Text, "3件を書き出しました") {
		t.Fatalf("export: %v, %q", files, l.BulkMsg.Text)
	}
	data, _ := os.ReadFile(files[0])
	for _, id := range chosen {
		lead, _ := s.Lead(ctx(), id)
		if !strings.Contains(string(data), lead.Person.Email) {
			t.Fatalf("export lacks %s", lead.Person.Email)
		}
	}
	if strings.Count(strings.TrimSpace(string(data)), "\n") != 3 {
		t.Fatalf("export holds more than the selection:\n%s", data)
	}

	// Merge the duplicate card of person 3 into the first.
	test.Tap(l.ClearChoice)
	if len(l.chosen) != 0 || !l.Export.Disabled() {
		t.Fatal("the selection was not cleared")
	}
	l.clearFilters()
	l.Search.SetText("visitor3@example.co.jp")
	if len(l.leads) != 2 {
		t.Fatalf("%d leads for the duplicate", len(l.leads))
	}
	l.Choose(l.leads[0].ID, true)
	if !l.Merge.Disabled() {
		t.Fatal("merge of one lead offered")
	}
	l.Choose(l.leads[1].ID, true)
	test.Type(l.BulkReason, "同じ名刺の二重登録")
	test.Tap(l.Merge)
	if len(l.leads) != 1 || l.total != 1 || !strings.Contains(l.BulkMsg.Text, "2件を") {
		t.Fatalf("after the merge: %d leads (%s)", len(l.leads), l.BulkMsg.Text)
	}
	if merges, _ := s.MergesInto(ctx(), l.leads[0].ID); len(merges) != 1 || !slices.Contains(append(merges[0].Others, merges[0].Keep), dup.Lead.ID) {
		t.Fatalf("merge records: %+v", merges)
	}
	if n, _ := s.CountLeads(ctx(), store.LeadQuery{}); n != 80 {
		t.Fatalf("%d leads after the merge", n)
	}

	// A clerk sees the table without bulk actions.
	u.SignOut()
	if err := u.SignIn("佐藤", "246810"); err != nil {
		t.Fatal(err)
	}
	l.Refresh()
	if l.bulkBox.Visible() {
		t.Fatal("a clerk has bulk actions")
	}
}

// TestLeadDetailIsALayout: the detail shows fields by label, each permission with its
// basis, the captures with the notice's version and short hash (the full hash on demand),
// and the corrections, merges, provisions and requests; the request buttons stay in view
// outside the scrolled detail.
func TestLeadDetailIsALayout(t *testing.T) {
	u, s, n, e := newTestApp(t)
	res, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Staff: "田中", Source: capture.SourceSurvey,
		Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentThirdParty},
		Person:   capture.Person{Name: "詳細 花子", Company: "株式会社サンプル", Title: "課長", Email: "hanako@sample.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Lead.ID
	if _, err := s.Correct(ctx(), id, map[string]string{"title": "部長"}, "昇進"); err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	selectRow(l, 0)
	if !l.Requests.box.Visible() || !l.Requests.Erase.Visible() || holds(l.detailBox, l.Requests.box) {
		t.Fatal("the request buttons are not in view beside the detail")
	}
	fields := shownText(l.Fields)
	if !strings.Contains(fields, "役職\n部長\n") || !strings.Contains(fields, "会社名\n株式会社サンプル\n") {
		t.Fatalf("fields: %q", fields)
	}
	perms := shownText(l.Perms)
	if !strings.Contains(perms, "第三者提供\n可 — 同意\n") || !strings.Contains(perms, "郵送\n不可 — なし\n") {
		t.Fatalf("permissions: %q", perms)
	}
	timeline := shownText(l.Timeline)
	if !strings.Contains(timeline, "第"+fmt.Sprint(n.Version)+"版 SHA-256 "+n.Hash[:12]+"…") || strings.Contains(timeline, n.Hash) {
		t.Fatalf("timeline: %q", timeline)
	}
	openNotices(l)
	if !strings.Contains(shownText(l.Timeline), n.Hash) {
		t.Fatal("the full hash is not shown on demand")
	}
	history := shownText(l.History)
	if !strings.Contains(history, "役職: 部長（理由: 昇進）") {
		t.Fatalf("corrections: %q", history)
	}
	// A request answered from the panel appears in the detail's request list.
	l.Requests.Dir = t.TempDir()
	test.Tap(l.Requests.Disclose)
	if got := shownText(l.History); !strings.Contains(got, "開示（対応: 田中）") {
		t.Fatalf("requests after a disclosure: %q (%s)", got, l.Requests.Result.Text)
	}
}

// BenchmarkLeadTable100k is the lead tab with 100,000 leads stored: its first page with the
// true total as a manager opens it, and a filter change (a rating chosen, then all again),
// each read and shown. Target: each under 100 ms.
func BenchmarkLeadTable100k(b *testing.B) {
	a := test.NewTempApp(b)
	s := storetest.Open(b)
	_, e := storetest.Setup(b, s)
	const stored = 100_000
	storetest.Seed(b, s, e.ID, stored)
	m, _ := capture.NewStaff("田中", "123456", true)
	if err := s.SaveStaff(ctx(), m); err != nil {
		b.Fatal(err)
	}
	u := New(a, s, "ja")
	if err := u.SignIn("田中", "123456"); err != nil {
		b.Fatal(err)
	}
	l := u.Leads
	b.Run("first-page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			l.query = store.LeadQuery{}
			l.reload()
			if l.total != stored || len(l.leads) != leadsPage {
				b.Fatalf("%d of %d", len(l.leads), l.total)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
	})
	b.Run("filter-change", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			l.Rating.SetSelectedIndex(4 - 4*(i%2)) // unrated (all of them), then all ratings
			if l.total != stored {
				b.Fatalf("total %d", l.total)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/change")
	})
}
