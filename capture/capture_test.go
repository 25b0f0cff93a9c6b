package capture

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestShownDefault: how the notice was shown, when a front end does not say, is decided here
// once: a survey's sheet prints it, consent (but a card's) was given to what was on the
// screen, and otherwise nothing was shown. What was said is kept.
func TestShownDefault(t *testing.T) {
	notice := NoticeBody{Title: "t", Lang: "ja"}
	cases := []struct {
		name string
		n    NewCapture
		want Shown
	}{
		{"survey", NewCapture{Source: SourceSurvey}, ShownPrint},
		{"survey with consent", NewCapture{Source: SourceSurvey, Consents: []ConsentKind{ConsentPurpose}}, ShownPrint},
		{"card with consent", NewCapture{Consents: []ConsentKind{ConsentPurpose}}, ShownScreen},
		{"card implying consent", NewCapture{Consents: []ConsentKind{ConsentPurpose}, Method: MethodImpliedCard}, ShownNone},
		{"card without consent", NewCapture{}, ShownNone},
		{"said verbal", NewCapture{Source: SourceSurvey, Shown: ShownVerbal}, ShownVerbal},
	}
	for _, tc := range cases {
		tc.n.EventID, tc.n.Person = "e", Person{Name: "a"}
		got, err := tc.n.Clean(notice, nil)
		if err != nil || got.Shown != tc.want {
			t.Errorf("%s: shown %q (%v), want %q", tc.name, got.Shown, err, tc.want)
		}
	}
}

// TestNoEvent: a capture without an event says the event is required; a wrong id says it
// does not exist.
func TestNoEvent(t *testing.T) {
	for id, code := range map[string]string{"": "required", "  ": "required", "nope": "not_found"} {
		var ve *ValidationError
		if err := (NewCapture{EventID: id}).NoEvent(); !errors.As(err, &ve) {
			t.Fatalf("%q: %v", id, err)
		}
		if f, ok := ve.For("event"); !ok || f.Code != code {
			t.Errorf("%q: %v, want %s on event", id, ve, code)
		}
	}
}

// TestFormatCharactersRefusedInEveryField: BOMs, zero-width spaces and bidi overrides are
// refused in every person field and in the free text of a capture, each by its field and
// naming the character; the joiner inside emoji and ideographic variation selectors are kept.
func TestFormatCharactersRefusedInEveryField(t *testing.T) {
	notice := NoticeBody{Title: "t", Lang: "ja"}
	for _, r := range []rune{'\uFEFF', '\u200B', '\u202E', '\u2066', '\u00AD'} {
		for _, f := range PersonFields {
			n := NewCapture{EventID: "e", Person: Person{Name: "a"}}
			*n.Person.Field(f) += "山田" + string(r) + "太郎"
			_, err := n.Clean(notice, nil)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%U in %s accepted", r, f)
			}
			if fe, ok := ve.For(f); !ok || !strings.Contains(fe.Message("en"), "control or format") || !strings.Contains(fe.EN, fmt.Sprintf("U+%04X", r)) {
				t.Errorf("%U in %s: %v", r, f, ve)
			}
		}
		for _, n := range []NewCapture{
			{Staff: "田中" + string(r)},
			{Note: "メモ" + string(r)},
		} {
			n.EventID, n.Person = "e", Person{Name: "a"}
			if _, err := n.Clean(notice, nil); err == nil {
				t.Errorf("%U in staff or note accepted: %+v", r, n)
			}
		}
	}
	for _, ok := range []string{"👨\u200d👩", "葛\U000E0100城"} {
		if _, err := (Person{Name: ok}).Clean(true); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}
