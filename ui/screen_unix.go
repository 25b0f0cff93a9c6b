//go:build !windows

package ui

import "fyne.io/fyne/v2"

// screenRoom is unknown here: X11 and Wayland window managers fit a new window to the
// screen themselves.
func screenRoom() (fyne.Size, bool) { return fyne.Size{}, false }
