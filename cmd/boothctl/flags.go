package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"unicode/utf8"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
)

// cmdFlags are a command's flags plus the ones every command takes.
type cmdFlags struct {
	*flag.FlagSet
	db   string
	json bool
}

func newFlags(name string) *cmdFlags {
	f := &cmdFlags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.SetOutput(io.Discard)
	f.StringVar(&f.db, "db", "", "database file (default $BOOTH_DB, else the app's database)")
	f.BoolVar(&f.json, "json", false, "print JSON")
	return f
}

// parse parses flags that may stand before, between or after positional arguments, and
// returns the positional ones.
func (f *cmdFlags) parse(args []string, positional int) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, usagef("%s: %v", f.Name(), err)
		}
		args = f.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if positional >= 0 && len(pos) != positional { // -1: any number
		if len(pos) > positional {
			// Most often a path with a space in it, typed without quotes.
			return nil, usagef("%s takes %d argument(s), got %d (%q is one too many; put a path with spaces in quotes)",
				f.Name(), positional, len(pos), pos[positional])
		}
		return nil, usagef("%s takes %d argument(s), got %d", f.Name(), positional, len(pos))
	}
	return pos, nil
}

// staffFlag registers --staff: the person an audit record names.
func (f *cmdFlags) staffFlag() *string {
	return f.String("staff", "", "who does this, kept in the audit record (default: the OS user name)")
}

// staffName is who an audit record names: --staff, else the OS user (whose name $USER may
// not hold: it is unset for root in many shells and services).
func staffName(flag string) string {
	if name := strings.TrimSpace(flag); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, env := range []string{"USER", "USERNAME"} {
		if v := os.Getenv(env); v != "" {
			return v
		}
	}
	return ""
}

func (f *cmdFlags) open() (*store.Store, error) {
	return store.OpenPath(f.db)
}

// parseOpen parses the arguments, then opens the store they name.
func (f *cmdFlags) parseOpen(args []string, positional int) ([]string, *store.Store, error) {
	pos, err := f.parse(args, positional)
	if err != nil {
		return nil, nil, err
	}
	s, err := f.open()
	return pos, s, err
}

func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// readInput reads a file argument; "-" is standard input.
func (m *Main) readInput(field, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(m.Stdin)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, capture.Invalid(field, "file", path, err.Error())
	}
	return b, nil
}

// readJSONInput reads a JSON file argument as Windows editors save it too: a UTF-8 byte
// order mark (Notepad's "UTF-8 (BOM付き)") is dropped, and a file in another encoding (a
// Japanese Windows' CP932) is named as such rather than failing as bad JSON.
func (m *Main) readJSONInput(field, path string) ([]byte, error) {
	b, err := m.readInput(field, path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, capture.Invalid(field, "json_not_utf8", path)
	}
	return b, nil
}

// list splits a comma-separated flag value.
func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (m *Main) say(format string, args ...any) {
	fmt.Fprintf(m.Stdout, format+"\n", args...)
}

// printCompactJSON prints v as one line (for outputs of one object per line).
func (m *Main) printCompactJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
