package csvimport

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
)

func parseFile(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCardAppLayoutInCP932(t *testing.T) {
	f := parseFile(t, "eight_cp932.csv")
	if f.Encoding != CP932 {
		t.Fatalf("encoding %s, want cp932", f.Encoding)
	}
	if len(f.Rows) != 2 {
		t.Fatalf("%d rows", len(f.Rows))
	}
	r := f.Rows[0]
	want := capture.Person{Name: "山田 太郎", Company: "株式会社サンプル", Department: "営業部", Title: "部長", Email: "taro.yamada@sample.co.jp",
		Phone: "03-1111-2345", Mobile: "090-1234-5678", Postal: "100-0005", Address: "東京都千代田区丸の内1-1-1"}
	if r.Err != nil || r.Person != want || r.Line != 2 {
		t.Fatalf("row = %+v\nwant %+v", r, want)
	}
	// The direct line wins; the other numbers are kept in the note, not dropped.
	if !strings.Contains(r.Note, "03-1111-0000") || !strings.Contains(r.Note, "03-1111-2000") {
		t.Fatalf("note %q lost the other phone numbers", r.Note)
	}
	if !r.At.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.Local)) {
		t.Fatalf("exchange date %v", r.At)
	}
	if f.Rows[1].Person.Name != "髙橋 一郎" || f.Rows[1].Person.Phone != "06-2222-0000" {
		t.Fatalf("IBM extension kanji or company phone lost: %+v", f.Rows[1].Person)
	}
	if len(f.Ignored) != 2 { // Fax, URL
		t.Fatalf("ignored %v", f.Ignored)
	}
}

func TestSplitNamesWithBOM(t *testing.T) {
	f := parseFile(t, "sansan_utf8bom.csv")
	if f.Encoding != UTF8BOM {
		t.Fatalf("encoding %s", f.Encoding)
	}
	p := f.Rows[0].Person
	if p.Name != "佐藤 花子" || p.Kana != "サトウ ハナコ" || p.Mobile != "080-5555-6666" || p.Postal != "〒150-0001" {
		t.Fatalf("person %+v", p)
	}
}

func TestEnglishHeadersAndQuoting(t *testing.T) {
	f := parseFile(t, "english.csv")
	if f.Encoding != UTF8 || len(f.Rows) != 2 {
		t.Fatalf("%s, %d rows", f.Encoding, len(f.Rows))
	}
	if p := f.Rows[0].Person; p.Name != "Smith, John" || p.Company != "Example Inc." || p.Title != "VP" {
		t.Fatalf("person %+v", p)
	}
	if p := f.Rows[1].Person; p.Company != `株式会社"引用"テスト` || p.Kana != "すずき じろう" || p.Phone != "０３－４４４４－５５５５" {
		t.Fatalf("person %+v", p)
	}
}

func TestMalformedRowsAreReportedByLine(t *testing.T) {
	f := parseFile(t, "malformed.csv")
	got := map[int]string{}
	for _, r := range f.Rows {
		code := ""
		var ve *capture.ValidationError
		if errors.As(r.Err, &ve) {
			code = ve.Fields[0].Code
		}
		got[r.Line] = code
	}
	want := map[int]string{2: "", 3: "column_count", 4: "", 5: "empty_row", 6: "empty_row", 7: "csv_syntax"}
	for line, code := range want {
		if g, ok := got[line]; !ok || g != code {
			t.Errorf("line %d: got %q (present %v), want %q", line, g, ok, code)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

func TestHugeLineIsOneRow(t *testing.T) {
	huge := strings.Repeat("あ", 10<<20/3)
	data := "氏名,メールアドレス\n" + huge + ",a@example.jp\n普通の人,b@example.jp\n"
	f, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 2 || f.Rows[1].Line != 3 || f.Rows[1].Person.Name != "普通の人" {
		t.Fatalf("rows after a 10 MB line: %+v", f.Rows[1])
	}
	// The long name itself is refused by capture validation, by field.
	if _, err := f.Rows[0].Person.Clean(true); err == nil {
		t.Fatal("10 MB name accepted")
	}
}

func TestFileLevelErrors(t *testing.T) {
	for name, data := range map[string]string{
		"empty":      "",
		"no columns": "会社名,部署\nA社,営業\n",
		"binary":     "\xff\xfe\x00\x01\x80\x81\xfd",
	} {
		if _, err := Parse([]byte(data)); !errors.Is(err, capture.ErrInvalid) {
			t.Errorf("%s: err = %v, want invalid input", name, err)
		}
	}
}

func TestDecodeRejectsWhatIsNotCP932(t *testing.T) {
	if _, _, err := Decode([]byte{0x82, 0xa0, 0xff, 0xff}); !errors.Is(err, ErrEncoding) {
		t.Fatalf("err = %v", err)
	}
}

func TestBOMBeforeALaterHeader(t *testing.T) {
	// Two files pasted together leave a BOM inside the header; the column is still read.
	f, err := Parse([]byte("\ufeff氏名,会社名,\ufeffメールアドレス\n山田 太郎,A社,taro@example.jp\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Rows[0].Person; p.Name != "山田 太郎" || p.Email != "taro@example.jp" || len(f.Ignored) != 0 {
		t.Fatalf("person %+v, ignored %q", p, f.Ignored)
	}
}

func TestBadByteIsReportedByLine(t *testing.T) {
	cp932, err := os.ReadFile("testdata/eight_cp932.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(cp932), "\n")
	for name, tc := range map[string]struct {
		data []byte
		line int
		want string
	}{
		// A lead byte before a comma, and a byte CP932 has no character for, on line 3.
		"cp932 lead byte": {[]byte(lines[0] + lines[1] + "\x82" + lines[2]), 3, "line 3 is not valid CP932 (Shift_JIS) text"},
		"cp932 0xff":      {[]byte(lines[0] + lines[1] + strings.Replace(lines[2], ",", "\xff,", 1)), 3, "line 3 is not valid CP932 (Shift_JIS) text"},
		"utf-8 cut short": {[]byte("氏名,メールアドレス\n山田 太郎,a@example.jp\n佐藤 \xe8\x8a,b@example.jp\n鈴木 一郎,c@example.jp\n"), 3, "line 3 is not valid UTF-8 text"},
		"utf-8 with bom":  {[]byte("\xef\xbb\xbf氏名,メールアドレス\n\xff,a@example.jp\n"), 2, "line 2 is not valid UTF-8 text"},
	} {
		_, err := Parse(tc.data)
		var ve *capture.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: err = %v", name, err)
		}
		if f, ok := ve.For("file"); !ok || f.Code != "encoding_line" || !strings.HasPrefix(f.EN, tc.want) || !strings.Contains(f.JA, fmt.Sprintf("%d行目", tc.line)) {
			t.Errorf("%s: %+v, want %q", name, ve.Fields, tc.want)
		}
	}
}
