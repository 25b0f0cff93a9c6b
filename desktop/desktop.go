// Package desktop hands files and folders to the operating system's shell: the PDF viewer
// for a written print, the file manager for an export folder.
package desktop

import (
	"errors"
	"fmt"
	"os"
)

// ErrNoOpener means the system has no program to open files with (a server without a desktop).
var ErrNoOpener = errors.New("no program to open files with")

// Open shows path with the program the user chose for it: a file in its viewer, a folder
// in the file manager. It returns once the program is started, not when it ends.
func Open(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := open(path); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	return nil
}
