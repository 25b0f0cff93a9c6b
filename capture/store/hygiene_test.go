package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// fieldError returns the error err holds for field, failing the test when there is none.
func fieldError(t *testing.T, err error, field string) capture.FieldError {
	t.Helper()
	var ve *capture.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a field error on %s", err, field)
	}
	f, ok := ve.For(field)
	if !ok {
		t.Fatalf("errors %v, want one on %s", ve, field)
	}
	return f
}

// TestInvisibleCharactersAreRefused: a BOM, a zero-width space or a bidi override in a name
// is refused by the store with the field and the character named, in a capture and in a
// correction (its reason too), and nothing is written.
func TestInvisibleCharactersAreRefused(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "山田 太郎", Email: "taro@example.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	before := len(logged(t, s))
	for _, c := range []rune{'\uFEFF', '\u200B', '\u202E'} {
		name := "山田" + string(c) + "太郎"
		_, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: name}})
		if f := fieldError(t, err, "name"); f.Code != "control_char" || !strings.Contains(f.EN, fmt.Sprintf("U+%04X", c)) {
			t.Errorf("capture %U: %+v", c, f)
		}
		_, err = s.Correct(ctx, r.Lead.ID, map[string]string{"name": name}, "名刺の誤読")
		if f := fieldError(t, err, "name"); f.Code != "control_char" {
			t.Errorf("correction %U: %+v", c, f)
		}
		_, err = s.Correct(ctx, r.Lead.ID, map[string]string{"title": "部長"}, "本人"+string(c)+"から")
		if f := fieldError(t, err, "reason"); f.Code != "control_char" {
			t.Errorf("correction reason %U: %+v", c, f)
		}
	}
	if after := len(logged(t, s)); after != before {
		t.Fatalf("refused input wrote %d op(s)", after-before)
	}
	if l, _ := s.Lead(ctx, r.Lead.ID); l.Person.Name != "山田 太郎" || l.Person.Title != "" {
		t.Fatalf("lead changed: %+v", l.Person)
	}
}

// TestCaptureWithoutEvent: no event is "required", a wrong one "does not exist".
func TestCaptureWithoutEvent(t *testing.T) {
	s := storetest.Open(t)
	storetest.Setup(t, s)
	for id, code := range map[string]string{"": "required", "nope": "not_found"} {
		_, err := s.AddCapture(ctx, capture.NewCapture{EventID: id, Person: capture.Person{Name: "a"}})
		if f := fieldError(t, err, "event"); f.Code != code {
			t.Errorf("event %q: %+v, want %s", id, f, code)
		}
	}
}

// TestEveryLocalOpIsCheckedAsBoothdChecksIt: free text in a withdrawal, merge, link or
// erasure made on this device meets the registry's rules here, not first at the server.
func TestEveryLocalOpIsCheckedAsBoothdChecksIt(t *testing.T) {
	s := storetest.Open(t)
	_, e := storetest.Setup(t, s)
	a, _ := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "甲", Email: "a@example.jp"}})
	b, _ := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: capture.Person{Name: "乙", Email: "b@example.jp"}})
	before := len(logged(t, s))
	bad := "本人\u200bから"
	for name, err := range map[string]error{
		"withdraw": func() error {
			_, err := s.Withdraw(ctx, a.Lead.ID, []capture.Channel{capture.ChannelPhone}, bad)
			return err
		}(),
		"merge": func() error { _, err := s.MergeLeads(ctx, a.Lead.ID, []string{b.Lead.ID}, nil, bad); return err }(),
		"erase": func() error { _, err := s.Erase(ctx, a.Lead.ID, bad); return err }(),
	} {
		var ve *capture.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "reason" {
			t.Errorf("%s with U+200B in its reason: %v", name, err)
		}
	}
	if after := len(logged(t, s)); after != before {
		t.Fatalf("%d op(s) written", after-before)
	}
}
