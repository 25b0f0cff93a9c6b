package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// TestManagerDetachesAWrongAttach: staff attached someone else's card to a lead from the
// hint; a manager sees who attached it and detaches it into a lead of its own.
func TestManagerDetachesAWrongAttach(t *testing.T) {
	u, s, _, e := newTestApp(t)
	first, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 花子", Company: "株式会社サンプル", Email: "hanako@sample.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Staff: "佐藤",
		Person: capture.Person{Name: "山田 花子", Company: "ベータ株式会社", Mobile: "090-5555-6666"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	l := u.Leads
	l.Refresh()
	selectRow(l, 0)
	if !l.detachBox.Visible() || !strings.Contains(shownText(l.Timeline), "スタッフが同一人物と判断") {
		t.Fatalf("detach hidden or attach not explained: %q", shownText(l.Timeline))
	}
	l.DetachPick.SetSelectedIndex(1)
	if !l.Detach.Disabled() {
		t.Fatal("detach possible without a reason")
	}
	test.Type(l.DetachReason, "同姓同名の別人")
	test.Tap(l.Detach)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 2 {
		t.Fatalf("%d leads after the detach (%s)", len(leads), l.DetachMsg.Text)
	}
	own, err := s.Lead(ctx(), wrong.Capture.ID)
	if err != nil || own.Person.Company != "ベータ株式会社" || !strings.Contains(l.DetachMsg.Text, "ベータ株式会社") {
		t.Fatalf("own lead %+v %v, message %q", own, err, l.DetachMsg.Text)
	}
	if left, _ := s.Lead(ctx(), first.Lead.ID); left.Person.Company != "株式会社サンプル" || left.Captures != 1 {
		t.Fatalf("lead left %+v", left)
	}

	// Staff who are not managers cannot detach.
	clerk, _ := capture.NewStaff("鈴木", "567890", false)
	if err := s.SaveStaff(ctx(), clerk); err != nil {
		t.Fatal(err)
	}
	s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, LeadID: first.Lead.ID, Person: capture.Person{Name: "山田 花子", Phone: "03-1111-2222"}})
	u.SignOut()
	if err := u.SignIn("鈴木", "567890"); err != nil {
		t.Fatal(err)
	}
	l.Refresh()
	for i, x := range l.leads {
		if x.ID == first.Lead.ID {
			selectRow(l, i)
		}
	}
	if l.detachBox.Visible() {
		t.Fatal("a clerk sees the detach")
	}
}

// TestHintShowsTheMatchersProposal: a known person at another company is asked about, not
// attached, with the matcher's reason in words.
func TestHintShowsTheMatchersProposal(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "森 直樹", Email: "n.mori@gamma.jp"}}); err != nil {
		t.Fatal(err)
	}
	u.SignIn("田中", "123456") // a capture naming its staff member is saved without a question
	cs := u.Capture
	test.Type(cs.Fields["name"], "林 直樹")
	test.Type(cs.Fields["email"], "n.mori@gamma.jp")
	if !cs.hintBox.Visible() || !strings.Contains(cs.Hint.Text, "森 直樹") || !strings.Contains(cs.Hint.Text, "氏名が違います") {
		t.Fatalf("hint %q", cs.Hint.Text)
	}
	test.Tap(cs.Save)
	if leads, _ := s.Leads(ctx(), store.LeadQuery{}); len(leads) != 2 {
		t.Fatalf("%d leads: a proposal was attached without staff", len(leads))
	}
}
