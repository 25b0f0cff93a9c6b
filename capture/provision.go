package capture

import "time"

// Use is what an exported list will be used for.
type Use string

// The uses of an export.
const (
	UseInternal       Use = "internal"
	UseEmailMarketing Use = "email_marketing"
	UsePhone          Use = "phone"
	UsePostal         Use = "postal"
	UseThirdParty     Use = "third_party"
)

// Uses lists every use.
var Uses = []Use{UseInternal, UseEmailMarketing, UsePhone, UsePostal, UseThirdParty}

// Basis is why the recipient may have the list.
type Basis string

// The bases of an export.
const (
	BasisOwn         Basis = "own"         // the company itself
	BasisOutsourcing Basis = "outsourcing" // a vendor processing for the company (Art.27(5)(i))
	BasisJointUse    Basis = "joint_use"   // a declared joint user (Art.27(5)(iii))
	BasisThirdParty  Basis = "consent"     // a third party, with the persons' consent (Art.27(1))
)

// Bases lists every basis.
var Bases = []Basis{BasisOwn, BasisOutsourcing, BasisJointUse, BasisThirdParty}

// ProvisionRetention is how long an export's record is kept (APPI Art.29, rules Art.21: 3 years).
const ProvisionRetention = 3 * 365 * 24 * time.Hour

// ExportRecord is the audit entry every export writes. For an export that leaves the company
// (consent, joint use, outsourcing) it is also the provision record (第三者提供記録): date,
// recipient, the persons, the items, and that consent was obtained.
type ExportRecord struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Events    []string  `json:"events"`
	Use       Use       `json:"use"`
	Recipient string    `json:"recipient"`
	Basis     Basis     `json:"basis"`
	Format    string    `json:"format"`
	Count     int       `json:"count"`
	FileHash  string    `json:"file_hash"`
	// Leads are the persons provided; Items the columns they were provided with.
	Leads []string `json:"leads"`
	Items []string `json:"items"`
	// ConsentObtained records that each person consented (basis consent).
	ConsentObtained bool      `json:"consent_obtained"`
	KeepUntil       time.Time `json:"keep_until"`
}

// LeavesCompany reports whether the export gives data to another company: then it is a
// provision and its record is a provision record.
func (r ExportRecord) LeavesCompany() bool { return r.Basis != BasisOwn }

// RequestRecord is the audit entry of an individual's request (disclosure, correction,
// stop-use, erasure): when it came in, what was done and when, so that "without delay" can
// be shown. It names the lead, never the person's data.
type RequestRecord struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // find, disclose, correct, stop-use, erase
	Lead     string    `json:"lead,omitempty"`
	Received time.Time `json:"received"`
	Done     time.Time `json:"done"`
	By       string    `json:"by,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Outcome  string    `json:"outcome"`
}
