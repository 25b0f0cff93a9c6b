package desktop

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// markEnv makes the test binary, when the shell starts it as the opener of a file, write the
// path it was given into the file the variable names: the proof that the path arrived whole.
const markEnv = "BOOTH_OPENED_MARK"

func TestMain(m *testing.M) {
	if mark := os.Getenv(markEnv); mark != "" {
		os.WriteFile(mark, []byte(strings.Join(os.Args[1:], "\n")), 0o644)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// japaneseFolder makes a folder whose path has Japanese characters and spaces, as a user's
// Documents folder on a Japanese laptop has (C:\Users\山田 太郎\…).
func japaneseFolder(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "山田 太郎", "展示会 データ")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOpenHandsTheWholePathToTheShell opens files (and, where the test can register for them,
// folders) whose names have Japanese characters and spaces through the system's own opener
// (ShellExecute on Windows, xdg-open elsewhere), with this test binary registered as their
// program, and checks that the program was started with exactly that path.
func TestOpenHandsTheWholePathToTheShell(t *testing.T) {
	dir := japaneseFolder(t)
	file := filepath.Join(dir, "利用目的 ポスター.boothtest")
	if err := os.WriteFile(file, []byte("booth ledger test file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range register(t, file, dir) {
		mark := filepath.Join(t.TempDir(), "opened")
		t.Setenv(markEnv, mark)
		if err := Open(path); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if got := waitFor(t, mark); !samePath(got, path) {
			t.Fatalf("the opener got %q, want %q", got, path)
		}
	}
}

func TestOpenRefusesWhatIsNotThere(t *testing.T) {
	if err := Open(filepath.Join(t.TempDir(), "ない.pdf")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("open of a missing file: %v", err)
	}
}

// waitFor returns the content of path once the opener has written it.
func waitFor(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the opener was not started within 30 s")
	return ""
}
