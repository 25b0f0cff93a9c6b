package desktop

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
)

var shellExecute = windows.NewLazySystemDLL("shell32.dll").NewProc("ShellExecuteW")

// open asks the Windows shell (ShellExecuteW) to open path: what Explorer does on a double
// click, with the path as UTF-16, so names such as C:\Users\山田 太郎\… arrive whole. A
// file: URL through rundll32 (Fyne's OpenURL) mangles backslashes and non-ASCII names.
func open(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	verb, err := windows.UTF16PtrFromString("open")
	if err != nil {
		return err
	}
	file, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return err
	}
	// The shell may hand the file to a COM extension: it asks for COM on the calling thread,
	// so the goroutine keeps to one thread from CoInitializeEx to CoUninitialize.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := windows.CoInitializeEx(0, windows.COINIT_APARTMENTTHREADED|windows.COINIT_DISABLE_OLE1DDE); err == nil {
		defer windows.CoUninitialize()
	}
	r, _, _ := shellExecute.Call(0, uintptr(unsafe.Pointer(verb)), uintptr(unsafe.Pointer(file)), 0, 0, windows.SW_SHOWNORMAL)
	if r > 32 {
		return nil
	}
	// ShellExecuteW reports failure by a code of its own in place of an instance handle.
	switch r {
	case 2, 3: // SE_ERR_FNF, SE_ERR_PNF
		return fmt.Errorf("shell: %w", windows.ERROR_FILE_NOT_FOUND)
	case 27, 31: // SE_ERR_ASSOCINCOMPLETE, SE_ERR_NOASSOC
		return ErrNoOpener
	}
	return errors.New("shell: error " + fmt.Sprint(r))
}
