package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// openPTY opens a pseudo-terminal pair: what a person types goes into master, and boothctl
// reads it from the terminal end. (Linux only: the same x/term code reads the Windows
// console, which wine cannot give a test.)
func openPTY(t *testing.T) (master, tty *os.File) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// screen collects what the terminal shows.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.buf.String() }

func (s *screen) waitFor(t *testing.T, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(s.String(), text) {
			return
		}
	}
	t.Fatalf("the terminal never showed %q; it shows %q", text, s.String())
}

// TestPINIsNotShownOnATerminal: staff add on a terminal asks for the PIN twice and shows
// nothing of it (people watch at a booth); two different PINs are refused and nothing is saved.
func TestPINIsNotShownOnATerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	for _, tc := range []struct {
		first, again string
		ok           bool
	}{{"246813", "246813", true}, {"246813", "246814", false}} {
		master, tty := openPTY(t)
		var shown screen
		go func() {
			b := make([]byte, 256)
			for {
				n, err := master.Read(b)
				shown.mu.Lock()
				shown.buf.Write(b[:n])
				shown.mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
		m := &Main{Stdin: tty, Stdout: tty, Stderr: tty, Lang: "ja"}
		done := make(chan error, 1)
		go func() { done <- m.Run(context.Background(), []string{"staff", "add", "--name", "田中", "--db", db}) }()
		shown.waitFor(t, "PIN（6〜12桁）: ")
		master.WriteString(tc.first + "\n")
		shown.waitFor(t, "もう一度: ")
		master.WriteString(tc.again + "\n")
		err := <-done
		if strings.Contains(shown.String(), "24681") {
			t.Fatalf("the PIN was shown: %q", shown.String())
		}
		var ve *capture.ValidationError
		if tc.ok && err != nil || !tc.ok && !(errors.As(err, &ve) && ve.Fields[0].Field == "pin") {
			t.Fatalf("PINs %s/%s: %v", tc.first, tc.again, err)
		}
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.SignIn(context.Background(), "田中", "246813"); err != nil {
		t.Fatalf("sign in with the PIN typed twice: %v", err)
	}
}
