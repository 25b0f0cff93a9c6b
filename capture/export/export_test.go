package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/scan"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

var ctx = context.Background()

type world struct {
	s      *store.Store
	event  capture.Event
	other  capture.Event // captured under a notice without joint use or third-party provision
	leads  map[string]string
	output map[string][]byte
}

// newWorld stores one lead per situation the export rules distinguish.
func newWorld(t *testing.T) *world {
	s := storetest.Open(t)
	n, e := storetest.Setup(t, s)
	plain := storetest.Notice()
	plain.ThirdParty, plain.JointUse = capture.ThirdParty{}, nil
	n2, err := s.AddNotice(ctx, plain, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.SaveEvent(ctx, capture.Event{Name: "別の展示会", Venue: "幕張", Date: "2026-12-01", NoticeID: n2.ID})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{s: s, event: e, other: other, leads: map[string]string{}}
	add := func(key, event string, n capture.NewCapture) {
		t.Helper()
		n.EventID = event
		r, err := s.AddCapture(ctx, n)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		w.leads[key] = r.Lead.ID
	}
	person := func(name, email string) capture.Person {
		return capture.Person{Name: name, Company: "株式会社テスト", Email: email, Phone: "03-1111-2222"}
	}
	optIn := []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}
	add("card", e.ID, capture.NewCapture{Source: capture.SourceBoothCard, Person: person("名刺 太郎", "card@example.jp")})
	add("optin", e.ID, capture.NewCapture{Source: capture.SourceKiosk, Consents: optIn, Person: person("希望 花子", "optin@example.jp")})
	add("withdrawn", e.ID, capture.NewCapture{Source: capture.SourceKiosk, Consents: optIn, Person: person("停止 次郎", "stop@example.jp")})
	add("third", e.ID, capture.NewCapture{Source: capture.SourceKiosk, Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentThirdParty}, Person: person("提供 三郎", "third@example.jp")})
	add("erased", e.ID, capture.NewCapture{Source: capture.SourceKiosk, Consents: optIn, Person: person("消去 四郎", "erased@example.jp")})
	add("noemail", e.ID, capture.NewCapture{Source: capture.SourceBoothCard, Person: capture.Person{Name: "電話 五郎", Phone: "03-5555-6666"}})
	add("formula", e.ID, capture.NewCapture{Source: capture.SourceBoothCard, Person: capture.Person{Name: `=HYPERLINK("http://x","y")`, Company: "+cmd|' /C calc'!A0", Email: "f@example.jp"}})
	add("elsewhere", other.ID, capture.NewCapture{Source: capture.SourceKiosk, Consents: optIn, Person: person("別会場 六郎", "else@example.jp")})
	if _, err := s.Withdraw(ctx, w.leads["withdrawn"], []capture.Channel{capture.ChannelEmailMarketing}, "配信停止"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, w.leads["erased"], "削除請求"); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) plan(t *testing.T, use capture.Use, basis capture.Basis, recipient string) *export.Plan {
	t.Helper()
	p, err := export.Select(ctx, w.s, export.Request{Events: []string{w.event.ID, w.other.ID}, Use: use, Basis: basis, Recipient: recipient, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// keys names the included leads, and the reason for each excluded one.
func (w *world) keys(p *export.Plan) ([]string, map[string]string) {
	byID := map[string]string{}
	for k, id := range w.leads {
		byID[id] = k
	}
	var in []string
	for _, r := range p.Rows {
		in = append(in, byID[r.Lead.ID])
	}
	slices.Sort(in)
	out := map[string]string{}
	for _, e := range p.Excluded {
		out[byID[e.LeadID]] = e.Reason
	}
	return in, out
}

func TestPermissionRules(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name      string
		use       capture.Use
		basis     capture.Basis
		recipient string
		in        []string
		out       map[string]string
	}{
		{"internal sales: every active lead", capture.UseInternal, capture.BasisOwn, "営業部",
			[]string{"card", "elsewhere", "formula", "noemail", "optin", "third", "withdrawn"}, map[string]string{"erased": export.ReasonErased}},
		{"own newsletter: opt-ins and the card exception", capture.UseEmailMarketing, capture.BasisOwn, "マーケティング部",
			[]string{"card", "elsewhere", "formula", "optin"},
			map[string]string{"erased": export.ReasonErased, "withdrawn": export.ReasonWithdrawn, "noemail": export.ReasonNoEmail, "third": export.ReasonNoPermission}},
		{"a group company's newsletter: opt-ins only", capture.UseEmailMarketing, capture.BasisThirdParty, "グループ会社",
			[]string{"elsewhere", "optin"},
			map[string]string{"card": export.ReasonCardExceptionOwn, "formula": export.ReasonCardExceptionOwn, "withdrawn": export.ReasonWithdrawn,
				"erased": export.ReasonErased, "noemail": export.ReasonNoEmail, "third": export.ReasonNoPermission}},
		{"the named distributor, with consent", capture.UseThirdParty, capture.BasisThirdParty, "株式会社サンプル販売",
			[]string{"third"}, nil},
		{"a company the notice does not name", capture.UseThirdParty, capture.BasisThirdParty, "無関係商事",
			nil, map[string]string{"third": export.ReasonRecipientNotNamed}},
		{"the declared co-sponsor", capture.UseThirdParty, capture.BasisJointUse, "共催パートナー",
			[]string{"card", "formula", "noemail", "optin", "third", "withdrawn"}, map[string]string{"elsewhere": export.ReasonNoJointUse}},
		{"a co-sponsor not declared", capture.UseThirdParty, capture.BasisJointUse, "別の共催会社",
			nil, map[string]string{"card": export.ReasonNotJointUser, "elsewhere": export.ReasonNoJointUse}},
		{"a data-entry vendor", capture.UseThirdParty, capture.BasisOutsourcing, "入力代行株式会社",
			[]string{"card", "elsewhere", "formula", "noemail", "optin", "third", "withdrawn"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, out := w.keys(w.plan(t, tc.use, tc.basis, tc.recipient))
			if !slices.Equal(in, tc.in) {
				t.Errorf("included %v, want %v", in, tc.in)
			}
			for k, reason := range tc.out {
				if out[k] != reason {
					t.Errorf("%s excluded for %q, want %q", k, out[k], reason)
				}
			}
			if out["erased"] != export.ReasonErased {
				t.Errorf("erased lead not excluded as erased: %q", out["erased"])
			}
		})
	}
	if _, err := export.Select(ctx, w.s, export.Request{Events: []string{w.event.ID}, Use: capture.UseInternal, Basis: capture.BasisThirdParty, Recipient: "x"}); !errors.Is(err, capture.ErrInvalid) {
		t.Fatalf("internal use with consent basis: %v", err)
	}
}

func (w *world) write(t *testing.T, p *export.Plan) ([]byte, export.Result) {
	t.Helper()
	return writeList(t, w.s, p)
}

// writeList writes the plan to a file of its own and returns what the file holds.
func writeList(t *testing.T, s *store.Store, p *export.Plan) ([]byte, export.Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list."+p.Request.Format)
	res, err := export.WriteFile(ctx, s, p, path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

func TestCSVIsInertAndReadable(t *testing.T) {
	w := newWorld(t)
	p := w.plan(t, capture.UseInternal, capture.BasisOwn, "営業部")
	out, _ := w.write(t, p)
	if !bytes.HasPrefix(out, []byte("\ufeff")) {
		t.Fatal("no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "氏名" || !slices.Contains(rows[0], "広告メール") || len(rows) != len(p.Rows)+1 {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	found := false
	for _, r := range rows[1:] {
		for _, cell := range r {
			if strings.ContainsAny(cell[:min(1, len(cell))], "=+-@") {
				t.Fatalf("cell %q would run as a formula", cell)
			}
		}
		if r[0] == `'=HYPERLINK("http://x","y")` && r[2] == "'+cmd|' /C calc'!A0" {
			found = true
		}
	}
	if !found {
		t.Fatal("formula lead not written inert")
	}
}

func TestCP932RoundTrip(t *testing.T) {
	w := newWorld(t)
	if _, err := w.s.AddCapture(ctx, capture.NewCapture{EventID: w.event.ID, Person: capture.Person{Name: "髙橋 𠮷雄", Company: "①②株式会社"}}); err != nil {
		t.Fatal(err)
	}
	p, _ := export.Select(ctx, w.s, export.Request{Events: []string{w.event.ID}, Use: capture.UseInternal, Basis: capture.BasisOwn, Recipient: "営業部", Encoding: "cp932", Columns: "en", By: "test"})
	out, res := w.write(t, p)
	if len(res.Unmappable) != 1 || !strings.Contains(res.Unmappable[0], "U+20BB7") {
		t.Fatalf("unmappable %v, want 𠮷 reported", res.Unmappable)
	}
	text, err := japanese.ShiftJIS.NewDecoder().Bytes(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(bytes.NewReader(text)).ReadAll()
	var names []string
	for _, r := range rows {
		names = append(names, r[0]+"|"+r[2])
	}
	if !slices.Contains(names, "髙橋 ?雄|①②株式会社") || !slices.Contains(names, "名刺 太郎|株式会社テスト") {
		t.Fatalf("CP932 did not round-trip: %v", names)
	}
}

func TestXLSXReadsBack(t *testing.T) {
	w := newWorld(t)
	p := w.plan(t, capture.UseEmailMarketing, capture.BasisOwn, "マーケティング部")
	p.Request.Format = export.FormatXLSX
	out, _ := w.write(t, p)
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); !slices.Equal(sheets, []string{"リード", "集計", "利用目的の通知"}) {
		t.Fatalf("sheets %v", sheets)
	}
	leads, _ := f.GetRows("リード")
	if len(leads) != len(p.Rows)+1 || leads[0][0] != "氏名" {
		t.Fatalf("leads sheet: %d rows, header %v", len(leads), leads[0])
	}
	summary, _ := f.GetRows("集計")
	if summary[0][0] != "合計" || summary[0][1] != "4" {
		t.Fatalf("summary %v", summary[0])
	}
	notices, _ := f.GetRows("利用目的の通知")
	n, _ := w.s.Notice(ctx, w.event.NoticeID)
	if len(notices) < 2 || !slices.ContainsFunc(notices[1:], func(r []string) bool { return r[2] == n.Hash && strings.Contains(r[4], n.Purposes[0]) }) {
		t.Fatalf("notices sheet lacks the notice text and hash: %v", notices)
	}
}

func TestProvisionRecordOnlyWhenDataLeaves(t *testing.T) {
	w := newWorld(t)
	own := w.plan(t, capture.UseEmailMarketing, capture.BasisOwn, "マーケティング部")
	_, ownRes := w.write(t, own)
	if ownRes.Record.LeavesCompany() || ownRes.Record.Count != 4 || len(ownRes.Record.FileHash) != 64 {
		t.Fatalf("own export record %+v", ownRes.Record)
	}
	given := w.plan(t, capture.UseThirdParty, capture.BasisThirdParty, "株式会社サンプル販売")
	_, res := w.write(t, given)
	r := res.Record
	if !r.LeavesCompany() || !r.ConsentObtained || !slices.Equal(r.Leads, []string{w.leads["third"]}) || !slices.Contains(r.Items, "氏名") ||
		r.KeepUntil.Sub(r.At) < capture.ProvisionRetention {
		t.Fatalf("provision record %+v", r)
	}
	provisions, _ := w.s.ExportRecords(ctx, "", true)
	if len(provisions) != 1 || provisions[0].ID != r.ID {
		t.Fatalf("provision records %+v", provisions)
	}
	audit, _ := w.s.ExportRecords(ctx, "", false)
	if len(audit) != 2 {
		t.Fatalf("every export is audited: %d records", len(audit))
	}
	if mine, _ := w.s.ExportRecords(ctx, w.leads["third"], true); len(mine) != 1 {
		t.Fatalf("provisions of the person: %+v", mine)
	}
	if mine, _ := w.s.ExportRecords(ctx, w.leads["card"], true); len(mine) != 0 {
		t.Fatalf("a person not provided has a provision record: %+v", mine)
	}
}

// TestVCard: the vCards of a list parse back, one a row.
func TestVCard(t *testing.T) {
	w := newWorld(t)
	p := w.plan(t, capture.UseInternal, capture.BasisOwn, "営業部")
	p.Request.Format = export.FormatVCF
	vcf, _ := w.write(t, p)
	cards := strings.SplitAfter(string(vcf), "END:VCARD\r\n")
	var names []string
	for _, c := range cards {
		if strings.TrimSpace(c) == "" {
			continue
		}
		r, err := scan.Parse(c)
		if err != nil {
			t.Fatalf("card does not parse: %v\n%s", err, c)
		}
		names = append(names, r.Person.Name)
	}
	if len(names) != len(p.Rows) || !slices.Contains(names, "名刺 太郎") {
		t.Fatalf("vCards %v", names)
	}
}
