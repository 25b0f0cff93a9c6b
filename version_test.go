package boothledger

import (
	"regexp"
	"testing"
)

// TestVersionIsFyneAppsVersion: the programs report the version the packages are named by.
func TestVersionIsFyneAppsVersion(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Version) {
		t.Fatalf("version %q from FyneApp.toml", Version)
	}
	if got := versionOf("[Details]\nName = \"x\"\nVersion = \"1.2.3\"\nBuild = 4\n"); got != "1.2.3" {
		t.Fatalf("versionOf: %q", got)
	}
}
