package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestAppReadsEnrolmentFromStore: a device enrolled earlier (by boothctl sync or another
// run) starts syncing when the app opens, shows its server and never its token.
func TestAppReadsEnrolmentFromStore(t *testing.T) {
	a := test.NewTempApp(t)
	s := storetest.Open(t)
	storetest.Setup(t, s)
	if err := s.Enrol(ctx(), store.Enrolment{Server: "http://127.0.0.1:9", Token: "bl_secret"}); err != nil {
		t.Fatal(err)
	}
	u := New(a, s, "ja")
	defer u.StopSync()
	if u.syncStop == nil {
		t.Fatal("an enrolled device does not sync")
	}
	if u.Settings.Server.Text != "http://127.0.0.1:9" || u.Settings.Token.Text != "" {
		t.Fatalf("settings show server %q, token %q", u.Settings.Server.Text, u.Settings.Token.Text)
	}
}
