// Package boothledger holds what the three programs share about themselves: their version.
package boothledger

import (
	_ "embed"
	"strings"
)

//go:embed FyneApp.toml
var fyneApp string

// Version is the release version from FyneApp.toml ([Details] Version), the one number the
// packages, the app and the command lines all show.
var Version = versionOf(fyneApp)

func versionOf(toml string) string {
	for _, line := range strings.Split(toml, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "Version" {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return "unknown"
}
