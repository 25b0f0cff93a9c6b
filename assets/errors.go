package assets

import (
	"errors"
	"io/fs"
	"syscall"
	"time"

	"github.com/boothledger/boothledger/capture"
)

// Failure is the sentence for an error that is not a field's, in the language: what the app
// shows and what boothctl prints. ok is false for an error no sentence covers, whose own
// text is then all there is.
func (t Texts) Failure(err error) (text string, ok bool) {
	var locked *capture.PINLockedError
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, capture.ErrBadPIN):
		return t.T("signin.bad"), true
	case errors.As(err, &locked):
		return t.T("signin.locked", locked.Until.Local().Format(time.TimeOnly)), true
	case errors.Is(err, syscall.ENOSPC):
		return t.T("error.disk_full"), true
	case errors.As(err, &pathErr) && errors.Is(err, fs.ErrPermission):
		return t.T("error.permission", pathErr.Path), true
	case errors.As(err, &pathErr) && errors.Is(err, fs.ErrNotExist):
		return t.T("error.not_exist", pathErr.Path), true
	case errors.Is(err, capture.ErrNewerDatabase):
		return t.T("error.newer_database"), true
	case errors.Is(err, capture.ErrNotFound):
		return t.T("error.not_found"), true
	}
	return "", false
}
