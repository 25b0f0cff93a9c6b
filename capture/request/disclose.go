// Package request answers individuals' requests (APPI Art.33–35): what is held about a
// person, where it came from and to whom it went, ready to send.
package request

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/pdfdoc"
	"github.com/boothledger/boothledger/capture/store"
)

// Disclosure is everything held about a person, provision records included.
type Disclosure struct {
	At          time.Time              `json:"at"`
	Org         capture.Org            `json:"org"`
	Lead        capture.Lead           `json:"lead"`
	Permissions []capture.Permission   `json:"permissions"`
	Captures    []Captured             `json:"captures"`
	Provisions  []capture.ExportRecord `json:"provisions"`
	// Merges are the 名寄せ that joined other records of the person into this one.
	Merges []capture.MergeRecord `json:"merges"`
}

// Captured is one capture with its event and the full notice shown.
type Captured struct {
	capture.Capture
	Event  capture.Event  `json:"event"`
	Notice capture.Notice `json:"notice"`
}

// Build gathers the disclosure of a lead.
func Build(ctx context.Context, s *store.Store, leadID string) (Disclosure, error) {
	l, err := s.Lead(ctx, leadID)
	if errors.Is(err, capture.ErrNotFound) {
		return Disclosure{}, capture.Invalid("lead", "not_found", leadID)
	}
	if err != nil {
		return Disclosure{}, err
	}
	d := Disclosure{At: time.Now(), Lead: l, Permissions: l.Permissions(), Captures: []Captured{}}
	d.Org, _ = s.Org(ctx)
	d.Org.SuppressionKey = "" // the organisation's secret is not the person's data
	caps, err := s.CapturesOf(ctx, l.ID)
	if err != nil {
		return d, err
	}
	for _, c := range caps {
		dc := Captured{Capture: c}
		dc.Event, _ = s.Event(ctx, c.EventID)
		dc.Notice, _ = s.Notice(ctx, c.NoticeID)
		d.Captures = append(d.Captures, dc)
	}
	if d.Provisions, err = s.ExportRecords(ctx, l.ID, true); err != nil {
		return d, err
	}
	if d.Merges, err = s.MergesInto(ctx, l.ID); err != nil {
		return d, err
	}
	return d, nil
}

// WriteJSON writes the disclosure as JSON.
func (d Disclosure) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WritePDF writes the disclosure in Japanese, with the embedded font, ready to send.
func (d Disclosure) WritePDF(w io.Writer) error {
	pdf := pdfdoc.New(18, d.Org.Name)
	pdf.AddPage()
	text := func(size float64, s string) {
		pdf.SetFont(pdfdoc.Font, "", size)
		pdf.MultiCell(0, size*0.5, s, "", "L", false)
	}
	heading := func(s string) {
		pdf.Ln(2)
		pdf.SetTextColor(31, 78, 121)
		text(12, s)
		pdf.SetTextColor(0, 0, 0)
	}
	text(16, "保有個人データの開示")
	text(9, fmt.Sprintf("%s　作成日 %s", d.Org.Name, d.At.Local().Format("2006年1月2日")))
	if d.Org.Contact != "" {
		text(9, "お問い合わせ: "+d.Org.Contact)
	}
	ja := assets.Texts{Lang: "ja"} // the app's own words for fields, sources and consents
	heading("お預かりしている内容")
	for _, f := range capture.PersonFields {
		if v := *d.Lead.Person.Field(f); v != "" {
			text(10, ja.T("field."+f)+": "+v)
		}
	}
	if d.Lead.Erased != nil {
		text(10, "このデータは消去済みです。")
	}
	heading("利用できる範囲")
	for _, p := range d.Permissions {
		state := "なし"
		if p.Allowed {
			state = "あり（" + ja.T("basis."+p.Basis) + "）"
		} else if p.Basis == capture.BasisWithdrawn {
			state = "停止済み"
		}
		text(10, ja.T("channel."+string(p.Channel))+": "+state)
	}
	heading("取得の記録")
	for i, c := range d.Captures {
		text(10, fmt.Sprintf("%d. %s　%s（%s）", i+1, c.At.Local().Format("2006年1月2日 15:04"), c.Event.Name, c.Event.Venue))
		text(9, fmt.Sprintf("取得元: %s　担当: %s　通知の示し方: %s", ja.T("source."+string(c.Source)), c.Staff, ja.T("shown."+string(c.NoticeShown))))
		var consents []string
		for _, k := range c.Consents {
			consents = append(consents, ja.T("consent."+string(k.Kind))+"（"+ja.T("method."+string(k.Method))+"）")
		}
		if len(consents) > 0 {
			text(9, "同意: "+strings.Join(consents, "、"))
		}
		if len(c.Answers) > 0 {
			b, _ := json.Marshal(c.Answers)
			text(9, "アンケートの回答: "+string(b))
		}
		text(9, fmt.Sprintf("示した通知: 「%s」第%d版（SHA-256 %s）", c.Notice.Title, c.Notice.Version, c.Notice.Hash))
		for j, p := range c.Notice.Purposes {
			text(9, fmt.Sprintf("　利用目的%d: %s", j+1, p))
		}
		pdf.Ln(1)
	}
	heading("名寄せ（重複する記録の統合）")
	if len(d.Merges) == 0 {
		text(10, "ありません。")
	}
	for _, m := range d.Merges {
		state := ""
		if m.Undone {
			state = "（取り消し済み）"
		}
		text(10, fmt.Sprintf("%s　%d件の記録をこの記録に統合%s　理由: %s", m.Stamp.HLC.Time().Local().Format("2006年1月2日"), len(m.Others), state, m.Reason))
	}
	heading("第三者への提供の記録")
	if len(d.Provisions) == 0 {
		text(10, "ありません。")
	}
	for _, r := range d.Provisions {
		text(10, fmt.Sprintf("%s　提供先: %s（%s）　項目: %s", r.At.Local().Format("2006年1月2日"), r.Recipient, ja.T("export_basis."+string(r.Basis)), strings.Join(r.Items, "、")))
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}
