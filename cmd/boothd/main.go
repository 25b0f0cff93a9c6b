// Command boothd is Booth Ledger's central sync server.
package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/boothledger/boothledger"
	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/pgstore"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "boothd:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Main is the boothd program.
type Main struct {
	Stdout, Stderr io.Writer
	// Ready, if set, receives the address serve listens on.
	Ready func(addr string)
	// headerTimeout, when set, replaces the time a client has to send its request headers
	// (tests shorten it).
	headerTimeout time.Duration
}

// Limits that keep slow or many clients from holding boothd: a push body is at most 8 MB, so
// a minute to send or receive one is generous on any booth network.
const (
	headerTimeout   = 10 * time.Second
	bodyTimeout     = 60 * time.Second
	idleTimeout     = 120 * time.Second
	maxHeaderBytes  = 64 << 10
	defaultMaxConns = 512
)

// limitListener accepts at most cap(slots) connections at once; the next waits for one to close.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

type limitedConn struct {
	net.Conn
	once    gosync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

type usageError string

func (e usageError) Error() string { return string(e) }

const usage = `boothd — the Booth Ledger sync server

  boothd serve --listen 127.0.0.1:8080 --db sqlite:PATH|postgres://... [--tls-cert F --tls-key F] [--max-conns 512]
               [--mirror PATH]   erases what is past its retention once a day (see retention run)
  boothd retention run --db .. [--mirror PATH]   now: erase what is past its retention everywhere
  boothd token create --db .. --role booth|manager|admin --name "booth laptop 3" --event ID [--event ID ...] [--json]
                      (booth and manager tokens need --event; a manager may have --all-events instead)
  boothd token list --db ..
  boothd token revoke --db .. NAME
  boothd version
`

// Run runs one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	switch {
	case len(args) >= 1 && (args[0] == "version" || args[0] == "--version"):
		fmt.Fprintln(m.Stdout, "boothd", boothledger.Version)
		return nil
	case len(args) >= 1 && args[0] == "serve":
		return m.serve(ctx, args[1:])
	case len(args) >= 2 && args[0] == "retention" && args[1] == "run":
		return m.retentionRun(ctx, args[2:])
	case len(args) >= 2 && args[0] == "token":
		switch args[1] {
		case "create":
			return m.tokenCreate(ctx, args[2:])
		case "list":
			return m.tokenList(ctx, args[2:])
		case "revoke":
			return m.tokenRevoke(ctx, args[2:])
		}
	}
	fmt.Fprint(m.Stderr, usage)
	return usageError("unknown command")
}

// OpenStore opens the store a --db value names.
func OpenStore(ctx context.Context, db string) (server.Store, error) {
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		return sqlitestore.Open(ctx, strings.TrimPrefix(db, "sqlite:"))
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return pgstore.Open(ctx, db)
	}
	return nil, usageError(fmt.Sprintf("--db %q: want sqlite:PATH or postgres://...", db))
}

// eventList collects repeated --event flags.
type eventList []string

func (e *eventList) String() string     { return strings.Join(*e, ",") }
func (e *eventList) Set(v string) error { *e = append(*e, v); return nil }

func (m *Main) flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs, fs.String("db", "", "sqlite:PATH or postgres://...")
}

func (m *Main) serve(ctx context.Context, args []string) error {
	fs, db := m.flags("serve")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate file")
	key := fs.String("tls-key", "", "TLS key file")
	mirror := fs.String("mirror", "", mirrorHelp)
	maxConns := fs.Int("max-conns", defaultMaxConns, "connections served at once; more wait")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *maxConns < 1 {
		return usageError("--max-conns must be at least 1")
	}
	r, closeAll, err := openWithMirror(ctx, *db, *mirror)
	if err != nil {
		return err
	}
	defer closeAll()
	st := r.Store
	log := slog.New(slog.NewJSONHandler(m.Stderr, nil))
	go runRetentionDaily(ctx, r, log)
	hdr := headerTimeout
	if m.headerTimeout > 0 {
		hdr = m.headerTimeout
	}
	srv := &http.Server{Handler: server.New(st, log), ReadHeaderTimeout: hdr, ReadTimeout: bodyTimeout,
		WriteTimeout: bodyTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	raw, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	ln := &limitListener{Listener: raw, slots: make(chan struct{}, *maxConns)}
	log.Info("listening", "addr", ln.Addr().String(), "db", strings.SplitN(*db, ":", 2)[0])
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if *cert != "" {
			errc <- srv.ServeTLS(ln, *cert, *key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let in-flight pushes finish their transactions.
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	log.Info("shutting down")
	return srv.Shutdown(shutdown)
}

func (m *Main) tokenCreate(ctx context.Context, args []string) error {
	fs, db := m.flags("token create")
	role := fs.String("role", "", "booth, manager or admin")
	name := fs.String("name", "", "a name to recognise the device by")
	asJSON := fs.Bool("json", false, "print JSON")
	var events eventList
	fs.Var(&events, "event", "an event the token may capture or see (repeat for several)")
	allEvents := fs.Bool("all-events", false, "a manager token for every event, present and future")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *role != sync.RoleBooth && *role != sync.RoleManager && *role != sync.RoleAdmin {
		return capture.Invalid("role", "one_of", "booth, manager, admin")
	}
	// A booth or manager token without events would see nothing and write nothing: say so
	// now rather than let a laptop sync empty.
	switch {
	case *allEvents && *role != sync.RoleManager:
		return capture.Invalid("all-events", "all_events_manager")
	case *allEvents && len(events) > 0:
		return capture.Invalid("event", "events_or_all")
	case *role != sync.RoleAdmin && !*allEvents && len(events) == 0:
		return capture.Invalid("event", "token_needs_event", *role)
	}
	for _, e := range events {
		if !capture.ValidID(e) {
			return capture.Invalid("event", "id_syntax")
		}
	}
	if strings.TrimSpace(*name) == "" {
		return capture.Invalid("name", "required")
	}
	st, err := OpenStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	token, hash := server.NewToken()
	t := server.Token{ID: capture.NewID(), Name: strings.TrimSpace(*name), Hash: hash, Role: *role, Events: events, AllEvents: *allEvents, Created: time.Now()}
	if err := st.CreateToken(ctx, t); err != nil {
		return err
	}
	if *asJSON {
		fmt.Fprintf(m.Stdout, "{\"token\": %q, \"name\": %q, \"role\": %q}\n", token, t.Name, t.Role)
		return nil
	}
	fmt.Fprintln(m.Stdout, token)
	fmt.Fprintln(m.Stderr, "shown once: the server keeps only its hash")
	return nil
}

func (m *Main) tokenList(ctx context.Context, args []string) error {
	fs, db := m.flags("token list")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	st, err := OpenStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Tokens(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tEVENTS\tCREATED\tREVOKED")
	for _, t := range list {
		revoked := ""
		if t.Revoked != nil {
			revoked = t.Revoked.Local().Format(time.DateTime)
		}
		events := strings.Join(t.Events, ",")
		if t.AllEvents {
			events = "(all events)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role, events, t.Created.Local().Format(time.DateTime), revoked)
	}
	return w.Flush()
}

func (m *Main) tokenRevoke(ctx context.Context, args []string) error {
	fs, db := m.flags("token revoke")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if fs.NArg() != 1 {
		return usageError("token revoke takes the token's name")
	}
	st, err := OpenStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.RevokeToken(ctx, fs.Arg(0), time.Now())
}

const mirrorHelp = "the retention mirror, a copy of the log the daily retention runs on (default: next to a sqlite --db, else in the user config directory)"

// openWithMirror opens the store a --db value names and the mirror the retention runs on;
// closeAll closes both.
func openWithMirror(ctx context.Context, db, mirror string) (r *server.Retention, closeAll func(), err error) {
	st, err := OpenStore(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	m, err := openMirror(db, mirror)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("retention mirror: %w", err)
	}
	return &server.Retention{Store: st, Mirror: m}, func() { m.Close(); st.Close() }, nil
}

// openMirror opens the mirror: mirror, else next to a SQLite database, else one per
// database in the user config directory (a mirror's cursor and contents belong to one log).
func openMirror(db, mirror string) (*store.Store, error) {
	if mirror == "" {
		if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
			mirror = path + "-retention.db"
		} else {
			dir, err := os.UserConfigDir()
			if err != nil {
				return nil, fmt.Errorf("%w (give --mirror)", err)
			}
			sum := sha256.Sum256([]byte(db))
			mirror = filepath.Join(dir, "boothledger", fmt.Sprintf("boothd-retention-%x.db", sum[:6]))
		}
	}
	if err := os.MkdirAll(filepath.Dir(mirror), 0o700); err != nil {
		return nil, err
	}
	return store.OpenPath(mirror)
}

// runRetentionDaily runs the retention every hour; it erases at most once a day.
func runRetentionDaily(ctx context.Context, r *server.Retention, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if erased, err := r.Run(ctx, time.Now(), true); err != nil {
			log.Error("retention", "err", err)
		} else if len(erased) > 0 {
			log.Info("retention", "erased", len(erased))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (m *Main) retentionRun(ctx context.Context, args []string) error {
	fs, db := m.flags("retention run")
	mirror := fs.String("mirror", "", mirrorHelp)
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	r, closeAll, err := openWithMirror(ctx, *db, *mirror)
	if err != nil {
		return err
	}
	defer closeAll()
	erased, err := r.Run(ctx, time.Now(), false)
	if err != nil {
		return err
	}
	for _, e := range erased {
		fmt.Fprintf(m.Stdout, "%s  until %s\n", e.LeadID, e.Until.Local().Format(capture.DateLayout))
	}
	fmt.Fprintf(m.Stdout, "%d lead(s) past their retention erased\n", len(erased))
	return nil
}
