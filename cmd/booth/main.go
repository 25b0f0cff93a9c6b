// Command booth is the Booth Ledger desktop app used at exhibition booths.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/desktop"
	"github.com/boothledger/boothledger/ui"
)

func main() {
	if err := (&Main{}).Run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "booth:", err)
		tell(assets.Texts{Lang: capture.EnvLang()}, err)
		os.Exit(1)
	}
}

// startFailure is what the user is told when the app cannot start (its database will not
// open, a flag is wrong): the sentence for the failure where there is one, and the error.
func startFailure(tx assets.Texts, err error) string {
	msg := tx.T("start.failed")
	if text, ok := tx.Failure(err); ok {
		msg += "\n\n" + text
	}
	return msg + "\n\n" + err.Error()
}

// quitAfterStartEnv, when set, makes booth quit once its window is up: BenchmarkColdStart
// measures start-up with it.
const quitAfterStartEnv = "BOOTH_QUIT_AFTER_START"

// Main is the booth program.
type Main struct{}

// Run opens the database and shows the window until it is closed.
func (m *Main) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("booth", flag.ContinueOnError)
	db := fs.String("db", "", "database file (default $BOOTH_DB, else the app's database in the user config directory)")
	kiosk := fs.Bool("kiosk", false, "start in visitor self-entry mode (leaving it needs a staff PIN)")
	idle := fs.Duration("session-idle", capture.SessionIdle, "sign staff out after this long without input (manager rights drop after a third of it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := store.OpenPath(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go runRetention(ctx, s)
	a := app.NewWithID("jp.boothledger.booth")
	u := ui.New(a, s, capture.EnvLang())
	u.Open = desktop.Open
	u.SessionIdle = *idle
	go u.RunSessions(ctx)
	if *kiosk && u.Capture != nil {
		u.EnterKiosk()
	}
	if os.Getenv(quitAfterStartEnv) != "" {
		a.Lifecycle().SetOnStarted(func() { go fyne.Do(a.Quit) })
	}
	u.Window().ShowAndRun()
	u.StopSync()
	return nil
}

// runRetention erases what is past its retention once a day while the app is open
// (APPI Art.22). A device enrolled with a sync server leaves it to boothd, which erases
// organisation-wide; the device erases on its next pull (and a booth token may not erase).
func runRetention(ctx context.Context, s *store.Store) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := s.Enrolment(ctx); errors.Is(err, store.ErrNotEnrolled) { // nobody else will
			if _, erased, err := s.RunRetentionDaily(ctx, time.Now()); err != nil {
				log.Printf("retention: %v", err)
			} else if len(erased) > 0 {
				log.Printf("retention: erased %d lead(s) past their retention", len(erased))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
