package export

import (
	"fmt"
	"os"
	"path/filepath"
)

// pending is a file written and synced beside its target, not yet under the target's name.
type pending struct {
	tmp, path string
	placed    bool
}

// stage writes data to a temporary file in path's directory (so that the rename which puts
// it in place never crosses a file system) and syncs it.
func stage(path string, data []byte) (*pending, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	p := &pending{tmp: f.Name(), path: path}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p.tmp)
		return nil, err
	}
	return p, nil
}

// place renames the file over its target, then syncs the directory so that the new name
// survives a power cut.
func (p *pending) place() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		return err
	}
	p.placed = true
	return syncDir(filepath.Dir(p.path))
}

// abandon removes what a failed write left: the temporary file or, when the failure came
// after the rename, the new file itself, so that nothing unrecorded stays at path.
func (p *pending) abandon() {
	if p.placed {
		os.Remove(p.path)
	} else {
		os.Remove(p.tmp)
	}
}

// ReplaceFile writes data to path all or nothing, the way WriteFile writes a list, for files
// that carry no export record (the personal information ledger): a full disk or any other
// failure leaves no partial file and an earlier file at path as it was.
func ReplaceFile(path string, data []byte) error {
	p, err := stage(path, data)
	if err == nil {
		if err = p.place(); err != nil {
			p.abandon()
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
