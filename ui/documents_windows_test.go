package ui

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/windows"
)

// TestDocumentsAreWindowsOwn: prints go to the Documents folder Windows names (which a user
// or OneDrive may have moved), not to a folder guessed from the profile path.
func TestDocumentsAreWindowsOwn(t *testing.T) {
	want, err := windows.KnownFolderPath(windows.FOLDERID_Documents, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := documentsDir(t.TempDir()); filepath.Clean(got) != filepath.Clean(want) {
		t.Fatalf("documents dir %s, Windows says %s", got, want)
	}
}
