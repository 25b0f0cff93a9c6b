// Package ledger builds the personal information ledger (個人情報管理台帳) that Privacy Mark
// auditors ask for: per event and the notice it captured under, what is held, why, how it
// was acquired and notified, for how long, who can reach it and where it went.
package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// Ledger is the whole register at one moment.
type Ledger struct {
	At      time.Time `json:"at"`
	Org     string    `json:"org"`
	Entries []Entry   `json:"entries"`
}

// Entry is one line of the register: one event under one notice version.
type Entry struct {
	Event     string   `json:"event"`
	EventID   string   `json:"event_id"`
	Date      string   `json:"date"`
	Venue     string   `json:"venue"`
	Notice    string   `json:"notice"` // title and version
	NoticeID  string   `json:"notice_id"`
	Items     []string `json:"items"`
	Purposes  []string `json:"purposes"`
	Retention string   `json:"retention"`
	// Acquired counts captures by source; Notified by how the notice was shown;
	// Consents by what was agreed.
	Acquired map[string]int `json:"acquired"`
	Notified map[string]int `json:"notified"`
	Consents map[string]int `json:"consents"`
	// Persons are the leads held now; Erased those erased since.
	Persons int `json:"persons"`
	Erased  int `json:"erased"`
	// Stored is where the data lives; Access who can reach it.
	Stored string `json:"stored"`
	Access string `json:"access"`
	// ThirdParty and JointUse are what the notice declared; Provisions what was given.
	ThirdParty  string      `json:"third_party"`
	JointUse    string      `json:"joint_use"`
	Provisions  []Provision `json:"provisions"`
	Outsourcing []string    `json:"outsourcing"`
}

// Provision sums the provision records of one recipient on one basis for the event.
type Provision struct {
	Recipient string        `json:"recipient"`
	Basis     capture.Basis `json:"basis"`
	Records   int           `json:"records"`
	Persons   int           `json:"persons"`
	Last      time.Time     `json:"last"`
}

// Build reads the register from the store.
func Build(ctx context.Context, s *store.Store) (Ledger, error) {
	l := Ledger{At: time.Now(), Entries: []Entry{}}
	if org, err := s.Org(ctx); err == nil {
		l.Org = org.Name
	}
	events, err := s.Events(ctx)
	if err != nil {
		return l, err
	}
	records, err := s.ExportRecords(ctx, "", true)
	if err != nil {
		return l, err
	}
	stored := "この端末のSQLiteファイル（" + s.Path() + "）"
	if e, err := s.Enrolment(ctx); err == nil {
		stored += "、同期サーバー " + e.Server
	}
	access, err := accessOf(ctx, s)
	if err != nil {
		return l, err
	}
	for _, e := range events {
		n, err := s.Notice(ctx, e.NoticeID)
		if err != nil {
			return l, fmt.Errorf("notice of %s: %w", e.Name, err)
		}
		en := Entry{Event: e.Name, EventID: e.ID, Date: e.Date, Venue: e.Venue, NoticeID: n.ID,
			Notice: fmt.Sprintf("%s（第%d版）", n.Title, n.Version), Items: n.Items, Purposes: n.Purposes,
			Retention: n.Retention, Stored: stored, Access: access,
			Acquired: map[string]int{}, Notified: map[string]int{}, Consents: map[string]int{},
			ThirdParty: "なし", JointUse: "なし", Provisions: []Provision{}, Outsourcing: []string{}}
		if e.Retention != "" {
			en.Retention = e.Retention + "（展示会の設定）"
		}
		if n.ThirdParty.Provides {
			en.ThirdParty = strings.Join(n.ThirdParty.Recipients, "、")
		}
		if j := n.JointUse; j != nil {
			en.JointUse = fmt.Sprintf("%s（責任者: %s）", j.Users, j.Responsible.Name)
		}
		live, erased := map[string]bool{}, map[string]bool{}
		err = s.EventEvidence(ctx, e.ID, func(c capture.Capture, gone bool) error {
			en.Acquired[string(c.Source)]++
			en.Notified[string(c.NoticeShown)]++
			for _, k := range c.Consents {
				en.Consents[string(k.Kind)]++
			}
			if gone {
				erased[c.LeadID] = true
			} else {
				live[c.LeadID] = true
			}
			return nil
		})
		if err != nil {
			return l, err
		}
		en.Persons, en.Erased = len(live), len(erased)
		en.Provisions, en.Outsourcing = provisionsAt(e.ID, records)
		l.Entries = append(l.Entries, en)
	}
	return l, nil
}

// accessOf says who can reach the data: the roles and how many people hold each.
func accessOf(ctx context.Context, s *store.Store) (string, error) {
	staff, err := s.StaffList(ctx)
	if err != nil {
		return "", err
	}
	managers := 0
	for _, m := range staff {
		if m.Manager {
			managers++
		}
	}
	return fmt.Sprintf("担当者 %d名（取得・リード閲覧、PINでサインイン）、うち管理者 %d名（出力・名寄せ・請求対応）", len(staff), managers), nil
}

func provisionsAt(eventID string, records []capture.ExportRecord) ([]Provision, []string) {
	type key struct {
		recipient string
		basis     capture.Basis
	}
	sums := map[key]*Provision{}
	persons := map[key]map[string]bool{}
	for _, r := range records {
		if !slices.Contains(r.Events, eventID) {
			continue
		}
		k := key{r.Recipient, r.Basis}
		if sums[k] == nil {
			sums[k] = &Provision{Recipient: r.Recipient, Basis: r.Basis}
			persons[k] = map[string]bool{}
		}
		p := sums[k]
		p.Records++
		if r.At.After(p.Last) {
			p.Last = r.At
		}
		for _, id := range r.Leads {
			persons[k][id] = true
		}
	}
	out := []Provision{}
	outsourcing := []string{}
	for k, p := range sums {
		p.Persons = len(persons[k])
		out = append(out, *p)
		if k.basis == capture.BasisOutsourcing {
			outsourcing = append(outsourcing, k.recipient)
		}
	}
	slices.SortFunc(out, func(a, b Provision) int {
		return strings.Compare(a.Recipient+string(a.Basis), b.Recipient+string(b.Basis))
	})
	slices.Sort(outsourcing)
	return out, outsourcing
}

// WriteJSON writes the register as JSON.
func (l Ledger) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

// ja gives the ledger the app's own words for sources, consents and bases.
var ja = assets.Texts{Lang: "ja"}

// counts writes a count map with the labels of keys prefix+key, largest first.
func counts(m map[string]int, prefix string) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d件", ja.T(prefix+k), m[k]))
	}
	if len(parts) == 0 {
		return "なし"
	}
	return strings.Join(parts, "、")
}

// row is an entry as the ledger's columns, shared by the spreadsheet and the PDF.
func (e Entry) row() []string {
	var prov []string
	for _, p := range e.Provisions {
		prov = append(prov, fmt.Sprintf("%s（%s）%d回・%d名 最終 %s", p.Recipient, ja.T("export_basis."+string(p.Basis)), p.Records, p.Persons, p.Last.Local().Format(capture.DateLayout)))
	}
	provisions := "なし"
	if len(prov) > 0 {
		provisions = strings.Join(prov, "\n")
	}
	outsourcing := "なし"
	if len(e.Outsourcing) > 0 {
		outsourcing = strings.Join(e.Outsourcing, "、")
	}
	return []string{
		e.Event + "（" + e.Date + " " + e.Venue + "）", e.Notice, strings.Join(e.Items, "、"), numbered(e.Purposes),
		counts(e.Acquired, "source."), counts(e.Notified, "shown."), counts(e.Consents, "consent."),
		fmt.Sprintf("%d名（消去済み %d名）", e.Persons, e.Erased), e.Stored, e.Access, e.Retention,
		provisions, e.JointUse, outsourcing, e.ThirdParty,
	}
}

// headers name the columns of row.
var headers = []string{"展示会", "利用目的の通知", "取得する項目", "利用目的", "取得の方法", "通知の方法", "同意",
	"人数", "保管場所", "アクセスできる者", "保存期間", "提供の記録", "共同利用", "委託先", "通知で示した第三者提供"}

func numbered(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%d. %s", i+1, s)
	}
	return strings.Join(out, "\n")
}
