// Package safefile writes files all or nothing: beside the target, synced, then renamed over
// it, so that a full disk or a crash leaves either the earlier file or the new one, never
// part of one. Files that need a record (an export, a disclosure) take their name inside the
// record's transaction.
package safefile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Pending is a file written and synced beside its target, not yet under the target's name.
type Pending struct {
	tmp, path string
	placed    bool
}

// Stage writes data to a temporary file in path's directory (so that the rename which puts
// it in place never crosses a file system) and syncs it.
func Stage(path string, data []byte) (*Pending, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	p := &Pending{tmp: f.Name(), path: path}
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

// Place renames the file over its target, then syncs the directory so that the new name
// survives a power cut.
func (p *Pending) Place() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		return err
	}
	p.placed = true
	return syncDir(filepath.Dir(p.path))
}

// Abandon removes what a failed write left: the temporary file or, when the failure came
// after the rename, the new file itself, so that nothing unrecorded stays at path.
func (p *Pending) Abandon() {
	if p.placed {
		os.Remove(p.path)
	} else {
		os.Remove(p.tmp)
	}
}

// Replace writes data to path all or nothing, for files that carry no record (the personal
// information ledger): a full disk or any other failure leaves no partial file and an earlier
// file at path as it was.
func Replace(path string, data []byte) error {
	p, err := Stage(path, data)
	if err == nil {
		if err = p.Place(); err != nil {
			p.Abandon()
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
