package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestExportOpensItsFolder: a written export opens its folder with the system's file
// manager, so the manager sees the file they are about to send.
func TestExportOpensItsFolder(t *testing.T) {
	u, s, _, e := newTestApp(t)
	if _, err := s.AddCapture(ctx(), capture.NewCapture{EventID: e.ID, Person: storetest.Person(0)}); err != nil {
		t.Fatal(err)
	}
	var opened []string
	u.Open = func(path string) error { opened = append(opened, path); return nil }
	if err := u.SignIn("田中", "123456"); err != nil {
		t.Fatal(err)
	}
	x := u.Export
	x.Dir = t.TempDir()
	x.Events.SetSelected(x.Events.Options)
	x.Use.SetSelectedIndex(1)
	test.Type(x.Recipient, "マーケティング部")
	test.Tap(x.Preview)
	test.Tap(x.Write)
	if len(opened) != 1 || opened[0] != x.Dir {
		t.Fatalf("opened %v after writing into %s (%s)", opened, x.Dir, x.Result.Text)
	}
}
