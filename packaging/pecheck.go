//go:build ignore

// Pecheck reads a Windows program's PE header and resources and fails unless they are what
// a release needs: go run packaging/pecheck.go -subsystem gui -want "Booth Ledger" -want 0.1.0 booth.exe
// checks that booth.exe opens no console, carries an icon and version information, and that
// the version information holds each -want string.
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"
)

// Resource type IDs (winuser.h).
const (
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

var subsystems = map[string]uint16{"gui": 2, "console": 3} // IMAGE_SUBSYSTEM_WINDOWS_GUI, _CUI

type wants []string

func (w *wants) String() string     { return strings.Join(*w, ",") }
func (w *wants) Set(s string) error { *w = append(*w, s); return nil }

func main() {
	subsystem := flag.String("subsystem", "gui", "gui or console")
	var want wants
	flag.Var(&want, "want", "a string the version information must hold (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 || subsystems[*subsystem] == 0 {
		fmt.Fprintln(os.Stderr, "usage: pecheck -subsystem gui|console [-want S]... FILE.exe")
		os.Exit(2)
	}
	if err := check(flag.Arg(0), subsystems[*subsystem], want); err != nil {
		fmt.Fprintf(os.Stderr, "pecheck: %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	fmt.Printf("pecheck: %s: subsystem %s, icon, manifest and version information %q\n", flag.Arg(0), *subsystem, want)
}

func check(path string, subsystem uint16, want []string) error {
	f, err := pe.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return errors.New("not a PE32+ (64-bit) program")
	}
	if oh.Subsystem != subsystem {
		return fmt.Errorf("subsystem %d, want %d", oh.Subsystem, subsystem)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return errors.New("no .rsrc section: no icon or version information")
	}
	data, err := rsrc.Data()
	if err != nil {
		return fmt.Errorf("read .rsrc: %w", err)
	}
	types, err := entries(data, 0)
	if err != nil {
		return err
	}
	for _, t := range []uint32{rtGroupIcon, rtVersion, rtManifest} {
		if _, ok := types[t]; !ok {
			return fmt.Errorf("no resource of type %d (14 icon group, 16 version, 24 manifest)", t)
		}
	}
	version, err := leaf(data, types[rtVersion], rsrc.VirtualAddress)
	if err != nil {
		return fmt.Errorf("version information: %w", err)
	}
	for _, s := range want {
		if !bytes.Contains(version, utf16le(s)) {
			return fmt.Errorf("version information lacks %q", s)
		}
	}
	return nil
}

// entries reads the resource directory at off: its ID entries, by ID, with the offsets
// they point to (a subdirectory has the high bit set).
func entries(data []byte, off uint32) (map[uint32]uint32, error) {
	if int(off)+16 > len(data) {
		return nil, errors.New("resource directory outside .rsrc")
	}
	named := binary.LittleEndian.Uint16(data[off+12:])
	ids := binary.LittleEndian.Uint16(data[off+14:])
	out := map[uint32]uint32{}
	for i := uint32(named); i < uint32(named)+uint32(ids); i++ {
		e := off + 16 + 8*i
		if int(e)+8 > len(data) {
			return nil, errors.New("resource entry outside .rsrc")
		}
		out[binary.LittleEndian.Uint32(data[e:])] = binary.LittleEndian.Uint32(data[e+4:])
	}
	return out, nil
}

// leaf follows a name and a language below a type entry (a version resource has one of
// each) to its data.
func leaf(data []byte, entry, rva uint32) ([]byte, error) {
	for level := 0; level < 2; level++ {
		if entry&0x80000000 == 0 {
			return nil, errors.New("resource tree too shallow")
		}
		sub, err := entries(data, entry&0x7fffffff)
		if err != nil {
			return nil, err
		}
		if len(sub) == 0 {
			return nil, errors.New("empty resource directory")
		}
		for _, entry = range sub {
			break
		}
	}
	if int(entry)+8 > len(data) {
		return nil, errors.New("resource data entry outside .rsrc")
	}
	start := binary.LittleEndian.Uint32(data[entry:]) - rva
	size := binary.LittleEndian.Uint32(data[entry+4:])
	if uint64(start)+uint64(size) > uint64(len(data)) {
		return nil, errors.New("resource data outside .rsrc")
	}
	return data[start : start+size], nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
