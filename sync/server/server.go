// Package server is boothd's HTTP API: token auth with roles and event scopes, idempotent
// push, filtered pull, and the public notice pages the booth QR codes point at. It keeps no
// state outside its Store, so several instances can serve one PostgreSQL database.
package server

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/sync"
)

// Errors stores return.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	// ErrDeviceBound refuses a push from a device id that another live token pushed first.
	ErrDeviceBound = errors.New("device is enrolled with another token")
)

// Token is a device's credential. Only its hash is stored.
type Token struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Hash   string   `json:"-"`
	Role   string   `json:"role"`
	Events []string `json:"events"`
	// AllEvents gives a manager every event, said explicitly (boothd token create --all-events).
	AllEvents bool       `json:"all_events,omitempty"`
	Created   time.Time  `json:"created"`
	Revoked   *time.Time `json:"revoked,omitempty"`
}

// scoped reports whether the token may see event id: admins and all-events managers see
// every event, others the events they were given.
func (t Token) scoped(id string) bool {
	return t.everyEvent() || slices.Contains(t.Events, id)
}

func (t Token) everyEvent() bool {
	return t.Role == sync.RoleAdmin || t.AllEvents && t.Role == sync.RoleManager
}

// PullQuery selects what one device may pull.
type PullQuery struct {
	// Role is the reader's role: what only admins or managers may read is left out or
	// redacted for the others.
	Role   string
	After  int64
	Limit  int
	Events []string // nil: every event
	// Device, when set, leaves out the ops made on that device: it holds them already.
	Device string
	// MaxBytes bounds the payloads of one answer (at least one op is always sent).
	MaxBytes int
}

// MaxPullBytes bounds the payloads one pull answer carries; the rest comes with more: true.
const MaxPullBytes = 4 << 20

// View is what the server holds that a pushed op is checked against, the batch's earlier
// ops included.
type View interface {
	// LeadEvents lists the events a lead was captured at; none for a lead the server does
	// not know.
	LeadEvents(lead string) ([]string, error)
	// MergedInto names the lead a lead is merged into by a merge that stands, or "".
	MergedInto(lead string) (string, error)
	Erased(lead string) (bool, error)
	// Merge returns the leads of a merge; ErrNotFound when the server does not hold it.
	Merge(id string) (keep string, others []string, err error)
	// Questions lists the question ids any version of an event's survey has had.
	Questions(event string) ([]string, error)
	// Capture returns the lead a capture was first attached to and its event; ErrNotFound
	// when the server does not hold it.
	Capture(id string) (lead, event string, err error)
}

// Decision is what Authorize says of an op: why it is refused, or (when Refused is "") what
// it names, its merge's leads included.
type Decision struct {
	Refused string
	Refs    capture.Refs
}

// Authorize decides on the i-th op of a push.
type Authorize func(i int, op capture.Op, v View) (Decision, error)

// Store is what the server keeps: tokens, the op log and what scope checks need.
type Store interface {
	CreateToken(ctx context.Context, t Token) error
	TokenByHash(ctx context.Context, hash string) (Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, name string, at time.Time) error
	// BindDevice binds a device id to the token that first pushes it; ErrDeviceBound when a
	// token that is not revoked holds it already.
	BindDevice(ctx context.Context, device, tokenID string) error
	// Push records and applies ops in one transaction, asking authorize about each op first;
	// an op already held with the same content is counted as taken and not applied again,
	// one whose id is held with other content is refused.
	Push(ctx context.Context, ops []capture.Op, authorize Authorize) (PushResult, error)
	Pull(ctx context.Context, q PullQuery) (ops []capture.Op, cursor int64, more bool, err error)
	NoticeByHash(ctx context.Context, hash string) (capture.Notice, error)
	Ping(ctx context.Context) error
	Close() error
}

// PushResult is what a push did, op by op.
type PushResult struct {
	Applied int
	// Refused maps an op's index in the push to the reason it was refused (by index, since a
	// hostile batch may repeat an op id).
	Refused map[int]string
	// Erased says the push erased personal data (an erasure, or an op about an erased lead).
	Erased bool
}

// Server is the HTTP handler.
type Server struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
	mux   *http.ServeMux
}

// New returns a server on store, logging to log.
func New(store Store, log *slog.Logger) *Server {
	s := &Server{store: store, log: log, now: time.Now, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /v1/sync/push", s.authed(s.push))
	s.mux.HandleFunc("GET /v1/sync/pull", s.authed(s.pull))
	s.mux.HandleFunc("GET /n/{hash}", s.noticePage)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// NewToken makes a random token (256 bits) and the hash that is all the store keeps.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = "bl_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how a token is kept and looked up: SHA-256, hex. A token has 256 bits of
// entropy, so a fast hash is enough and the lookup leaks nothing useful.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, sync.ErrorResponse{Error: fmt.Sprintf(format, args...)})
}

// authed checks the bearer token on every request; a revoked token fails at once.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, Token)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, raw, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" { // the scheme is case-insensitive (RFC 9110)
			fail(w, http.StatusUnauthorized, "missing bearer token")
			return
		}
		hash := HashToken(strings.TrimSpace(raw))
		t, err := s.store.TokenByHash(r.Context(), hash)
		if err == nil && subtle.ConstantTimeCompare([]byte(t.Hash), []byte(hash)) != 1 {
			err = ErrNotFound // the lookup matched by index; the comparison that decides is constant-time
		}
		switch {
		case errors.Is(err, ErrNotFound):
			fail(w, http.StatusUnauthorized, "unknown token")
			return
		case err != nil:
			s.log.Error("token lookup", "err", err)
			fail(w, http.StatusServiceUnavailable, "token lookup failed")
			return
		case t.Revoked != nil:
			fail(w, http.StatusUnauthorized, "token revoked on %s", t.Revoked.Format(time.RFC3339))
			return
		}
		h(w, r, t)
	}
}

// push takes a batch of a device's ops. A malformed batch is refused whole with a 4xx; an
// op the token may not write is refused on its own and the rest are taken.
func (s *Server) push(w http.ResponseWriter, r *http.Request, t Token) {
	body := io.Reader(http.MaxBytesReader(w, r.Body, sync.MaxRequestBytes))
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(body)
		if err != nil {
			fail(w, http.StatusBadRequest, "bad gzip body: %v", err)
			return
		}
		defer gz.Close()
		body = io.LimitReader(gz, sync.MaxRequestBytes+1)
	}
	data, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(data) > sync.MaxRequestBytes:
		fail(w, http.StatusRequestEntityTooLarge, "request over %d bytes", sync.MaxRequestBytes)
		return
	case err != nil:
		fail(w, http.StatusBadRequest, "read body: %v", err)
		return
	}
	req, err := sync.DecodePush(data)
	if err != nil {
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "ops in one push") {
			status = http.StatusRequestEntityTooLarge
		}
		fail(w, status, "%v", err)
		return
	}
	ops := make([]capture.Op, len(req.Ops))
	for i, o := range req.Ops {
		ops[i] = o.Op
	}
	switch err := s.store.BindDevice(r.Context(), req.Device, t.ID); {
	case errors.Is(err, ErrDeviceBound):
		fail(w, http.StatusForbidden, "device %s is enrolled with another token; enrol this one with its own database", req.Device)
		return
	case err != nil:
		s.log.Error("bind device", "token", t.Name, "err", err)
		fail(w, http.StatusServiceUnavailable, "push not stored: %v", err)
		return
	}
	res, err := s.store.Push(r.Context(), ops, Authorizer(t, s.now, req.Payloads))
	if err != nil {
		s.log.Error("push", "token", t.Name, "err", err)
		fail(w, http.StatusServiceUnavailable, "push not stored: %v", err)
		return
	}
	resp := sync.PushResponse{Version: sync.Version, Applied: res.Applied}
	for i, o := range req.Ops {
		if reason, ok := res.Refused[i]; ok {
			resp.Refused = append(resp.Refused, sync.Refusal{Seq: o.Seq, OpID: o.ID, Reason: reason})
		}
		resp.Acked = o.Seq
	}
	s.log.Info("push", "token", t.Name, "device", req.Device, "ops", len(ops), "applied", res.Applied, "refused", len(resp.Refused))
	writeJSON(w, http.StatusOK, resp)
}

// Authorizer checks ops pushed with token t, each as the device that made it would (the op
// registry's rules), against the role and events of t and what the server holds: every lead
// an op names must be within t's events, or new where the op may create it; merges may
// not join a lead twice, an erased lead or a lead with itself. payloads, when not nil, are
// the ops' payloads already decoded.
func Authorizer(t Token, now func() time.Time, payloads []any) Authorize {
	refuse := func(format string, args ...any) (Decision, error) {
		return Decision{Refused: fmt.Sprintf(format, args...)}, nil
	}
	return func(i int, op capture.Op, v View) (Decision, error) {
		var payload any
		var err error
		if i < len(payloads) {
			err = capture.CheckDecoded(op, payloads[i], now())
			payload = payloads[i]
		} else {
			payload, err = capture.CheckOp(op, now())
		}
		if err != nil {
			return Decision{Refused: err.Error()}, nil
		}
		if !capture.MayWrite(t.Role, op.Kind) {
			return refuse("%s tokens may not write %s", t.Role, op.Kind)
		}
		spec, _ := capture.Spec(op.Kind)
		refs := spec.Refs(op, payload)
		if refs.Merge != "" {
			keep, others, err := v.Merge(refs.Merge)
			if errors.Is(err, ErrNotFound) {
				return refuse("merge %s is not known to the server", refs.Merge)
			}
			if err != nil {
				return Decision{}, err
			}
			refs.Leads = append([]string{keep}, others...)
		}
		for _, e := range refs.Events {
			if !t.scoped(e) {
				return refuse("event %s is not assigned to token %q", e, t.Name)
			}
		}
		for _, lead := range refs.Leads {
			if spec.CreatesLead && t.everyEvent() {
				break // new or not, the lead is within every event
			}
			events, err := v.LeadEvents(lead)
			if err != nil {
				return Decision{}, err
			}
			switch {
			case len(events) == 0 && spec.CreatesLead:
			case len(events) == 0:
				return refuse("lead %s is not known to the server", lead)
			case !slices.ContainsFunc(events, t.scoped):
				return refuse("lead %s was not captured at an event assigned to token %q", lead, t.Name)
			}
		}
		if reason, err := idRefusal(op, payload, v); reason != "" || err != nil {
			return Decision{Refused: reason}, err
		}
		if c, ok := payload.(*capture.Capture); ok && len(c.Answers) > 0 {
			// Answers only to questions the event's survey has asked, in any of its versions:
			// no room for arbitrary data riding along with a capture.
			asked, err := v.Questions(c.EventID)
			if err != nil {
				return Decision{}, err
			}
			for id := range c.Answers {
				if !slices.Contains(asked, id) {
					return refuse("answers: %q is not a question of event %s's survey", id, c.EventID)
				}
			}
		}
		if op.Kind == capture.OpLeadMerge {
			reason, err := mergeRefusal(refs.Leads, v)
			return Decision{Refused: reason, Refs: refs}, err
		}
		return Decision{Refs: refs}, nil
	}
}

// idRefusal keeps capture and lead ids apart, since a detached capture's lead takes the
// capture's id: a capture may not reuse a lead's id nor make a lead under a capture's, and a
// detach must name the capture's first lead and event as the server holds them.
func idRefusal(op capture.Op, payload any, v View) (string, error) {
	switch p := payload.(type) {
	case *capture.Capture:
		if events, err := v.LeadEvents(p.ID); err != nil || len(events) > 0 {
			return fmt.Sprintf("capture id %s is a lead's", p.ID), err
		}
		switch _, _, err := v.Capture(p.LeadID); {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return "", err
		default:
			// Only the capture's detach makes a lead under its id; once made, the person's
			// next cards join it like any lead's.
			if events, err := v.LeadEvents(p.LeadID); err != nil || len(events) == 0 {
				return fmt.Sprintf("lead id %s is a capture's", p.LeadID), err
			}
		}
	case *capture.Detach:
		lead, event, err := v.Capture(p.Capture)
		if errors.Is(err, ErrNotFound) {
			return fmt.Sprintf("capture %s is not known to the server", p.Capture), nil
		}
		if err != nil {
			return "", err
		}
		if lead != p.From || event != p.Event {
			return fmt.Sprintf("capture %s was attached to lead %s at event %s", p.Capture, lead, event), nil
		}
	}
	return "", nil
}

// mergeRefusal refuses a merge naming a lead that is merged away already or erased: each lead
// is in at most one standing merge, so merges never form a cycle.
func mergeRefusal(leads []string, v View) (string, error) {
	for _, lead := range leads {
		into, err := v.MergedInto(lead)
		if err != nil {
			return "", err
		}
		if into != "" {
			return fmt.Sprintf("lead %s is already merged into %s", lead, into), nil
		}
		erased, err := v.Erased(lead)
		if err != nil {
			return "", err
		}
		if erased {
			return fmt.Sprintf("lead %s is erased", lead), nil
		}
	}
	return "", nil
}

// pull returns ops after a cursor that the token may see. ?event= narrows to one event and
// ?feed=manager asks for the manager feed; a booth asking for either beyond its scope gets 403.
func (s *Server) pull(w http.ResponseWriter, r *http.Request, t Token) {
	q := r.URL.Query()
	after, err := strconv.ParseInt(q.Get("after"), 10, 64)
	if q.Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		fail(w, http.StatusBadRequest, "after must be a cursor from a previous pull")
		return
	}
	limit := 1000
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 5000 {
			fail(w, http.StatusBadRequest, "limit must be 1 to 5000")
			return
		}
	}
	if feed := q.Get("feed"); feed != "" && feed != "booth" && !(feed == "manager" && t.Role != sync.RoleBooth) {
		fail(w, http.StatusForbidden, "token %q (%s) may not read the %s feed", t.Name, t.Role, feed)
		return
	}
	pq := PullQuery{Role: t.Role, After: after, Limit: limit, Device: q.Get("device"), MaxBytes: MaxPullBytes}
	if !t.everyEvent() {
		pq.Events = append([]string{}, t.Events...)
	}
	if e := q.Get("event"); e != "" {
		if !t.scoped(e) {
			fail(w, http.StatusForbidden, "event %s is not assigned to token %q", e, t.Name)
			return
		}
		pq.Events = []string{e}
	}
	ops, cursor, more, err := s.store.Pull(r.Context(), pq)
	if err != nil {
		s.log.Error("pull", "token", t.Name, "err", err)
		fail(w, http.StatusServiceUnavailable, "pull failed")
		return
	}
	if ops == nil {
		ops = []capture.Op{}
	}
	writeJSON(w, http.StatusOK, sync.PullResponse{Version: sync.Version, Ops: ops, Cursor: cursor, More: more})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		fail(w, http.StatusServiceUnavailable, "database: %v", err)
		return
	}
	w.Write([]byte("ok\n"))
}

var noticeTemplate = template.Must(template.New("notice").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.7}small{color:#666}</style></head>
<body><h1>{{.Title}}</h1>
<h2>{{if eq .Lang "en"}}Purposes of use{{else}}利用目的{{end}}</h2><ol>{{range .Purposes}}<li>{{.}}</li>{{end}}</ol>
<h2>{{if eq .Lang "en"}}Personal data we collect{{else}}取得する個人情報の項目{{end}}</h2><p>{{range $i, $x := .Items}}{{if $i}}、{{end}}{{$x}}{{end}}</p>
{{if .ThirdParty.Provides}}<h2>{{if eq .Lang "en"}}Provision to third parties{{else}}第三者への提供{{end}}</h2>
<p>{{range .ThirdParty.Recipients}}{{.}} {{end}}— {{range .ThirdParty.Items}}{{.}} {{end}}— {{.ThirdParty.Method}}</p>
{{range .ThirdParty.Abroad}}<p>{{.Recipient}} ({{if eq $.Lang "en"}}abroad{{else}}外国{{end}}: {{.Country}}) — {{.Regime}} — {{.Measures}}</p>{{end}}{{end}}
{{with .JointUse}}<h2>{{if eq $.Lang "en"}}Joint use{{else}}共同利用{{end}}</h2>
<p>{{range .Items}}{{.}} {{end}}— {{.Users}} — {{.Purpose}} — {{.Responsible.Name}}, {{.Responsible.Address}}, {{.Responsible.Representative}}</p>{{end}}
<h2>{{if eq .Lang "en"}}Retention{{else}}保存期間{{end}}</h2><p>{{.Retention}}</p>
<h2>{{if eq .Lang "en"}}Contact{{else}}お問い合わせ{{end}}</h2><p>{{.Contact}}</p>
<p><small>{{if eq .Lang "en"}}Version{{else}}版{{end}} {{.Version}} · SHA-256 {{.Hash}}</small></p>
</body></html>
`))

// noticePage shows exactly the notice version with this hash: what a booth QR code opens.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) {
	hash := r.PathValue("hash")
	if len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		http.Error(w, "not a notice hash", http.StatusNotFound)
		return
	}
	n, err := s.store.NoticeByHash(r.Context(), hash)
	if errors.Is(err, ErrNotFound) {
		http.Error(w, "no notice with this hash", http.StatusNotFound)
		return
	}
	if err != nil {
		s.log.Error("notice page", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	noticeTemplate.Execute(w, n)
}
