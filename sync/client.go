package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	gosync "sync"
	"time"

	"github.com/boothledger/boothledger/capture/store"
)

// Meta keys the device keeps its sync progress under (the enrolment is the store's).
const (
	metaPushed      = "sync.pushed"
	metaCursor      = "sync.cursor"
	metaLastSuccess = "sync.last_success"
)

// ErrInsecure refuses plain HTTP to anything but this machine.
var ErrInsecure = errors.New("plain http is refused except to loopback; use https, or --insecure")

// Client syncs one local store with a boothd server.
type Client struct {
	Store    *store.Store
	URL      string
	Token    string
	Insecure bool
	HTTP     *http.Client
	// Batch is how many ops one push carries.
	Batch int
}

// Result counts what a round did.
type Result struct {
	Pushed  int       `json:"pushed"`
	Refused []Refusal `json:"refused,omitempty"`
	Pulled  int       `json:"pulled"`
	Applied int       `json:"applied"`
	// SetAside is every op this device holds aside: refused by the server, now or before, or
	// received and not applicable here.
	SetAside []store.SetAsideOp `json:"set_aside,omitempty"`
}

// FromStore builds a client from the device's enrolment; store.ErrNotEnrolled when none.
func FromStore(ctx context.Context, s *store.Store) (*Client, error) {
	e, err := s.Enrolment(ctx)
	if err != nil {
		return nil, err
	}
	return &Client{Store: s, URL: e.Server, Token: e.Token, Insecure: e.Insecure}, nil
}

// Remember keeps the server and token in the store as the device's enrolment.
func (c *Client) Remember(ctx context.Context) error {
	return c.Store.Enrol(ctx, store.Enrolment{Server: c.URL, Token: c.Token, Insecure: c.Insecure})
}

// CheckURL refuses a URL that is not https unless it names a loopback host or insecure is set.
func CheckURL(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("server %q is not an http(s) URL", raw)
	}
	if u.Scheme == "https" || insecure {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return ErrInsecure
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 60 * time.Second}
}

func (c *Client) metaInt(ctx context.Context, key string) int64 {
	v, _ := c.Store.Meta(ctx, key)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// Round pushes every local op the server has not acknowledged, then pulls everything new.
// Any failure leaves the checkpoints where the last acknowledgement put them, so the next
// round resends what may not have arrived.
func (c *Client) Round(ctx context.Context) (Result, error) {
	var res Result
	if err := CheckURL(c.URL, c.Insecure); err != nil {
		return res, err
	}
	batch := c.Batch
	if batch <= 0 || batch > MaxOps {
		batch = 500
	}
	for {
		after := c.metaInt(ctx, metaPushed)
		ops, err := c.Store.LocalOps(ctx, after, batch)
		if err != nil {
			return res, err
		}
		if len(ops) == 0 {
			break
		}
		req := PushRequest{Version: Version, Device: c.Store.DeviceID()}
		for _, o := range ops {
			req.Ops = append(req.Ops, SeqOp{Seq: o.Seq, Op: o.Op})
		}
		var resp PushResponse
		if err := c.do(ctx, http.MethodPost, "/v1/sync/push", req, &resp); err != nil {
			return res, fmt.Errorf("push: %w", err)
		}
		if resp.Acked <= after {
			return res, fmt.Errorf("push: server acknowledged nothing")
		}
		if len(resp.Refused) > 0 {
			if err := c.keepRefusals(ctx, resp.Refused); err != nil {
				return res, err
			}
			res.Refused = append(res.Refused, resp.Refused...)
		}
		if err := c.Store.SetMeta(ctx, metaPushed, strconv.FormatInt(resp.Acked, 10)); err != nil {
			return res, err
		}
		res.Pushed += len(ops)
	}
	for {
		cursor := c.metaInt(ctx, metaCursor)
		var resp PullResponse
		if err := c.do(ctx, http.MethodGet, "/v1/sync/pull?after="+strconv.FormatInt(cursor, 10)+"&limit=1000&device="+c.Store.DeviceID(), nil, &resp); err != nil {
			return res, fmt.Errorf("pull: %w", err)
		}
		n, err := c.Store.ApplyOps(ctx, resp.Ops)
		if err != nil {
			return res, fmt.Errorf("apply pulled ops: %w", err)
		}
		res.Pulled += len(resp.Ops)
		res.Applied += n
		if err := c.Store.SetMeta(ctx, metaCursor, strconv.FormatInt(resp.Cursor, 10)); err != nil {
			return res, err
		}
		if !resp.More {
			break
		}
	}
	var err error
	if res.SetAside, err = c.Store.SetAside(ctx); err != nil {
		return res, err
	}
	return res, c.Store.SetMeta(ctx, metaLastSuccess, time.Now().UTC().Format(time.RFC3339))
}

// keepRefusals sets the refused ops aside in the store, which lists them and undoes what
// must not stand (a refused merge).
func (c *Client) keepRefusals(ctx context.Context, refused []Refusal) error {
	for _, r := range refused {
		if err := c.Store.Refused(ctx, r.OpID, r.Reason); err != nil {
			return err
		}
	}
	return nil
}

// Status is what the booth's status line shows.
type Status struct {
	Pending      int
	LastSuccess  time.Time
	OfflineSince time.Time
	LastError    string
	// Refused counts the ops set aside: refused by the server or not applicable here.
	Refused int
}

// Pending counts the local ops not yet acknowledged by the server.
func Pending(ctx context.Context, s *store.Store) (int, time.Time) {
	v, _ := s.Meta(ctx, metaPushed)
	after, _ := strconv.ParseInt(v, 10, 64)
	n, _ := s.PendingOps(ctx, after)
	last, _ := s.Meta(ctx, metaLastSuccess)
	t, _ := time.Parse(time.RFC3339, last)
	return n, t
}

// ServerError is a 4xx or 5xx answer, with the server's reason.
type ServerError struct {
	Status int
	Reason string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("server answered %d: %s", e.Status, e.Reason)
}

// Permanent reports whether retrying cannot help (a refused request or a bad token).
func (e *ServerError) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		var buf bytes.Buffer
		gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if err := json.NewEncoder(gz).Encode(body); err != nil {
			return err
		}
		gz.Close()
		rd = &buf
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e ErrorResponse
		json.Unmarshal(data, &e)
		if e.Error == "" {
			e.Error = http.StatusText(resp.StatusCode)
		}
		return &ServerError{Status: resp.StatusCode, Reason: e.Error}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// Syncer runs rounds in the background: every Interval, and after a failure with
// exponential backoff and jitter, up to a few minutes.
type Syncer struct {
	Client   *Client
	Interval time.Duration
	// OnStatus receives the status after every round (from the syncer's goroutine).
	OnStatus func(Status)

	mu     gosync.Mutex
	status Status
}

// Run syncs until ctx ends.
func (y *Syncer) Run(ctx context.Context) {
	interval := y.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	backoff := time.Duration(0)
	for {
		_, err := y.Client.Round(ctx)
		y.mu.Lock()
		st := &y.status
		st.Pending, st.LastSuccess = Pending(ctx, y.Client.Store)
		aside, _ := y.Client.Store.SetAside(ctx)
		st.Refused = len(aside)
		wait := interval
		if err != nil {
			st.LastError = err.Error()
			if st.OfflineSince.IsZero() {
				st.OfflineSince = time.Now()
			}
			backoff = min(max(2*backoff, 2*time.Second), 5*time.Minute)
			wait = backoff/2 + rand.N(backoff/2+1)
		} else {
			st.LastError, st.OfflineSince, backoff = "", time.Time{}, 0
		}
		snapshot := *st
		y.mu.Unlock()
		if y.OnStatus != nil {
			y.OnStatus(snapshot)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
