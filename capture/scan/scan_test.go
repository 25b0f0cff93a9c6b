package scan

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/boothledger/boothledger/capture"
)

var vcard3 = `BEGIN:VCARD
VERSION:3.0
N;CHARSET=UTF-8:山田;太郎;;;
FN:山田 太郎
X-PHONETIC-LAST-NAME:やまだ
X-PHONETIC-FIRST-NAME:たろう
ORG:株式会社サンプル;営業本部;第一営業部
TITLE:部長
EMAIL;TYPE=INTERNET,WORK:taro@sample.co.jp
TEL;TYPE=WORK,VOICE:03-1234-5678
TEL;TYPE=CELL:090-1111-2222
TEL;TYPE=FAX:03-1234-5679
ADR;TYPE=WORK:;ビル5F;丸の内1-1-1;千代田区;東京都;100-0005;日本
NOTE:展示会で名刺交換\, 来月デモ
END:VCARD`

func TestVCardVersions(t *testing.T) {
	want := capture.Person{Name: "山田 太郎", Kana: "やまだ たろう", Company: "株式会社サンプル", Department: "営業本部 第一営業部", Title: "部長",
		Email: "taro@sample.co.jp", Phone: "03-1234-5678", Mobile: "090-1111-2222", Postal: "100-0005", Address: "東京都 千代田区 丸の内1-1-1 ビル5F"}
	r, err := Parse(vcard3)
	if err != nil || r.Kind != KindVCard || r.Person != want {
		t.Fatalf("3.0: %+v %v\nwant %+v", r.Person, err, want)
	}
	if !strings.Contains(r.Note, "展示会で名刺交換, 来月デモ") || !strings.Contains(r.Note, "FAX: 03-1234-5679") {
		t.Fatalf("note %q", r.Note)
	}

	v21 := "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0;=E5=A4=AA=E9=83=8E\r\n" +
		"SOUND;X-IRMC-N;CHARSET=UTF-8:ヤマダ;タロウ;;;\r\nTEL;CELL:09011112222\r\nTEL;WORK;VOICE:0312345678\r\nEMAIL;INTERNET:taro@sample.co.jp\r\nEND:VCARD\r\n"
	r, err = Parse(v21)
	if err != nil || r.Person.Name != "山田 太郎" || r.Person.Kana != "ヤマダ タロウ" || r.Person.Mobile != "09011112222" || r.Person.Phone != "0312345678" {
		t.Fatalf("2.1: %+v %v", r.Person, err)
	}

	v4 := "BEGIN:VCARD\nVERSION:4.0\nN;SORT-AS=\"やまだ,たろう\":山田;太郎;;;\nFN:山田太郎\nORG:株式会社サンプル\n" +
		"EMAIL;TYPE=work;PREF=1:taro@sample.co.jp\nTEL;VALUE=uri;TYPE=\"cell,voice\":tel:+81-90-1111-2222\nTITLE:部長代理 兼 営業企画課長 で\n  ある\nEND:VCARD"
	r, err = Parse(v4)
	if err != nil || r.Person.Kana != "やまだ たろう" || r.Person.Mobile != "+81-90-1111-2222" || r.Person.Title != "部長代理 兼 営業企画課長 で ある" {
		t.Fatalf("4.0: %+v %v", r.Person, err)
	}
}

func TestMeCard(t *testing.T) {
	r, err := Parse(`MECARD:N:鈴木,花子;SOUND:すずき,はなこ;TEL:080-3333-4444;TEL:03-5555-6666;EMAIL:hanako@example.jp;ORG:サンプル商事;ADR:東京都渋谷区神宮前3-3-3;NOTE:資料希望\;カタログ;;`)
	if err != nil || r.Kind != KindMeCard {
		t.Fatal(err)
	}
	want := capture.Person{Name: "鈴木 花子", Kana: "すずき はなこ", Company: "サンプル商事", Email: "hanako@example.jp", Mobile: "080-3333-4444", Address: "東京都渋谷区神宮前3-3-3"}
	if r.Person != want {
		t.Fatalf("%+v\nwant %+v", r.Person, want)
	}
	if !strings.Contains(r.Note, "TEL: 03-5555-6666") || !strings.Contains(r.Note, "資料希望;カタログ") {
		t.Fatalf("note %q", r.Note)
	}
}

func TestBadgeAndErrors(t *testing.T) {
	r, err := Parse("EXPO2026-000123\n")
	if err != nil || r.Kind != KindBadge || r.Badge != "EXPO2026-000123" {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := Parse("   "); err != ErrEmpty {
		t.Fatalf("empty: %v", err)
	}
	if _, err := Parse("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD"); err == nil {
		t.Fatal("empty vCard accepted")
	}
}

func TestAssemblerWaitsForEndOfVCard(t *testing.T) {
	var a Assembler
	lines := strings.Split(vcard3, "\n")
	for i, l := range lines {
		r, done, err := a.Add(l)
		if done != (i == len(lines)-1) {
			t.Fatalf("line %d: done=%v", i, done)
		}
		if done && (err != nil || r.Person.Email != "taro@sample.co.jp") {
			t.Fatalf("%+v %v", r, err)
		}
	}
	if a.Pending() {
		t.Fatal("assembler still pending after END:VCARD")
	}
	if r, done, _ := a.Add("MECARD:N:a,b;;"); !done || r.Person.Name != "a b" {
		t.Fatalf("one-line MeCard: %v %+v", done, r)
	}
}

// FuzzParse feeds arbitrary scanner input: it must never panic, and what it returns must be
// valid text a capture can hold.
func FuzzParse(f *testing.F) {
	f.Add(vcard3)
	f.Add("MECARD:N:鈴木,花子;TEL:080-3333-4444;;")
	f.Add("EXPO2026-000123")
	f.Add("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=E5=B1=\n=B1\nEND:VCARD")
	f.Add("BEGIN:VCARD\nTEL;TYPE=\"cell:x\":1\nEND:VCARD")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		for _, name := range capture.PersonFields {
			if v := *r.Person.Field(name); !utf8.ValidString(v) {
				t.Fatalf("%s is not valid UTF-8: %q", name, v)
			}
		}
		var a Assembler
		for _, l := range strings.Split(s, "\n") {
			a.Add(l)
		}
	})
}
