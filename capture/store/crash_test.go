package store_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

const (
	crashDBEnv    = "BOOTH_CRASH_DB"
	crashEventEnv = "BOOTH_CRASH_EVENT"
	crashRunEnv   = "BOOTH_CRASH_RUN"
)

// TestMain runs the capturing child of TestCrashSafety or a writer of
// TestTwoProcessesWriteOneDatabase when the test binary is started as one, and the tests
// otherwise.
func TestMain(m *testing.M) {
	if path := os.Getenv(crashDBEnv); path != "" {
		crashChild(path)
	}
	if path := os.Getenv(writerDBEnv); path != "" {
		os.Exit(writerChild(path))
	}
	code := m.Run()
	if millionDir != "" {
		millionStore.Close()
		os.RemoveAll(millionDir)
	}
	os.Exit(code)
}

// crashChild captures in a loop and prints each capture id once its commit has returned,
// until it is killed.
func crashChild(path string) {
	s, err := store.Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	event, run := os.Getenv(crashEventEnv), os.Getenv(crashRunEnv)
	for i := 0; ; i++ {
		r, err := s.AddCapture(ctx, capture.NewCapture{
			EventID: event, Staff: "crash", Source: capture.SourceBoothCard,
			Person: crashPerson(run, i), Consents: []capture.ConsentKind{capture.ConsentPurpose}, Note: strings.Repeat("メモ", i%50),
		})
		if err != nil {
			fmt.Println("capture:", err)
			os.Exit(4)
		}
		// One write per line, so the parent never reads a half-printed id.
		os.Stdout.WriteString(fmt.Sprintf("ok %s %s %d\n", r.Capture.ID, run, i))
	}
}

func crashPerson(run string, i int) capture.Person {
	return capture.Person{Name: fmt.Sprintf("来場者 %s-%d", run, i), Email: fmt.Sprintf("v%s.%d@example.jp", run, i), Phone: fmt.Sprintf("03-%04d-%04d", i%10000, len(run))}
}

// TestCrashSafety SIGKILLs a capturing process at random moments and checks that every
// capture it reported as saved survived intact, that the file is sound, and that the state
// tables still equal Apply over the op log.
func TestCrashSafety(t *testing.T) {
	const kills = 50
	path := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, e := storetest.Setup(t, s)
	s.Close()

	type saved struct {
		run string
		i   int
	}
	reported := map[string]saved{}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for k := 0; k < kills; k++ {
		run := fmt.Sprint(k)
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), crashDBEnv+"="+path, crashEventEnv+"="+e.ID, crashRunEnv+"="+run)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill after a random number of commits and a random extra delay, so that the kill
		// lands anywhere in the commit path, including inside fsync.
		want := 1 + r.IntN(30)
		got := 0
		for line := range lines {
			if !strings.HasPrefix(line, "ok ") {
				t.Fatalf("child: %s", line)
			}
			f := strings.Fields(line)
			var i int
			fmt.Sscan(f[3], &i)
			reported[f[1]] = saved{f[2], i}
			if got++; got == want {
				time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		cmd.Wait()
		if got < want {
			t.Fatalf("run %d: child stopped after %d captures without being killed", k, got)
		}
	}

	s = storetest.OpenAt(t, path)
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	for id, sv := range reported {
		c, err := s.Capture(ctx, id)
		if err != nil {
			t.Fatalf("capture %s reported as saved is missing: %v", id, err)
		}
		if c.Person != crashPerson(sv.run, sv.i) || c.Note != strings.Repeat("メモ", sv.i%50) || c.EventID != e.ID {
			t.Fatalf("capture %s is not intact: %+v", id, c)
		}
		if _, err := s.Lead(ctx, c.LeadID); err != nil {
			t.Fatalf("lead of capture %s: %v", id, err)
		}
	}
	t.Logf("%d kills, %d captures reported and verified", kills, len(reported))
	assertStateMatchesLog(t, s)
}
