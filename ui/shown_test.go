package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// TestHowShownIsTheDomainDefault: the app leaves "how shown" to capture's default, so a
// survey typed in at the booth records the printed sheet and a card with no consent records
// that nothing was shown, as boothctl would.
func TestHowShownIsTheDomainDefault(t *testing.T) {
	u, s, _, e := newTestApp(t)
	cs := u.Capture
	for _, tc := range []struct {
		source capture.Source
		name   string
	}{{capture.SourceSurvey, "山田 太郎"}, {capture.SourceBoothCard, "佐藤 花子"}} {
		cs.Source.SetSelectedIndex(slices.Index(captureSources, tc.source))
		cs.Fields["name"].SetText(tc.name)
		test.Tap(cs.Save)
		want, err := capture.NewCapture{EventID: e.ID, Source: tc.source, Person: capture.Person{Name: tc.name}}.Clean(capture.NoticeBody{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		leads, _ := s.Leads(ctx(), store.LeadQuery{Search: tc.name})
		if len(leads) != 1 {
			t.Fatalf("%s: %d leads (form: %q)", tc.source, len(leads), cs.FormError.Text)
		}
		caps, _ := s.CapturesOf(ctx(), leads[0].ID)
		if caps[0].NoticeShown != want.Shown {
			t.Errorf("%s: app recorded %q, the domain's default is %q", tc.source, caps[0].NoticeShown, want.Shown)
		}
	}
}
