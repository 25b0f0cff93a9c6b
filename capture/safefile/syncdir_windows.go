package safefile

// syncDir does nothing on Windows, which cannot sync a directory; NTFS journals the rename
// as a metadata change.
func syncDir(string) error { return nil }
