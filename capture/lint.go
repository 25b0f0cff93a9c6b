package capture

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// The notice checker. APPI Art.17 requires the purpose of use to be specified as concretely
// as possible; the PPC's guideline (通則編 3-1-1) and Q&A 2-1 name wording that is too
// abstract. The rules look for the shape of a specific purpose — a named business, product
// or service area and what will be done with the data — rather than for a list of bad
// sentences, so that they hold for wording they have not seen. The checker lives beside the
// other validation because the store refuses captures under a notice with errors.

// Severity of a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one problem the checker found in a notice.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// Purpose is the index of the purpose the finding is about; nil when it is about the
	// notice as a whole.
	Purpose *int   `json:"purpose,omitempty"`
	Field   string `json:"field"`
	JA      string `json:"ja"`
	EN      string `json:"en"`
}

// Message returns the finding's text in lang.
func (f Finding) Message(lang string) string {
	if lang == "ja" {
		return f.JA
	}
	return f.EN
}

// Errors counts the findings of severity error.
func Errors(findings []Finding) int {
	n := 0
	for _, f := range findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

var (
	// catchAll is wording the PPC calls too abstract on its own.
	catchAll = regexp.MustCompile(`事業活動|(マーケティング|営業|販売|販促|広報|宣伝)(活動|施策|目的|業務)|マーケティングに|販売促進|サービス(の|を)?(向上|改善|充実|提供)|業務(の|を)?(遂行|運営|管理)|業務上必要|事業(の|を)?(運営|遂行)|サービスの提供|サービスを提供|各種(ご)?(案内|情報|連絡)|情報(の)?提供|今後の参考|その他(の)?(目的|業務)|` +
		`marketing purposes?|for marketing|marketing activit|business purposes?|business activit|sales activit|sales and marketing|(improv|enhanc)\w* (of )?(our|the)? ?(services?|products?|customer experience)|service improvement|provid\w* (of )?(our )?services|other purposes|legitimate business|general business|operat\w* (of )?(our|the) business`)

	// placeholder is template text left in: 〇〇, ○○, XX, ＿＿, [company], 【会社名】, {{name}}.
	placeholder = regexp.MustCompile(`[〇○◯●◎□■△×＊*＿_]{2,}|(?i)\bx{2,}\b|\[[^\]]{0,40}\]|【[^】]{0,20}(名|先|者|日|所)】|\{\{[^}]*\}\}|<[a-zA-Z_ ]{1,30}>`)

	// action is what will be done with the data.
	action = regexp.MustCompile(`お知らせ|知らせ|ご?案内|送付|お?送り|送信|配信|送る|お届け|届け|ご?連絡|ご?説明|ご?訪問|発送|郵送|分析|集計|統計|抽選|ご?招待|見積|ご?回答|返信|お問い合わせへの|ご?提案|照会|確認のため|` +
		`(?i)\b(send|sending|sent|e-?mail(ing)?|mail(ing)?|call(ing)?|contact(ing)?|notify(ing)?|inform(ing)?|invit(e|ing)|analy[sz](e|ing|is)|deliver(ing)?|ship(ping)?|respond(ing)?|repl(y|ying)|quot(e|ing)|follow(ing)? up|visit(ing)?|propos(e|ing))\b`)

	// channel is how the person will be reached.
	channel = regexp.MustCompile(`電子メール|eメール|Eメール|メール|郵送|郵便|ダイレクトメール|\bDM\b|電話|訪問|FAX|ファクス|ファックス|SMS|ショートメッセージ|チャット|オンライン面談|Web会議|ウェブ会議|` +
		`(?i)\b(e-?mail|mail|post|postal|letter|tele?phone|phone|call|visit|fax|sms|text message|video call|online meeting)\b`)

	// jaArea is a Japanese noun phrase that ends in a kind of business, product or service;
	// the word before it is what makes it concrete.
	jaArea = regexp.MustCompile(`([^\sのにをはがでとやへも、。・「」『』（）()]{2,})(事業|製品|商品|サービス|セミナー|ウェビナー|展示会|イベント|ソリューション|システム|ソフトウェア|クラウド|機器|部品|装置|センサー|キャンペーン|講座|研修|プラン|アプリ|シリーズ|ブランド|分野|領域)`)
	// Quoted names (「産業用センサーX」), model-like tokens (X-100, ABC2) and the person's own
	// request (answering an inquiry, sending requested material) are concrete too.
	namedThing = regexp.MustCompile(`「[^」]{2,}」|『[^』]{2,}』|\b[A-Z][A-Za-z0-9]*[-0-9][A-Za-z0-9-]*\b|` +
		`お問い?合わ?せ|ご質問|ご依頼|資料請求|お見積|ご注文|お申し?込み|(?i)\b(your|the)\s+(inquir|enquir|request|question|order|application)`)

	// analysis is a use that reaches nobody, so it needs no channel.
	analysis = regexp.MustCompile(`分析|集計|統計|(?i)\banaly[sz]`)

	enArea = regexp.MustCompile(`(?i)\b((?:[a-z0-9][a-z0-9-]*\s+){1,3})(products?|services?|business(es)?|seminars?|webinars?|events?|solutions?|software|platforms?|sensors?|devices?|systems?|exhibitions?|trade shows?|conferences?|equipment|machines?|tools?|campaigns?|training|courses?|apps?|plans?|series|lines?)\b`)
)

// genericWords make an area phrase generic rather than concrete (当社製品, our services).
var genericWords = []string{"当社", "弊社", "自社", "各種", "提供する", "提供している", "提供中の", "お客様", "関連する", "関連", "様々な", "さまざまな", "その他", "全て", "すべて", "一般", "主要", "既存", "今後", "取扱", "取り扱い", "取り扱う", "取扱う", "扱う", "取り扱っている", "販売する", "販売している", "当社グループ", "グループ", "新", "最新", "新しい", "ご利用中の", "お取引",
	"より良い", "よりよい", "良い", "快適な", "最適な", "便利な", "質の高い", "充実した", "豊富な", "幅広い", "多様な", "魅力的な", "有益な", "お得な", "役立つ", "おすすめの", "お勧めの",
	"our", "the", "new", "related", "various", "other", "all", "any", "its", "their", "your", "business", "marketing", "latest", "relevant", "and", "of", "to", "for", "about", "on", "in", "improve", "provide", "offer", "company"}

func isGeneric(word string) bool {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, g := range genericWords {
		w = strings.TrimPrefix(w, g)
		w = strings.TrimPrefix(w, "の")
	}
	return strings.TrimSpace(w) == "" || len([]rune(strings.TrimSpace(w))) < 2
}

// namesConcreteArea reports whether a purpose names a concrete business, product or service.
func namesConcreteArea(s string) bool {
	if namedThing.MatchString(s) {
		return true
	}
	for _, m := range jaArea.FindAllStringSubmatch(s, -1) {
		if !isGeneric(m[1]) {
			return true
		}
	}
	for _, m := range enArea.FindAllStringSubmatch(s, -1) {
		specific := false
		for _, w := range strings.Fields(m[1]) {
			if !isGeneric(w) {
				specific = true
			}
		}
		if specific {
			return true
		}
	}
	return false
}

// Lint checks a notice and returns every finding.
func (b NoticeBody) Lint() []Finding {
	var out []Finding
	add := func(rule, severity, field string, purpose *int, ja, en string) {
		out = append(out, Finding{Rule: rule, Severity: severity, Purpose: purpose, Field: field, JA: ja, EN: en})
	}
	if len(nonBlank(b.Purposes)) == 0 {
		add("no_purposes", SeverityError, "purposes", nil, "利用目的が一つもありません", "the notice states no purpose of use")
	}
	for i, p := range b.Purposes {
		idx := i
		text := norm.NFKC.String(p)
		if strings.TrimSpace(text) == "" {
			continue
		}
		area, act, broad := namesConcreteArea(text), action.MatchString(text), catchAll.MatchString(text)
		switch {
		case !area:
			why, whyEN := "", ""
			if broad {
				why, whyEN = fmt.Sprintf("包括的な表現（%s）だけで、", catchAll.FindString(text)), fmt.Sprintf(" beyond catch-all wording (%q)", catchAll.FindString(text))
			}
			add("abstract_purpose", SeverityError, fmt.Sprintf("purposes[%d]", i), &idx,
				fmt.Sprintf("利用目的%dは%s具体的な事業・製品・サービスの分野を示していません（例: 「産業用センサー事業における新製品のご案内を電子メールでお送りするため」）", i+1, why),
				fmt.Sprintf("purpose %d names no concrete business, product or service area%s (e.g. \"to send information on our industrial sensor products by email\")", i+1, whyEN))
		case broad && !act:
			add("abstract_purpose", SeverityError, fmt.Sprintf("purposes[%d]", i), &idx,
				fmt.Sprintf("利用目的%dは包括的な表現（%s）に頼り、個人情報で何をするかを示していません", i+1, catchAll.FindString(text)),
				fmt.Sprintf("purpose %d relies on catch-all wording (%q) without saying what will be done with the data", i+1, catchAll.FindString(text)))
		case !channel.MatchString(text) && !analysis.MatchString(text):
			add("no_channel", SeverityWarning, fmt.Sprintf("purposes[%d]", i), &idx,
				fmt.Sprintf("利用目的%dは連絡の手段（電子メール、郵送、電話など）を示していません。示すとより明確になります", i+1),
				fmt.Sprintf("purpose %d does not say how the person will be contacted (email, post, phone…); naming it makes it clearer", i+1))
		}
	}
	// Placeholders anywhere in the text; {hash} and {version} in the policy URL are features.
	fields := append([][2]string{{"title", b.Title}, {"retention", b.Retention}, {"contact", b.Contact}},
		listFields("purposes", b.Purposes)...)
	fields = append(fields, listFields("items", b.Items)...)
	fields = append(fields, listFields("third_party.recipients", b.ThirdParty.Recipients)...)
	fields = append(fields, listFields("third_party.items", b.ThirdParty.Items)...)
	fields = append(fields, [2]string{"third_party.method", b.ThirdParty.Method},
		[2]string{"policy_url", strings.NewReplacer("{hash}", "", "{version}", "").Replace(b.PolicyURL)})
	for i, a := range b.ThirdParty.Abroad {
		f := fmt.Sprintf("third_party.abroad[%d].", i)
		fields = append(fields, [2]string{f + "country", a.Country}, [2]string{f + "regime", a.Regime}, [2]string{f + "measures", a.Measures})
	}
	if j := b.JointUse; j != nil {
		fields = append(fields, listFields("joint_use.items", j.Items)...)
		fields = append(fields, [2]string{"joint_use.users", j.Users}, [2]string{"joint_use.purpose", j.Purpose},
			[2]string{"joint_use.responsible.name", j.Responsible.Name}, [2]string{"joint_use.responsible.address", j.Responsible.Address},
			[2]string{"joint_use.responsible.representative", j.Responsible.Representative})
	}
	for _, f := range fields {
		m := placeholder.FindString(norm.NFKC.String(f[1]))
		if m == "" {
			continue
		}
		var purpose *int
		if strings.HasPrefix(f[0], "purposes[") {
			var i int
			fmt.Sscanf(f[0], "purposes[%d]", &i)
			purpose = &i
		}
		ja, en := fieldNames(f[0])
		add("placeholder", SeverityError, f[0], purpose,
			fmt.Sprintf("%sにひな形の記入欄（%s）が残っています", ja, m),
			fmt.Sprintf("%s still holds the template placeholder %q", en, m))
	}
	if len(nonBlank(b.Items)) == 0 {
		add("no_items", SeverityError, "items", nil, "取得する個人情報の項目が示されていません", "the notice does not list the items of personal data collected")
	}
	if strings.TrimSpace(b.Contact) == "" {
		add("no_contact", SeverityError, "contact", nil, "開示等の請求・お問い合わせの窓口がありません", "the notice gives no contact for requests and questions")
	}
	if strings.TrimSpace(b.PolicyURL) == "" {
		add("no_policy_url", SeverityError, "policy_url", nil, "プライバシーポリシーのURLがありません（QRコードに必要です）", "the notice has no policy URL (the QR code needs one)")
	}
	if tp := b.ThirdParty; tp.Provides {
		if len(nonBlank(tp.Recipients)) == 0 {
			add("third_party_incomplete", SeverityError, "third_party.recipients", nil, "第三者提供をするのに提供先が示されていません", "third-party provision is declared without its recipients")
		}
		if len(nonBlank(tp.Items)) == 0 {
			add("third_party_incomplete", SeverityError, "third_party.items", nil, "第三者提供をするのに提供する項目が示されていません", "third-party provision is declared without the items provided")
		}
		out = append(out, unknownItems("third_party.items", tp.Items)...)
	}
	for i, a := range b.ThirdParty.Abroad {
		field := fmt.Sprintf("third_party.abroad[%d]", i)
		if !b.ThirdParty.Provides || !slices.Contains(b.ThirdParty.Recipients, a.Recipient) {
			add("abroad_not_recipient", SeverityError, field+".recipient", nil,
				fmt.Sprintf("外国にある提供先%d「%s」が第三者提供の提供先にありません", i+1, a.Recipient),
				fmt.Sprintf("abroad recipient %d (%q) is not among the third-party recipients", i+1, a.Recipient))
		}
		for _, m := range []struct{ key, value, ja, en string }{
			{"country", a.Country, "提供先の国名", "the country"},
			{"regime", a.Regime, "その国の個人情報の保護に関する制度", "that country's system for protecting personal information"},
			{"measures", a.Measures, "提供先が講ずる個人情報の保護のための措置", "the measures the recipient takes to protect personal information"},
		} {
			if strings.TrimSpace(m.value) == "" {
				add("abroad_incomplete", SeverityError, field+"."+m.key, nil,
					fmt.Sprintf("外国にある提供先「%s」について、同意の前に本人に伝えるべき情報が欠けています: %s（個人情報保護法28条2項）", a.Recipient, m.ja),
					fmt.Sprintf("the abroad recipient %q lacks what APPI Art.28(2) requires the person be told before consenting: %s", a.Recipient, m.en))
			}
		}
	}
	if j := b.JointUse; j != nil {
		missing := map[string][2]string{
			"joint_use.items":                      {"共同利用する項目", "the items used jointly"},
			"joint_use.users":                      {"共同利用者の範囲", "the scope of the joint users"},
			"joint_use.purpose":                    {"共同利用者の利用目的", "the joint users' purpose"},
			"joint_use.responsible.name":           {"責任者の氏名または名称", "the responsible party's name"},
			"joint_use.responsible.address":        {"責任者の住所", "the responsible party's address"},
			"joint_use.responsible.representative": {"責任者の代表者", "the responsible party's representative"},
		}
		values := map[string]bool{
			"joint_use.items": len(nonBlank(j.Items)) > 0, "joint_use.users": strings.TrimSpace(j.Users) != "",
			"joint_use.purpose": strings.TrimSpace(j.Purpose) != "", "joint_use.responsible.name": strings.TrimSpace(j.Responsible.Name) != "",
			"joint_use.responsible.address":        strings.TrimSpace(j.Responsible.Address) != "",
			"joint_use.responsible.representative": strings.TrimSpace(j.Responsible.Representative) != "",
		}
		for _, f := range []string{"joint_use.items", "joint_use.users", "joint_use.purpose", "joint_use.responsible.name", "joint_use.responsible.address", "joint_use.responsible.representative"} {
			if !values[f] {
				add("joint_use_incomplete", SeverityError, f, nil,
					"共同利用の公表事項が欠けています: "+missing[f][0]+"（個人情報保護法27条5項3号）",
					"joint use lacks an item APPI Art.27(5)(iii) requires: "+missing[f][1])
			}
		}
		out = append(out, unknownItems("joint_use.items", j.Items)...)
	}
	return out
}

// unknownItems finds the items of a provision or joint use that name no column an export can
// carry: an export gives only what the notice declared, so a declared item must mean a field.
func unknownItems(field string, items []string) []Finding {
	var out []Finding
	for i, it := range items {
		if _, ok := ItemField(it); ok || strings.TrimSpace(it) == "" {
			continue
		}
		f := fmt.Sprintf("%s[%d]", field, i)
		ja, en := fieldNames(f)
		out = append(out, Finding{Rule: "unknown_item", Severity: SeverityError, Field: f,
			JA: fmt.Sprintf("%s「%s」は提供できる項目（氏名、ふりがな、会社名、部署、役職、メールアドレス、電話番号、携帯電話、郵便番号、住所）のどれにも当たりません", ja, it),
			EN: fmt.Sprintf("%s (%q) is none of the items an export can provide (name, reading, company, department, title, email, phone, mobile, postal code, address)", en, it)})
	}
	return out
}

// fieldNames names a notice field for people: "purposes[1]" is 利用目的2 / purpose 2.
func fieldNames(field string) (string, string) {
	base, idx, indexed := strings.Cut(strings.TrimSuffix(field, "]"), "[")
	n := 0
	if indexed {
		fmt.Sscan(idx, &n)
	}
	names := map[string][2]string{
		"title": {"表題", "the title"}, "purposes": {"利用目的", "purpose"}, "items": {"取得する項目", "item"},
		"retention": {"保存期間", "the retention"}, "contact": {"窓口", "the contact"}, "policy_url": {"ポリシーのURL", "the policy URL"},
		"third_party.recipients": {"第三者提供の提供先", "third-party recipient"}, "third_party.items": {"第三者提供の項目", "third-party item"},
		"third_party.method": {"第三者提供の方法", "the third-party method"}, "joint_use.items": {"共同利用の項目", "joint-use item"},
		"joint_use.users": {"共同利用者の範囲", "the joint users"}, "joint_use.purpose": {"共同利用の目的", "the joint-use purpose"},
		"joint_use.responsible.name": {"共同利用の責任者", "the responsible party"}, "joint_use.responsible.address": {"責任者の住所", "the responsible party's address"},
		"joint_use.responsible.representative": {"責任者の代表者", "the responsible party's representative"},
		"third_party.abroad":                   {"外国にある提供先", "abroad recipient"},
	}
	name, ok := names[base]
	if !ok {
		return field, field
	}
	if indexed {
		return fmt.Sprintf("%s%d", name[0], n+1), fmt.Sprintf("%s %d", name[1], n+1)
	}
	return name[0], name[1]
}

func nonBlank(list []string) []string {
	var out []string
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func listFields(name string, list []string) [][2]string {
	out := make([][2]string, len(list))
	for i, s := range list {
		out[i] = [2]string{fmt.Sprintf("%s[%d]", name, i), s}
	}
	return out
}
