//go:build !windows && !darwin

package desktop

import (
	"os"
	"path/filepath"
	"testing"
)

// register makes this test binary the desktop's program for plain files and folders, in a
// private XDG configuration that xdg-open reads the way it reads a user's own, and returns
// the paths it now opens: all of them.
func register(t *testing.T, paths ...string) []string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	apps := filepath.Join(home, "data", "applications")
	if err := os.MkdirAll(apps, 0o755); err != nil {
		t.Fatal(err)
	}
	entry := "[Desktop Entry]\nType=Application\nName=Booth Ledger test opener\nExec=" + exe + " %f\n"
	if err := os.WriteFile(filepath.Join(apps, "boothtest.desktop"), []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	list := "[Default Applications]\ntext/plain=boothtest.desktop\ninode/directory=boothtest.desktop\n"
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "config", "mimeapps.list"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_DATA_DIRS", filepath.Join(home, "data"))
	t.Setenv("XDG_CURRENT_DESKTOP", "")
	t.Setenv("DE", "generic")
	t.Setenv("DISPLAY", ":booth-test") // xdg-open asks the desktop only when there is a display; none is drawn on
	return paths
}

func samePath(got, want string) bool { return got == want }
