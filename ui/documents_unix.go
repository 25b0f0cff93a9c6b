//go:build !windows

package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// documentsDir reads XDG_DOCUMENTS_DIR from ~/.config/user-dirs.dirs on desktops that have
// it, else it is ~/Documents (as on macOS).
func documentsDir(home string) string {
	f, err := os.Open(filepath.Join(home, ".config", "user-dirs.dirs"))
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "XDG_DOCUMENTS_DIR="); ok {
				v = strings.ReplaceAll(strings.Trim(v, `"`), "$HOME", home)
				if filepath.IsAbs(v) && filepath.Clean(v) != filepath.Clean(home) {
					return v
				}
			}
		}
	}
	return filepath.Join(home, "Documents")
}
