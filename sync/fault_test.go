package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
	"github.com/boothledger/boothledger/sync/server"
	"github.com/boothledger/boothledger/sync/server/sqlitestore"
)

const serveEnv = "BOOTH_FAULT_SERVE" // "DBPATH ADDR": run as the server child

// TestMain runs the test binary as a boothd child when TestFaults starts it as one.
func TestMain(m *testing.M) {
	if v := os.Getenv(serveEnv); v != "" {
		var db, addr string
		fmt.Sscan(v, &db, &addr)
		st, err := sqlitestore.Open(context.Background(), db)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		http.ListenAndServe(addr, server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
		os.Exit(4)
	}
	os.Exit(m.Run())
}

// child is boothd in a separate process, so that it can be SIGKILLed mid-push.
type child struct {
	db, addr string
	cmd      *exec.Cmd
}

func (c *child) start() error {
	c.cmd = exec.Command(os.Args[0])
	c.cmd.Env = append(os.Environ(), serveEnv+"="+c.db+" "+c.addr)
	if err := c.cmd.Start(); err != nil {
		return err
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + c.addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
	}
	return fmt.Errorf("boothd child did not come up on %s", c.addr)
}

func (c *child) kill() {
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
}

// faultProxy forwards HTTP on loopback and, now and then, drops the connection before the
// request, after the request reached the server (losing the answer), in the middle of the
// answer; delays it; or sends the request to the server twice.
type faultProxy struct {
	upstream string
	r        *rand.Rand
	mu       gosync.Mutex
	faults   atomic.Int64
	on       atomic.Bool
	ln       net.Listener
}

func (p *faultProxy) roll(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.r.IntN(n)
}

func (p *faultProxy) serve() {
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(conn)
	}
}

func (p *faultProxy) handle(conn net.Conn) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		fault := -1
		if p.on.Load() && p.roll(100) < 30 {
			fault = p.roll(5)
			p.faults.Add(1)
		}
		send := func() ([]byte, error) {
			out, _ := http.NewRequest(req.Method, "http://"+p.upstream+req.URL.RequestURI(), bytes.NewReader(body))
			out.Header = req.Header.Clone()
			resp, err := http.DefaultTransport.RoundTrip(out)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			payload, err := io.ReadAll(resp.Body)
			if err != nil {
				return nil, err
			}
			// Re-framed with a length, so the connection can carry the next request.
			resp.Body, resp.ContentLength, resp.TransferEncoding = io.NopCloser(bytes.NewReader(payload)), int64(len(payload)), nil
			resp.Header.Del("Transfer-Encoding")
			var buf bytes.Buffer
			if err := resp.Write(&buf); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		}
		switch fault {
		case 0: // dropped before the request reaches the server
			return
		case 1: // the server takes it, the answer is lost
			send()
			return
		case 2: // the answer is cut in the middle
			if raw, err := send(); err == nil {
				conn.Write(raw[:len(raw)/2])
			}
			return
		case 3: // repeated: the server sees the same request twice
			send()
		case 4:
			time.Sleep(time.Duration(50+p.roll(200)) * time.Millisecond)
		}
		raw, err := send()
		if err != nil {
			return
		}
		if _, err := conn.Write(raw); err != nil {
			return
		}
	}
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestFaults syncs three devices through a faulty proxy while boothd is SIGKILLed and
// restarted during pushes: at least 1,000 ops and 20 faults. Afterwards the server holds
// every op exactly once and no device lost an op.
func TestFaults(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "boothd.db")
	st, err := sqlitestore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tok, hash := server.NewToken()
	st.CreateToken(ctx, server.Token{ID: capture.NewID(), Name: "admin", Hash: hash, Role: sync.RoleAdmin, Created: time.Now()})
	st.Close()

	srv := &child{db: db, addr: freePort(t)}
	if err := srv.start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.kill() }()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := &faultProxy{upstream: srv.addr, r: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3)), ln: ln}
	go proxy.serve()
	defer ln.Close()

	const devices, capturesEach = 3, 350
	stores := make([]*store.Store, devices)
	setup := storetest.Open(t)
	_, event := storetest.Setup(t, setup)
	for i := range stores {
		stores[i] = storetest.Open(t)
	}
	ops, _ := setup.Ops(ctx, 0, 0)
	for _, s := range stores {
		plain := make([]capture.Op, len(ops))
		for i, o := range ops {
			plain[i] = o.Op
		}
		s.ApplyOps(ctx, plain) // every device knows the event; only the makers' own ops are pushed
	}
	client := func(s *store.Store) *sync.Client {
		return &sync.Client{Store: s, URL: "http://" + ln.Addr().String(), Token: tok, Batch: 20,
			HTTP: &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: proxy.roll(2) == 0}}}
	}
	proxy.on.Store(true)
	stop := make(chan struct{})
	var kills atomic.Int64
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { // SIGKILL boothd now and then, and bring it back
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(80+proxy.roll(200)) * time.Millisecond):
			}
			srv.kill()
			kills.Add(1)
			if err := srv.start(); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var failures atomic.Int64
	var capturing gosync.WaitGroup
	for i, s := range stores {
		capturing.Add(1)
		go func() {
			defer capturing.Done()
			c := client(s)
			for n := 0; n < capturesEach; n++ {
				if _, err := s.AddCapture(ctx, capture.NewCapture{EventID: event.ID, Person: storetest.Person(i*10000 + n)}); err != nil {
					t.Error(err)
					return
				}
				if n%25 == 24 {
					if _, err := c.Round(ctx); err != nil {
						failures.Add(1)
					}
				}
			}
		}()
	}
	// When the devices have captured everything, stop killing boothd and drain with the
	// proxy still faulty.
	capturing.Wait()
	close(stop)
	wg.Wait()
	for _, s := range stores {
		c := client(s)
		for attempt := 0; ; attempt++ {
			if _, err := c.Round(ctx); err == nil {
				break
			} else if attempt > 60 {
				t.Fatalf("device could not finish syncing: %v", err)
			}
		}
	}
	proxy.on.Store(false)
	for _, s := range stores { // everyone pulls what the others pushed, without faults
		if _, err := client(s).Round(ctx); err != nil {
			t.Fatal(err)
		}
	}
	srv.kill()

	st, err = sqlitestore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	held := map[string]int{}
	for cursor := int64(0); ; {
		page, next, more, err := st.Pull(ctx, server.PullQuery{Role: sync.RoleAdmin, After: cursor, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range page {
			held[op.ID]++
		}
		cursor = next
		if !more {
			break
		}
	}
	total := 0
	for i, s := range stores {
		local, _ := s.LocalOps(ctx, 0, 0)
		total += len(local)
		for _, op := range local {
			if held[op.ID] != 1 {
				t.Fatalf("device %d op %s held %d times by the server", i, op.ID, held[op.ID])
			}
		}
		if n, _ := s.Leads(ctx, store.LeadQuery{}); len(n) != devices*capturesEach {
			t.Fatalf("device %d holds %d leads after the final pull, want %d", i, len(n), devices*capturesEach)
		}
	}
	if total != len(held) || total < 1000 {
		t.Fatalf("server holds %d ops, devices made %d", len(held), total)
	}
	t.Logf("%d ops, %d proxy faults, %d SIGKILLs of boothd, %d failed rounds retried", total, proxy.faults.Load(), kills.Load(), failures.Load())
	if proxy.faults.Load() < 20 || kills.Load() < 1 {
		t.Fatalf("too few faults to prove anything: %d proxy faults, %d kills", proxy.faults.Load(), kills.Load())
	}
}
