package sync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/pgstore"
	"github.com/boothledger/boothledger/sync/server/servertest"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

// benchDevice is a device store holding n captures, copied fresh for each use.
func benchDevice(b *testing.B, n int) func() *store.Store {
	dir := b.TempDir()
	seed := filepath.Join(dir, "seed.db")
	s := storetest.OpenAt(b, seed)
	_, e := storetest.Setup(b, s)
	storetest.Seed(b, s, e.ID, n-3) // with the org, notice and event: n ops
	s.Close()
	i := 0
	return func() *store.Store {
		i++
		path := filepath.Join(dir, fmt.Sprintf("device-%d.db", i))
		data, err := os.ReadFile(seed)
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(path, data, 0o600)
		for _, suffix := range []string{"-wal"} {
			if d, err := os.ReadFile(seed + suffix); err == nil {
				os.WriteFile(path+suffix, d, 0o600)
			}
		}
		return storetest.OpenAt(b, path)
	}
}

func benchServer(b *testing.B, st server.Store) (string, string) {
	tok, hash := server.NewToken()
	if err := st.CreateToken(context.Background(), server.Token{ID: capture.NewID(), Name: capture.NewID(), Hash: hash, Role: sync.RoleAdmin, Created: time.Now()}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(srv.Close)
	return srv.URL, tok
}

// BenchmarkSync10000 is one device's first sync of 10,000 captures to a fresh SQLite
// boothd over loopback (push all, then pull). Compare with BenchmarkPouchDBReplicate.
func BenchmarkSync10000(b *testing.B) {
	device := benchDevice(b, 10_000)
	b.ResetTimer() // seeding the device is not sync
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "boothd.db"))
		if err != nil {
			b.Fatal(err)
		}
		url, tok := benchServer(b, st)
		d := device()
		b.StartTimer()
		res, err := (&sync.Client{Store: d, URL: url, Token: tok, Batch: sync.MaxOps}).Round(ctx)
		if err != nil || res.Pushed != 10_000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.StopTimer()
		st.Close()
		d.Close()
	}
	b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkPouchDBReplicate is the baseline: PouchDB 9 (leveldb) replicating 10,000
// documents of the same size to express-pouchdb on loopback, driven from bench/pouchdb
// (make bench installs it with npm).
func BenchmarkPouchDBReplicate(b *testing.B) {
	script, _ := filepath.Abs("../bench/pouchdb/replicate.js")
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules")); err != nil {
		b.Fatal("bench/pouchdb/node_modules missing: run make bench (npm install)")
	}
	var total float64
	for i := 0; i < b.N; i++ {
		out, err := exec.Command("node", script, "10000").Output()
		if err != nil {
			b.Fatalf("node: %v\n%s", err, out)
		}
		var r struct{ MS float64 }
		if err := json.Unmarshal(out, &r); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		total += r.MS
	}
	// The replication alone, as node measured it, not node's start-up.
	b.ReportMetric(total/float64(b.N)*1e6, "ns/replication")
	b.ReportMetric(float64(10_000*b.N)/(total/1000), "ops/s")
}

// benchConcurrent has 20 devices push 1,000 ops each at once.
func benchConcurrent(b *testing.B, open func() server.Store) {
	const devices = 20
	device := benchDevice(b, 1_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := open()
		url, tok := benchServer(b, st)
		var ds []*store.Store
		for d := 0; d < devices; d++ {
			ds = append(ds, device())
		}
		var wg gosync.WaitGroup
		errs := make(chan error, devices)
		b.StartTimer()
		for _, d := range ds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := (&sync.Client{Store: d, URL: url, Token: tok, Batch: sync.MaxOps}).Round(ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		b.StopTimer()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		st.Close()
		for _, d := range ds {
			d.Close()
		}
	}
	b.ReportMetric(float64(devices*1_000*b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkConcurrentPushSQLite(b *testing.B) {
	benchConcurrent(b, func() server.Store {
		st, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "boothd.db"))
		if err != nil {
			b.Fatal(err)
		}
		return st
	})
}

func BenchmarkConcurrentPushPostgres(b *testing.B) {
	url, stop, err := servertest.StartPostgres()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	n := 0
	benchConcurrent(b, func() server.Store {
		n++
		name := fmt.Sprintf("bench_%d", n)
		admin, err := sql.Open("pgx", url)
		if err != nil {
			b.Fatal(err)
		}
		admin.Exec("CREATE DATABASE " + name)
		admin.Close()
		st, err := pgstore.Open(ctx, servertest.WithDatabase(url, name))
		if err != nil {
			b.Fatal(err)
		}
		return st
	})
}
