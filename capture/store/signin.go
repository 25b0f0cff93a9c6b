package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// After this many wrong PINs in a row for one name, sign-in waits: 30 s, then twice as long
// for each further wrong PIN, up to an hour. A visitor at the booth laptop cannot try a
// million PINs; staff who mistype twice lose nothing.
const (
	freeAttempts = 5
	firstLockout = 30 * time.Second
	maxLockout   = time.Hour
)

// SignIn returns the staff member with this name and PIN; ErrBadPIN for a wrong one, and
// a *capture.PINLockedError (ErrPINLocked) while repeated failures keep the name locked. The
// count is kept in the database, so separate boothctl runs share it.
func (s *Store) SignIn(ctx context.Context, name, pin string) (capture.Staff, error) {
	name = strings.TrimSpace(name)
	return s.checkPIN(ctx, "signin.failures."+name, pin, func(m capture.Staff) bool { return m.Name == name })
}

// SignInPIN returns the staff member whose PIN this is, asking no name: the kiosk's exit
// shows visitors no staff names. Wrong PINs count for the whole device, under SignIn's
// lockout, so a visitor cannot try PINs against every staff member at once.
func (s *Store) SignInPIN(ctx context.Context, pin string) (capture.Staff, error) {
	return s.checkPIN(ctx, "signin.pin_only_failures", pin, func(capture.Staff) bool { return true })
}

// checkPIN finds the staff member who passes who and whose PIN this is, counting wrong PINs in a
// row under key and refusing every try while they keep it locked.
func (s *Store) checkPIN(ctx context.Context, key, pin string, who func(capture.Staff) bool) (capture.Staff, error) {
	failures, until, err := s.failures(ctx, key)
	if err != nil {
		return capture.Staff{}, err
	}
	if now := s.now(); now.Before(until) {
		return capture.Staff{}, &capture.PINLockedError{Until: until}
	}
	list, err := s.StaffList(ctx)
	if err != nil {
		return capture.Staff{}, err
	}
	for _, m := range list {
		if who(m) && m.CheckPIN(pin) {
			if failures > 0 {
				if err := s.SetMeta(ctx, key, ""); err != nil {
					return capture.Staff{}, err
				}
			}
			return m, nil
		}
	}
	failures++
	if failures >= freeAttempts {
		wait := min(firstLockout<<min(failures-freeAttempts, 8), maxLockout)
		until = s.now().Add(wait)
	}
	if err := s.SetMeta(ctx, key, strconv.Itoa(failures)+" "+until.UTC().Format(time.RFC3339Nano)); err != nil {
		return capture.Staff{}, err
	}
	return capture.Staff{}, capture.ErrBadPIN
}

// failures reads the count of wrong PINs in a row and the end of the lockout, if any. A
// count it cannot read is an error, not zero: the lock must not open on a failed read.
func (s *Store) failures(ctx context.Context, key string) (int, time.Time, error) {
	v, err := s.Meta(ctx, key)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read sign-in failures: %w", err)
	}
	count, at, _ := strings.Cut(v, " ")
	n, _ := strconv.Atoi(count)
	until, _ := time.Parse(time.RFC3339Nano, at)
	return n, until, nil
}
