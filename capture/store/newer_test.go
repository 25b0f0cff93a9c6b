package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// TestNewerDatabaseIsRefused: a file a newer version has migrated (someone unzipped the old
// program again instead of putting back the backup) is not opened, so nothing writes into a
// schema this version does not know.
func TestNewerDatabaseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open(store.DriverName, path)
	if err != nil {
		t.Fatal(err)
	}
	var version int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	set := func(v int) {
		if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v)); err != nil {
			t.Fatal(err)
		}
	}
	set(version + 1)
	if _, err := store.Open(path); !errors.Is(err, capture.ErrNewerDatabase) {
		t.Fatalf("open of a newer database: %v", err)
	}
	set(version) // the version this program wrote opens as before
	s, err = store.Open(path)
	if err != nil {
		t.Fatalf("open of its own version: %v", err)
	}
	s.Close()
	db.Close()
}
