package capture

import (
	"slices"
	"strings"
	"time"
)

// Source says how a capture was acquired.
type Source string

// The sources of a capture.
const (
	SourceBoothCard   Source = "booth_card"
	SourceSurvey      Source = "survey"
	SourceKiosk       Source = "kiosk"
	SourceRepExchange Source = "rep_exchange"
	SourceBadgeScan   Source = "badge_scan"
	SourceImport      Source = "import"
	SourceTelesales   Source = "telesales"
)

// Sources lists every source, in the order a menu shows them.
var Sources = []Source{SourceBoothCard, SourceSurvey, SourceKiosk, SourceRepExchange, SourceBadgeScan, SourceImport, SourceTelesales}

// handsOverCard reports whether the person gave us a business card, which makes ordinary
// contact evident from the circumstances (APPI Art.21(4)(iv)) and is the written address the
// anti-spam law's card exception rests on (特定電子メール法 Art.3(1)(ii)).
func (s Source) handsOverCard() bool { return s == SourceBoothCard || s == SourceRepExchange }

// Shown says how the purpose notice was shown at capture.
type Shown string

// The ways a notice is shown.
const (
	ShownScreen Shown = "screen"
	ShownPrint  Shown = "print"
	ShownVerbal Shown = "verbal"
	ShownNone   Shown = "none"
)

// ConsentKind is what a person agreed to.
type ConsentKind string

// The kinds of consent.
const (
	ConsentPurpose    ConsentKind = "purpose"
	ConsentEmailOptIn ConsentKind = "email_optin"
	ConsentThirdParty ConsentKind = "third_party"
	ConsentJointUse   ConsentKind = "joint_use"
)

// ConsentKinds lists every kind of consent.
var ConsentKinds = []ConsentKind{ConsentPurpose, ConsentEmailOptIn, ConsentThirdParty, ConsentJointUse}

// ConsentMethod is how consent was given.
type ConsentMethod string

// The methods of consent.
const (
	MethodCheckbox    ConsentMethod = "checkbox"
	MethodSignature   ConsentMethod = "signature"
	MethodVerbal      ConsentMethod = "verbal"
	MethodImpliedCard ConsentMethod = "implied_card"
)

// Consent is one agreement recorded on a capture.
type Consent struct {
	Kind   ConsentKind   `json:"kind"`
	Method ConsentMethod `json:"method"`
}

// Rating is staff's judgement of a lead: A, B, C or empty.
type Rating string

// Capture is one acquisition of one person's data: the evidence. It is never changed after
// it is written, except that an erasure scrubs its personal fields.
type Capture struct {
	ID          string    `json:"id"`
	LeadID      string    `json:"lead_id"`
	EventID     string    `json:"event_id"`
	Source      Source    `json:"source"`
	Staff       string    `json:"staff,omitempty"`
	DeviceID    string    `json:"device_id"`
	At          time.Time `json:"at"`
	NoticeID    string    `json:"notice_id"`
	NoticeHash  string    `json:"notice_hash"`
	NoticeShown Shown     `json:"notice_shown"`
	Consents    []Consent `json:"consents,omitempty"`
	Answers     Answers   `json:"answers,omitempty"`
	Person      Person    `json:"person"`
	Rating      Rating    `json:"rating,omitempty"`
	Note        string    `json:"note,omitempty"`
	// AttachedBy says who decided that the capture belongs to a lead already known: the
	// matcher (AttachMatcher) or staff (AttachStaff); empty when the capture made its lead.
	AttachedBy string `json:"attached_by,omitempty"`
	// Keeps are lead fields the capture leaves as they were: the company when the card
	// writes it shorter than the lead holds it (サンプル for 株式会社サンプル).
	Keeps []string `json:"keeps,omitempty"`
	// Stamp is the clock reading of the op that made the capture (not part of the evidence):
	// a lead rebuilt after a detach takes each capture's fields in their order.
	Stamp Stamp `json:"-"`
}

// Who decided that a capture joins a known lead.
const (
	AttachMatcher = "matcher"
	AttachStaff   = "staff"
)

// Has reports whether the capture records consent of kind k.
func (c *Capture) Has(k ConsentKind) bool {
	return slices.ContainsFunc(c.Consents, func(x Consent) bool { return x.Kind == k })
}

// NewCapture is what a person enters to capture someone; the store fills in the rest.
type NewCapture struct {
	// LeadID attaches the capture to a known lead (staff decided); empty lets the store
	// decide: a new lead unless the 名寄せ matcher says "merge" about exactly one lead.
	LeadID string
	// NewLead makes a new lead even when a match is found: staff said it is someone else.
	NewLead bool
	// ConfirmSuppressed records that staff obtained fresh consent from a person who was
	// erased or opted out before; without it such a capture is refused.
	ConfirmSuppressed bool
	EventID           string
	Source            Source
	Staff             string
	Shown             Shown // empty: Clean's default, from the source and consents
	Consents          []ConsentKind
	Method            ConsentMethod
	Answers           Answers
	Person            Person
	Rating            Rating
	Note              string
	// At is when the card was taken; zero means now.
	At time.Time
}

// NoEvent is the error for a capture whose event is not held: the event is required when
// none was named, and not found when the id names none.
func (n NewCapture) NoEvent() error {
	if strings.TrimSpace(n.EventID) == "" {
		return Invalid("event", "required")
	}
	return Invalid("event", "not_found", n.EventID)
}

// Clean checks everything about a new capture that does not need the store, given the
// event's notice and survey, and returns it normalised.
func (n NewCapture) Clean(notice NoticeBody, survey *Survey) (NewCapture, error) {
	var v errs
	p, err := n.Person.Clean(true)
	if ve, ok := err.(*ValidationError); ok {
		v.list = append(v.list, ve.Fields...)
	}
	n.Person = p
	if n.Source == "" {
		n.Source = SourceBoothCard
	}
	if !slices.Contains(Sources, n.Source) {
		v.add("source", "one_of", joinAny(Sources))
	}
	n.Staff = cleanText(&v, "staff", n.Staff)
	if n.Method == "" {
		n.Method = MethodCheckbox
	}
	if !slices.Contains([]ConsentMethod{MethodCheckbox, MethodSignature, MethodVerbal, MethodImpliedCard}, n.Method) {
		v.add("consent_method", "one_of", "checkbox, signature, verbal, implied_card")
	}
	var kinds []ConsentKind
	for _, k := range n.Consents {
		switch {
		case !slices.Contains(ConsentKinds, k):
			v.add("consent", "one_of", joinAny(ConsentKinds))
		case !notice.Declares(k):
			v.add("consent."+string(k), "no_consent_notice")
		case n.Method == MethodImpliedCard && k != ConsentPurpose:
			// Advertising and provision to others are never evident from a card (PPC Q&A 4-17).
			v.add("consent."+string(k), "implied_card_only_purpose")
		case !slices.Contains(kinds, k):
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	n.Consents = kinds
	if n.Shown == "" { // the one default, for every front end
		switch {
		case n.Source == SourceSurvey: // answered on the sheet that prints the notice (Art.21(2))
			n.Shown = ShownPrint
		case len(kinds) > 0 && n.Method != MethodImpliedCard: // agreed to what was on the screen
			n.Shown = ShownScreen
		default:
			n.Shown = ShownNone
		}
	}
	if !slices.Contains([]Shown{ShownScreen, ShownPrint, ShownVerbal, ShownNone}, n.Shown) {
		v.add("notice_shown", "one_of", "screen, print, verbal, none")
	} else if n.Shown == ShownNone && len(kinds) > 0 && n.Method != MethodImpliedCard {
		v.add("notice_shown", "consent_without_notice")
	}
	if n.Source == SourceSurvey && n.Shown == ShownNone {
		// Art.21(2): a written survey must show the purpose before collection.
		v.add("notice_shown", "survey_needs_notice")
	}
	if !slices.Contains([]Rating{"", "A", "B", "C"}, n.Rating) {
		v.add("rating", "one_of", "A, B, C")
	}
	if note, err := CleanNote("note", n.Note); err != nil {
		v.list = append(v.list, err.(*ValidationError).Fields...)
	} else {
		n.Note = note
	}
	if ans, err := survey.Check(n.Answers, n.Source == SourceSurvey || n.Source == SourceKiosk); err != nil {
		v.list = append(v.list, err.(*ValidationError).Fields...)
	} else {
		n.Answers = ans
	}
	return n, v.err()
}

func joinAny[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// Channel is a use of a lead's data that needs its own permission.
type Channel string

// The channels.
const (
	ChannelIndividualContact Channel = "individual_contact"
	ChannelEmailMarketing    Channel = "email_marketing"
	ChannelPhone             Channel = "phone"
	ChannelPostal            Channel = "postal"
	ChannelThirdParty        Channel = "third_party"
)

// Channels lists every channel.
var Channels = []Channel{ChannelIndividualContact, ChannelEmailMarketing, ChannelPhone, ChannelPostal, ChannelThirdParty}

// Bases of a permission, strongest first within a channel.
const (
	BasisOptIn          = "opt_in"          // email opt-in given (特定電子メール法 Art.3(1)(i))
	BasisConsent        = "consent"         // third-party provision consented (APPI Art.27(1))
	BasisPurposeConsent = "purpose_consent" // the notice was shown and its purposes agreed
	BasisCardExchange   = "card_exchange"   // card handed over: contact is evident (Art.21(4)(iv))
	BasisBusinessCard   = "business_card"   // card with the address: own ads only (Art.3(1)(ii))
	BasisWithdrawn      = "withdrawn"
	BasisNone           = "none"
)

var basisRank = map[string]int{BasisOptIn: 3, BasisConsent: 3, BasisPurposeConsent: 2, BasisCardExchange: 1, BasisBusinessCard: 1}

// Grant is one fact that allows a channel, with the capture that evidences it.
type Grant struct {
	Channel  Channel `json:"channel"`
	Basis    string  `json:"basis"`
	Evidence string  `json:"evidence"`
	Stamp    Stamp   `json:"stamp"`
}

// Revoke is a withdrawal or opt-out of a channel, with the op that recorded it.
type Revoke struct {
	Channel  Channel `json:"channel"`
	Reason   string  `json:"reason"`
	Evidence string  `json:"evidence"`
	Stamp    Stamp   `json:"stamp"`
}

// Permission is the derived state of one channel of a lead.
type Permission struct {
	Channel  Channel `json:"channel"`
	Allowed  bool    `json:"allowed"`
	Basis    string  `json:"basis"`
	Evidence string  `json:"evidence,omitempty"`
	Reason   string  `json:"reason,omitempty"`
}

// grantsFor derives what a capture allows from its source and consents.
func grantsFor(c *Capture, s Stamp) []Grant {
	card := c.Source.handsOverCard() || slices.ContainsFunc(c.Consents, func(x Consent) bool { return x.Method == MethodImpliedCard })
	var out []Grant
	add := func(ch Channel, basis string) {
		out = append(out, Grant{Channel: ch, Basis: basis, Evidence: c.ID, Stamp: s})
	}
	contact := ""
	switch {
	case c.Has(ConsentPurpose) && !slices.Contains(c.Consents, Consent{ConsentPurpose, MethodImpliedCard}):
		contact = BasisPurposeConsent
	case card:
		contact = BasisCardExchange
	}
	if contact != "" {
		add(ChannelIndividualContact, contact)
		if c.Person.Phone != "" || c.Person.Mobile != "" {
			add(ChannelPhone, contact)
		}
		if c.Person.Address != "" {
			add(ChannelPostal, contact)
		}
	}
	switch {
	case c.Has(ConsentEmailOptIn) && c.Person.Email != "":
		add(ChannelEmailMarketing, BasisOptIn)
	case card && c.Person.Email != "":
		add(ChannelEmailMarketing, BasisBusinessCard)
	}
	if c.Has(ConsentThirdParty) {
		add(ChannelThirdParty, BasisConsent)
	}
	return out
}

// Candidate is a known lead that may be the same person as a new capture: the 名寄せ
// matcher's decision ("merge" or "propose"), score and reasons, and when and by whom the
// lead was last captured (for the inline hint).
type Candidate struct {
	Lead      Lead      `json:"lead"`
	Decision  string    `json:"decision"`
	Score     float64   `json:"score"`
	On        []string  `json:"on"`
	LastAt    time.Time `json:"last_at"`
	LastStaff string    `json:"last_staff,omitempty"`
	LastEvent string    `json:"last_event"`
}
