package capture

import (
	"errors"
	"testing"
)

// TestJSONErrorsSayLineAndWhat: a survey or notice file with a mistake is refused with the
// line of the mistake and what kind it is, in both languages, not encoding/json's text.
func TestJSONErrorsSayLineAndWhat(t *testing.T) {
	cases := []struct {
		name, json, code, ja, en string
	}{
		{"comma", "{\n  \"title\": \"来場者アンケート\",\n  \"questions\": [,]\n}", "json_char",
			"3行目 17文字目の「,」でJSONが読めません（カンマ・引用符・かっこを確認してください）", `line 3, column 17: unexpected "," (check the commas, quotes and brackets)`},
		{"end", "{\n  \"title\": \"来場者アンケート\",\n  \"questions\": [\n", "json_end",
			"JSONが4行目で途中で終わっています（閉じかっこ } ] か引用符が足りません）", "the JSON ends too early, at line 4 (a closing } or ] or a quote is missing)"},
		{"unknown", "{\n  \"title\": \"来場者アンケート\",\n  \"qestions\": []\n}", "json_unknown_field",
			"3行目: 「qestions」という項目はありません（つづりを確認してください）", `line 3: there is no field "qestions" (check the spelling)`},
		{"type", "{\n  \"title\": \"来場者アンケート\",\n  \"questions\": [\n    {\"id\": \"q1\", \"text\": \"関心\", \"kind\": \"single\", \"options\": \"A\"}\n  ]\n}", "json_type",
			"4行目: 「questions.options」は […] の形で書いてください（\"…\" になっています）", `line 4: questions.options must be written as […], not "…"`},
		{"trailing", "{\"title\": \"来場者アンケート\"}\n\n{}", "json_trailing",
			"3行目: JSONの後に余計な文字があります", "line 3: there is more text after the JSON"},
	}
	for _, c := range cases {
		_, err := DecodeSurvey([]byte(c.json))
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 {
			t.Fatalf("%s: %v", c.name, err)
		}
		f := ve.Fields[0]
		if f.Field != "survey" || f.Code != c.code || f.JA != c.ja || f.EN != c.en {
			t.Errorf("%s: %+v", c.name, f)
		}
	}
	// The notice file reads the same way.
	_, err := DecodeNoticeBody([]byte("{\n  \"title\": \"通知\",\n  \"purpose\": []\n}"))
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "notice" || ve.Fields[0].Code != "json_unknown_field" || ve.Fields[0].JA != "3行目: 「purpose」という項目はありません（つづりを確認してください）" {
		t.Fatalf("notice: %v", err)
	}
}
