package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store/storetest"
	"github.com/boothledger/boothledger/sync"
)

func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := (&Main{Stdout: &out, Stderr: &errb}).Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func TestTokensAndServe(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "boothd.db")
	out, _, err := run(t, "token", "create", "--db", db, "--role", "admin", "--name", "booth laptop 3", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Token string }
	json.Unmarshal([]byte(out), &created)
	if !strings.HasPrefix(created.Token, "bl_") || len(created.Token) < 40 {
		t.Fatalf("token %q", out)
	}
	if _, _, err := run(t, "token", "create", "--db", db, "--role", "king", "--name", "x"); err == nil {
		t.Fatal("unknown role accepted")
	}
	if _, _, err := run(t, "token", "create", "--db", db, "--role", "booth", "--name", "booth laptop 3", "--event", "e1"); err == nil {
		t.Fatal("duplicate name accepted")
	}
	// A booth or manager token without events would sync nothing: refused, by name.
	for _, args := range [][]string{
		{"--role", "manager", "--name", "m"}, {"--role", "booth", "--name", "b"}, {"--role", "booth", "--name", "b", "--all-events"},
		{"--role", "manager", "--name", "m", "--all-events", "--event", "e1"}, {"--role", "booth", "--name", "b", "--event", "e 1"},
	} {
		_, _, err := run(t, append([]string{"token", "create", "--db", db}, args...)...)
		if !errors.Is(err, capture.ErrInvalid) {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, _, err := run(t, "token", "create", "--db", db, "--role", "manager", "--name", "head office", "--all-events"); err != nil {
		t.Fatal(err)
	}
	list, _, _ := run(t, "token", "list", "--db", db)
	if !strings.Contains(list, "booth laptop 3") || !strings.Contains(list, "(all events)") || strings.Contains(list, created.Token) {
		t.Fatalf("token list:\n%s", list)
	}

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- (&Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Ready: func(a string) { ready <- a }}).Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--db", db})
	}()
	addr := <-ready
	device := storetest.Open(t)
	storetest.Setup(t, device)
	c := &sync.Client{Store: device, URL: "http://" + addr, Token: created.Token}
	if res, err := c.Round(context.Background()); err != nil || res.Pushed != 3 {
		t.Fatalf("round: %+v %v", res, err)
	}
	if _, _, err := run(t, "token", "revoke", "--db", db, "booth laptop 3"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/v1/sync/pull")
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("no token: %v %v", resp.StatusCode, err)
	}
	if _, err := c.Round(context.Background()); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("revoked token still syncs: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestRetentionRunErasesEverywhere(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "boothd.db")
	out, _, err := run(t, "token", "create", "--db", db, "--role", "admin", "--name", "manager laptop", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Token string }
	json.Unmarshal([]byte(out), &created)
	ctx := context.Background()
	laptop := storetest.Open(t)
	_, e := storetest.Setup(t, laptop) // 3 years
	old := storetest.Person(7)
	if _, err := laptop.AddCapture(ctx, capture.NewCapture{EventID: e.ID, Person: old, At: time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- (&Main{Stdout: io.Discard, Stderr: io.Discard, Ready: func(a string) { addr <- a }}).Run(sctx, []string{"serve", "--db", db, "--listen", "127.0.0.1:0"})
	}()
	c := &sync.Client{Store: laptop, URL: "http://" + <-addr, Token: created.Token, Insecure: true}
	if _, err := c.Round(ctx); err != nil {
		t.Fatal(err)
	}
	stop()
	<-done
	held := func() bool {
		raw, _ := os.ReadFile(filepath.Join(dir, "boothd.db"))
		wal, _ := os.ReadFile(filepath.Join(dir, "boothd.db-wal"))
		return bytes.Contains(append(raw, wal...), []byte(old.Email))
	}
	if !held() {
		t.Fatal("the server never held the email: the byte check below would prove nothing")
	}

	out, _, err = run(t, "retention", "run", "--db", db)
	if err != nil || !strings.Contains(out, "1 lead(s) past their retention erased") {
		t.Fatalf("boothd retention run: %q %v", out, err)
	}
	if held() {
		t.Fatal("the server's database file still holds the erased email")
	}
}

// TestSlowAndManyClients: a client that sends its headers slowly is cut off by the header
// timeout, and connections beyond --max-conns wait for a slot instead of being served.
func TestSlowAndManyClients(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "boothd.db")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Ready: func(a string) { ready <- a }, headerTimeout: 500 * time.Millisecond}
	go func() {
		done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--db", db, "--max-conns", "2"})
	}()
	addr := <-ready
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not shut down")
		}
	}()
	// Each check is a connection of its own, so that none stays in a pool holding a slot.
	health := func(timeout time.Duration) error {
		c := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := health(time.Second); err != nil {
		t.Fatal(err)
	}

	// Slowloris: a header a byte every 50 ms, so it would take 5 s to finish. The header
	// timeout runs from the first byte, not from the last, so the server hangs up after 0.5 s.
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	start := time.Now()
	go func() {
		for _, b := range []byte("POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 100)) {
			if _, err := slow.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(slow) // EOF, or a reset if a byte was still arriving: cut off either way
	if errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("the slow client was not cut off by the header timeout: %v after %v", err, time.Since(start))
	}

	// Two keep-alive connections that have had their answer hold both slots: they are idle,
	// not slow, so the header timeout does not free them. A third client is not served.
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("held connection: %v", err)
		}
		resp.Body.Close()
		held = append(held, c)
	}
	if err := health(300 * time.Millisecond); err == nil {
		t.Fatal("a third connection was served beside two held ones with --max-conns 2")
	}
	held[0].Close()
	if err := health(2 * time.Second); err != nil {
		t.Fatalf("not served after a slot was freed: %v", err)
	}
}
