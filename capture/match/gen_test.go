package match

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/boothledger/boothledger/capture"
)

// The labelled generator: realistic Japanese card data with the variations people write,
// and the hard negatives a careless matcher merges.

var surnames = []struct{ kanji, variant, kana string }{
	{"佐藤", "", "さとう"}, {"鈴木", "", "すずき"}, {"高橋", "髙橋", "たかはし"}, {"田中", "", "たなか"}, {"伊藤", "", "いとう"},
	{"渡辺", "渡邊", "わたなべ"}, {"山本", "", "やまもと"}, {"中村", "", "なかむら"}, {"小林", "", "こばやし"}, {"加藤", "", "かとう"},
	{"吉田", "", "よしだ"}, {"山田", "", "やまだ"}, {"佐々木", "", "ささき"}, {"山口", "", "やまぐち"}, {"松本", "", "まつもと"},
	{"斎藤", "齋藤", "さいとう"}, {"山崎", "山﨑", "やまざき"}, {"中島", "中嶋", "なかじま"}, {"浜田", "濵田", "はまだ"}, {"徳田", "德田", "とくだ"},
	{"井上", "", "いのうえ"}, {"木村", "", "きむら"}, {"清水", "", "しみず"}, {"森", "", "もり"}, {"池田", "", "いけだ"},
	{"橋本", "", "はしもと"}, {"阿部", "", "あべ"}, {"石川", "", "いしかわ"}, {"山下", "", "やました"}, {"石井", "", "いしい"},
	{"小川", "", "おがわ"}, {"前田", "", "まえだ"}, {"岡田", "", "おかだ"}, {"長谷川", "", "はせがわ"}, {"藤田", "", "ふじた"},
	{"後藤", "", "ごとう"}, {"近藤", "", "こんどう"}, {"村上", "", "むらかみ"}, {"遠藤", "", "えんどう"}, {"青木", "", "あおき"},
	{"坂本", "", "さかもと"}, {"福田", "", "ふくだ"}, {"太田", "", "おおた"}, {"西村", "", "にしむら"}, {"藤井", "", "ふじい"},
}

var givenNames = []struct{ kanji, kana string }{
	{"太郎", "たろう"}, {"花子", "はなこ"}, {"一郎", "いちろう"}, {"健", "けん"}, {"翔太", "しょうた"}, {"美咲", "みさき"},
	{"大輔", "だいすけ"}, {"陽子", "ようこ"}, {"誠", "まこと"}, {"直樹", "なおき"}, {"裕子", "ゆうこ"}, {"恵", "めぐみ"},
	{"隆", "たかし"}, {"彩", "あや"}, {"拓也", "たくや"}, {"真由美", "まゆみ"}, {"亮", "りょう"}, {"愛", "あい"},
	{"和也", "かずや"}, {"由美", "ゆみ"}, {"浩二", "こうじ"}, {"智子", "ともこ"}, {"剛", "つよし"}, {"麻衣", "まい"},
	{"達也", "たつや"}, {"久美子", "くみこ"}, {"雄一", "ゆういち"}, {"紀子", "のりこ"}, {"慎吾", "しんご"}, {"千尋", "ちひろ"},
	{"悠斗", "ゆうと"}, {"結衣", "ゆい"}, {"康弘", "やすひろ"}, {"明美", "あけみ"}, {"修", "おさむ"}, {"舞", "まい"},
}

var companyStems = []string{"アルファ", "ベータ電機", "ガンマ工業", "デルタ物流", "イプシロン", "ゼータ商事", "エータ精密", "シータ化学", "カッパ製作所", "ラムダ通信"}

type genPerson struct {
	id                    int
	last, given           int
	company               int
	pre                   bool
	email, mobile, direct string
	jobChangeTo           int // -1: none
}

type labelled struct {
	records []Record
	person  map[string]int // record id → person id
	company map[string]int // record id → company index it was written for
}

// companyName writes company c the way a card might: 前株 or 後株 fixed per company, the legal
// form written in full, as (株) or as ㈱.
func companyName(r *rand.Rand, c int, pre bool) string {
	stem := companyStems[c%len(companyStems)] + fmt.Sprint(c/len(companyStems)+1)
	form := []string{"株式会社", "(株)", "㈱", "株式会社"}[r.IntN(4)]
	if pre {
		return form + stem
	}
	return stem + form
}

func mainNumber(c int) string { return fmt.Sprintf("03-%04d-0000", 1000+c) }

// flipped offsets a company id to mean the same stem with its legal form on the other side.
const flipped = 100000

// generate makes n people with 1 to 3 cards each, colleagues sharing role mailboxes and
// main numbers, namesakes at other companies, and some job changers.
func generate(seed uint64, n int) labelled {
	r := rand.New(rand.NewPCG(seed, 17))
	l := labelled{person: map[string]int{}, company: map[string]int{}}
	companies := n / 8
	people := make([]genPerson, n)
	for i := range people {
		p := genPerson{id: i, last: r.IntN(len(surnames)), given: r.IntN(len(givenNames)), company: r.IntN(companies), jobChangeTo: -1}
		p.pre = p.company%2 == 0
		p.email = fmt.Sprintf("u%05d@c%03d.example.co.jp", i, p.company)
		if r.IntN(2) == 0 {
			p.mobile = fmt.Sprintf("090-%04d-%04d", i/10000, i%10000)
		}
		if r.IntN(3) == 0 {
			p.direct = fmt.Sprintf("03-%04d-%04d", 5000+p.company, 1+i%9000)
		}
		if p.mobile != "" && r.IntN(12) == 0 {
			p.jobChangeTo = (p.company + 1 + r.IntN(companies-1)) % companies
		}
		people[i] = p
	}
	rec := 0
	add := func(p genPerson, company int, email string) {
		s := surnames[p.last]
		g := givenNames[p.given]
		last := s.kanji
		if s.variant != "" && r.IntN(3) == 0 {
			last = s.variant
		}
		name := last + []string{" ", "　", ""}[r.IntN(3)] + g.kanji
		kana := s.kana + " " + g.kana
		switch r.IntN(4) {
		case 0:
			kana = strings.Map(func(x rune) rune {
				if x >= 'ぁ' && x <= 'ゖ' {
					return x + 0x60
				}
				return x
			}, kana)
		case 1:
			kana = ""
		}
		// Company ids from flipped are the same stem written the other way round (前株 vs 後株):
		// another company.
		stem, pre := company, company%2 == 0
		if company >= flipped {
			stem, pre = company-flipped, !pre
		}
		person := capture.Person{Name: name, Kana: kana, Company: companyName(r, stem, pre), Title: []string{"部長", "課長", "主任", ""}[r.IntN(4)]}
		if r.IntN(5) > 0 {
			person.Email = email
			if r.IntN(4) == 0 {
				person.Email = strings.ToUpper(email[:1]) + email[1:]
			}
		} else if r.IntN(2) == 0 {
			person.Email = fmt.Sprintf("info@c%03d.example.co.jp", stem) // the card shows the team mailbox
		}
		switch {
		case p.direct != "" && r.IntN(2) == 0:
			person.Phone = p.direct
		case r.IntN(2) == 0:
			person.Phone = mainNumber(company % flipped)
		}
		if p.mobile != "" && r.IntN(4) > 0 {
			person.Mobile = []string{p.mobile, strings.ReplaceAll(p.mobile, "-", ""), "+81 " + p.mobile[1:]}[r.IntN(3)]
		}
		id := fmt.Sprintf("r%06d", rec)
		rec++
		l.records = append(l.records, Record{ID: id, Person: person})
		l.person[id] = p.id
		l.company[id] = company
	}
	for _, p := range people {
		for k := 0; k < 1+r.IntN(3); k++ {
			add(p, p.company, p.email)
		}
		if p.jobChangeTo >= 0 {
			add(p, p.jobChangeTo, fmt.Sprintf("u%05d@c%03d.example.co.jp", p.id, p.jobChangeTo))
		}
	}
	// Hard negatives: a namesake (same name and reading) at another company, and one at the
	// company whose name differs only by 前株/後株.
	for i := 0; i < n/10; i++ {
		src := people[r.IntN(n)]
		twin := genPerson{id: n + i, last: src.last, given: src.given, jobChangeTo: -1,
			company: []int{(src.company + 1 + r.IntN(companies-1)) % companies, src.company + flipped}[r.IntN(2)]}
		twin.email = fmt.Sprintf("u%05d@c%03d.example.co.jp", twin.id, twin.company)
		if r.IntN(2) == 0 {
			twin.mobile = fmt.Sprintf("080-%04d-%04d", i/10000, i%10000)
		}
		add(twin, twin.company, twin.email)
	}
	return l
}

// truth returns the pairs that should merge (same person, same company) and those that
// should only be proposed (same person, another company).
func (l labelled) truth() (merge, propose map[[2]string]bool) {
	merge, propose = map[[2]string]bool{}, map[[2]string]bool{}
	byPerson := map[int][]string{}
	for _, r := range l.records {
		byPerson[l.person[r.ID]] = append(byPerson[l.person[r.ID]], r.ID)
	}
	for _, ids := range byPerson {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				key := [2]string{min(ids[i], ids[j]), max(ids[i], ids[j])}
				if l.company[ids[i]] == l.company[ids[j]] {
					merge[key] = true
				} else {
					propose[key] = true
				}
			}
		}
	}
	return merge, propose
}

// metrics measures pairwise precision, recall and F1 of the merge clusters against truth.
func metrics(l labelled) (precision, recall, f1 float64, wrongProposals int) {
	pairs := New(l.records).Pairs()
	predicted := map[[2]string]bool{}
	for _, c := range Clusters(pairs) {
		for i := range c.Leads {
			for j := i + 1; j < len(c.Leads); j++ {
				predicted[[2]string{c.Leads[i], c.Leads[j]}] = true
			}
		}
	}
	merge, propose := l.truth()
	tp := 0
	for p := range predicted {
		if merge[p] {
			tp++
		}
	}
	for _, p := range pairs {
		if p.Decision == Propose && !propose[[2]string{p.A, p.B}] {
			wrongProposals++
		}
	}
	precision = float64(tp) / float64(max(1, len(predicted)))
	recall = float64(tp) / float64(max(1, len(merge)))
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1, wrongProposals
}
