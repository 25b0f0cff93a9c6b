//go:build !windows

// Not on Windows: TestMain starts a throwaway PostgreSQL with Debian's initdb and pg_ctl under
// runuser. The SQL the two stores share (sqlstore) runs on Windows through the same
// servertest suite in sync/server/sqlitestore; boothd's PostgreSQL store is a Linux server's.

package pgstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/pgstore"
	"github.com/boothledger/boothledger/sync/server/servertest"
)

var pgURL string

// TestMain starts a throwaway PostgreSQL (Debian's initdb and pg_ctl, make deps installs
// them) unless BOOTH_TEST_PG already names one.
func TestMain(m *testing.M) {
	url, stop, err := servertest.StartPostgres()
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgres:", err)
		os.Exit(1)
	}
	pgURL = url
	code := m.Run()
	stop()
	os.Exit(code)
}

// freshDB creates an empty database for one test.
func freshDB(t *testing.T) string {
	t.Helper()
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "t_" + capture.NewID()[24:]
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	return servertest.WithDatabase(pgURL, name)
}

func TestSuite(t *testing.T) {
	servertest.Run(t, func(t *testing.T) server.Store {
		s, err := pgstore.Open(context.Background(), freshDB(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestHostileDevices(t *testing.T) {
	servertest.RunHostile(t, func(t *testing.T) server.Store {
		s, err := pgstore.Open(context.Background(), freshDB(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
