package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boothledger/boothledger/assets"
)

// TestStartFailureIsSaid: a database that cannot be opened stops the app before any window,
// and what the user is told (a message box on Windows) says so in their language, with the
// sentence for the failure and the error itself.
func TestStartFailureIsSaid(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "ファイル")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := (&Main{}).Run(context.Background(), []string{"--db", filepath.Join(blocker, "booth.db")})
	if err == nil {
		t.Fatal("a database under a file opened")
	}
	ja := startFailure(assets.Texts{Lang: "ja"}, err)
	if !strings.HasPrefix(ja, "ブースレジャーを起動できませんでした。") || !strings.Contains(ja, err.Error()) {
		t.Fatalf("ja: %q", ja)
	}
	if en := startFailure(assets.Texts{Lang: "en"}, err); !strings.HasPrefix(en, "Booth Ledger could not start.") {
		t.Fatalf("en: %q", en)
	}
	err = (&Main{}).Run(context.Background(), []string{"--no-such-flag"})
	if msg := startFailure(assets.Texts{Lang: "ja"}, err); err == nil || !strings.Contains(msg, "no-such-flag") {
		t.Fatalf("a wrong flag: %v, %q", err, msg)
	}
}
