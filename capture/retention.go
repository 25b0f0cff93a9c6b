package capture

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Period is a retention period as people write it: years, months and days, added to a date
// the calendar way (three years after 29 February is 1 March).
type Period struct{ Years, Months, Days int }

// After returns the end of the period that starts at t.
func (p Period) After(t time.Time) time.Time { return t.AddDate(p.Years, p.Months, p.Days) }

// periodRE finds the first length in a notice's retention text after NFKC
// ("取得日から3年間", "24か月", "90日", "3 years").
var periodRE = regexp.MustCompile(`(\d{1,4})\s*(年|か月|ヶ月|カ月|ヵ月|ケ月|箇月|月|日|years?|months?|days?)`)

// ParseRetention reads a retention period from free text; ok is false when the text names
// no length (e.g. "必要な期間"), and such leads are never erased automatically.
func ParseRetention(text string) (p Period, ok bool) {
	m := periodRE.FindStringSubmatch(strings.ToLower(norm.NFKC.String(text)))
	if m == nil {
		return Period{}, false
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 {
		return Period{}, false
	}
	switch m[2] {
	case "年", "year", "years":
		if n > 100 { // a calendar year ("2026年"), not a length
			return Period{}, false
		}
		p.Years = n
	case "日", "day", "days":
		p.Days = n
	default:
		p.Months = n
	}
	return p, true
}

// Expiry is when a lead's retention ends: the latest of each capture's time plus its event's
// period, and of its last correction plus the longest of those periods.
type Expiry struct {
	LeadID  string    `json:"lead_id"`
	Name    string    `json:"name"`
	Company string    `json:"company"`
	Until   time.Time `json:"until"`
	// Events are the events the lead was captured at.
	Events []string `json:"events"`
}
