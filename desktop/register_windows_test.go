package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

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
	before := explorers(t)
	if err := Open(dir); err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { closeNewExplorers(t, before) })
	if err := open(filepath.Join(dir, "ない フォルダ")); !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
		t.Fatalf("the shell on a missing folder: %v", err)
	}
}

// explorers returns the ids of the explorer.exe processes now running.
func explorers(t *testing.T) map[uint32]bool {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		t.Fatalf("list processes: %v", err)
	}
	defer windows.CloseHandle(snap)
	ids := map[uint32]bool{}
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		if strings.EqualFold(windows.UTF16ToString(e.ExeFile[:]), "explorer.exe") {
			ids[e.ProcessID] = true
		}
	}
	return ids
}

// closeNewExplorers ends the Explorer the test opened (the one explorer.exe that was not
// running before), once it has started, so that no folder window outlives the test.
func closeNewExplorers(t *testing.T, before map[uint32]bool) {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		found := false
		for id := range explorers(t) {
			if before[id] {
				continue
			}
			found = true
			if p, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, id); err == nil {
				windows.TerminateProcess(p, 0)
				windows.CloseHandle(p)
			}
		}
		if found {
			return
		}
	}
}

// samePath compares Windows paths as the file system does: without regard to case.
func samePath(got, want string) bool { return strings.EqualFold(got, want) }
