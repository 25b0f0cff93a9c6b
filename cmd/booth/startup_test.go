//go:build !windows

// Not on Windows: the benchmark builds booth with the go command and times it on Xvfb. On
// Windows, make test-windows builds booth.exe and the ui tests start the same App.

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture/store/storetest"
)

// BenchmarkColdStart runs the real booth binary on an X display (Xvfb) until its first
// frame is up, with a 10,000-lead database. Target: under 2 seconds.
func BenchmarkColdStart(b *testing.B) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		b.Fatal("Xvfb not found: run make deps")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "booth")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "booth.db")
	s := storetest.OpenAt(b, db)
	_, e := storetest.Setup(b, s)
	storetest.Seed(b, s, e.ID, 10_000)
	s.Close()

	display := ""
	for d := 120; d < 200; d++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", d)); os.IsNotExist(err) {
			display = fmt.Sprintf(":%d", d)
			break
		}
	}
	x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		b.Fatal(err)
	}
	defer x.Process.Kill()
	time.Sleep(500 * time.Millisecond)

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--db", db)
		cmd.Env = append(os.Environ(), "DISPLAY="+display, quitAfterStartEnv+"=1", "LANG=ja_JP.UTF-8")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("booth: %v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/start")
}
