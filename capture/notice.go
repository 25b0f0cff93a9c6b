package capture

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// NoticeBody is the text of a purpose-of-use notice (利用目的) as shown to people. It is the
// part the evidence hash covers.
type NoticeBody struct {
	Title      string     `json:"title"`
	Lang       string     `json:"lang"`
	Purposes   []string   `json:"purposes"`
	Items      []string   `json:"items"`
	ThirdParty ThirdParty `json:"third_party"`
	JointUse   *JointUse  `json:"joint_use,omitempty"`
	Retention  string     `json:"retention"`
	Contact    string     `json:"contact"`
	PolicyURL  string     `json:"policy_url"`
}

// ThirdParty declares provision to other companies (APPI Art.27(1)).
type ThirdParty struct {
	Provides   bool     `json:"provides"`
	Recipients []string `json:"recipients"`
	Items      []string `json:"items"`
	Method     string   `json:"method"`
	// Abroad marks recipients in a foreign country (APPI Art.28). It is left out of the JSON
	// when empty, so notices written before it keep their text and their hash.
	Abroad []Abroad `json:"abroad,omitempty"`
}

// Abroad is what a person must be told before consenting to provision to a recipient in a
// foreign country (APPI Art.28(2), rules Art.17): the country, its system for protecting
// personal information, and the measures the recipient takes.
type Abroad struct {
	Recipient string `json:"recipient"` // as written in Recipients
	Country   string `json:"country"`
	Regime    string `json:"regime"`
	Measures  string `json:"measures"`
}

// Complete reports whether the entry gives everything Art.28 asks the person be told.
func (a Abroad) Complete() bool {
	return strings.TrimSpace(a.Country) != "" && strings.TrimSpace(a.Regime) != "" && strings.TrimSpace(a.Measures) != ""
}

// AbroadFor returns the abroad entry of a recipient as written in Recipients.
func (tp ThirdParty) AbroadFor(recipient string) (Abroad, bool) {
	for _, a := range tp.Abroad {
		if a.Recipient == recipient {
			return a, true
		}
	}
	return Abroad{}, false
}

// JointUse declares joint use (共同利用, APPI Art.27(5)(iii)).
type JointUse struct {
	Items       []string `json:"items"`
	Users       string   `json:"users"`
	Purpose     string   `json:"purpose"`
	Responsible Party    `json:"responsible"`
}

// Party names the person responsible for jointly used data.
type Party struct {
	Name           string `json:"name"`
	Address        string `json:"address"`
	Representative string `json:"representative"`
}

// Notice is one immutable version of a notice. Editing a notice makes a new Notice whose
// Supersedes names the previous version.
type Notice struct {
	ID         string `json:"id"`
	Version    int    `json:"version"`
	Supersedes string `json:"supersedes,omitempty"`
	Hash       string `json:"hash"`
	NoticeBody
}

// DecodeNoticeBody reads notice JSON strictly: an unknown field is an error, so a typo in a
// key is not silently dropped from the evidence.
func DecodeNoticeBody(data []byte) (NoticeBody, error) {
	var b NoticeBody
	if err := decodeStrict(data, &b); err != nil {
		return NoticeBody{}, jsonInvalid("notice", data, err)
	}
	return b, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailing{dec.InputOffset()}
	}
	return nil
}

// Clean normalises every text of the notice to NFC and checks its structure. Whether the
// wording is specific enough is the notice checker's job, not this one's.
func (b NoticeBody) Clean() (NoticeBody, error) {
	var v errs
	b.Title = cleanText(&v, "title", b.Title)
	if b.Title == "" {
		v.add("title", "required")
	}
	if b.Lang != "ja" && b.Lang != "en" {
		v.add("lang", "one_of", "ja, en")
	}
	b.Purposes = cleanList(&v, "purposes", b.Purposes)
	b.Items = cleanList(&v, "items", b.Items)
	b.ThirdParty.Recipients = cleanList(&v, "third_party.recipients", b.ThirdParty.Recipients)
	b.ThirdParty.Items = cleanList(&v, "third_party.items", b.ThirdParty.Items)
	b.ThirdParty.Method = cleanText(&v, "third_party.method", b.ThirdParty.Method)
	if len(b.ThirdParty.Abroad) > 0 {
		abroad := make([]Abroad, len(b.ThirdParty.Abroad))
		for i, a := range b.ThirdParty.Abroad {
			f := fmt.Sprintf("third_party.abroad[%d].", i)
			abroad[i] = Abroad{Recipient: cleanText(&v, f+"recipient", a.Recipient), Country: cleanText(&v, f+"country", a.Country),
				Regime: cleanText(&v, f+"regime", a.Regime), Measures: cleanText(&v, f+"measures", a.Measures)}
		}
		b.ThirdParty.Abroad = abroad
	}
	if j := b.JointUse; j != nil {
		c := *j
		c.Items = cleanList(&v, "joint_use.items", c.Items)
		c.Users = cleanText(&v, "joint_use.users", c.Users)
		c.Purpose = cleanText(&v, "joint_use.purpose", c.Purpose)
		c.Responsible.Name = cleanText(&v, "joint_use.responsible.name", c.Responsible.Name)
		c.Responsible.Address = cleanText(&v, "joint_use.responsible.address", c.Responsible.Address)
		c.Responsible.Representative = cleanText(&v, "joint_use.responsible.representative", c.Responsible.Representative)
		b.JointUse = &c
	}
	b.Retention = cleanText(&v, "retention", b.Retention)
	b.Contact = cleanText(&v, "contact", b.Contact)
	b.PolicyURL = cleanText(&v, "policy_url", b.PolicyURL)
	if b.PolicyURL != "" && !isHTTPURL(b.PolicyURL) {
		v.add("policy_url", "url")
	}
	return b, v.err()
}

func cleanList(v *errs, field string, list []string) []string {
	out := make([]string, 0, len(list))
	for i, s := range list {
		if s = cleanText(v, fmt.Sprintf("%s[%d]", field, i), s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isHTTPURL(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && len(s) > len("https://") && !strings.ContainsAny(s, " \t")
}

// Hash is the evidence identity of the notice text: the SHA-256 of its canonical JSON (keys
// sorted, no insignificant white space, no HTML escaping, lists never null).
func (b NoticeBody) Hash() string {
	sum := sha256.Sum256(b.Canonical())
	return hex.EncodeToString(sum[:])
}

// Canonical returns the canonical JSON of the body.
func (b NoticeBody) Canonical() []byte {
	b.Purposes = nonNil(b.Purposes)
	b.Items = nonNil(b.Items)
	b.ThirdParty.Recipients = nonNil(b.ThirdParty.Recipients)
	b.ThirdParty.Items = nonNil(b.ThirdParty.Items)
	if b.JointUse != nil {
		j := *b.JointUse
		j.Items = nonNil(j.Items)
		b.JointUse = &j
	}
	raw, err := json.Marshal(b)
	if err != nil {
		panic(err) // only strings, bools and slices: cannot fail
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tree); err != nil { // maps encode with sorted keys
		panic(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Declares reports whether the notice declares what a consent kind agrees to: third-party
// provision and joint use can only be consented to when the notice states them.
func (b NoticeBody) Declares(kind ConsentKind) bool {
	switch kind {
	case ConsentThirdParty:
		return b.ThirdParty.Provides
	case ConsentJointUse:
		return b.JointUse != nil
	}
	return true
}

// DefaultNotice is the version a new event starts from: the newest one the checker finds no
// error in, so that a version saved with errors is never picked for anyone unasked. notices
// come newest first, as the store lists them.
func DefaultNotice(notices []Notice) (Notice, bool) {
	for _, n := range notices {
		if Errors(n.Lint()) == 0 {
			return n, true
		}
	}
	return Notice{}, false
}
