package export_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/boothledger/boothledger/capture/export"
	"github.com/boothledger/boothledger/capture/safefile"
)

// smallDisk mounts a 256 KiB tmpfs (tests run as root, here and in CI) and unmounts it when
// the test ends.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256k"); err != nil {
		t.Fatalf("mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes to a file in dir until the disk is full.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return path
		}
	}
}

func TestFullDiskLeavesTheEarlierList(t *testing.T) {
	disk := smallDisk(t)
	w := newAtomicWorld(t, disk)
	filler := fill(t, disk)
	p := w.provision(t)
	if _, err := export.WriteFile(ctx, w.s, p, w.out); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write on a full disk: %v, want ENOSPC", err)
	}
	w.unchanged(t, "filler")

	// The ledger, which has no record, is replaced the same way.
	if err := safefile.Replace(w.out, []byte("ledger that does not fit")); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("ledger on a full disk: %v, want ENOSPC", err)
	}
	w.unchanged(t, "filler")

	os.Remove(filler)
	w.retried(t, p)
	if err := safefile.Replace(w.out, []byte("ledger")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(w.out); string(got) != "ledger" {
		t.Fatalf("ledger not replaced: %q", got)
	}
}
