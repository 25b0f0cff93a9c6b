package ui

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// documentsDir is the user's Documents folder as Windows knows it (FOLDERID_Documents), which
// may be moved to another drive or into OneDrive; home\Documents only when Windows cannot say.
func documentsDir(home string) string {
	if dir, err := windows.KnownFolderPath(windows.FOLDERID_Documents, 0); err == nil && dir != "" {
		return dir
	}
	return filepath.Join(home, "Documents")
}
