package export_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

var (
	benchOnce  gosync.Once
	benchStore *store.Store
	benchPath  string
	benchEvent capture.Event
)

const benchLeads = 100_000

func seeded(b *testing.B) {
	benchOnce.Do(func() {
		// Shared by every benchmark of the run, so not in one benchmark's TempDir.
		dir, err := os.MkdirTemp("", "booth-export-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchPath = filepath.Join(dir, "booth.db")
		s, err := store.Open(benchPath)
		if err != nil {
			b.Fatal(err)
		}
		_, benchEvent = storetest.Setup(b, s)
		storetest.Seed(b, s, benchEvent.ID, benchLeads)
		benchStore = s
	})
}

func benchExport(b *testing.B, format string) {
	seeded(b)
	out := filepath.Join(b.TempDir(), "list."+format)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := export.Select(ctx, benchStore, export.Request{Events: []string{benchEvent.ID}, Use: capture.UseInternal, Basis: capture.BasisOwn, Recipient: "営業部", Format: format, By: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Rows) != benchLeads {
			b.Fatalf("%d rows", len(p.Rows))
		}
		if _, err := export.WriteFile(ctx, benchStore, p, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportCSV writes 100,000 leads to CSV. Compare with BenchmarkSQLite3CSV.
func BenchmarkExportCSV(b *testing.B) { benchExport(b, export.FormatCSV) }

// BenchmarkExportXLSX writes 100,000 leads to XLSX. Target: under 10 s.
func BenchmarkExportXLSX(b *testing.B) { benchExport(b, export.FormatXLSX) }

// BenchmarkSQLite3CSV is the baseline: Debian's sqlite3 command line selecting the same
// columns of the same leads from the same database as CSV.
func BenchmarkSQLite3CSV(b *testing.B) {
	seeded(b)
	query := fmt.Sprintf(`SELECT json_extract(p, '$.name'), json_extract(p, '$.kana'), json_extract(p, '$.company'), json_extract(p, '$.department'),
		json_extract(p, '$.title'), json_extract(p, '$.email'), json_extract(p, '$.phone'), json_extract(p, '$.mobile'), json_extract(p, '$.postal'),
		json_extract(p, '$.address'), c.at, c.staff, c.source, json_extract(l.state, '$.rating')
		FROM (SELECT id, state, CAST(personal AS TEXT) AS p FROM leads) l JOIN captures c ON c.lead_id = l.id WHERE c.event_id = '%s'`, benchEvent.ID)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command("sqlite3", "-csv", "-header", benchPath, query)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("sqlite3 (make deps installs it): %v: %s", err, stderr.String())
		}
		if len(out) < benchLeads*50 {
			b.Fatalf("sqlite3 wrote only %d bytes", len(out))
		}
	}
}
