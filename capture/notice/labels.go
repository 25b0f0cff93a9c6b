package notice

import (
	"fmt"

	"github.com/boothledger/boothledger/capture"
)

// QuestionLabel is how the paper survey heads question i (from 0) in the notice's language:
// its number, its text, and the marks for a required question and for ticking several. The
// app's survey builder shows it so that its preview reads as the sheet will.
func QuestionLabel(lang string, i int, q capture.Question) string {
	l := labelsFor(lang)
	label := fmt.Sprintf("Q%d. %s", i+1, q.Text)
	if q.Required {
		label += " " + l.required
	}
	if q.Kind == capture.QuestionMulti {
		label += " " + l.multi
	}
	return label
}

// SurveyHeading is the heading above the questions on the paper survey.
func SurveyHeading(lang string) string { return labelsFor(lang).questions }

// labels are the fixed words of a print, in the notice's language.
type labels struct {
	purposes, items, thirdParty, thirdPartyText, abroadText, jointUse, jointUseText, retention, contact string
	qrCaption, qrShort, version, hash, sep                                                              string
	questions, required, multi, card, cardHint, consent                                                 string
	consentPurpose, consentEmail, consentThirdParty, consentJointUse, signature, date                   string
	fields                                                                                              map[string]string
}

func labelsFor(lang string) labels {
	if lang == "en" {
		return labels{
			purposes: "Purposes of use", items: "Personal data we collect", thirdParty: "Provision to third parties",
			thirdPartyText: "With your consent we provide your data to: %s. Items: %s. Method: %s.",
			abroadText:     "%s is in a foreign country, %s. Its system for protecting personal information: %s. Measures the recipient takes: %s.",
			jointUse:       "Joint use",
			jointUseText:   "Items used jointly: %s. Joint users: %s. Their purpose: %s. Responsible party: %s, %s, represented by %s.",
			retention:      "Retention", contact: "Contact for questions and requests",
			qrCaption: "Scan for the full notice and our privacy policy (this exact version)", qrShort: "Full notice and privacy policy",
			version: "Version", hash: "SHA-256", sep: ", ",
			questions: "Survey", required: "(required)", multi: "(tick all that apply)", card: "Your details",
			cardHint: "Or attach your business card here.", consent: "Consent",
			consentPurpose:    "I have read the purposes of use above and agree to them.",
			consentEmail:      "I would like to receive information by email.",
			consentThirdParty: "I agree to the provision to third parties described above.",
			consentJointUse:   "I have been told of the joint use described above.",
			signature:         "Signature", date: "Date",
			fields: map[string]string{"name": "Name", "kana": "Reading", "company": "Company", "department": "Department", "title": "Title",
				"email": "Email", "phone": "Phone", "mobile": "Mobile", "postal": "Postcode", "address": "Address"},
		}
	}
	return labels{
		purposes: "利用目的", items: "取得する個人情報の項目", thirdParty: "第三者への提供",
		thirdPartyText: "ご同意いただいた場合、次の提供先に提供します: %s。提供する項目: %s。提供の方法: %s。",
		abroadText:     "%sは外国（%s）にあります。その国の個人情報の保護に関する制度: %s。提供先が講ずる個人情報の保護のための措置: %s。",
		jointUse:       "共同利用",
		jointUseText:   "共同利用する項目: %s。共同利用者の範囲: %s。利用目的: %s。管理について責任を有する者: %s（%s、代表者 %s）。",
		retention:      "保存期間", contact: "お問い合わせ・開示等の請求窓口",
		qrCaption: "この通知の全文とプライバシーポリシー（この版）はQRコードからご覧いただけます", qrShort: "通知の全文・プライバシーポリシー",
		version: "版", hash: "SHA-256", sep: "、",
		questions: "アンケート", required: "（必須）", multi: "（複数選択可）", card: "ご記入欄",
		cardHint: "名刺を添付いただいても結構です。", consent: "同意",
		consentPurpose:    "上記の利用目的を確認し、同意します。",
		consentEmail:      "電子メールでの情報提供を希望します。",
		consentThirdParty: "上記の第三者提供に同意します。",
		consentJointUse:   "上記の共同利用について説明を受けました。",
		signature:         "ご署名", date: "日付",
		fields: map[string]string{"name": "氏名", "kana": "ふりがな", "company": "会社名", "department": "部署", "title": "役職",
			"email": "メールアドレス", "phone": "電話番号", "mobile": "携帯電話", "postal": "郵便番号", "address": "住所"},
	}
}
