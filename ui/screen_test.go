package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestWindowFitsTheScreen: on the commonest laptop screen (1366x768 with a 40-pixel taskbar)
// the window is made short enough that, centred, its title bar and bottom edge stay between
// the top of the screen and the taskbar; on a scaled Full HD screen it keeps 1280x800 or
// what fits; a big screen changes nothing.
func TestWindowFitsTheScreen(t *testing.T) {
	laptop := screen{width: 1366, height: 768, workRight: 1366, workBottom: 728, frame: 8, caption: 23, dpi: 96}
	room, ok := roomOnScreen(laptop)
	if !ok || room != fyne.NewSize(1350, 649) {
		t.Fatalf("1366x768: room %v %v", room, ok)
	}
	top := (laptop.height - (int(room.Height) + 2*laptop.frame + laptop.caption)) / 2
	if bottom := laptop.height - top; top < 0 || bottom > laptop.workBottom {
		t.Fatalf("the centred window spans %d..%d, the work area 0..%d", top, bottom, laptop.workBottom)
	}
	scaled := screen{width: 1920, height: 1080, workRight: 1920, workBottom: 1032, frame: 10, caption: 29, dpi: 120}
	if room, ok := roomOnScreen(scaled); !ok || room.Width != 1520 || room.Height != 748 {
		t.Fatalf("1920x1080 at 125 %%: room %v %v", room, ok)
	}
	big := screen{width: 2560, height: 1440, workRight: 2560, workBottom: 1400, frame: 8, caption: 23, dpi: 96}
	if room, _ := roomOnScreen(big); room.Width < 1280 || room.Height < 800 {
		t.Fatalf("2560x1440: room %v", room)
	}
	if _, ok := roomOnScreen(screen{}); ok {
		t.Fatal("no screen, yet room")
	}
}
