package store_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/boothledger/boothledger/capture/store"
)

// TestDefaultPathIsTheUsersConfigFolder: with no --db and no $BOOTH_DB the database is
// boothledger/booth.db in the user's configuration folder — %AppData% on Windows — made on
// first use, also when the user's folder has Japanese characters and spaces in its name.
func TestDefaultPathIsTheUsersConfigFolder(t *testing.T) {
	config := filepath.Join(t.TempDir(), "山田 太郎", "AppData", "Roaming")
	t.Setenv("BOOTH_DB", "")
	switch runtime.GOOS {
	case "windows":
		t.Setenv("APPDATA", config)
	default:
		t.Setenv("XDG_CONFIG_HOME", config)
	}
	want := filepath.Join(config, "boothledger", "booth.db")
	if got, err := store.DefaultPath(); err != nil || got != want {
		t.Fatalf("default path %q %v, want %q", got, err, want)
	}
	s, err := store.OpenPath("")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("the database was not made where it belongs: %v", err)
	}

	t.Setenv("BOOTH_DB", filepath.Join(config, "別の 場所.db"))
	if got, _ := store.DefaultPath(); got != filepath.Join(config, "別の 場所.db") {
		t.Fatalf("$BOOTH_DB is not followed: %s", got)
	}
}
