//go:build !windows

package desktop

import (
	"errors"
	"os/exec"
	"runtime"
)

// open starts the desktop's opener (xdg-open; open on macOS) on path and reaps it in the
// background, so that a viewer left open never blocks the caller.
func open(path string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	bin, err := exec.LookPath(name)
	if errors.Is(err, exec.ErrNotFound) {
		return ErrNoOpener
	} else if err != nil {
		return err
	}
	cmd := exec.Command(bin, path)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
