package capture

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanAcceptsFullWidthAndNormalises(t *testing.T) {
	p, err := Person{
		Name:  " 山田　太郎 ",
		Email: "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ",
		Phone: "０３－１２３４",
		// a decomposed が (か + combining mark) is stored composed (NFC)
		Company: "カ\u3099ーデン株式会社",
		Mobile:  "090ー1234ー5678",
	}.Clean(true)
	if err != nil {
		t.Fatalf("full-width input refused: %v", err)
	}
	if p.Email != "taro@example.co.jp" {
		t.Errorf("email = %q", p.Email)
	}
	if p.Phone != "03-1234" {
		t.Errorf("phone = %q", p.Phone)
	}
	if p.Mobile != "090-1234-5678" {
		t.Errorf("mobile = %q", p.Mobile)
	}
	if p.Company != "ガーデン株式会社" {
		t.Errorf("company not NFC: %q", p.Company)
	}
	if p.Name != "山田　太郎" {
		t.Errorf("name = %q (inner ideographic space kept, outer trimmed)", p.Name)
	}
	if NormEmail(p.Email) != "taro@example.co.jp" || NormPhone(p.Phone) != "031234" || NormPhone(p.Mobile) != "09012345678" {
		t.Errorf("normalised = %q %q %q", NormEmail(p.Email), NormPhone(p.Phone), NormPhone(p.Mobile))
	}
}

func TestCleanFieldErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    Person
		field string
		code  string
	}{
		{"no identity", Person{Company: "A社"}, "name", "name_or_email"},
		{"bad email", Person{Name: "a", Email: "taro@"}, "email", "email_syntax"},
		{"email without domain dot", Person{Name: "a", Email: "taro@localhost"}, "email", "email_syntax"},
		{"email with space", Person{Name: "a", Email: "ta ro@example.jp"}, "email", "email_syntax"},
		{"phone letters", Person{Name: "a", Phone: "03-1234-ABCD"}, "phone", "phone_chars"},
		{"phone too short", Person{Name: "a", Phone: "1-2"}, "phone", "phone_digits"},
		{"too long", Person{Name: strings.Repeat("あ", 257)}, "name", "too_long"},
		{"control char", Person{Name: "a\x07b"}, "name", "control_char"},
		{"newline in field", Person{Name: "a", Title: "部長\n課長"}, "title", "control_char"},
		{"invalid utf8", Person{Name: "a\xffb"}, "name", "invalid_utf8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.in.Clean(true)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var ve *ValidationError
			errors.As(err, &ve)
			fe, ok := ve.For(tc.field)
			if !ok || fe.Code != tc.code {
				t.Fatalf("errors %+v, want %s on %s", ve.Fields, tc.code, tc.field)
			}
			if fe.JA == "" || fe.EN == "" || !strings.HasPrefix(fe.Message("ja"), tc.field+": ") {
				t.Fatalf("message missing a language or the field: %+v", fe)
			}
		})
	}
	if _, err := (Person{Name: strings.Repeat("あ", 256)}).Clean(true); err != nil {
		t.Fatalf("256 characters must be accepted: %v", err)
	}
}

func TestCleanNote(t *testing.T) {
	if _, err := CleanNote("note", "一行目\r\n二行目\tタブ"); err != nil {
		t.Fatalf("multi-line note refused: %v", err)
	}
	if _, err := CleanNote("note", strings.Repeat("a", 4097)); err == nil {
		t.Fatal("note over 4 KB accepted")
	}
	if _, err := CleanNote("note", "a\x00b"); err == nil {
		t.Fatal("NUL in note accepted")
	}
}

func TestNoticeHashIsCanonical(t *testing.T) {
	a := NoticeBody{Title: "展示会", Lang: "ja", Purposes: []string{"新製品のご案内を電子メールで送るため"}, PolicyURL: "https://example.jp/p?a=1&b=<2>"}
	b := a
	b.Purposes = append([]string(nil), a.Purposes...)
	if a.Hash() != b.Hash() {
		t.Fatal("equal bodies hash differently")
	}
	if !strings.Contains(string(a.Canonical()), "&b=<2>") {
		t.Fatalf("canonical JSON escapes HTML: %s", a.Canonical())
	}
	if strings.Contains(string(a.Canonical()), "null") {
		t.Fatalf("canonical JSON has null lists: %s", a.Canonical())
	}
	b.Purposes[0] += "。"
	if a.Hash() == b.Hash() {
		t.Fatal("a changed purpose keeps the hash")
	}
	if len(a.Hash()) != 64 {
		t.Fatalf("hash %q is not hex SHA-256", a.Hash())
	}
}

func TestNewCaptureRules(t *testing.T) {
	plain := NoticeBody{Title: "t", Lang: "ja"}
	withThird := plain
	withThird.ThirdParty.Provides = true
	survey := &Survey{Questions: []Question{
		{ID: "interest", Text: "関心", Kind: QuestionMulti, Options: []string{"A", "B"}, Required: true},
		{ID: "score", Text: "評価", Kind: QuestionRating},
	}}
	base := NewCapture{EventID: "e", Source: SourceKiosk, Shown: ShownScreen, Person: Person{Name: "a"}, Answers: Answers{"interest": []string{"A"}}}
	cases := []struct {
		name   string
		edit   func(*NewCapture)
		notice NoticeBody
		field  string
	}{
		{"third party not declared", func(n *NewCapture) { n.Consents = []ConsentKind{ConsentThirdParty} }, plain, "consent.third_party"},
		{"card cannot imply opt-in", func(n *NewCapture) {
			n.Consents, n.Method = []ConsentKind{ConsentEmailOptIn}, MethodImpliedCard
		}, plain, "consent.email_optin"},
		{"survey without notice", func(n *NewCapture) { n.Source, n.Shown = SourceSurvey, ShownNone }, plain, "notice_shown"},
		{"unknown source", func(n *NewCapture) { n.Source = "fax" }, plain, "source"},
		{"missing required answer", func(n *NewCapture) { n.Answers = nil }, plain, "answers.interest"},
		{"answer not an option", func(n *NewCapture) { n.Answers = Answers{"interest": []string{"Z"}} }, plain, "answers.interest"},
		{"rating out of range", func(n *NewCapture) { n.Answers = Answers{"interest": []string{"A"}, "score": 6} }, plain, "answers.score"},
		{"unknown question", func(n *NewCapture) { n.Answers = Answers{"interest": []string{"A"}, "x": "y"} }, plain, "answers.x"},
		{"bad rating", func(n *NewCapture) { n.Rating = "D" }, plain, "rating"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := base
			tc.edit(&n)
			_, err := n.Clean(tc.notice, survey)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			if _, ok := ve.For(tc.field); !ok {
				t.Fatalf("errors %v, want one on %s", ve, tc.field)
			}
		})
	}
	n := base
	n.Consents = []ConsentKind{ConsentThirdParty, ConsentPurpose, ConsentPurpose}
	got, err := n.Clean(withThird, survey)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Consents) != 2 || got.Method != MethodCheckbox {
		t.Fatalf("consents not cleaned: %+v", got)
	}
	card := NewCapture{EventID: "e", Person: Person{Name: "a"}, Consents: []ConsentKind{ConsentPurpose}}
	got, err = card.Clean(plain, survey)
	if err != nil {
		t.Fatalf("a card capture need not answer required survey questions: %v", err)
	}
	if got.Shown != ShownScreen || got.Source != SourceBoothCard {
		t.Fatalf("defaults not applied: %+v", got)
	}
}
