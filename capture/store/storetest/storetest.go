// Package storetest sets up real stores in a test's temporary directory, with an
// organisation, a purpose notice and an event ready for capturing.
package storetest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// Notice is a realistic, specific purpose notice in Japanese that declares third-party
// provision and joint use.
func Notice() capture.NoticeBody {
	return capture.NoticeBody{
		Title: "展示会でお預かりする個人情報の利用目的",
		Lang:  "ja",
		Purposes: []string{
			"当社の産業用センサー事業における新製品・セミナーに関する情報を電子メールでお知らせするため",
			"お問い合わせいただいた製品について、営業担当者から電話または訪問でご説明するため",
		},
		Items: []string{"氏名", "会社名", "部署", "役職", "メールアドレス", "電話番号", "アンケートの回答"},
		ThirdParty: capture.ThirdParty{
			Provides:   true,
			Recipients: []string{"当社の販売代理店（株式会社サンプル販売）"},
			Items:      []string{"氏名", "会社名", "メールアドレス"},
			Method:     "暗号化した電子ファイルで提供",
		},
		JointUse: &capture.JointUse{
			Items:       []string{"氏名", "会社名", "メールアドレス"},
			Users:       "本セミナーの共催企業である株式会社共催パートナー",
			Purpose:     "共催セミナーの開催案内を電子メールで送るため",
			Responsible: capture.Party{Name: "ブースレジャー株式会社", Address: "東京都千代田区丸の内1-1-1", Representative: "代表取締役 山田一郎"},
		},
		Retention: "取得日から3年間",
		Contact:   "個人情報お問い合わせ窓口 privacy@example.co.jp",
		PolicyURL: "https://example.co.jp/privacy/notice/{version}?h={hash}",
	}
}

// Open opens a new store in t's temporary directory; it is closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "booth.db"))
}

// OpenAt opens the store at path; it is closed when the test ends.
func OpenAt(t testing.TB, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Setup records an organisation, the notice and an event with a short survey in s.
func Setup(t testing.TB, s *store.Store) (capture.Notice, capture.Event) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SetOrg(ctx, capture.Org{Name: "ブースレジャー株式会社", Address: "東京都千代田区丸の内1-1-1",
		Representative: "山田一郎", PrivacyManager: "佐藤花子", Contact: "privacy@example.co.jp", PolicyURL: "https://example.co.jp/privacy"}); err != nil {
		t.Fatal(err)
	}
	n, err := s.AddNotice(ctx, Notice(), "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.SaveEvent(ctx, capture.Event{Name: "産業センサー展2026", Venue: "東京ビッグサイト", Date: "2026-11-25", End: "2026-11-27", NoticeID: n.ID,
		Survey: &capture.Survey{Title: "来場者アンケート", Questions: []capture.Question{
			{ID: "interest", Text: "ご関心のある製品", Kind: capture.QuestionMulti, Options: []string{"温度センサー", "圧力センサー", "IoTゲートウェイ"}},
			{ID: "timing", Text: "導入のご予定", Kind: capture.QuestionSingle, Options: []string{"3か月以内", "1年以内", "未定"}},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	return n, e
}

// Person is the i-th of a stream of distinct, realistic people.
func Person(i int) capture.Person {
	return capture.Person{
		Name: fmt.Sprintf("来場者 %d", i), Kana: "らいじょうしゃ", Company: fmt.Sprintf("株式会社サンプル%d", i%5000),
		Department: "営業部", Title: "課長", Email: fmt.Sprintf("visitor%d@example.co.jp", i),
		Phone: fmt.Sprintf("03-%04d-%04d", i/10000, i%10000), Mobile: fmt.Sprintf("090-%04d-%04d", i/10000, i%10000),
	}
}

// Seed captures n distinct people at event e, a thousand per transaction.
func Seed(tb testing.TB, s *store.Store, eventID string, n int) {
	tb.Helper()
	batch := make([]capture.NewCapture, 0, 1000)
	for i := 0; i < n; i++ {
		batch = append(batch, capture.NewCapture{EventID: eventID, Staff: "seed", Person: Person(i)})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := s.AddCaptures(context.Background(), batch); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}
