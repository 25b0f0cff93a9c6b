package capture

import (
	"slices"
	"testing"
	"time"
)

func warningCodes(n NewCapture) []string {
	var codes []string
	for _, f := range n.Warnings() {
		codes = append(codes, f.Code)
	}
	return codes
}

func TestWarnings(t *testing.T) {
	card := Person{Name: "山田 太郎", Email: "taro@example.jp"}
	for _, tc := range []struct {
		name string
		n    NewCapture
		want []string
	}{
		{"a signed-in card with an email", NewCapture{Source: SourceBoothCard, Staff: "田中", Person: card}, nil},
		{"a phone is a way to reach", NewCapture{Source: SourceBoothCard, Staff: "田中", Person: Person{Name: "山田", Mobile: "090-1111-2222"}}, nil},
		{"a card without consent is ordinary", NewCapture{Source: SourceBoothCard, Staff: "田中", Person: card}, nil},
		{"a survey without consent", NewCapture{Source: SourceSurvey, Staff: "田中", Person: card}, []string{"weak_no_consent"}},
		{"a kiosk entry without consent", NewCapture{Source: SourceKiosk, Staff: "田中", Person: card}, []string{"weak_no_consent"}},
		{"a survey with consent", NewCapture{Source: SourceSurvey, Staff: "田中", Person: card, Consents: []ConsentKind{ConsentPurpose}}, nil},
		{"nobody signed in", NewCapture{Source: SourceBoothCard, Staff: " ", Person: card}, []string{"weak_no_staff"}},
		{"a name only", NewCapture{Source: SourceKiosk, Person: Person{Name: "山田", Address: "東京都"}}, []string{"weak_no_consent", "weak_no_staff", "weak_no_contact"}},
	} {
		if got := warningCodes(tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("%s: warnings %v, want %v", tc.name, got, tc.want)
		}
	}
	w := NewCapture{Source: SourceBoothCard, Person: card}.Warnings()
	if len(w) != 1 || w[0].Field != "staff" || w[0].JA == "" || w[0].EN == "" {
		t.Fatalf("warning %+v", w)
	}
}

func TestSessionIdle(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	boss := Staff{Name: "田中", Manager: true}
	s := Session{Staff: boss, Last: start}
	for _, tc := range []struct {
		after       time.Duration
		ok, manager bool
	}{
		{0, true, true},
		{9 * time.Minute, true, true},
		{10 * time.Minute, true, false}, // manager rights drop first
		{29 * time.Minute, true, false},
		{30 * time.Minute, false, false},
	} {
		m, ok := s.At(start.Add(tc.after))
		if ok != tc.ok || m.Manager != tc.manager || (ok && m.Name != "田中") {
			t.Errorf("after %v: %+v ok %v, want ok %v manager %v", tc.after, m, ok, tc.ok, tc.manager)
		}
	}
	long := Session{Staff: boss, Last: start, Idle: time.Hour}
	if m, ok := long.At(start.Add(45 * time.Minute)); !ok || m.Manager {
		t.Fatalf("an hour's session after 45 minutes: %+v ok %v", m, ok)
	}
	if !boss.Manager {
		t.Fatal("At changed the session's staff member")
	}
}
