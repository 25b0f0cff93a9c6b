package store_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
)

const (
	writerDBEnv    = "BOOTH_WRITER_DB"
	writerEventEnv = "BOOTH_WRITER_EVENT"
	writerNameEnv  = "BOOTH_WRITER_NAME"
	writerCount    = 150
)

// TestTwoProcessesWriteOneDatabase: the app and boothctl (here two child processes and this
// one) capture into one database file at the same time. Every capture lands once, none is
// refused as busy, and the file, its op log and the state tables stay consistent. On
// Windows this is SQLite's LockFileEx locking and the WAL's shared memory file.
func TestTwoProcessesWriteOneDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "共有 データ", "booth.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, e := storetest.Setup(t, s)
	defer s.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for _, name := range []string{"app", "boothctl"} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), writerDBEnv+"="+path, writerEventEnv+"="+e.ID, writerNameEnv+"="+name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("writer %s: %v\n%s", name, err, out)
			}
		}()
	}
	wg.Add(1)
	go func() { // this process writes too, through the store it has open
		defer wg.Done()
		if err := writeCaptures(s, e.ID, "parent"); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	leads, err := s.Leads(ctx, store.LeadQuery{EventID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, l := range leads {
		seen[l.Person.Email]++
	}
	for _, name := range []string{"app", "boothctl", "parent"} {
		for i := 0; i < writerCount; i++ {
			if email := writerPerson(name, i).Email; seen[email] != 1 {
				t.Fatalf("capture %d of %s is there %d times", i, name, seen[email])
			}
		}
	}
	if len(leads) != 3*writerCount {
		t.Fatalf("%d leads, want %d", len(leads), 3*writerCount)
	}
	assertStateMatchesLog(t, s)
}

// writerChild is one writer of TestTwoProcessesWriteOneDatabase, run by TestMain; it
// returns the exit status.
func writerChild(path string) int {
	s, err := store.Open(path)
	if err != nil {
		fmt.Println("open:", err)
		return 3
	}
	defer s.Close()
	if err := writeCaptures(s, os.Getenv(writerEventEnv), os.Getenv(writerNameEnv)); err != nil {
		fmt.Println(err)
		return 4
	}
	return 0
}

func writeCaptures(s *store.Store, event, name string) error {
	for i := 0; i < writerCount; i++ {
		if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: event, Staff: name, Source: capture.SourceBoothCard,
			Person: writerPerson(name, i), Consents: []capture.ConsentKind{capture.ConsentPurpose}}); err != nil {
			return fmt.Errorf("writer %s, capture %d: %w", name, i, err)
		}
	}
	return nil
}

func writerPerson(name string, i int) capture.Person {
	return capture.Person{Name: "来場者 " + name + " " + strconv.Itoa(i), Email: strings.ToLower(name) + "." + strconv.Itoa(i) + "@example.jp"}
}
