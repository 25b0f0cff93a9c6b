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
	"github.com/boothledger/boothledger/capture/safefile"
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

// Encodings lists a CSV's text encodings, the default first; ColumnSets the column headers
// a list can take, the default first. Front ends offer these and name each in words.
var (
	Encodings  = []string{"utf8bom", "utf8", "cp932"}
	ColumnSets = []string{"ja", "en", "salesforce", "hubspot"}
)

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
	// Leads, when set, narrows the list to these leads of the events (a selection in the
	// lead table); each is still decided by the same rules.
	Leads []string
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
		r.Encoding = Encodings[0]
	}
	if !slices.Contains(Encodings, r.Encoding) {
		bad("encoding", "one_of", strings.Join(Encodings, ", "))
	}
	if r.Columns == "" {
		r.Columns = ColumnSets[0]
	}
	if _, ok := presets[r.Columns]; !ok {
		bad("columns", "one_of", strings.Join(ColumnSets, ", "))
	}
	if len(fields) > 0 {
		return r, &capture.ValidationError{Fields: fields}
	}
	return r, nil
}

// NoticeBound reports whether the list may carry only what the persons' notices declared:
// provision with consent covers the items the person was told would be provided, and joint
// use the items it declared (APPI Art.27(1), Art.27(5)(iii)).
func (r Request) NoticeBound() bool {
	return r.Use == capture.UseThirdParty && (r.Basis == capture.BasisThirdParty || r.Basis == capture.BasisJointUse)
}

// Row is one lead in a list, with the capture that brought it to these events.
type Row struct {
	Lead    capture.Lead
	Capture capture.Capture // the latest capture at one of the exported events
	Event   capture.Event
	// Fields are the person fields the row may carry when the request is NoticeBound: those
	// the notices it was consented or declared under name for this provision.
	Fields []string
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
	ReasonAbroadNotInformed   = "abroad_not_informed"
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
	ReasonAbroadNotInformed:   {"外国にある提供先について国名・制度・措置を示した通知で同意していない", "consent was not given under a notice stating the recipient's country, its protection system and the recipient's measures (Art.28)"},
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
	abroad := false
	if req.Use == capture.UseThirdParty && req.Basis == capture.BasisThirdParty {
		if abroad, err = isAbroad(ctx, s, req.Recipient); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	var only map[string]bool
	if req.Leads != nil {
		only = map[string]bool{}
		for _, id := range req.Leads {
			only[id] = true
		}
	}
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
			if seen[l.ID] || only != nil && !only[l.ID] {
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
			reason, under := decide(req, l, caps, notice, abroad)
			if reason != "" {
				plan.Excluded = append(plan.Excluded, Exclusion{LeadID: l.ID, Reason: reason})
				continue
			}
			row := Row{Lead: l}
			if req.NoticeBound() {
				row.Fields = declaredFields(req, under)
			}
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

// decide returns why a lead may not be in the list, or "" and, for a provision bound to
// notices, the notices that allow it. abroad says the recipient is in a foreign country.
func decide(req Request, l capture.Lead, caps []capture.Capture, notice func(string) capture.Notice, abroad bool) (string, []capture.Notice) {
	if l.Erased != nil {
		return ReasonErased, nil
	}
	ch := channelOf[req.Use]
	perm := l.Permission(ch)
	// Whatever the use, a person who withdrew from being contacted at all is left out.
	if contact := l.Permission(capture.ChannelIndividualContact); contact.Basis == capture.BasisWithdrawn {
		return ReasonWithdrawn, nil
	}
	switch req.Use {
	case capture.UseInternal:
		return "", nil
	case capture.UseEmailMarketing:
		if l.Person.Email == "" {
			return ReasonNoEmail, nil
		}
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn, nil
		}
		if !perm.Allowed {
			return ReasonNoPermission, nil
		}
		// 特定電子メール法 Art.3(1)(ii): a card with the address on it lets only the company
		// that received it send its own advertising. An opt-in anywhere in the lead's
		// history still counts for any sender.
		if perm.Basis == capture.BasisBusinessCard && req.Basis != capture.BasisOwn {
			if !l.LiveGrant(ch, capture.BasisOptIn) {
				return ReasonCardExceptionOwn, nil
			}
		}
		return "", nil
	case capture.UsePhone, capture.UsePostal:
		if req.Use == capture.UsePhone && l.Person.Phone == "" && l.Person.Mobile == "" {
			return ReasonNoPhone, nil
		}
		if req.Use == capture.UsePostal && l.Person.Address == "" {
			return ReasonNoAddress, nil
		}
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn, nil
		}
		if !perm.Allowed {
			return ReasonNoPermission, nil
		}
		return "", nil
	}
	// Third parties.
	switch req.Basis {
	case capture.BasisOutsourcing:
		return "", nil // the vendor processes for the company: not a third party (Art.27(5)(i))
	case capture.BasisThirdParty:
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn, nil
		}
		if !perm.Allowed {
			return ReasonNoThirdPartyConsent, nil
		}
		// Consent covers what the person was told: a notice naming the recipient and, for
		// one abroad, its country, that country's system and the recipient's measures.
		var under []capture.Notice
		named := false
		for _, c := range caps {
			if !c.Has(capture.ConsentThirdParty) {
				continue
			}
			n := notice(c.NoticeID)
			for _, r := range n.ThirdParty.Recipients {
				if !names(r, req.Recipient) {
					continue
				}
				named = true
				if a, ok := n.ThirdParty.AbroadFor(r); !abroad || ok && a.Complete() {
					under = append(under, n)
					break
				}
			}
		}
		switch {
		case len(under) > 0:
			return "", under
		case named:
			return ReasonAbroadNotInformed, nil
		}
		return ReasonRecipientNotNamed, nil
	case capture.BasisJointUse:
		if perm.Basis == capture.BasisWithdrawn {
			return ReasonWithdrawn, nil
		}
		declared := false
		var under []capture.Notice
		for _, c := range caps {
			n := notice(c.NoticeID)
			if j := n.JointUse; j != nil {
				declared = true
				if names(j.Users, req.Recipient) {
					under = append(under, n)
				}
			}
		}
		if len(under) > 0 {
			return "", under
		}
		if declared {
			return ReasonNotJointUser, nil
		}
		return ReasonNoJointUse, nil
	}
	return ReasonNoPermission, nil
}

// declaredFields are the person fields the notices declared for this provision or joint use.
// A person consenting under two notices was told of both, so the union is covered.
func declaredFields(req Request, under []capture.Notice) []string {
	var items []string
	for _, n := range under {
		if req.Basis == capture.BasisJointUse {
			items = append(items, n.JointUse.Items...)
		} else {
			items = append(items, n.ThirdParty.Items...)
		}
	}
	return capture.ItemFields(items)
}

// isAbroad reports whether any notice marks the recipient as being in a foreign country: once
// the company has said so anywhere, consent under a notice that did not is not enough.
func isAbroad(ctx context.Context, s *store.Store, recipient string) (bool, error) {
	notices, err := s.Notices(ctx)
	if err != nil {
		return false, err
	}
	for _, n := range notices {
		for _, a := range n.ThirdParty.Abroad {
			if names(a.Recipient, recipient) {
				return true, nil
			}
		}
	}
	return false, nil
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

// WriteFile writes the plan's list to path and records the export, all or nothing: the
// bytes go to a temporary file beside path and are synced, the record is written, and the
// file takes path's name inside the record's transaction, before it commits. If any step
// fails the temporary file is removed, no record is kept and a file already at path is left
// as it was, so a provision is never left unrecorded and a full disk or a busy database never
// destroys an earlier list. (Only when the commit itself fails after the rename is the new
// file removed from path, and an earlier one with it.)
func WriteFile(ctx context.Context, s *store.Store, plan *Plan, path string) (Result, error) {
	data, items, unmappable, err := render(plan)
	if err != nil {
		return Result{}, err
	}
	sum := sha256.Sum256(data)
	rec := capture.ExportRecord{By: plan.Request.By, Events: plan.Request.Events, Use: plan.Request.Use, Recipient: plan.Request.Recipient,
		Basis: plan.Request.Basis, Format: plan.Request.Format, Count: len(plan.Rows), FileHash: hex.EncodeToString(sum[:]),
		ConsentObtained: plan.Request.Basis == capture.BasisThirdParty, At: time.Now(), Items: items}
	// The persons provided are listed when the data leaves the company (the provision
	// record); an export within it is audited without them.
	if rec.LeavesCompany() {
		for _, r := range plan.Rows {
			rec.Leads = append(rec.Leads, r.Lead.ID)
		}
	}
	p, err := safefile.Stage(path, data)
	if err != nil {
		return Result{}, fmt.Errorf("write export: %w", err)
	}
	rec, err = s.RecordExport(ctx, rec, p.Place)
	if err != nil {
		p.Abandon()
		return Result{}, fmt.Errorf("write export: %w", err)
	}
	return Result{Record: rec, Unmappable: unmappable}, nil
}

// render returns the list's bytes and the items it provides, as the record names them.
func render(plan *Plan) (data []byte, items, unmappable []string, err error) {
	var buf bytes.Buffer
	cols := columnsFor(plan)
	switch plan.Request.Format {
	case FormatCSV:
		unmappable, err = writeCSV(&buf, plan, cols)
	case FormatXLSX:
		err = writeXLSX(&buf, plan, cols)
	case FormatPDF:
		cols = pdfColumnsOf(cols)
		err = writePDF(&buf, plan, cols)
	case FormatVCF:
		err = writeVCF(&buf, plan)
		cols = vcardColumns(plan)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("write %s: %w", plan.Request.Format, err)
	}
	for _, c := range cols {
		items = append(items, c.header)
	}
	return buf.Bytes(), items, unmappable, nil
}
