package export_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

// atomicWorld is a store with one consenting lead and an earlier list already at out.
type atomicWorld struct {
	s       *store.Store
	db, out string
	event   capture.Event
	earlier []byte
}

func newAtomicWorld(t *testing.T, outDir string, opts ...store.Option) *atomicWorld {
	t.Helper()
	w := &atomicWorld{db: filepath.Join(t.TempDir(), "booth.db"), out: filepath.Join(outDir, "list.csv")}
	s, err := store.Open(w.db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w.s = s
	_, w.event = storetest.Setup(t, s)
	captureAt(t, s, w.event, everyField, capture.ConsentThirdParty)
	if _, err := export.WriteFile(ctx, s, w.plan(t, capture.UseInternal, capture.BasisOwn, "営業部"), w.out); err != nil {
		t.Fatal(err)
	}
	if w.earlier, err = os.ReadFile(w.out); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *atomicWorld) plan(t *testing.T, use capture.Use, basis capture.Basis, recipient string) *export.Plan {
	t.Helper()
	p, err := export.Select(ctx, w.s, export.Request{Events: []string{w.event.ID}, Use: use, Basis: basis, Recipient: recipient, By: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// provision is the third-party list whose failed write the tests check.
func (w *atomicWorld) provision(t *testing.T) *export.Plan {
	return w.plan(t, capture.UseThirdParty, capture.BasisThirdParty, "株式会社サンプル販売")
}

// unchanged checks that a failed write left the earlier list byte for byte, no other file
// in its directory but those named, and only the earlier list's record.
func (w *atomicWorld) unchanged(t *testing.T, others ...string) {
	t.Helper()
	got, err := os.ReadFile(w.out)
	if err != nil || string(got) != string(w.earlier) {
		t.Errorf("earlier list changed (%v): %d bytes, was %d", err, len(got), len(w.earlier))
	}
	entries, _ := os.ReadDir(filepath.Dir(w.out))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := append([]string{filepath.Base(w.out)}, others...)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("directory holds %v, want %v", names, want)
	}
	recs, err := w.s.ExportRecords(ctx, "", false)
	if err != nil || len(recs) != 1 || recs[0].Basis != capture.BasisOwn {
		t.Errorf("export records after the failure: %+v (%v)", recs, err)
	}
}

// retried checks that the same write goes through once the cause is gone, so the failure
// seen was the cause's, and that it then replaces the earlier list and is recorded.
func (w *atomicWorld) retried(t *testing.T, p *export.Plan) {
	t.Helper()
	res, err := export.WriteFile(ctx, w.s, p, w.out)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	got, _ := os.ReadFile(w.out)
	if string(got) == string(w.earlier) || !res.Record.LeavesCompany() {
		t.Fatalf("retry did not replace the list or record the provision: %+v", res.Record)
	}
	if recs, _ := w.s.ExportRecords(ctx, "", true); len(recs) != 1 || recs[0].ID != res.Record.ID {
		t.Fatalf("provision records after the retry: %+v", recs)
	}
}

func TestBusyDatabaseLeavesNoListAndNoRecord(t *testing.T) {
	w := newAtomicWorld(t, t.TempDir(), store.BusyTimeout(100*time.Millisecond))
	p := w.provision(t)
	// Another connection to the same file holds the write lock past the store's timeout.
	other, err := sql.Open(store.DriverName, store.DSN(w.db, false))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Begin() // BEGIN IMMEDIATE: the write lock, at once
	if err != nil {
		t.Fatal(err)
	}
	_, err = export.WriteFile(ctx, w.s, p, w.out)
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy {
		t.Fatalf("write under a held lock: %v, want SQLITE_BUSY", err)
	}
	lock.Rollback()
	w.unchanged(t)
	w.retried(t, p)
}

func TestExportRecordNamesSomeone(t *testing.T) {
	w := newAtomicWorld(t, t.TempDir())
	p := w.provision(t)
	p.Request.By = " "
	_, err := export.WriteFile(ctx, w.s, p, w.out)
	var ve *capture.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "by" || ve.Fields[0].Code != "required" {
		t.Fatalf("export by nobody: %v", err)
	}
	w.unchanged(t)
	if _, err := w.s.RecordExport(ctx, capture.ExportRecord{Use: capture.UseInternal, Basis: capture.BasisOwn, Recipient: "営業部"}, nil); !errors.Is(err, capture.ErrInvalid) {
		t.Fatalf("store took a record naming nobody: %v", err)
	}
}
