// Package export writes per-event lead lists for the company's sales, its newsletter, a group
// company, a vendor or a co-sponsor. Each of those is a different legal situation: the list
// holds only the people whose permissions allow that use by that recipient, every exclusion
// is counted with its reason, and every export is recorded (as a provision record when the
// data leaves the company).
package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// Formats an export can be written in.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
	FormatPDF  = "pdf"
	FormatVCF  = "vcf"
)

// Formats lists every format.
var Formats = []string{FormatCSV, FormatXLSX, FormatPDF, FormatVCF}

// Request says what to export, for what and to whom.
type Request struct {
	Events    []string
	Use       capture.Use
	Recipient string
	Basis     capture.Basis
	Format    string
	Encoding  string // csv: utf8bom (default), utf8, cp932
	Columns   string // ja (default), en, salesforce, hubspot
	By        string // who exports
	Lang      string
}

// Clean checks a request: known values, and uses that fit their basis.
func (r Request) Clean() (Request, error) {
	var fields []capture.FieldError
	bad := func(field, code string, args ...any) {
		var ve *capture.ValidationError
		errors.As(capture.Invalid(field, code, args...), &ve)
		fields = append(fields, ve.Fields...)
	}
	if len(r.Events) == 0 {
		bad("event", "required")
	}
	if !slices.Contains(capture.Uses, r.Use) {
		bad("use", "one_of", "internal, email_marketing, phone, postal, third_party")
	}
	if !slices.Contains(capture.Bases, r.Basis) {
		bad("basis", "one_of", "own, outsourcing, joint_use, consent")
	}
	r.Recipient = strings.TrimSpace(r.Recipient)
	if r.Recipient == "" {
		bad("recipient", "required")
	}
	switch {
	case r.Use == capture.UseInternal && r.Basis != capture.BasisOwn:
		bad("basis", "export_internal_own")
	case r.Use == capture.UseThirdParty && r.Basis == capture.BasisOwn:
		bad("basis", "export_third_party_not_own")
	}
	if r.Format == "" {
		r.Format = FormatCSV
	}
	if !slices.Contains(Formats, r.Format) {
		bad("format", "one_of", strings.Join(Formats, ", "))
	}
	if r.Encoding == "" {
		r.Encoding = "utf8bom"
	}
	if !slices.Contains([]string{"utf8bom", "utf8", "cp932"}, r.Encoding) {
		bad("encoding", "one_of", "utf8bom, utf8, cp932")
	}
	if r.Columns == "" {
		r.Columns = "ja"
	}
	if _, ok := presets[r.Columns]; !ok {
		bad("columns", "one_of", "ja, en, salesforce, hubspot")
	}
	if len(fields) > 0 {
		return r, &capture.ValidationError{Fields: fields}
	}
	return r, nil
}

// Row is one lead in a list, with the capture that brought it to these events.
type Row struct {
	Lead    capture.Lead
	Capture capture.Capture // the latest capture at one of the exported events
	Event   capture.Event
}

// Exclusion is a lead left out of a list, and why.
type Exclusion struct {
	LeadID string `json:"lead_id"`
	Reason string `json:"reason"`
}

// Plan is what an export will contain, before anything is written.
type Plan struct {
	Request  Request
	Rows     []Row
	Excluded []Exclusion
	// Notices are the notice versions the included leads were captured under.
	Notices []capture.Notice
}

// Counts returns the number of exclusions per reason.
func (p *Plan) Counts() map[string]int {
	out := map[string]int{}
	for _, e := range p.Excluded {
		out[e.Reason]++
	}
	return out
}

// Reasons a lead is left out.
const (
	ReasonErased              = "erased"
	ReasonWithdrawn           = "withdrawn"
	ReasonNoPermission        = "no_permission"
	ReasonCardExceptionOwn    = "card_exception_own_only"
	ReasonNoEmail             = "no_email"
	ReasonNoPhone             = "no_phone"
	ReasonNoAddress           = "no_address"
	ReasonNoThirdPartyConsent = "no_third_party_consent"
	ReasonRecipientNotNamed   = "recipient_not_in_notice"
	ReasonNoJointUse          = "no_joint_use"
	ReasonNotJointUser        = "recipient_not_joint_user"
)

// ReasonText explains a reason in Japanese and English.
var ReasonText = map[string][2]string{
	ReasonErased:              {"消去済み", "erased"},
	ReasonWithdrawn:           {"同意の撤回・配信停止", "consent withdrawn or opted out"},
	ReasonNoPermission:        {"この利用の同意・根拠がない", "no consent or basis for this use"},
	ReasonCardExceptionOwn:    {"名刺による例外は自社の広告メールのみ", "the business-card exception covers only the company's own email"},
	ReasonNoEmail:             {"メールアドレスがない", "no email address"},
	ReasonNoPhone:             {"電話番号がない", "no phone number"},
	ReasonNoAddress:           {"住所がない", "no postal address"},
	ReasonNoThirdPartyConsent: {"第三者提供の同意がない", "no consent to provision to third parties"},
	ReasonRecipientNotNamed:   {"同意時の通知にこの提供先がない", "the notice consented to does not name this recipient"},
	ReasonNoJointUse:          {"共同利用を示した通知で取得していない", "not captured under a notice declaring joint use"},
	ReasonNotJointUser:        {"共同利用者の範囲にこの提供先がない", "the recipient is not among the declared joint users"},
}

// channelOf is the permission channel a use needs.
var channelOf = map[capture.Use]capture.Channel{
	capture.UseInternal:       capture.ChannelIndividualContact,
	capture.UseEmailMarketing: capture.ChannelEmailMarketing,
	capture.UsePhone:          capture.ChannelPhone,
	capture.UsePostal:         capture.ChannelPostal,
	capture.UseThirdParty:     capture.ChannelThirdParty,
}

// Select decides, lead by lead, who may be in the list.
func Select(ctx context.Context, s *store.Store, req Request) (*Plan, error) {
	req, err := req.Clean()
	if err != nil {
		return nil, err
	}
	plan := &Plan{Request: req}
	events := map[string]capture.Event{}
	for _, id := range req.Events {
		e, err := s.Event(ctx, id)
		if errors.Is(err, capture.ErrNotFound) {
			return nil, capture.Invalid("event", "not_found", id)
		}
		if err != nil {
			return nil, err
		}
		events[id] = e
	}
	notices := map[string]capture.Notice{}
	notice := func(id string) capture.Notice {
		if n, ok := notices[id]; ok {
			return n
		}
		n, _ := s.Notice(ctx, id)
		notices[id] = n
		return n
	}
	seen := map[string]bool{}
	usedNotices := map[string]bool{}
	atEvents, err := s.CapturesAt(ctx, req.Events)
	if err != nil {
		return nil, err
	}
	for _, id := range req.Events {
		leads, err := s.Leads(ctx, store.LeadQuery{EventID: id, Erased: true, Listing: true})
		if err != nil {
			return nil, err
		}
		for _, l := range leads {
			if seen[l.ID] {
				continue
			}
			seen[l.ID] = true
			caps := atEvents[l.ID]
			if req.Use == capture.UseThirdParty {
				// Consent and joint use may come from a capture at any event.
				if caps, err = s.CapturesOf(ctx, l.ID); err != nil {
					return nil, err
				}
			}
			if reason := decide(req, l, caps, notice); reason != "" {
				plan.Excluded = append(plan.Excluded, Exclusion{LeadID: l.ID, Reason: reason})
				continue
			}
			row := Row{Lead: l}
			for _, c := range caps { // oldest first: the last one at these events wins
				if e, ok := events[c.EventID]; ok {
					row.Capture, row.Event = c, e
				}
			}
			for _, c := range caps {
				usedNotices[c.NoticeID] = true
			}
			plan.Rows = append(plan.Rows, row)
		}
	}
	for id := range usedNotices {
		plan.Notices = append(plan.Notices, notice(id))
	}
	slices.SortFunc(plan.Notices, func(a, b capture.Notice) int { return strings.Compare(a.ID, b.ID) })
	return plan, nil
}

// decide returns why a lead may not be in the list, or "".
func decide(req Request, l capture.Lead, caps []capture.Capture, notice func(string) capture.Notice) string {
	if l.Erased != nil {
		return ReasonErased
	}
	ch := channelOf[req.Use]
	perm := l.Permission(ch)
	// Whatever the use, a person who withdrew from being contacted at all is left out.
	if contact := l.Permission(capture.ChannelIndividualContact); contact.Basis == capture.BasisWithdrawn {
		return ReasonWithdrawn
	}
	switch req.Use {
	case capture.UseInternal:
		return ""
	case capture.UseEmailMarketing:
		if l.Person.Email == "" {
			return ReasonNoEmail
		}
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn
		}
		if !perm.Allowed {
			return ReasonNoPermission
		}
		// 特定電子メール法 Art.3(1)(ii): a card with the address on it lets only the company
		// that received it send its own advertising. An opt-in anywhere in the lead's
		// history still counts for any sender.
		if perm.Basis == capture.BasisBusinessCard && req.Basis != capture.BasisOwn {
			if !l.LiveGrant(ch, capture.BasisOptIn) {
				return ReasonCardExceptionOwn
			}
		}
		return ""
	case capture.UsePhone, capture.UsePostal:
		if req.Use == capture.UsePhone && l.Person.Phone == "" && l.Person.Mobile == "" {
			return ReasonNoPhone
		}
		if req.Use == capture.UsePostal && l.Person.Address == "" {
			return ReasonNoAddress
		}
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn
		}
		if !perm.Allowed {
			return ReasonNoPermission
		}
		return ""
	}
	// Third parties.
	switch req.Basis {
	case capture.BasisOutsourcing:
		return "" // the vendor processes for the company: not a third party (Art.27(5)(i))
	case capture.BasisThirdParty:
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn
		}
		if !perm.Allowed {
			return ReasonNoThirdPartyConsent
		}
		for _, c := range caps {
			if c.Has(capture.ConsentThirdParty) && slices.ContainsFunc(notice(c.NoticeID).ThirdParty.Recipients, func(r string) bool { return names(r, req.Recipient) }) {
				return ""
			}
		}
		return ReasonRecipientNotNamed
	case capture.BasisJointUse:
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn
		}
		declared := false
		for _, c := range caps {
			if j := notice(c.NoticeID).JointUse; j != nil {
				declared = true
				if names(j.Users, req.Recipient) {
					return ""
				}
			}
		}
		if declared {
			return ReasonNotJointUser
		}
		return ReasonNoJointUse
	}
	return ReasonNoPermission
}

// names reports whether a declared recipient text and the recipient given name the same
// party: one contains the other once both are normalised (legal forms and spaces ignored).
func names(declared, recipient string) bool {
	strip := strings.NewReplacer("株式会社", "", "(株)", "", "㈱", "", "有限会社", "", "合同会社", "", "inc.", "", "co.,ltd.", "", "ltd.", "")
	a, b := strip.Replace(capture.NormText(declared)), strip.Replace(capture.NormText(recipient))
	return b != "" && (strings.Contains(a, b) || strings.Contains(b, a) && a != "")
}

// Result is what Write did.
type Result struct {
	Record capture.ExportRecord
	// Unmappable lists characters CP932 cannot hold (each replaced by "?").
	Unmappable []string
}

// Write writes the plan's list and records the export. The record is written after the
// bytes exist and carries their SHA-256.
func Write(ctx context.Context, s *store.Store, plan *Plan, write func([]byte) error) (Result, error) {
	var res Result
	var buf bytes.Buffer
	cols := columnsFor(plan.Request)
	var err error
	switch plan.Request.Format {
	case FormatCSV:
		res.Unmappable, err = writeCSV(&buf, plan, cols)
	case FormatXLSX:
		err = writeXLSX(&buf, plan, cols)
	case FormatPDF:
		err = writePDF(&buf, plan, cols)
	case FormatVCF:
		err = writeVCF(&buf, plan)
	}
	if err != nil {
		return res, fmt.Errorf("write %s: %w", plan.Request.Format, err)
	}
	if err := write(buf.Bytes()); err != nil {
		return res, err
	}
	sum := sha256.Sum256(buf.Bytes())
	rec := capture.ExportRecord{By: plan.Request.By, Events: plan.Request.Events, Use: plan.Request.Use, Recipient: plan.Request.Recipient,
		Basis: plan.Request.Basis, Format: plan.Request.Format, Count: len(plan.Rows), FileHash: hex.EncodeToString(sum[:]),
		ConsentObtained: plan.Request.Basis == capture.BasisThirdParty, At: time.Now()}
	// The persons provided are listed when the data leaves the company (the provision
	// record); an export within it is audited without them.
	if rec.LeavesCompany() {
		for _, r := range plan.Rows {
			rec.Leads = append(rec.Leads, r.Lead.ID)
		}
	}
	for _, c := range cols {
		rec.Items = append(rec.Items, c.header)
	}
	if plan.Request.Format == FormatVCF {
		rec.Items = vcardItems
	}
	res.Record, err = s.RecordExport(ctx, rec)
	return res, err
}
