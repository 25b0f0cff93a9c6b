package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// clockedStore opens a store whose clock reads *clock, with staff given as name, PIN pairs.
func clockedStore(t *testing.T, clock *time.Time, staff ...string) (*Store, []capture.Staff) {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "booth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.now = func() time.Time { return *clock }
	var list []capture.Staff
	for i := 0; i+1 < len(staff); i += 2 {
		m, err := capture.NewStaff(staff[i], staff[i+1], true)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveStaff(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		list = append(list, m)
	}
	return s, list
}

// TestPINLockout: five wrong PINs in a row lock the name, the right PIN included, for a delay
// that grows; after it the right PIN works and resets the count.
func TestPINLockout(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, staff := clockedStore(t, &clock, "田中", "246813")
	m := staff[0]
	for i := range 5 {
		if _, err := s.SignIn(ctx, "田中", "000000"); !errors.Is(err, capture.ErrBadPIN) {
			t.Fatalf("wrong PIN %d: %v", i+1, err)
		}
	}
	_, err := s.SignIn(ctx, "田中", "246813")
	var locked *capture.PINLockedError
	if !errors.As(err, &locked) || !errors.Is(err, capture.ErrPINLocked) || !locked.Until.Equal(clock.Add(30*time.Second)) {
		t.Fatalf("right PIN while locked: %v", err)
	}
	// A second process (boothctl) sees the same lock.
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	other.now = s.now
	if _, err := other.SignIn(ctx, "田中", "246813"); !errors.Is(err, capture.ErrPINLocked) {
		t.Fatalf("another process: %v", err)
	}
	other.Close()
	clock = clock.Add(31 * time.Second)
	if _, err := s.SignIn(ctx, "田中", "999999"); !errors.Is(err, capture.ErrBadPIN) {
		t.Fatalf("after the first lock: %v", err)
	}
	clock = clock.Add(31 * time.Second) // the sixth failure locks for 60 s
	if _, err := s.SignIn(ctx, "田中", "246813"); !errors.Is(err, capture.ErrPINLocked) {
		t.Fatalf("the lock does not grow: %v", err)
	}
	clock = clock.Add(30 * time.Second)
	if got, err := s.SignIn(ctx, "田中", "246813"); err != nil || got.ID != m.ID {
		t.Fatalf("after the lock: %+v %v", got, err)
	}
	if _, err := s.SignIn(ctx, "田中", "000000"); !errors.Is(err, capture.ErrBadPIN) {
		t.Fatal("the count was not reset by a success")
	}
	if _, err := s.SignIn(ctx, "田中", "246813"); err != nil {
		t.Fatalf("one wrong PIN after a reset locks: %v", err)
	}
}

// TestSignInByPINOnly: the kiosk's exit takes any staff member's PIN with no name, and wrong
// PINs lock it for the whole device with the same growing delay, apart from named sign-ins.
func TestSignInByPINOnly(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, _ := clockedStore(t, &clock, "田中", "246813", "佐藤", "135792")
	if got, err := s.SignInPIN(ctx, "135792"); err != nil || got.Name != "佐藤" {
		t.Fatalf("佐藤's PIN: %+v %v", got, err)
	}
	for i := range 5 {
		if _, err := s.SignInPIN(ctx, "000000"); !errors.Is(err, capture.ErrBadPIN) {
			t.Fatalf("wrong PIN %d: %v", i+1, err)
		}
	}
	var locked *capture.PINLockedError
	if _, err := s.SignInPIN(ctx, "246813"); !errors.As(err, &locked) || !locked.Until.Equal(clock.Add(30*time.Second)) {
		t.Fatalf("right PIN while locked: %v", err)
	}
	// A named sign-in keeps its own count: the kiosk's lock does not lock staff out elsewhere.
	if _, err := s.SignIn(ctx, "田中", "246813"); err != nil {
		t.Fatalf("named sign-in under the kiosk's lock: %v", err)
	}
	clock = clock.Add(31 * time.Second)
	if _, err := s.SignInPIN(ctx, "999999"); !errors.Is(err, capture.ErrBadPIN) {
		t.Fatalf("after the first lock: %v", err)
	}
	clock = clock.Add(31 * time.Second) // the sixth failure locks for 60 s
	if _, err := s.SignInPIN(ctx, "246813"); !errors.Is(err, capture.ErrPINLocked) {
		t.Fatalf("the lock does not grow: %v", err)
	}
	clock = clock.Add(30 * time.Second)
	if got, err := s.SignInPIN(ctx, "246813"); err != nil || got.Name != "田中" {
		t.Fatalf("after the lock: %+v %v", got, err)
	}
}
