package capture

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Sentinel errors that callers branch on.
var (
	// ErrNotFound is returned when an org, notice, event, lead or capture does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid wraps every validation failure; the concrete error is a *ValidationError.
	ErrInvalid = errors.New("invalid input")
	// ErrNewerDatabase means the file was brought up to date by a newer version of the
	// program: an older one would misread what it does not know, and writing could corrupt it.
	ErrNewerDatabase = errors.New("the database was written by a newer version of Booth Ledger")
)

// FieldError is one field-level problem: the field, a stable code, and text in both languages.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
	JA    string `json:"ja"`
	EN    string `json:"en"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.EN }

// Message returns the message in lang ("ja" or anything else for English), prefixed by the field.
func (e FieldError) Message(lang string) string {
	if lang == "ja" {
		return e.Field + ": " + e.JA
	}
	return e.Field + ": " + e.EN
}

// ValidationError collects every field error of one input, so the user sees them all at once.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Message renders every field error in lang, one per line.
func (e *ValidationError) Message(lang string) string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message(lang)
	}
	return strings.Join(msgs, "\n")
}

// For returns the error for field, if any.
func (e *ValidationError) For(field string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}

// EnvLang is the language of the process's locale: "ja" for a Japanese locale, else "en".
// The POSIX variables decide where they are set (Git Bash sets LANG on Windows too); without
// them it is the user's display language, which is how Windows says it.
func EnvLang() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return langOf(v)
		}
	}
	return langOf(systemLang())
}

// langOf maps a locale name (ja_JP.UTF-8, ja-JP, en-US) to one of the languages we speak.
func langOf(locale string) string {
	if strings.HasPrefix(strings.ToLower(locale), "ja") {
		return "ja"
	}
	return "en"
}

// errs accumulates field errors while validating.
type errs struct{ list []FieldError }

func (v *errs) add(field, code string, args ...any) {
	v.list = append(v.list, Field(field, code, args...))
}

// Field is one field's message for a code, in both languages: what a validation error holds,
// and what a warning about a field says.
func Field(field, code string, args ...any) FieldError {
	m, ok := messages[code]
	if !ok {
		panic("capture: no message for code " + code)
	}
	return FieldError{Field: field, Code: code, JA: fmt.Sprintf(m.ja, args...), EN: fmt.Sprintf(m.en, args...)}
}

func (v *errs) err() error {
	if len(v.list) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.list}
}

// Invalid builds a validation error for a single field, for callers outside this package
// (e.g. an import that finds no usable column) that want the same shape of message.
func Invalid(field, code string, args ...any) error {
	var v errs
	v.add(field, code, args...)
	return v.err()
}

type message struct{ ja, en string }

// messages holds the text of every validation code in Japanese and English.
var messages = map[string]message{
	"required":                   {"入力してください", "is required"},
	"name_or_email":              {"氏名かメールアドレスのどちらかを入力してください", "a name or an email address is required"},
	"too_long":                   {"%d文字以内で入力してください（%d文字あります）", "must be at most %d characters (has %d)"},
	"too_large":                  {"%dバイト以内で入力してください（%dバイトあります）", "must be at most %d bytes (has %d)"},
	"control_char":               {"制御文字・書式制御文字（ゼロ幅文字や双方向制御など）は使えません（U+%04X）", "must not contain control or format characters (zero-width, bidi overrides): U+%04X"},
	"json_not_utf8":              {"%s は UTF-8 ではありません。UTF-8 で保存し直してください（メモ帳なら「名前を付けて保存」で文字コードに UTF-8 を選びます）", "%s is not UTF-8: save it again as UTF-8 (in Notepad, Save As with the encoding UTF-8)"},
	"invalid_utf8":               {"文字コードが正しくありません（UTF-8ではありません）", "is not valid UTF-8 text"},
	"email_syntax":               {"メールアドレスの形式が正しくありません", "is not a valid email address"},
	"phone_chars":                {"電話番号には数字・+・-・()・空白だけが使えます", "may contain only digits, +, -, (), and spaces"},
	"phone_digits":               {"電話番号の桁数が正しくありません（%d桁）", "has an implausible number of digits (%d)"},
	"one_of":                     {"次のいずれかを指定してください: %s", "must be one of: %s"},
	"date":                       {"日付は 2026-11-25 または 2026/11/25 の形で入力してください", "must be a date such as 2026-11-25 or 2026/11/25"},
	"period":                     {"期間は「2年」「18か月」「90日」のように書いてください", "must name a length such as \"2 years\", \"18 months\" or \"90 days\""},
	"longer_than_notice":         {"通知で示した保存期間（%s）より長くできません", "must not be longer than the notice's retention (%s)"},
	"end_before_start":           {"終了日が開始日より前になっています", "must not be before the start date"},
	"not_found":                  {"%s が見つかりません", "%s does not exist"},
	"duplicate":                  {"%s が重複しています", "%s appears more than once"},
	"unknown_question":           {"アンケートにない設問です: %s", "is not a question of this event's survey: %s"},
	"not_an_option":              {"選択肢にない回答です: %s", "is not one of the options: %s"},
	"rating_range":               {"1から5の数値で回答してください", "must be a number from 1 to 5"},
	"answer_type":                {"回答の形式が正しくありません（%s）", "has the wrong type of answer (expected %s)"},
	"options_needed":             {"選択式の設問には選択肢が必要です", "needs options for a choice question"},
	"no_options":                 {"この種類の設問に選択肢は指定できません", "takes no options for this kind of question"},
	"no_usable_column":           {"氏名またはメールアドレスの列が見つかりません（見出し: %s）", "has no name or email column (headers: %s)"},
	"file":                       {"ファイル %s を読めません: %s", "cannot read file %s: %s"},
	"encoding":                   {"ファイルの文字コードが UTF-8 でも CP932（Shift_JIS）でもありません", "is neither UTF-8 nor CP932 (Shift_JIS) text"},
	"encoding_line":              {"%d行目に %s として読めないバイトがあります（その行を直してから読み込んでください）", "line %d is not valid %s text (fix that line and import again)"},
	"no_header":                  {"見出し行がありません（空のファイルです）", "has no header row (the file is empty)"},
	"empty_row":                  {"空の行です", "is empty"},
	"column_count":               {"列の数が見出しと合いません（見出し%d列、この行%d列）", "has %d columns in the header but %d in this row"},
	"csv_syntax":                 {"CSVの形式が正しくありません: %s", "is not valid CSV: %s"},
	"json_syntax":                {"JSONの形式が正しくありません: %s", "is not valid JSON: %s"},
	"json_char":                  {"%d行目 %d文字目の「%s」でJSONが読めません（カンマ・引用符・かっこを確認してください）", "line %d, column %d: unexpected %q (check the commas, quotes and brackets)"},
	"json_end":                   {"JSONが%d行目で途中で終わっています（閉じかっこ } ] か引用符が足りません）", "the JSON ends too early, at line %d (a closing } or ] or a quote is missing)"},
	"json_type":                  {"%d行目: 「%s」は %s の形で書いてください（%s になっています）", "line %d: %s must be written as %s, not %s"},
	"json_unknown_field":         {"%d行目: 「%s」という項目はありません（つづりを確認してください）", "line %d: there is no field %q (check the spelling)"},
	"json_trailing":              {"%d行目: JSONの後に余計な文字があります", "line %d: there is more text after the JSON"},
	"url":                        {"http:// または https:// で始まるURLを入力してください", "must be an http:// or https:// URL"},
	"https_url":                  {"https:// で始まるURLを入力してください（例: https://example.co.jp/privacy）", "must be an https:// URL such as https://example.co.jp/privacy"},
	"contact_reach":              {"メールアドレスか電話番号を入れてください（例: privacy@example.co.jp、03-1234-5678）", "must give an email address or a phone number (e.g. privacy@example.co.jp, 03-1234-5678)"},
	"event_starts_tomorrow":      {"この展示会は明日（%s）から始まります。取り込みは当日から行えます", "starts tomorrow (%s): capturing opens on the day"},
	"event_not_started":          {"この展示会は%sから始まります（あと%d日）。取り込みは当日から行えます", "starts on %s (in %d days): capturing opens on the day"},
	"survey_change_running":      {"会期中か取得のある展示会です。アンケートを変えると、配った紙のアンケートや回答済みの内容と食い違います。変える場合は確認のうえ保存してください", "cannot change once the event has begun or holds captures: printed sheets and earlier answers would no longer match; confirm the change to save it"},
	"implied_card_only_purpose":  {"名刺の受け渡しから推定できるのは利用目的への同意だけです（広告メール・第三者提供には明示の同意が必要です）", "cannot be implied by a business card: only the purpose can (advertising and provision to others need explicit consent)"},
	"consent_without_notice":     {"同意を記録するには利用目的の通知の示し方（screen, print, verbal）が必要です", "must say how the notice was shown (screen, print, verbal) when consent is recorded"},
	"survey_needs_notice":        {"アンケートでは回答の前に利用目的を示す必要があります（個人情報保護法21条2項）", "must not be none for a survey: the purpose is shown before collection (APPI Art.21(2))"},
	"notice_has_errors":          {"この展示会の利用目的の通知に%d件のエラーがあります。通知を直すか、管理者が理由を記録して例外を認めるまで取得できません（boothctl event override %s --reason 理由）", "has %d error(s) in the notice checker: fix the notice, or have a manager record an override reason (boothctl event override %s --reason REASON) before capturing"},
	"notice_needs_override":      {"通知に%d件のエラーがあるため必要です。通知を直すか、それでも取得する管理者の理由を記録してください（アプリでは「例外の理由」、boothctl では event add --lint-override 理由、保存済みの展示会は event override 展示会ID --reason 理由）", "is required: the notice has %d error(s) in the notice checker; fix the notice, or record a manager's reason to capture anyway (the app's override reason field; in boothctl, event add --lint-override REASON, or event override EVENT_ID --reason REASON for a saved event)"},
	"pin_digits":                 {"PINは6〜12桁の数字にしてください", "must be 6 to 12 digits"},
	"weak_passphrase":            {"パスフレーズは12文字以上か、4語以上（空白で区切る）にしてください。ノートPCをなくすと、ファイルは時間をかけて総当たりで解読を試みられるため、短いパスフレーズでは守れません", "must be at least 12 characters or four words separated by spaces: a lost laptop's file can be attacked offline for as long as the finder likes, and a short passphrase falls"},
	"recovery_key_char":          {"回復キーに使えない文字「%c」があります（使えるのは数字と U 以外の英字です）", "contains %q, which is not in a recovery key (digits and letters other than U)"},
	"recovery_key_length":        {"回復キーは%d文字です（%d文字あります）", "must have %d characters (has %d)"},
	"recovery_key_checksum":      {"回復キーの確認用の文字が合いません。打ち間違いがないか確かめてください", "does not match its checksum: a character is mistyped"},
	"pin_mismatch":               {"2回入力したPINが一致しません", "the two PINs typed differ"},
	"export_internal_own":        {"社内での利用（internal）の根拠は own です", "must be own for internal use"},
	"export_third_party_not_own": {"第三者提供（third_party）の根拠は outsourcing、joint_use、consent のいずれかです", "must be outsourcing, joint_use or consent when the list leaves the company"},
	"merge_needs_two":            {"統合するリードを2件以上指定してください", "needs at least two leads to merge"},
	"merge_erased":               {"消去済みのリード %s は統合できません", "%s is erased and cannot be merged"},
	"merge_merged":               {"リード %s は既に %s に統合されています", "%s is already merged into %s"},
	"merge_undone":               {"統合 %s は既に取り消されています", "merge %s is already undone"},
	"suppressed":                 {"この方は %s に消去・配信停止されています（suppressed: %s）。新たに同意を得た場合だけ確認のうえ保存できます", "is suppressed: the person was erased or opted out on %s (%s); save only after confirming fresh consent"},
	"suppressed_needs_consent":   {"消去済みの方を再び記録するには、利用目的への同意が必要です", "needs purpose consent to capture a suppressed person again"},
	"no_consent_notice":          {"この同意は利用目的の通知に記載がありません", "is not declared by the purpose notice, so it cannot be consented to"},
	// Warnings about a valid capture that staff confirm before it is saved (NewCapture.Warnings).
	"weak_no_consent": {"アンケート・来場者入力ですが、同意が一つも記録されていません（利用目的の範囲でしか使えません）", "no consent is recorded, though this is a survey or kiosk entry (the lead can be used only within the purpose)"},
	"org_not_set":     {"会社の情報がまだありません（boothctl org set で登録します）", "is not set yet (boothctl org set sets it)"},
	"unknown_staff":   {"「%s」は登録された担当者ではありません（名前の打ち間違いなら、集計が別の人に分かれます）", "%q is not a registered staff member (a mistyped name is counted as someone else)"},
	"weak_no_staff":   {"担当者が記録されません（誰が受け取ったか分からなくなります）", "no staff member is recorded (nobody will know who took it)"},
	"weak_no_contact": {"メールアドレスも電話番号もありません（連絡できません）", "there is neither an email address nor a phone number (the person cannot be contacted)"},
	// What the op registry reports about an op that arrived (sync, the retention mirror).
	"id_syntax":           {"IDの形式が正しくありません", "is not a valid id"},
	"hash_mismatch":       {"ハッシュが本文と一致しません", "does not match the text it is the hash of"},
	"not_normalised":      {"正規化されていません", "is not in its normalised form"},
	"link_needs_two":      {"異なる2件のリードを指定してください", "must name two different leads"},
	"detach_own_lead":     {"この取得はすでに単独のリードです", "the capture is a lead of its own already"},
	"capture_alone":       {"リードの取得がこの1件だけなので切り離せません", "the capture is its lead's only one: nothing to detach it from"},
	"detached_already":    {"この取得はすでに切り離されています", "the capture has been detached already"},
	"lead_erased":         {"リードは消去済みです", "the lead has been erased"},
	"request_needs_query": {"メールアドレス・電話番号・氏名のいずれかを指定してください", "give the person's email, phone or name"},
	"device_mismatch":     {"操作を作った端末と一致しません", "is not the device the op was made on"},
	"too_many":            {"%d件以内にしてください（%d件あります）", "must have at most %d entries (has %d)"},
	"entity_mismatch":     {"操作の対象IDが内容（%s）と一致しません", "does not match the id in the payload (%s)"},
	"future_time":         {"未来の日時です（%s）", "is in the future (%s)"},
	"token_needs_event":   {"%s のトークンには --event で展示会を指定してください（管理者は --all-events も可）", "a %s token needs --event (a manager's may have --all-events instead)"},
	"all_events_manager":  {"--all-events は manager のトークンだけに指定できます", "is only for manager tokens"},
	"events_or_all":       {"--event と --all-events は同時に指定できません", "cannot be given with --all-events"},
}
