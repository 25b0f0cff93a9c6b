package capture

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// itemFields maps the item names a notice declares for provision or joint use to the person
// field each covers. It is the one place that says which column an item name lets an export
// carry; an item it does not know is a checker error in a notice that gives data to others,
// so a declaration can never silently cover nothing or more than it says.
var itemFields = map[string]string{
	"氏名": "name", "名前": "name", "お名前": "name", "name": "name", "full name": "name",
	"ふりがな": "kana", "フリガナ": "kana", "よみがな": "kana", "ヨミガナ": "kana", "氏名のふりがな": "kana", "reading": "kana", "name reading": "kana", "furigana": "kana", "kana": "kana",
	"会社名": "company", "企業名": "company", "勤務先": "company", "company": "company", "company name": "company", "organization": "company", "organisation": "company",
	"部署": "department", "部署名": "department", "所属部署": "department", "department": "department",
	"役職": "title", "役職名": "title", "title": "title", "job title": "title", "position": "title",
	"メールアドレス": "email", "電子メールアドレス": "email", "eメールアドレス": "email", "email": "email", "e-mail": "email", "email address": "email", "e-mail address": "email",
	"電話番号": "phone", "phone": "phone", "phone number": "phone", "telephone": "phone", "telephone number": "phone",
	"携帯電話": "mobile", "携帯電話番号": "mobile", "携帯番号": "mobile", "mobile": "mobile", "mobile phone": "mobile", "mobile number": "mobile", "cell phone": "mobile",
	"郵便番号": "postal", "postal code": "postal", "postcode": "postal", "zip code": "postal", "zip": "postal",
	"住所": "address", "address": "address", "postal address": "address",
}

// ItemField returns the person field (a name in PersonFields) a declared item covers. Width,
// case and runs of spaces do not matter: "Ｅメールアドレス" and "E-mail  address" are known.
func ItemField(item string) (string, bool) {
	key := strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(item))), " ")
	f, ok := itemFields[key]
	return f, ok
}

// ItemFields returns the person fields the items cover, in PersonFields order; items the
// table does not know cover nothing.
func ItemFields(items []string) []string {
	covered := map[string]bool{}
	for _, it := range items {
		if f, ok := ItemField(it); ok {
			covered[f] = true
		}
	}
	var out []string
	for _, f := range PersonFields {
		if covered[f] {
			out = append(out, f)
		}
	}
	return out
}
