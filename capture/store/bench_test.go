package store_test

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

const benchLeads = 100_000

var (
	seedOnce  sync.Once
	seedPath  string
	seedEvent string
	seedErr   error
)

// seededDB builds, once per test binary, a database holding 100,000 leads, and returns a
// fresh copy of it for one benchmark.
func seededDB(b *testing.B) (string, string) {
	b.Helper()
	seedOnce.Do(func() {
		// BOOTH_BENCH_SEED names a seeded database to reuse between runs while profiling.
		if p := os.Getenv("BOOTH_BENCH_SEED"); p != "" {
			if s, err := store.Open(p); err == nil {
				events, _ := s.Events(ctx)
				s.Close()
				if len(events) == 1 {
					seedPath, seedEvent = p, events[0].ID
					return
				}
			}
		}
		dir, err := os.MkdirTemp("", "booth-bench-")
		if err != nil {
			seedErr = err
			return
		}
		seedPath = filepath.Join(dir, "seed.db")
		s, err := store.Open(seedPath)
		if err != nil {
			seedErr = err
			return
		}
		defer s.Close()
		_, e := storetest.Setup(b, s)
		seedEvent = e.ID
		storetest.Seed(b, s, e.ID, benchLeads)
		_, seedErr = s.IntegrityCheck(ctx)
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	dst := filepath.Join(b.TempDir(), "bench.db")
	copyFile(b, seedPath, dst)
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(seedPath + suffix); err == nil {
			copyFile(b, seedPath+suffix, dst+suffix)
		}
	}
	return dst, seedEvent
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	out.Close()
}

// BenchmarkCaptureCommit is one capture as the booth saves it: validation, the
// duplicate-candidate lookup, the lead and capture rows and the op, committed with
// synchronous=FULL, with 100,000 leads already stored.
func BenchmarkCaptureCommit(b *testing.B) {
	path, event := seededDB(b)
	s := storetest.OpenAt(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := capture.NewCapture{EventID: event, Staff: "bench", Person: storetest.Person(benchLeads + i),
			Consents: []capture.ConsentKind{capture.ConsentPurpose, capture.ConsentEmailOptIn}}
		if _, err := s.AddCapture(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawInsert is the baseline: one single-row INSERT of a similar payload, committed
// on its own, into the same 100,000-lead database with the same pragmas.
func BenchmarkRawInsert(b *testing.B) {
	path, _ := seededDB(b)
	db, err := sql.Open(store.DriverName, store.DSN(path, false))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE raw (id TEXT PRIMARY KEY, body BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	body := []byte(fmt.Sprintf("%+v", storetest.Person(0)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Exec(`INSERT INTO raw (id, body) VALUES (?, ?)`, capture.NewID(), body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCandidates is the inline duplicate check the capture form runs while typing.
func BenchmarkCandidates(b *testing.B) {
	path, _ := seededDB(b)
	s := storetest.OpenAt(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Candidates(ctx, storetest.Person(i%benchLeads)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInlineCheck1M is the capture screen's duplicate check for one new card (the
// store's key lookup, then the 名寄せ matcher on what it finds) with 1,000,000 leads stored.
// Seeding them takes several minutes. Target: under 5 ms.
func BenchmarkInlineCheck1M(b *testing.B) {
	const stored = 1_000_000
	million.Do(func() {
		dir, err := os.MkdirTemp("", "booth-bench-1m-")
		if err != nil {
			b.Fatal(err)
		}
		millionDir = dir
		if millionStore, err = store.Open(filepath.Join(dir, "booth.db")); err != nil {
			b.Fatal(err)
		}
		_, e := storetest.Setup(b, millionStore)
		storetest.Seed(b, millionStore, e.ID, stored)
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := storetest.Person(i * 7919 % stored)
		cands, err := millionStore.Candidates(ctx, p)
		if err != nil || len(cands) == 0 {
			b.Fatalf("%d candidates, %v", len(cands), err)
		}
		for _, c := range cands {
			match.Score(match.Record{ID: "new", Person: p}, match.Record{ID: c.Lead.ID, Person: c.Lead.Person})
		}
	}
}

// million seeds the 1,000,000-lead store once per run: the benchmark function runs more
// than once.
var (
	million      sync.Once
	millionStore *store.Store
	millionDir   string // removed by TestMain: a 4 GB file
)

// BenchmarkExpiries is what the lead screen's 30-day list and the daily retention read,
// with 100,000 leads stored.
func BenchmarkExpiries(b *testing.B) {
	path, _ := seededDB(b)
	s := storetest.OpenAt(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Expiries(ctx, time.Now().AddDate(0, 0, 30)); err != nil {
			b.Fatal(err)
		}
	}
}
