package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailuresInJapanese: under a Japanese locale a failure that is no field's (a lead that
// is not there) is said in Japanese, with the error's own text after it; in English the
// error's text alone. A company not set up yet says how to set it.
func TestFailuresInJapanese(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	missing := filepath.Join(t.TempDir(), "名刺 一覧.csv")
	for _, tc := range []struct {
		lang string
		args []string
		want []string
	}{
		{"ja", []string{"org", "show"}, []string{"会社の情報がまだありません（boothctl org set で登録します）"}},
		{"ja", []string{"leads", "show", "01a2-ない"}, []string{"見つかりません", "not found)"}},
		{"ja", []string{"capture", "import", "--event", "x", missing}, []string{missing + " を読めません"}},
		{"en", []string{"org", "show"}, []string{"boothctl: org: is not set yet (boothctl org set sets it)\n"}},
		{"en", []string{"leads", "show", "01a2-ない"}, []string{"not found\n"}},
	} {
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Lang: tc.lang}
		err := m.Run(context.Background(), append(tc.args, "--db", db))
		if err == nil {
			t.Fatalf("%v: no error", tc.args)
		}
		m.printError(err)
		for _, w := range tc.want {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%s %v: %q lacks %q", tc.lang, tc.args, errb.String(), w)
			}
		}
	}
}
