package servertest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pgBin is where Debian 12 installs PostgreSQL 15's server programs.
var pgBin = "/usr/lib/postgresql/15/bin"

// StartPostgres starts a throwaway PostgreSQL server in a temporary directory on a free
// loopback port and returns its URL and a function that stops it and removes its files.
// BOOTH_TEST_PG, if set, names a server to use instead.
func StartPostgres() (string, func(), error) {
	if u := os.Getenv("BOOTH_TEST_PG"); u != "" {
		return u, func() {}, nil
	}
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		return "", nil, fmt.Errorf("%s/initdb not found: run make deps (Debian package postgresql)", pgBin)
	}
	dir, err := os.MkdirTemp("", "booth-pg-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	// initdb refuses to run as root: run the server programs as the postgres user then.
	run := func(name string, args ...string) *exec.Cmd {
		if os.Geteuid() == 0 {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pgBin, name)}, args...)...)
		}
		return exec.Command(filepath.Join(pgBin, name), args...)
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			cleanup()
			return "", nil, fmt.Errorf("chown: %v: %s", err, out)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cleanup()
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		cleanup()
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	stop := func() {
		run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop").Run()
		cleanup()
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, nil
}

// WithDatabase returns url with its database replaced by name.
func WithDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}
