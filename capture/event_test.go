package capture

import (
	"errors"
	"testing"
	"time"
)

func TestParseDateAcceptsHowPeopleWriteDates(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-25": "2026-11-25", "2026/11/25": "2026-11-25", "2026/1/5": "2026-01-05", " 2026.11.25 ": "2026-11-25",
		"２０２６／１１／２５": "2026-11-25", "2026年11月25日": "2026-11-25",
	} {
		if got, ok := ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2026-13-01", "2026/02/30", "26/11/25", "2026-11", "明日", "2026-11-25-1"} {
		if got, ok := ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %q, want refused", in, got)
		}
	}
}

func TestEventCleanNormalisesDatesAndReportsEveryField(t *testing.T) {
	e, err := Event{Name: "展示会", Date: "2026/11/25", End: "2026/11/27", NoticeID: "n"}.Clean()
	if err != nil || e.Date != "2026-11-25" || e.End != "2026-11-27" {
		t.Fatalf("%+v %v", e, err)
	}
	_, err = Event{Date: "2026/11/25", End: "2026/11/24"}.Clean()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("no validation error: %v", err)
	}
	for _, f := range []string{"name", "end", "notice"} {
		if _, ok := ve.For(f); !ok {
			t.Errorf("no error for %s in %v", f, err)
		}
	}
}

func TestNotStartedSaysTomorrow(t *testing.T) {
	e := Event{Date: "2026-12-03", End: "2026-12-05"}
	at := func(s string) time.Time {
		x, _ := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		return x
	}
	var ve *ValidationError
	if err := e.NotStarted(at("2026-12-02 23:59")); !errors.As(err, &ve) || ve.Fields[0].Code != "event_starts_tomorrow" {
		t.Fatalf("the day before: %v", err)
	}
	if err := e.NotStarted(at("2026-11-30 09:00")); !errors.As(err, &ve) || ve.Fields[0].Code != "event_not_started" || ve.Fields[0].EN != "starts on 2026-12-03 (in 3 days): capturing opens on the day" {
		t.Fatalf("three days before: %v", err)
	}
	for _, day := range []string{"2026-12-03 00:00", "2026-12-05 18:00", "2026-12-09 10:00"} {
		if err := e.NotStarted(at(day)); err != nil {
			t.Errorf("%s: %v", day, err)
		}
	}
	if e.Running(at("2026-12-02 10:00")) || !e.Running(at("2026-12-04 10:00")) || e.Running(at("2026-12-06 10:00")) {
		t.Error("Running does not follow the event's days")
	}
}

func TestOrgCleanWantsHTTPSAndAWayToReachTheContact(t *testing.T) {
	ok := Org{Name: "ブースレジャー株式会社", Contact: "個人情報お問い合わせ窓口 privacy@example.co.jp", PolicyURL: "https://example.co.jp/privacy"}
	if _, err := ok.Clean(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"TEL 03-1234-5678", "０３－１２３４－５６７８（平日9時〜17時）", "窓口: privacy@example.co.jp"} {
		o := ok
		o.Contact = c
		if _, err := o.Clean(); err != nil {
			t.Errorf("contact %q: %v", c, err)
		}
	}
	bad := Org{Contact: "個人情報保護窓口", PolicyURL: "http://example.co.jp/privacy"}
	_, err := bad.Clean()
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("want name, contact and policy_url at once: %v", err)
	}
	for _, u := range []string{"https://", "https://localhost", "https:// example.co.jp", "ftp://example.co.jp", "example.co.jp"} {
		o := ok
		o.PolicyURL = u
		if _, err := o.Clean(); err == nil {
			t.Errorf("policy URL %q accepted", u)
		}
	}
}

func TestDefaultNoticeSkipsVersionsWithErrors(t *testing.T) {
	ok := goodNotice("ja", "産業用センサー事業における新商品・サービスに関する情報を電子メールでお知らせするため")
	bad := ok
	bad.Purposes = []string{"マーケティング活動に用いるため"}
	v1 := Notice{ID: "v1", Version: 1, NoticeBody: ok}
	v2 := Notice{ID: "v2", Version: 2, NoticeBody: bad}
	if Errors(v2.Lint()) == 0 || Errors(v1.Lint()) != 0 {
		t.Fatal("fixture: v2 must have errors and v1 none")
	}
	if n, found := DefaultNotice([]Notice{v2, v1}); !found || n.ID != "v1" {
		t.Fatalf("default %q %v, want v1", n.ID, found)
	}
	if _, found := DefaultNotice([]Notice{v2}); found {
		t.Fatal("a version with errors became the default")
	}
}

func TestCheckStaffReportsNameAndPINTogether(t *testing.T) {
	_, err := CheckStaff(" ", "12ab")
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Fatalf("%v", err)
	}
	if name, err := CheckStaff(" 田中 ", "123456"); err != nil || name != "田中" {
		t.Fatalf("%q %v", name, err)
	}
}
