package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/servertest"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

func TestSuite(t *testing.T) {
	servertest.Run(t, func(t *testing.T) server.Store {
		s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "boothd.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestHostileDevices(t *testing.T) {
	servertest.RunHostile(t, func(t *testing.T) server.Store {
		s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "boothd.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
