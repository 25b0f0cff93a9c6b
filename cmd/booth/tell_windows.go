package main

import (
	"github.com/boothledger/boothledger/assets"
	"golang.org/x/sys/windows"
)

// tell shows why the app could not start in a message box: a GUI program on Windows has no
// console, so what it writes to stderr is seen by nobody.
func tell(tx assets.Texts, err error) {
	title, _ := windows.UTF16PtrFromString(tx.T("app.title"))
	text, _ := windows.UTF16PtrFromString(startFailure(tx, err))
	windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONERROR)
}
