//go:build !windows

package ui

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDocumentsFollowTheDesktop: a desktop that names its own Documents folder is followed;
// without one it is ~/Documents.
func TestDocumentsFollowTheDesktop(t *testing.T) {
	home := t.TempDir()
	if got := documentsDir(home); got != filepath.Join(home, "Documents") {
		t.Fatalf("documents dir %s", got)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_DOCUMENTS_DIR=\"$HOME/ドキュメント\"\n"), 0o644)
	if got := documentsDir(home); got != filepath.Join(home, "ドキュメント") {
		t.Fatalf("documents dir %s", got)
	}
}
