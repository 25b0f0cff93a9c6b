package ui

import (
	"unsafe"

	"fyne.io/fyne/v2"
	"golang.org/x/sys/windows"
)

var (
	user32               = windows.NewLazySystemDLL("user32.dll")
	systemParametersInfo = user32.NewProc("SystemParametersInfoW")
	getSystemMetrics     = user32.NewProc("GetSystemMetrics")
	getDpiForSystem      = user32.NewProc("GetDpiForSystem")
)

const (
	spiGetWorkArea   = 0x0030
	smCxScreen       = 0
	smCyScreen       = 1
	smCyCaption      = 4
	smCySizeFrame    = 33
	smCxPaddedBorder = 92
)

// screenRoom is the room for the window's content on the main screen, as Windows reports
// its work area (the taskbar left out), title bar, frame and scale.
func screenRoom() (fyne.Size, bool) {
	var work windows.Rect
	if r, _, _ := systemParametersInfo.Call(spiGetWorkArea, 0, uintptr(unsafe.Pointer(&work)), 0); r == 0 {
		return fyne.Size{}, false
	}
	metric := func(i uintptr) int { v, _, _ := getSystemMetrics.Call(i); return int(int32(v)) }
	dpi := 96
	if getDpiForSystem.Find() == nil { // Windows 10 1607 and later
		if d, _, _ := getDpiForSystem.Call(); d > 0 {
			dpi = int(d)
		}
	}
	return roomOnScreen(screen{
		width: metric(smCxScreen), height: metric(smCyScreen),
		workLeft: int(work.Left), workTop: int(work.Top), workRight: int(work.Right), workBottom: int(work.Bottom),
		frame: metric(smCySizeFrame) + metric(smCxPaddedBorder), caption: metric(smCyCaption), dpi: dpi,
	})
}
