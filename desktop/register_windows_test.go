package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// register makes this test binary the shell's program for .boothtest files and returns the
// paths among paths it now opens (the files of that type). Folders stay with Explorer:
// TestOpenFolderInExplorer covers them.
func register(t *testing.T, paths ...string) []string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{`.boothtest`: "BoothLedger.Test", `BoothLedger.Test\shell\open\command`: `"` + exe + `" "%1"`}
	// A user's own file types live in HKCU\Software\Classes, which Windows merges into
	// HKEY_CLASSES_ROOT; wine reads HKEY_CLASSES_ROOT alone, so the keys go to both where allowed.
	for _, root := range []struct {
		key    registry.Key
		prefix string
	}{{registry.CURRENT_USER, `Software\Classes\`}, {registry.CLASSES_ROOT, ``}} {
		for path, value := range keys {
			k, _, err := registry.CreateKey(root.key, root.prefix+path, registry.ALL_ACCESS)
			if errors.Is(err, windows.ERROR_ACCESS_DENIED) && root.key == registry.CLASSES_ROOT {
				continue
			} else if err != nil {
				t.Fatalf("registry %s: %v", path, err)
			}
			err = k.SetStringValue("", value)
			k.Close()
			if err != nil {
				t.Fatalf("registry %s: %v", path, err)
			}
		}
		t.Cleanup(func() {
			for _, k := range []string{`BoothLedger.Test\shell\open\command`, `BoothLedger.Test\shell\open`, `BoothLedger.Test\shell`, `BoothLedger.Test`, `.boothtest`} {
				registry.DeleteKey(root.key, root.prefix+k)
			}
		})
	}
	var out []string
	for _, p := range paths {
		if filepath.Ext(p) == ".boothtest" {
			out = append(out, p)
		}
	}
	return out
}

// TestOpenFolderInExplorer hands a Japanese-named folder to the shell's own folder handler,
// and a folder that is not there straight to ShellExecute, which must then say so: the
// shell resolved the path it was given, so it arrived whole.
func TestOpenFolderInExplorer(t *testing.T) {
	dir := japaneseFolder(t)
	if err := Open(dir); err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	if err := open(filepath.Join(dir, "ない フォルダ")); !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
		t.Fatalf("the shell on a missing folder: %v", err)
	}
}

// samePath compares Windows paths as the file system does: without regard to case.
func samePath(got, want string) bool { return strings.EqualFold(got, want) }
