package match

import (
	"hash/fnv"
	"slices"
	"sort"

	"github.com/boothledger/boothledger/capture"
)

// Record is one lead to match.
type Record struct {
	ID     string
	Person capture.Person
}

// Decisions a pair can get.
const (
	Merge   = "merge"   // the same person at the same company: safe to merge
	Propose = "propose" // the same person at another company (a job change, or a concurrent post): ask
	None    = ""
)

// Reasons a pair is scored as it is.
const (
	ReasonEmail       = "email"
	ReasonMobile      = "mobile"
	ReasonPhone       = "phone"
	ReasonName        = "name"
	ReasonReading     = "reading"
	ReasonCompany     = "company"
	ReasonNewCompany  = "new_company"
	ReasonRoleMailbox = "role_mailbox"
	ReasonMainNumber  = "main_number"
	ReasonNameDiffers = "name_differs"
)

// Pair is a scored candidate pair.
type Pair struct {
	A, B     string
	Score    float64
	Reasons  []string
	Decision string
}

// normed is a record's comparison forms.
type normed struct {
	id                   string
	name, reading        string
	company              Company
	email, phone, mobile string
	roleEmail            bool
}

func normalise(r Record) normed {
	p := r.Person
	n := normed{id: r.ID, name: Name(p.Name), reading: Reading(p.Kana), company: ParseCompany(p.Company),
		email: Email(p.Email), phone: Phone(p.Phone), mobile: Phone(p.Mobile)}
	n.roleEmail = n.email != "" && IsRoleMailbox(n.email)
	// A mobile number written in the phone field is still personal.
	if n.mobile == "" && IsMobile(n.phone) {
		n.mobile, n.phone = n.phone, ""
	}
	return n
}

// Keys are a person's blocking keys: only records sharing one are ever compared. The store
// keeps them as indexed columns, so that the candidates it finds for a new capture are the
// ones the matcher would compare.
type Keys struct {
	Email, Phone, Mobile string
	// NameCompany and ReadingCompany join the name or reading with the company's name
	// without its legal form ("サンプル" for 株式会社サンプル): the form is compared later.
	NameCompany, ReadingCompany string
}

// KeysOf returns the blocking keys of p.
func KeysOf(p capture.Person) Keys { return keysOf(normalise(Record{Person: p})) }

func keysOf(n normed) Keys {
	k := Keys{Email: n.email, Phone: n.phone, Mobile: n.mobile}
	if n.company.Name != "" {
		if n.name != "" {
			k.NameCompany = n.name + "\x1f" + n.company.Name
		}
		if n.reading != "" {
			k.ReadingCompany = n.reading + "\x1f" + n.company.Name
		}
	}
	return k
}

// Matcher scores pairs among a set of records.
type Matcher struct {
	recs []normed
	// phoneNames counts the distinct names seen on each landline: a number shared by
	// several people is a main number, never enough on its own.
	phoneNames map[string]map[string]bool
}

// New prepares a matcher over records.
func New(records []Record) *Matcher {
	m := &Matcher{recs: make([]normed, len(records)), phoneNames: map[string]map[string]bool{}}
	for i, r := range records {
		n := normalise(r)
		m.recs[i] = n
		if n.phone != "" {
			if m.phoneNames[n.phone] == nil {
				m.phoneNames[n.phone] = map[string]bool{}
			}
			m.phoneNames[n.phone][n.name] = true
		}
	}
	return m
}

// blockingKeys are the keys a record is grouped under; only records sharing a key are compared.
func blockingKeys(n normed) []string {
	var keys []string
	add := func(kind, v string) {
		if v != "" {
			keys = append(keys, kind+"\x1f"+v)
		}
	}
	k := keysOf(n)
	add("e", k.Email)
	add("m", k.Mobile)
	add("p", k.Phone)
	add("nc", k.NameCompany)
	add("rc", k.ReadingCompany)
	return keys
}

// maxBlock skips keys shared by more records than this: they identify no one.
const maxBlock = 200

// Pairs returns every candidate pair with a decision, best first.
func (m *Matcher) Pairs() []Pair {
	// Blocks are keyed by a 64-bit hash of the key: a million cards make millions of keys,
	// and a rare collision only adds a pair to score.
	blocks := map[uint64][]int32{}
	for i, n := range m.recs {
		for _, k := range blockingKeys(n) {
			h := fnv.New64a()
			h.Write([]byte(k))
			blocks[h.Sum64()] = append(blocks[h.Sum64()], int32(i))
		}
	}
	seen := map[[2]int32]bool{}
	var out []Pair
	for _, idx := range blocks {
		if len(idx) < 2 || len(idx) > maxBlock {
			continue
		}
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				i, j := idx[x], idx[y]
				if seen[[2]int32{i, j}] {
					continue
				}
				seen[[2]int32{i, j}] = true
				if p := m.score(m.recs[i], m.recs[j]); p.Decision != None {
					out = append(out, p)
				}
			}
		}
	}
	sortPairs(out)
	return out
}

// sortPairs orders pairs best first, then by their ids.
func sortPairs(out []Pair) {
	sort.Slice(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].A+out[a].B < out[b].A+out[b].B
	})
}

// Score scores two records on their own (without knowing which numbers are main numbers).
func Score(a, b Record) Pair {
	m := New([]Record{a, b})
	return m.score(m.recs[0], m.recs[1])
}

// Against scores the record with id against every other record of the matcher, which
// share a blocking key with it: the pairs with a decision, best first. It is how a new
// capture is compared with the leads the store found for it.
func (m *Matcher) Against(id string) []Pair {
	i := slices.IndexFunc(m.recs, func(n normed) bool { return n.id == id })
	if i < 0 {
		return nil
	}
	var out []Pair
	for j := range m.recs {
		if j != i {
			if p := m.score(m.recs[i], m.recs[j]); p.Decision != None {
				out = append(out, p)
			}
		}
	}
	sortPairs(out)
	return out
}

func (m *Matcher) mainNumber(phone string) bool { return len(m.phoneNames[phone]) >= 3 }

func (m *Matcher) score(a, b normed) Pair {
	p := Pair{A: a.id, B: b.id}
	if p.A > p.B {
		p.A, p.B = p.B, p.A
	}
	both := func(x, y string) bool { return x != "" && y != "" }
	name := both(a.name, b.name) && a.name == b.name
	nameConflict := both(a.name, b.name) && a.name != b.name
	reading := both(a.reading, b.reading) && a.reading == b.reading
	readingConflict := both(a.reading, b.reading) && a.reading != b.reading
	company := a.company.Name != "" && b.company.Name != "" && a.company.Same(b.company)
	newCompany := a.company.Name != "" && b.company.Name != "" && !company
	email := both(a.email, b.email) && a.email == b.email
	emailConflict := both(a.email, b.email) && a.email != b.email && !a.roleEmail && !b.roleEmail
	mobile := both(a.mobile, b.mobile) && a.mobile == b.mobile
	mobileConflict := both(a.mobile, b.mobile) && a.mobile != b.mobile
	phone := both(a.phone, b.phone) && a.phone == b.phone
	reason := func(ok bool, r string) {
		if ok {
			p.Reasons = append(p.Reasons, r)
		}
	}
	reason(email, ReasonEmail)
	reason(mobile, ReasonMobile)
	reason(phone, ReasonPhone)
	reason(name, ReasonName)
	reason(reading, ReasonReading)
	reason(company, ReasonCompany)
	reason(newCompany, ReasonNewCompany)
	if email && a.roleEmail {
		p.Reasons = append(p.Reasons, ReasonRoleMailbox)
	}
	if phone && m.mainNumber(a.phone) {
		p.Reasons = append(p.Reasons, ReasonMainNumber)
	}
	personalEmail := email && !a.roleEmail
	// Different names or readings are different people, whatever else matches; but one
	// personal address under two names is a misread name or a successor: staff should look.
	sameName := (name || !nameConflict && (a.name == "" || b.name == "")) && !readingConflict
	if nameConflict || !sameName {
		if personalEmail && nameConflict && !mobileConflict {
			p.Reasons = append(p.Reasons, ReasonNameDiffers)
			p.Score, p.Decision = 0.6, Propose
		}
		return p
	}
	personalPhone := phone && !m.mainNumber(a.phone)
	switch {
	case newCompany:
		// The same person at another company: a job change, or a concurrent post (兼務).
		if name && (mobile || personalEmail) {
			p.Score, p.Decision = 0.85, Propose
		}
	case personalEmail && !mobileConflict:
		p.Score, p.Decision = 0.97, Merge
	case mobile && name && !emailConflict:
		p.Score, p.Decision = 0.96, Merge
	case personalPhone && name && company && !emailConflict && !mobileConflict:
		p.Score, p.Decision = 0.93, Merge
	case name && company && (reading || a.reading == "" || b.reading == "") && !emailConflict && !mobileConflict:
		p.Score, p.Decision = 0.9, Merge
	}
	if p.Decision != None && !name && !reading {
		// Only contact details agree and one side has no name: a guess, not evidence.
		p.Score, p.Decision = 0, None
	}
	return p
}

// Cluster is a group of records to merge, with the weakest link's score and every reason.
type Cluster struct {
	Leads   []string `json:"leads"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

// Clusters joins merge pairs into groups (union-find). Proposals stay pairs.
func Clusters(pairs []Pair) []Cluster {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] == "" || parent[x] == x {
			parent[x] = x
			return x
		}
		parent[x] = find(parent[x])
		return parent[x]
	}
	for _, p := range pairs {
		if p.Decision == Merge {
			ra, rb := find(p.A), find(p.B)
			if ra != rb {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	groups := map[string]*Cluster{}
	for _, p := range pairs {
		if p.Decision != Merge {
			continue
		}
		root := find(p.A)
		c := groups[root]
		if c == nil {
			c = &Cluster{Score: 1}
			groups[root] = c
		}
		for _, id := range []string{p.A, p.B} {
			if !slices.Contains(c.Leads, id) {
				c.Leads = append(c.Leads, id)
			}
		}
		c.Score = min(c.Score, p.Score)
		for _, r := range p.Reasons {
			if !slices.Contains(c.Reasons, r) {
				c.Reasons = append(c.Reasons, r)
			}
		}
	}
	out := make([]Cluster, 0, len(groups))
	for _, c := range groups {
		slices.Sort(c.Leads)
		out = append(out, *c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Leads[0] < out[b].Leads[0] })
	return out
}
