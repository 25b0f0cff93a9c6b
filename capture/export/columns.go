package export

import (
	"slices"
	"strings"

	"github.com/boothledger/boothledger/capture"
)

// column is one column of a list: its header and how a row fills it.
type column struct {
	key    string
	header string
	value  func(Row) string
}

// field values a row can give, by key.
var fieldValues = map[string]func(Row) string{
	"name":       func(r Row) string { return r.Lead.Person.Name },
	"last":       func(r Row) string { last, _ := splitName(r.Lead.Person.Name); return last },
	"first":      func(r Row) string { _, first := splitName(r.Lead.Person.Name); return first },
	"kana":       func(r Row) string { return r.Lead.Person.Kana },
	"company":    func(r Row) string { return r.Lead.Person.Company },
	"department": func(r Row) string { return r.Lead.Person.Department },
	"title":      func(r Row) string { return r.Lead.Person.Title },
	"email":      func(r Row) string { return r.Lead.Person.Email },
	"phone":      func(r Row) string { return r.Lead.Person.Phone },
	"mobile":     func(r Row) string { return r.Lead.Person.Mobile },
	"postal":     func(r Row) string { return r.Lead.Person.Postal },
	"address":    func(r Row) string { return r.Lead.Person.Address },
	"event":      func(r Row) string { return r.Event.Name },
	"at":         func(r Row) string { return r.Capture.At.Local().Format("2006-01-02 15:04") },
	"staff":      func(r Row) string { return r.Capture.Staff },
	"source":     func(r Row) string { return string(r.Capture.Source) },
	"rating":     func(r Row) string { return string(r.Lead.Rating) },
	"lead_source": func(r Row) string {
		return "Trade show: " + r.Event.Name
	},
}

// splitName splits a Japanese full name written "姓 名" at its first space.
func splitName(full string) (last, first string) {
	full = strings.TrimSpace(full)
	if i := strings.IndexAny(full, " 　"); i > 0 {
		return full[:i], strings.TrimSpace(full[i:])
	}
	return full, ""
}

type header struct{ key, text string }

// presets are the column sets: Japanese and English headers, and the names Salesforce's
// lead import and HubSpot's contact import map without help.
var presets = map[string][]header{
	"ja": {{"name", "氏名"}, {"kana", "ふりがな"}, {"company", "会社名"}, {"department", "部署"}, {"title", "役職"}, {"email", "メールアドレス"},
		{"phone", "電話番号"}, {"mobile", "携帯電話"}, {"postal", "郵便番号"}, {"address", "住所"}, {"event", "展示会"}, {"at", "取得日時"},
		{"staff", "担当"}, {"source", "取得元"}, {"rating", "評価"}},
	"en": {{"name", "Name"}, {"kana", "Reading"}, {"company", "Company"}, {"department", "Department"}, {"title", "Title"}, {"email", "Email"},
		{"phone", "Phone"}, {"mobile", "Mobile"}, {"postal", "Postal code"}, {"address", "Address"}, {"event", "Event"}, {"at", "Captured at"},
		{"staff", "Staff"}, {"source", "Source"}, {"rating", "Rating"}},
	"salesforce": {{"last", "Last Name"}, {"first", "First Name"}, {"company", "Company"}, {"title", "Title"}, {"email", "Email"},
		{"phone", "Phone"}, {"mobile", "Mobile"}, {"address", "Street"}, {"postal", "Zip/Postal Code"}, {"lead_source", "Lead Source"}, {"rating", "Rating"}},
	"hubspot": {{"first", "First Name"}, {"last", "Last Name"}, {"email", "Email"}, {"phone", "Phone Number"}, {"mobile", "Mobile Phone Number"},
		{"company", "Company Name"}, {"title", "Job Title"}, {"address", "Street Address"}, {"postal", "Postal Code"}},
}

// minimal is what a vendor processing for the company gets by default: enough to identify
// the person and to do the job the use names (Art.25: supervise, and send only what is needed).
var minimal = map[capture.Use][]string{
	capture.UseInternal:       {"name", "company"},
	capture.UseEmailMarketing: {"name", "company", "email"},
	capture.UsePhone:          {"name", "company", "phone", "mobile"},
	capture.UsePostal:         {"name", "company", "postal", "address"},
	capture.UseThirdParty:     {"name", "kana", "company", "department", "title"},
}

// channelHeaders label the permission columns an internal list carries.
var channelHeaders = map[string]map[capture.Channel]string{
	"ja": {capture.ChannelIndividualContact: "個別連絡", capture.ChannelEmailMarketing: "広告メール", capture.ChannelPhone: "電話連絡", capture.ChannelPostal: "郵送", capture.ChannelThirdParty: "第三者提供"},
	"en": {capture.ChannelIndividualContact: "Contact", capture.ChannelEmailMarketing: "Marketing email", capture.ChannelPhone: "Phone calls", capture.ChannelPostal: "Post", capture.ChannelThirdParty: "Third parties"},
}

// personField is the person field a column key shows, or "" for a column about the capture
// or the company's view of the lead.
func personField(key string) string {
	if key == "last" || key == "first" {
		return "name"
	}
	if slices.Contains(capture.PersonFields, key) {
		return key
	}
	return ""
}

// provided is, for a list bound to notices, every person field some row may carry; nil for
// a list that is not bound.
func (p *Plan) provided() map[string]bool {
	if !p.Request.NoticeBound() {
		return nil
	}
	out := map[string]bool{}
	for _, r := range p.Rows {
		for _, f := range r.Fields {
			out[f] = true
		}
	}
	return out
}

// carries reports whether a row of the plan may show a person field.
func (p *Plan) carries(r Row, field string) bool {
	return !p.Request.NoticeBound() || slices.Contains(r.Fields, field)
}

// columnsFor is the list's columns. A list bound to notices has only the person fields some
// row's notice declared, blank in a row whose notice did not; the capture's time, staff,
// source and rating and the event are facts about the person the notices did not declare
// either, so they stay home.
func columnsFor(p *Plan) []column {
	req := p.Request
	var out []column
	var keep []string
	if req.Basis == capture.BasisOutsourcing {
		keep = minimal[req.Use]
	}
	provided := p.provided()
	for _, h := range presets[req.Columns] {
		if keep != nil && !containsKey(keep, h.key) && !(h.key == "last" || h.key == "first") {
			continue
		}
		if keep != nil && (h.key == "last" || h.key == "first") && !containsKey(keep, "name") {
			continue
		}
		field := personField(h.key)
		value := fieldValues[h.key]
		if provided != nil {
			if !provided[field] {
				continue
			}
			show := value
			value = func(r Row) string {
				if !p.carries(r, field) {
					return ""
				}
				return show(r)
			}
		}
		out = append(out, column{key: h.key, header: h.text, value: value})
	}
	if req.Use == capture.UseInternal && req.Basis == capture.BasisOwn {
		lang := "ja"
		if req.Columns != "ja" {
			lang = "en"
		}
		yes, no := "○", "×"
		if lang == "en" {
			yes, no = "yes", "no"
		}
		for _, ch := range capture.Channels {
			ch := ch
			out = append(out, column{key: "perm." + string(ch), header: channelHeaders[lang][ch], value: func(r Row) string {
				if r.Lead.Permission(ch).Allowed {
					return yes
				}
				return no
			}})
		}
	}
	return out
}

// Withheld is a column of the chosen column set that a list bound to notices does not give in
// full: left out of the file, or blank in the rows whose notices did not declare it.
type Withheld struct {
	Column string `json:"column"`
	// Omitted says the column is not in the file at all; otherwise Rows counts the rows in
	// which it is blank.
	Omitted bool `json:"omitted"`
	Rows    int  `json:"rows,omitempty"`
}

// Withheld lists what the notices did not declare, in column order; nothing for a list that
// is not bound to notices.
func (p *Plan) Withheld() []Withheld {
	provided := p.provided()
	if provided == nil {
		return nil
	}
	var out []Withheld
	for _, h := range presets[p.Request.Columns] {
		field := personField(h.key)
		if !provided[field] {
			out = append(out, Withheld{Column: h.text, Omitted: true})
			continue
		}
		n := 0
		for _, r := range p.Rows {
			if !p.carries(r, field) {
				n++
			}
		}
		if n > 0 {
			out = append(out, Withheld{Column: h.text, Rows: n})
		}
	}
	return out
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// neutralise keeps a spreadsheet from reading a cell as a formula (CSV injection): a cell
// that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
