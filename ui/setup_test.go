package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/boothledger/boothledger/capture/store/storetest"
)

// TestSetupShowsEveryErrorAtOnce: one Start shows every problem under its field, in the
// domain's words; each goes as it is fixed; prefilled fields continue where the text ends;
// the privacy manager follows the representative; dates may be typed with slashes.
func TestSetupShowsEveryErrorAtOnce(t *testing.T) {
	s := storetest.Open(t)
	u := New(test.NewTempApp(t), s, "ja")
	st := u.Setup
	st.Date.SetText("2026/13/01")
	st.End.SetText("2026/11/20")
	test.Type(st.Contact, "個人情報保護窓口")
	test.Type(st.StaffPIN, "12")
	test.Tap(st.Start)
	for _, f := range []string{"org.name", "org.contact", "org.policy_url", "event.name", "event.date", "staff.name", "staff.pin"} {
		if l := st.Errors[f]; !l.Visible() || l.Text == "" {
			t.Errorf("no message under %s", f)
		}
	}
	if !strings.Contains(st.Errors["org.contact"].Text, "メールアドレスか電話番号") || strings.Contains(st.Errors["org.contact"].Text, "contact:") {
		t.Fatalf("contact says %q", st.Errors["org.contact"].Text)
	}
	if !strings.Contains(st.Error.Text, "7 か所") || u.Capture != nil {
		t.Fatalf("summary %q", st.Error.Text)
	}

	st.Contact.SetText("privacy@example.co.jp")
	if st.Errors["org.contact"].Visible() || !st.Errors["org.name"].Visible() {
		t.Fatal("a fixed field keeps its message, or the others lost theirs")
	}
	test.Type(st.PolicyURL, "example.co.jp/privacy") // the cursor starts after the prefilled https://
	if st.PolicyURL.Text != "https://example.co.jp/privacy" || st.Errors["org.policy_url"].Visible() {
		t.Fatalf("policy URL %q", st.PolicyURL.Text)
	}
	test.Type(st.OrgName, "ブースレジャー株式会社")
	test.Type(st.Representative, "山田一郎")
	if st.PrivacyManager.Text != "山田一郎" {
		t.Fatalf("privacy manager %q", st.PrivacyManager.Text)
	}
	test.Type(st.EventName, "産業センサー展")
	st.Date.SetText("2026/11/25")
	if !st.Errors["event.end"].Visible() {
		t.Fatal("an end before the start is not named")
	}
	st.End.SetText("2026/11/27")
	test.Type(st.StaffName, "田中")
	st.StaffPIN.SetText("123456")
	test.Type(st.Business, "産業用センサー")
	for f, l := range st.Errors {
		if l.Visible() {
			t.Errorf("%s still says %q", f, l.Text)
		}
	}
	test.Tap(st.Start)
	if u.Capture == nil {
		t.Fatalf("setup did not start: %s", st.Error.Text)
	}
	org, _ := s.Org(ctx())
	if org.PrivacyManager != "山田一郎" || org.PolicyURL != "https://example.co.jp/privacy" {
		t.Fatalf("org %+v", org)
	}
	if u.event.Date != "2026-11-25" || u.event.End != "2026-11-27" {
		t.Fatalf("event dates %s to %s", u.event.Date, u.event.End)
	}
}
