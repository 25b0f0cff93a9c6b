package main

import (
	"testing"

	"github.com/boothledger/boothledger"
)

// TestVersion: boothctl says its version, the one the packages are named by, so a user can
// tell which one is installed before and after an update.
func TestVersion(t *testing.T) {
	c := newCtl(t)
	for _, arg := range []string{"version", "--version"} {
		if out := c.ok(arg); out != "boothctl "+boothledger.Version {
			t.Fatalf("%s: %q", arg, out)
		}
	}
}
