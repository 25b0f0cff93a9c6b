package capture

import (
	"slices"
	"strings"
	"testing"
)

func TestItemNamesMapToFields(t *testing.T) {
	for item, want := range map[string]string{
		"氏名": "name", "ふりがな": "kana", "会社名": "company", "部署": "department", "役職": "title", "メールアドレス": "email",
		"電話番号": "phone", "携帯電話": "mobile", "郵便番号": "postal", "住所": "address",
		"Name": "name", "E-mail  address": "email", "ｅメールアドレス": "email", " Job Title ": "title", "Postal code": "postal",
	} {
		if got, ok := ItemField(item); !ok || got != want {
			t.Errorf("ItemField(%q) = %q, %v; want %q", item, got, ok, want)
		}
	}
	for _, item := range []string{"アンケートの回答", "連絡先", "個人情報", "SNS"} {
		if f, ok := ItemField(item); ok {
			t.Errorf("ItemField(%q) = %q: an item that names no column must be unknown", item, f)
		}
	}
	if got := ItemFields([]string{"メールアドレス", "氏名", "アンケートの回答", "name"}); !slices.Equal(got, []string{"name", "email"}) {
		t.Errorf("ItemFields = %v, want [name email] in card order", got)
	}
}

// providing is a notice without findings that gives data to a distributor and a co-sponsor.
func providing() NoticeBody {
	n := goodNotice("ja", "産業用センサー事業の新製品のご案内を電子メールでお送りするため")
	n.ThirdParty = ThirdParty{Provides: true, Recipients: []string{"株式会社サンプル販売", "Acme Inc."}, Items: []string{"氏名", "会社名"}, Method: "電子ファイル"}
	n.JointUse = &JointUse{Items: []string{"氏名", "メールアドレス"}, Users: "共催企業", Purpose: "共催セミナーのご案内を電子メールで送るため",
		Responsible: Party{Name: "ブースレジャー株式会社", Address: "東京都千代田区丸の内1-1-1", Representative: "山田一郎"}}
	return n
}

func findingsBy(f []Finding) map[string]string {
	out := map[string]string{}
	for _, x := range f {
		out[x.Rule+"/"+x.Field] = x.Severity
	}
	return out
}

func TestUnknownProvidedItemsAreErrors(t *testing.T) {
	if f := providing().Lint(); len(f) != 0 {
		t.Fatalf("providing notice has findings: %+v", f)
	}
	n := providing()
	n.ThirdParty.Items = []string{"氏名", "連絡先"}
	n.JointUse.Items = []string{"アンケートの回答", "メールアドレス"}
	got := findingsBy(n.Lint())
	if got["unknown_item/third_party.items[1]"] != SeverityError || got["unknown_item/joint_use.items[0]"] != SeverityError || len(got) != 2 {
		t.Fatalf("findings %v, want unknown_item on third_party.items[1] and joint_use.items[0]", got)
	}
	for _, f := range n.Lint() {
		if !strings.Contains(f.JA, "連絡先") && !strings.Contains(f.JA, "アンケートの回答") || !strings.Contains(f.EN, "none of the items") {
			t.Errorf("message does not name the item: %q / %q", f.JA, f.EN)
		}
	}
	// Items collected but never provided may be anything: they are not columns of a list.
	n = providing()
	n.Items = append(n.Items, "アンケートの回答")
	n.ThirdParty = ThirdParty{Items: []string{"連絡先"}}
	n.JointUse = nil
	if f := n.Lint(); len(f) != 0 {
		t.Fatalf("a notice that provides nothing: %+v", f)
	}
}

func TestAbroadRecipientNeedsArt28Information(t *testing.T) {
	n := providing()
	n.ThirdParty.Abroad = []Abroad{{Recipient: "Acme Inc.", Country: "アメリカ合衆国"}, {Recipient: "Nobody Ltd.", Country: "英国", Regime: "UK GDPR", Measures: "契約"}}
	got := findingsBy(n.Lint())
	want := map[string]string{
		"abroad_incomplete/third_party.abroad[0].regime":       SeverityError,
		"abroad_incomplete/third_party.abroad[0].measures":     SeverityError,
		"abroad_not_recipient/third_party.abroad[1].recipient": SeverityError,
	}
	if len(got) != len(want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("finding %s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	n.ThirdParty.Abroad = []Abroad{{Recipient: "Acme Inc.", Country: "アメリカ合衆国", Regime: "連邦法による包括的な個人情報保護法はなく、州法（カリフォルニア州消費者プライバシー法など）がある",
		Measures: "OECDプライバシーガイドラインの8原則に対応する措置を契約で義務付けている"}}
	if f := n.Lint(); len(f) != 0 {
		t.Fatalf("complete abroad recipient has findings: %+v", f)
	}
	if a, ok := n.ThirdParty.AbroadFor("Acme Inc."); !ok || !a.Complete() {
		t.Fatalf("AbroadFor: %+v %v", a, ok)
	}
	n.ThirdParty.Abroad[0].Measures = "{{measures}}"
	if got := findingsBy(n.Lint()); got["placeholder/third_party.abroad[0].measures"] != SeverityError {
		t.Fatalf("placeholder in the measures: %v", got)
	}
}

func TestNoticeWithoutAbroadKeepsItsHash(t *testing.T) {
	// The hash of this notice as the version before abroad recipients computed it.
	const before = "91ba3f2c5a7c83234b9b8761488de1716f04b2553b632f2ffbf2225795032fd3"
	raw := []byte(`{"title": "展示会でお預かりする個人情報の利用目的", "lang": "ja",
 "purposes": ["当社センサー事業の新製品・セミナーのご案内を電子メールでお送りするため"],
 "items": ["氏名", "会社名", "メールアドレス"],
 "third_party": {"provides": true, "recipients": ["株式会社サンプル販売"], "items": ["氏名", "会社名"], "method": "電子ファイル"},
 "retention": "取得日から3年間", "contact": "privacy@example.co.jp",
 "policy_url": "https://example.co.jp/privacy/notice/{version}?h={hash}"}`)
	b, err := DecodeNoticeBody(raw)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = b.Clean(); err != nil {
		t.Fatal(err)
	}
	if b.Hash() != before {
		t.Fatalf("hash %s, want %s as before", b.Hash(), before)
	}
	b.ThirdParty.Abroad = []Abroad{}
	if b.Hash() != before || strings.Contains(string(b.Canonical()), "abroad") {
		t.Fatalf("an empty abroad list changes the canonical text: %s", b.Canonical())
	}
	b.ThirdParty.Abroad = []Abroad{{Recipient: "株式会社サンプル販売", Country: "シンガポール", Regime: "PDPA", Measures: "契約"}}
	if b.Hash() == before {
		t.Fatal("abroad information is not covered by the hash")
	}
	withAbroad, err := DecodeNoticeBody(b.Canonical())
	if err != nil || withAbroad.Hash() != b.Hash() {
		t.Fatalf("abroad does not round-trip: %v", err)
	}
}
