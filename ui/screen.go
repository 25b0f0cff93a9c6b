package ui

import "fyne.io/fyne/v2"

// screen is what the system says of the main screen, in pixels: its size, the work area
// that windows may cover (the taskbar left out), the frame and title bar it adds to a
// window, and its dots per inch (96 at 100 %).
type screen struct {
	width, height                            int
	workLeft, workTop, workRight, workBottom int
	frame, caption, dpi                      int
}

// roomOnScreen is the largest window content, in Fyne's units, that stays inside the work
// area once the frame and title bar are added and the window is centred on the screen, as
// Fyne places it; ok is false when the figures make no sense.
func roomOnScreen(s screen) (room fyne.Size, ok bool) {
	if s.width <= 0 || s.height <= 0 || s.dpi <= 0 {
		return fyne.Size{}, false
	}
	// Centred, a window reaches as far from the centre as the nearer edge of the work area.
	halfW := min(s.width/2-s.workLeft, s.workRight-s.width/2)
	halfH := min(s.height/2-s.workTop, s.workBottom-s.height/2)
	w, h := 2*halfW-2*s.frame, 2*halfH-2*s.frame-s.caption
	if w <= 0 || h <= 0 {
		return fyne.Size{}, false
	}
	scale := float32(s.dpi) / 96
	return fyne.NewSize(float32(w)/scale, float32(h)/scale), true
}

// startSize is the window's first size: 1280x800, or smaller where the screen has less room
// (a 1366x768 laptop keeps about 690 pixels above its taskbar), so that the title bar and the
// buttons at the bottom stay on the screen.
func startSize() fyne.Size {
	size := fyne.NewSize(1280, 800)
	if room, ok := screenRoom(); ok {
		size = fyne.NewSize(min(size.Width, room.Width), min(size.Height, room.Height))
	}
	return size
}
