package capture

import (
	"errors"
	"testing"
	"time"
)

func TestParseRetention(t *testing.T) {
	for text, want := range map[string]Period{
		"取得日から3年間":                {Years: 3},
		"取得日から３年間":                {Years: 3},
		"展示会終了後18か月":              {Months: 18},
		"24ヶ月":                    {Months: 24},
		"6カ月":                     {Months: 6},
		"90日":                     {Days: 90},
		"3 years from collection": {Years: 3},
		"18 Months":               {Months: 18},
	} {
		got, ok := ParseRetention(text)
		if !ok || got != want {
			t.Errorf("ParseRetention(%q) = %+v, %v; want %+v", text, got, ok, want)
		}
	}
	for _, text := range []string{"", "利用目的の達成に必要な期間", "2026年の展示会", "0日"} {
		if p, ok := ParseRetention(text); ok {
			t.Errorf("ParseRetention(%q) = %+v; want no period", text, p)
		}
	}
	leap := time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC)
	if got := (Period{Years: 1}).After(leap); got.Format(DateLayout) != "2025-03-01" {
		t.Errorf("one year after 2024-02-29 = %s", got)
	}
}

func TestEventRetentionMustNameALength(t *testing.T) {
	e := Event{Name: "展示会", Date: "2026-11-25", NoticeID: "n", Retention: "しばらく"}
	var ve *ValidationError
	if _, err := e.Clean(); !errors.As(err, &ve) || !hasRetention(ve) {
		t.Fatalf("vague retention accepted: %v", err)
	}
	e.Retention = "2年"
	if _, err := e.Clean(); err != nil {
		t.Fatal(err)
	}
}

func hasRetention(ve *ValidationError) bool {
	_, ok := ve.For("retention")
	return ok
}
