package ui

import (
	"image"
	"reflect"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// TestDashboardFollowsSaves: the dashboard is the first tab but the app opens on capture;
// nobody and a staff member who is not a manager see only why not and a sign-in; a manager
// signed in there sees the
// store's figures (the ones boothctl stats prints), and a card saved at the booth reaches
// the numbers and the charts while the dashboard is on screen.
func TestDashboardFollowsSaves(t *testing.T) {
	u, s, _, e := newTestApp(t)
	sato, err := capture.NewStaff("佐藤", "654321", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveStaff(ctx(), sato); err != nil {
		t.Fatal(err)
	}
	d := u.Dash
	if u.tabs.Items[0].Content != d.Content() || u.tabs.Selected().Content != u.Capture.content {
		t.Fatal("want the dashboard first and the capture screen open")
	}
	u.tabs.SelectIndex(0)
	if d.body.Visible() || !d.gate.Visible() || u.win.Canvas().Focused() != d.Gate.PIN {
		t.Fatal("dashboard shown with nobody signed in, or its sign-in without the keyboard")
	}
	if err := u.SignIn("佐藤", "654321"); err != nil {
		t.Fatal(err)
	}
	if d.body.Visible() || !d.gate.Visible() || d.Figures != nil {
		t.Fatal("dashboard shown to a staff member who is not a manager")
	}
	u.SignOut()

	// A manager signs in where the figures will be.
	d.Gate.Name.SetSelected("田中")
	d.Gate.PIN.SetText("123456")
	d.Gate.Submit()
	waitFor(t, "the first figures", func() bool { return d.Figures != nil })
	if !d.body.Visible() || d.Figures.Captures != 0 || d.Tiles["captures"].Value.Text != "0" {
		t.Fatalf("empty dashboard: %+v, tile %q", d.Figures, d.Tiles["captures"].Value.Text)
	}
	before := map[string]image.Image{}
	for _, k := range dashCharts {
		if d.Charts[k].Image == nil {
			t.Fatalf("no %s chart", k)
		}
		before[k] = d.Charts[k].Image
	}

	cs := u.Capture
	cs.Fields["name"].SetText("山田 太郎")
	cs.Fields["email"].SetText("taro@example.co.jp")
	cs.Consents[capture.ConsentPurpose].SetChecked(true)
	cs.Consents[capture.ConsentEmailOptIn].SetChecked(true)
	cs.save()
	waitFor(t, "the saved card", func() bool { return d.Figures.Captures == 1 })
	want, err := s.Stats(ctx(), store.StatsQuery{EventID: e.ID, Day: u.now().Format(capture.DateLayout)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*d.Figures, want) || d.Figures.ByStaff["田中"] != 1 {
		t.Fatalf("figures %+v, the store says %+v", *d.Figures, want)
	}
	for k, text := range map[string]string{"captures": "1", "email_optin": "100%", "purpose": "100%", "third_party": "0%", "duplicates": "0"} {
		if got := d.Tiles[k].Value.Text; got != text {
			t.Errorf("%s tile %q, want %q", k, got, text)
		}
	}
	for _, k := range []string{"hour", "day", "staff", "source", "consent"} {
		if reflect.DeepEqual(d.Charts[k].Image, before[k]) {
			t.Errorf("the %s chart did not change after the save", k)
		}
	}

	// Two cards of one person kept as two leads (as a sync round could bring them): a pair
	// waits in 名寄せ.
	for _, title := range []string{"課長", "部長"} {
		if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, NewLead: true,
			Person: capture.Person{Name: "鈴木 花子", Company: "株式会社サンプル", Email: "hanako@example.co.jp", Title: title}}); err != nil {
			t.Fatal(err)
		}
	}
	d.Period.SetSelected(u.T("dash.whole"))
	waitFor(t, "the whole event", func() bool { return d.Figures.Captures == 3 })
	if d.Figures.PendingDuplicates != 1 || d.Tiles["duplicates"].Value.Text != "1" || d.Tiles["email_optin"].Value.Text != "33%" {
		t.Fatalf("whole event: %+v, duplicates tile %q", *d.Figures, d.Tiles["duplicates"].Value.Text)
	}

	// A sync round that brought nothing counts nothing again; one that brought a card does.
	busy := func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.running }
	waitFor(t, "the load to end", func() bool { return !busy() })
	d.changed()
	if busy() {
		t.Fatal("counted again with nothing new in the store")
	}
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Staff: "佐藤", Person: capture.Person{Name: "森 直樹", Email: "mori@example.co.jp"}}); err != nil {
		t.Fatal(err)
	}
	d.changed()
	waitFor(t, "the card from another device", func() bool { return d.Figures.Captures == 4 && d.Figures.ByStaff["佐藤"] == 1 })
	// An import counts among the captures, and the tile says so: the capture screen's
	// count of the day leaves imports out.
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Source: capture.SourceImport, Person: capture.Person{Name: "岡田 恵", Email: "okada@example.co.jp"}}); err != nil {
		t.Fatal(err)
	}
	d.changed()
	waitFor(t, "the import", func() bool { return d.Figures.Captures == 5 })
	if got := d.Tiles["captures"].Caption.Text; got != "取得件数（取り込み1件を含む）" {
		t.Errorf("captures tile says %q", got)
	}

	u.SignOut()
	if d.body.Visible() || !d.gate.Visible() {
		t.Fatal("dashboard still shown after signing out")
	}
}
