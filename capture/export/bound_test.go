package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// everyField is a person with every field filled in.
var everyField = capture.Person{Name: "全項 太郎", Kana: "ぜんこう たろう", Company: "株式会社フル", Department: "開発部", Title: "部長",
	Email: "full@example.jp", Phone: "03-1234-5678", Mobile: "090-1234-5678", Postal: "100-0001", Address: "東京都千代田区千代田1-1"}

// eventUnder stores the notice and an event that shows it. An override lets a test capture
// under a notice the checker finds errors in.
func eventUnder(t *testing.T, s *store.Store, body capture.NoticeBody, name, override string) capture.Event {
	t.Helper()
	n, err := s.AddNotice(ctx, body, "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.SaveEvent(ctx, capture.Event{Name: name, Venue: "東京ビッグサイト", Date: "2026-11-25", NoticeID: n.ID, LintOverride: override})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func captureAt(t *testing.T, s *store.Store, e capture.Event, p capture.Person, consents ...capture.ConsentKind) string {
	t.Helper()
	r, err := s.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Source: capture.SourceKiosk, Person: p,
		Consents: append([]capture.ConsentKind{capture.ConsentPurpose}, consents...)})
	if err != nil {
		t.Fatal(err)
	}
	return r.Lead.ID
}

// consentList selects, over every event, the list for a recipient with consent.
func consentList(t *testing.T, s *store.Store, recipient string) *export.Plan {
	t.Helper()
	events, err := s.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	p, err := export.Select(ctx, s, export.Request{Events: ids, Use: capture.UseThirdParty, Basis: capture.BasisThirdParty, Recipient: recipient, By: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// provisionCase is one way the notice lets everyField's items leave: what a list for it holds
// and what must be nowhere in it.
type provisionCase struct {
	name     string
	basis    capture.Basis
	to       string
	columns  string
	header   []string
	values   []string
	withheld []string // values that must not be anywhere in the file
}

var provisionCases = []provisionCase{
	{"consent", capture.BasisThirdParty, "株式会社サンプル販売", "ja", []string{"氏名", "会社名", "メールアドレス"},
		[]string{"全項 太郎", "株式会社フル", "full@example.jp"}, []string{"ぜんこう", "開発部", "部長", "03-1234-5678", "090-1234-5678", "100-0001", "千代田1-1", "全項目展"}},
	{"joint use", capture.BasisJointUse, "共催パートナー", "en", []string{"Name", "Department", "Mobile"},
		[]string{"全項 太郎", "開発部", "090-1234-5678"}, []string{"ぜんこう", "株式会社フル", "部長", "full@example.jp", "03-1234-5678", "100-0001", "千代田1-1", "全項目展"}},
}

// declared stores everyField's lead under a notice that declares 氏名, 会社名 and メールアドレス
// for the distributor and 氏名, 部署 and 携帯電話 for joint use; plan selects that one lead.
type declared struct {
	s    *store.Store
	lead string
	e    capture.Event
}

func newDeclared(t *testing.T) declared {
	s := storetest.Open(t)
	storetest.Setup(t, s)
	body := storetest.Notice() // third_party.items: 氏名, 会社名, メールアドレス
	body.JointUse.Items = []string{"氏名", "部署", "携帯電話"}
	e := eventUnder(t, s, body, "全項目展", "")
	return declared{s, captureAt(t, s, e, everyField, capture.ConsentThirdParty), e}
}

func (d declared) plan(t *testing.T, tc provisionCase, format string) *export.Plan {
	t.Helper()
	p, err := export.Select(ctx, d.s, export.Request{Events: []string{d.e.ID}, Use: capture.UseThirdParty, Basis: tc.basis, Recipient: tc.to,
		Format: format, Columns: tc.columns, By: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1 || p.Rows[0].Lead.ID != d.lead {
		t.Fatalf("rows %+v, excluded %+v", p.Rows, p.Excluded)
	}
	return p
}

// withholds fails the test for each withheld value the file's text holds.
func (tc provisionCase) withholds(t *testing.T, format, text string) {
	t.Helper()
	for _, v := range tc.withheld {
		if format == export.FormatPDF && v == "全項目展" {
			continue // the print's title names the list's events, as the record does
		}
		if strings.Contains(text, v) {
			t.Errorf("%s holds %q, which the notice did not declare:\n%s", format, v, text)
		}
	}
}

// TestProvisionCarriesOnlyDeclaredItems: a person told that 氏名, 会社名 and メールアドレス go to
// the distributor, and that 氏名, 部署 and 携帯電話 are used jointly, gives exactly those, in
// every format, and the provision record lists exactly those. What a PDF holds is read back
// by TestPrintedProvisionCarriesOnlyDeclaredItems.
func TestProvisionCarriesOnlyDeclaredItems(t *testing.T) {
	d := newDeclared(t)
	for _, tc := range provisionCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range export.Formats {
				data, res := writeList(t, d.s, d.plan(t, tc, format))
				text := string(data)
				switch format {
				case export.FormatCSV:
					rows := readCSV(t, data)
					if len(rows) != 2 || !slices.Equal(rows[0], tc.header) || !slices.Equal(rows[1], tc.values) {
						t.Fatalf("csv %v, want %v / %v", rows, tc.header, tc.values)
					}
				case export.FormatXLSX:
					f, err := excelize.OpenReader(bytes.NewReader(data))
					if err != nil {
						t.Fatal(err)
					}
					rows, _ := f.GetRows(f.GetSheetList()[0])
					if len(rows) != 2 || !slices.Equal(rows[0], tc.header) || !slices.Equal(rows[1], tc.values) {
						t.Fatalf("xlsx %v, want %v / %v", rows, tc.header, tc.values)
					}
					var leads strings.Builder
					for _, r := range rows {
						leads.WriteString(strings.Join(r, "|"))
					}
					text = leads.String() // the notices sheet quotes the notice, not the person
				case export.FormatPDF:
					// compressed: TestPrintedProvisionCarriesOnlyDeclaredItems reads its text back
				case export.FormatVCF:
					for _, v := range tc.values {
						if !strings.Contains(text, v[strings.LastIndex(v, " ")+1:]) {
							t.Errorf("vcard lacks %q:\n%s", v, text)
						}
					}
				}
				if format != export.FormatPDF {
					tc.withholds(t, format, text)
				}
				items := tc.header
				if format == export.FormatPDF && tc.basis == capture.BasisJointUse {
					items = []string{"Name", "Department"} // a printed list has no mobile column
				}
				if !slices.Equal(res.Record.Items, items) {
					t.Errorf("%s: record items %v, want %v", format, res.Record.Items, items)
				}
			}
			recs, err := d.s.ExportRecords(ctx, d.lead, true)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(recs); n == 0 || !slices.Equal(recs[n-1].Items, tc.header) || recs[n-1].Basis != tc.basis {
				t.Fatalf("stored provision records %+v", recs)
			}
		})
	}
}

// TestRowsCarryTheirOwnNoticesItems: under two notices naming the same recipient with
// different items, each row carries its own notice's items; the file has the columns some
// notice declared and the record lists them; the plan says what was withheld.
func TestRowsCarryTheirOwnNoticesItems(t *testing.T) {
	s := storetest.Open(t)
	storetest.Setup(t, s)
	first := storetest.Notice() // 氏名, 会社名, メールアドレス
	second := storetest.Notice()
	second.ThirdParty.Items = []string{"氏名", "電話番号"}
	a := captureAt(t, s, eventUnder(t, s, first, "春の展示会", ""), everyField, capture.ConsentThirdParty)
	other := everyField
	other.Name, other.Email, other.Phone = "別人 花子", "hanako@example.jp", "06-9876-5432"
	e2 := eventUnder(t, s, second, "秋の展示会", "")
	b := captureAt(t, s, e2, other, capture.ConsentThirdParty)

	p := consentList(t, s, "株式会社サンプル販売")
	data, res := writeList(t, s, p)
	rows := readCSV(t, data)
	want := map[string][]string{
		a: {"全項 太郎", "株式会社フル", "full@example.jp", ""},
		b: {"別人 花子", "", "", "06-9876-5432"},
	}
	if len(rows) != 3 || !slices.Equal(rows[0], []string{"氏名", "会社名", "メールアドレス", "電話番号"}) {
		t.Fatalf("csv %v", rows)
	}
	for i, r := range p.Rows {
		if !slices.Equal(rows[i+1], want[r.Lead.ID]) {
			t.Errorf("row of %s: %v, want %v", r.Lead.ID, rows[i+1], want[r.Lead.ID])
		}
	}
	if !slices.Equal(res.Record.Items, rows[0]) {
		t.Errorf("record items %v, want %v", res.Record.Items, rows[0])
	}
	got := map[string]export.Withheld{}
	for _, w := range p.Withheld() {
		got[w.Column] = w
	}
	for _, col := range []string{"会社名", "メールアドレス", "電話番号"} {
		if w := got[col]; w.Omitted || w.Rows != 1 {
			t.Errorf("%s withheld %+v, want blank in 1 row", col, w)
		}
	}
	for _, col := range []string{"ふりがな", "部署", "役職", "携帯電話", "郵便番号", "住所", "展示会", "取得日時", "担当", "取得元", "評価"} {
		if !got[col].Omitted {
			t.Errorf("%s not reported left out: %+v", col, got[col])
		}
	}
	if _, ok := got["氏名"]; ok || len(got) != 14 {
		t.Errorf("withheld %+v", got)
	}
	// A list that is not bound to notices withholds nothing.
	own, _ := export.Select(ctx, s, export.Request{Events: p.Request.Events, Use: capture.UseInternal, Basis: capture.BasisOwn, Recipient: "営業部", By: "佐藤"})
	if w := own.Withheld(); w != nil {
		t.Errorf("internal list withholds %+v", w)
	}
}

// TestAbroadRecipientNeedsInformedConsent: consent to a recipient abroad counts only when the
// notice consented to gave its country, that country's system and the recipient's measures.
func TestAbroadRecipientNeedsInformedConsent(t *testing.T) {
	s := storetest.Open(t)
	storetest.Setup(t, s)
	notice := func(abroad ...capture.Abroad) capture.NoticeBody {
		b := storetest.Notice()
		b.ThirdParty.Recipients = []string{"当社の販売代理店（株式会社サンプル販売）", "Acme Inc.（米国の販売代理店）"}
		b.ThirdParty.Abroad = abroad
		return b
	}
	informed := notice(capture.Abroad{Recipient: "Acme Inc.（米国の販売代理店）", Country: "アメリカ合衆国",
		Regime: "連邦レベルの包括的な個人情報保護法はなく、州法（カリフォルニア州消費者プライバシー法等）がある", Measures: "契約によりOECDプライバシーガイドライン8原則に沿った措置を義務付けている"})
	bare := notice(capture.Abroad{Recipient: "Acme Inc.（米国の販売代理店）", Country: "アメリカ合衆国"})
	silent := notice() // names the recipient, never says it is abroad

	errs := map[string]bool{}
	for _, f := range bare.Lint() {
		if f.Severity == capture.SeverityError {
			errs[f.Rule+"/"+f.Field] = true
		}
	}
	if !errs["abroad_incomplete/third_party.abroad[0].regime"] || !errs["abroad_incomplete/third_party.abroad[0].measures"] || len(errs) != 2 {
		t.Fatalf("lint of an abroad recipient without Art.28 information: %v", errs)
	}
	if f := informed.Lint(); capture.Errors(f) != 0 {
		t.Fatalf("informed notice has errors: %+v", f)
	}
	ok := captureAt(t, s, eventUnder(t, s, informed, "説明済み展", ""), everyField, capture.ConsentThirdParty)
	p2 := everyField
	p2.Name, p2.Email = "説明不足 次郎", "jiro@example.jp"
	short := captureAt(t, s, eventUnder(t, s, bare, "説明不足展", "検証のため"), p2, capture.ConsentThirdParty)
	p3 := everyField
	p3.Name, p3.Email = "国内扱い 三郎", "saburo@example.jp"
	unaware := captureAt(t, s, eventUnder(t, s, silent, "国内扱い展", ""), p3, capture.ConsentThirdParty)

	p := consentList(t, s, "Acme Inc.")
	if len(p.Rows) != 1 || p.Rows[0].Lead.ID != ok {
		t.Fatalf("rows %+v, want only the lead told of the country", p.Rows)
	}
	reasons := map[string]string{}
	for _, x := range p.Excluded {
		reasons[x.LeadID] = x.Reason
	}
	if reasons[short] != export.ReasonAbroadNotInformed || reasons[unaware] != export.ReasonAbroadNotInformed {
		t.Fatalf("exclusions %v, want %s for both", reasons, export.ReasonAbroadNotInformed)
	}
	if text := export.ReasonText[export.ReasonAbroadNotInformed]; text[0] == "" || text[1] == "" {
		t.Fatalf("reason text %q", text)
	}
	// A domestic recipient named by the same notices needs no such information.
	if p = consentList(t, s, "株式会社サンプル販売"); len(p.Rows) != 3 {
		t.Fatalf("domestic recipient: %d rows, excluded %+v", len(p.Rows), p.Excluded)
	}
}
