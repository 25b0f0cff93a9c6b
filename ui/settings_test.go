package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/boothledger/boothledger/capture"
)

// TestStaffListDoesNotOverlapTheAddRow: with many staff the add-staff row stays below the
// last name.
func TestStaffListDoesNotOverlapTheAddRow(t *testing.T) {
	u, s, _, _ := newTestApp(t)
	for i := 0; i < 8; i++ {
		m, _ := capture.NewStaff(fmt.Sprintf("スタッフ%d", i), "567890", false)
		s.SaveStaff(ctx(), m)
	}
	set := u.Settings
	set.refreshStaff()
	u.win.Resize(fyne.NewSize(1366, 768))
	u.tabs.SelectIndex(len(u.tabs.Items) - 1)
	d := fyne.CurrentApp().Driver()
	if len(set.Staff.Objects) != 9 {
		t.Fatalf("%d staff lines", len(set.Staff.Objects))
	}
	last := set.Staff.Objects[len(set.Staff.Objects)-1]
	bottom := d.AbsolutePositionForObject(last).Y + last.Size().Height
	if top := d.AbsolutePositionForObject(set.NewName).Y; top < bottom {
		t.Fatalf("the add-staff row starts at %.0f, above the last name's bottom %.0f", top, bottom)
	}
}
