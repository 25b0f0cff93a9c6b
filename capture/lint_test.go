package capture

import (
	"strings"
	"testing"
)

// goodNotice is a notice with no findings, to vary one thing at a time.
func goodNotice(lang string, purposes ...string) NoticeBody {
	return NoticeBody{
		Title: "利用目的", Lang: lang, Purposes: purposes,
		Items: []string{"氏名", "メールアドレス"}, Contact: "privacy@example.co.jp",
		PolicyURL: "https://example.co.jp/privacy/{version}?h={hash}",
	}
}

func rulesFor(findings []Finding, purpose int) map[string]string {
	out := map[string]string{}
	for _, f := range findings {
		if f.Purpose != nil && *f.Purpose == purpose || f.Purpose == nil && purpose < 0 {
			out[f.Rule] = f.Severity
		}
	}
	return out
}

func TestAbstractPurposesAreErrors(t *testing.T) {
	abstract := []string{
		// The PPC's own examples (通則編 3-1-1, Q&A 2-1) and their kin.
		"事業活動に用いるため",
		"マーケティング活動に用いるため",
		"提供するサービスの向上のため",
		"お客様のサービスの向上のため",
		"営業活動に活用するため",
		"業務の遂行のため",
		"サービスの提供のため",
		"当社の事業活動に利用させていただくため",
		"マーケティング施策の実施のため",
		"各種ご案内のため",
		"当社製品・サービスに関する情報提供のため",
		"新製品のご案内を電子メールでお送りするため", // says what, but of no named business
		"今後の参考とさせていただくため",
		// English
		"For marketing purposes.",
		"To improve our services.",
		"For business purposes",
		"To provide our services to customers",
		"Used in our sales activities",
		"To send you information by email", // an action, but about nothing named
		"For our business activities and other purposes",
		"お客様へのより良いサービス提供のため",
		"当社が取り扱う商品・サービスのご案内のため",
		"当社商品の販売促進のため",
		"DM送付のため",
		"To analyze visitor interests in order to improve our services",
	}
	for _, p := range abstract {
		f := goodNotice("ja", p).Lint()
		if rulesFor(f, 0)["abstract_purpose"] != SeverityError {
			t.Errorf("%q: findings %v, want abstract_purpose error", p, rulesFor(f, 0))
		}
	}
}

func TestSpecificPurposesPass(t *testing.T) {
	specific := []string{
		"産業用センサー事業における新商品・サービスに関する情報を電子メールでお知らせするため",
		"当社の会計クラウドサービス「ブースレジャー」の新機能のご案内を郵送でお送りするため",
		"展示会「産業センサー展2026」でお問い合わせいただいた温度センサーX-100について、営業担当者から電話でご説明するため",
		"物流ソリューション事業に関するセミナーへのご招待を電子メールで送るため",
		"To send information about our industrial sensor products by email",
		"To invite you to webinars on our cloud accounting software by email",
		"To call you about the X-100 temperature sensor you asked about at the booth",
		"本展示会で出展した当社の医療機器に関する情報を電子メールでお送りするため",
		"資料請求いただいた資料を郵送でお送りするため",
		"To respond to your inquiries by email",
		// Analysis reaches nobody, so it needs no channel.
		"アンケート結果を統計的に分析し、当社の産業用センサー製品の開発に役立てるため",
	}
	for _, p := range specific {
		f := goodNotice("ja", p).Lint()
		if len(f) != 0 {
			t.Errorf("%q: unexpected findings %+v", p, f)
		}
	}
}

func TestSpecificWithoutChannelIsWarning(t *testing.T) {
	for _, p := range []string{
		"産業用センサー事業における新商品・サービスに関する情報のお知らせのため",
		"物流ソリューション事業の新サービスについてご説明するため",
		"To inform you about new releases of our industrial sensor products",
	} {
		f := goodNotice("ja", p).Lint()
		got := rulesFor(f, 0)
		if got["no_channel"] != SeverityWarning || Errors(f) != 0 {
			t.Errorf("%q: findings %v, want only a no_channel warning", p, got)
		}
	}
}

func TestPlaceholdersAreErrors(t *testing.T) {
	for _, p := range []string{
		"○○事業における新商品・サービスに関する情報を電子メールでお知らせするため",
		"〇〇事業における新商品のご案内を電子メールでお送りするため",
		"XX事業の新製品のご案内を電子メールでお送りするため",
		"[company]'s sensor products information sent by email",
		"産業用センサー事業の新製品のご案内を＿＿＿でお送りするため",
		"【会社名】の産業用センサー事業の新製品のご案内を電子メールでお送りするため",
	} {
		f := goodNotice("ja", p).Lint()
		if rulesFor(f, 0)["placeholder"] != SeverityError {
			t.Errorf("%q: findings %v, want placeholder error", p, rulesFor(f, 0))
		}
	}
	n := goodNotice("en", "To send information about our industrial sensor products by email")
	n.Contact = "xxx@example.com"
	if f := n.Lint(); Errors(f) != 1 || f[0].Rule != "placeholder" || f[0].Field != "contact" {
		t.Errorf("placeholder in contact: %+v", f)
	}
	// {hash} and {version} in the policy URL are what the QR code is for, not placeholders.
	if f := goodNotice("en", "To send information about our industrial sensor products by email").Lint(); len(f) != 0 {
		t.Errorf("policy URL template flagged: %+v", f)
	}
}

func TestMissingPartsAreErrors(t *testing.T) {
	n := NoticeBody{Title: "t", Lang: "en", ThirdParty: ThirdParty{Provides: true}, JointUse: &JointUse{Users: "co-sponsors"}}
	got := map[string]bool{}
	for _, f := range n.Lint() {
		if f.Severity != SeverityError {
			t.Errorf("unexpected %s %s", f.Severity, f.Rule)
		}
		got[f.Rule+"/"+f.Field] = true
		if f.JA == "" || f.EN == "" {
			t.Errorf("finding without both languages: %+v", f)
		}
	}
	for _, want := range []string{
		"no_purposes/purposes", "no_items/items", "no_contact/contact", "no_policy_url/policy_url",
		"third_party_incomplete/third_party.recipients", "third_party_incomplete/third_party.items",
		"joint_use_incomplete/joint_use.items", "joint_use_incomplete/joint_use.purpose",
		"joint_use_incomplete/joint_use.responsible.name", "joint_use_incomplete/joint_use.responsible.address",
		"joint_use_incomplete/joint_use.responsible.representative",
	} {
		if !got[want] {
			t.Errorf("missing finding %s (got %v)", want, got)
		}
	}
	if got["joint_use_incomplete/joint_use.users"] {
		t.Error("joint_use.users was given but reported missing")
	}
}

func TestFindingsNamePurposeAndLanguage(t *testing.T) {
	n := goodNotice("ja", "産業用センサー事業の新製品のご案内を電子メールでお送りするため", "マーケティング活動に用いるため")
	f := n.Lint()
	if len(f) != 1 || f[0].Purpose == nil || *f[0].Purpose != 1 || f[0].Field != "purposes[1]" {
		t.Fatalf("findings %+v, want one on purpose 1", f)
	}
	if !strings.Contains(f[0].JA, "利用目的2") || !strings.Contains(f[0].EN, "purpose 2") {
		t.Fatalf("messages do not name the purpose: %q / %q", f[0].JA, f[0].EN)
	}
}
