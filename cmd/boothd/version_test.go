package main

import (
	"strings"
	"testing"

	"github.com/boothledger/boothledger"
)

// TestVersion: boothd says its version, so the office can match it with the laptops'.
func TestVersion(t *testing.T) {
	out, _, err := run(t, "version")
	if err != nil || strings.TrimSpace(out) != "boothd "+boothledger.Version {
		t.Fatalf("version: %q %v", out, err)
	}
}
