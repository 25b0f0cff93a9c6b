package capture

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// declaredKinds reads the OpKind constants from op.go, so that a kind declared and not
// registered fails here.
func declaredKinds(t *testing.T) []OpKind {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "op.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []OpKind
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || vs.Type.(*ast.Ident).Name != "OpKind" {
			return true
		}
		for _, v := range vs.Values {
			s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
			out = append(out, OpKind(s))
		}
		return true
	})
	slices.Sort(out)
	return out
}

// TestEveryKindIsRegisteredEverywhere: each declared kind has a complete registry entry and
// Apply knows it; the registry knows nothing undeclared.
func TestEveryKindIsRegisteredEverywhere(t *testing.T) {
	declared := declaredKinds(t)
	if len(declared) < 13 || !slices.Equal(declared, Kinds()) {
		t.Fatalf("declared kinds %v, registered %v", declared, Kinds())
	}
	for _, k := range declared {
		spec, _ := Spec(k)
		if spec.Payload == nil || spec.Refs == nil || spec.Check == nil || !slices.Contains(Roles, spec.Writer) ||
			!slices.Contains([]Audience{AudienceAll, AudienceEvent, AudienceLead, AudienceLeads, AudienceManagers}, spec.Audience) {
			t.Errorf("%s: incomplete entry %+v", k, spec)
		}
		if spec.Audience == AudienceLead && spec.Scrub == nil && k != OpLeadErase {
			t.Errorf("%s is about one lead but says nothing of what an erasure scrubs", k)
		}
		if err := NewState().Apply(Op{ID: NewID(), Kind: k, Entity: "x", Payload: []byte(`{}`)}); errors.Is(err, ErrUnknownOp) {
			t.Errorf("Apply does not know %s", k)
		}
	}
	if MayWrite(RoleBooth, OpLeadErase) || MayWrite(RoleBooth, OpLeadWithdraw) || !MayWrite(RoleBooth, OpCaptureAdd) ||
		MayWrite(RoleManager, OpEventSet) || !MayWrite(RoleAdmin, OpOrgSet) || MayWrite("root", OpCaptureAdd) {
		t.Fatal("writers per role")
	}
}

// TestCheckOpRefusesWhatADeviceWouldNot: the checks a server runs on what arrives are the
// device's own rules.
func TestCheckOpRefusesWhatADeviceWouldNot(t *testing.T) {
	now := time.Now()
	dev := NewID()
	c := Capture{ID: NewID(), LeadID: "L1", EventID: "E1", Source: SourceBoothCard, DeviceID: dev, At: now, NoticeShown: ShownNone,
		Person: Person{Name: "山田 太郎", Email: "taro@example.jp"}}
	clock := NewClock(0, func() time.Time { return now })
	mk := func(mutate func(c *Capture)) Op {
		x := c
		mutate(&x)
		op, err := NewOp(dev, clock.Now(), OpCaptureAdd, x.ID, x)
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	if _, err := CheckOp(mk(func(*Capture) {}), now); err != nil {
		t.Fatalf("a good capture: %v", err)
	}
	for name, m := range map[string]func(*Capture){
		"NUL":           func(c *Capture) { c.Person.Name = "a\x00b" },
		"bidi override": func(c *Capture) { c.Person.Company = "\u202eevil" },
		"BOM":           func(c *Capture) { c.Person.Name = "\ufeff山田" },
		"email":         func(c *Capture) { c.Person.Email = "not-an-email" },
		"lead id":       func(c *Capture) { c.LeadID = "" },
		"lead id chars": func(c *Capture) { c.LeadID = "../../etc" },
		"device":        func(c *Capture) { c.DeviceID = NewID() },
		"date":          func(c *Capture) { c.At = now.AddDate(900, 0, 0) },
		"consent":       func(c *Capture) { c.Consents = []Consent{{Kind: "everything", Method: MethodCheckbox}} },
		"answers":       func(c *Capture) { c.Answers = Answers{"q": map[string]any{"nested": 1}} },
		"entity":        func(c *Capture) { c.ID = NewID() },
	} {
		op := mk(m)
		if name == "entity" {
			op.Entity = NewID()
		}
		if _, err := CheckOp(op, now); !errors.Is(err, ErrBadOp) {
			t.Errorf("%s: %v", name, err)
		}
	}
	far := mk(func(*Capture) {})
	far.HLC = HLC(now.Add(time.Hour).UnixMilli()) << hlcLogicalBits
	if _, err := CheckOp(far, now); !errors.Is(err, ErrFutureClock) {
		t.Errorf("an hour ahead: %v", err)
	}
	far.HLC = 1<<64 - 1
	if _, err := CheckOp(far, now); !errors.Is(err, ErrFutureClock) {
		t.Errorf("2^64-1: %v", err)
	}
	near := mk(func(*Capture) {})
	near.HLC = HLC(now.Add(time.Minute).UnixMilli()) << hlcLogicalBits // a laptop a minute fast
	if _, err := CheckOp(near, now); err != nil {
		t.Errorf("a minute ahead: %v", err)
	}
}

// TestClockIsNotDraggedIntoTheFuture: a reading from a device whose clock is wrong moves this
// clock at most MaxClockSkew ahead.
func TestClockIsNotDraggedIntoTheFuture(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := NewClock(0, func() time.Time { return now })
	c.Observe(HLC(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()) << hlcLogicalBits)
	if got := c.Now().Time(); got.After(now.Add(MaxClockSkew + time.Second)) {
		t.Fatalf("clock at %s after observing the year 3000", got)
	}
	c.Observe(1<<64 - 1)
	if got := c.Now(); got >= 1<<63 || got.Time().After(now.Add(MaxClockSkew+time.Second)) {
		t.Fatalf("clock at %d after observing 2^64-1", got)
	}
	resumed := NewClock(1<<64-2, func() time.Time { return now })
	if got := resumed.Now().Time(); got.After(now.Add(MaxClockSkew + time.Second)) {
		t.Fatalf("a clock resumed from a far reading starts at %s", got)
	}
	before := c.Now()
	c.Observe(HLC(now.Add(time.Minute).UnixMilli()) << hlcLogicalBits)
	if after := c.Now(); after <= before || after.Time().Before(now.Add(time.Minute)) {
		t.Fatal("a reading a minute ahead must still be observed")
	}
}

// TestPINHashes: new PINs are Argon2id hashes of 6 to 12 digits; hashes made by earlier
// versions (PBKDF2, no KDF recorded) still sign in.
func TestPINHashes(t *testing.T) {
	m, err := NewStaff("田中", "246813", false)
	if err != nil || !strings.HasPrefix(m.KDF, "argon2id$") {
		t.Fatalf("new staff: %+v %v", m, err)
	}
	if !m.CheckPIN("246813") || m.CheckPIN("246814") || m.CheckPIN("") {
		t.Fatal("argon2id check")
	}
	for _, pin := range []string{"12345", "1234567890123", "12a456"} {
		if _, err := NewStaff("田中", pin, false); err == nil {
			t.Errorf("PIN %q accepted", pin)
		} else if ve := err.(*ValidationError); ve.Fields[0].Field != "pin" {
			t.Errorf("PIN %q: %v", pin, err)
		}
	}
	salt := []byte("0123456789abcdef")
	key, _ := pbkdf2.Key(sha256.New, "1234", salt, pbkdf2Iterations, 32)
	old := Staff{Name: "古参", Salt: hex.EncodeToString(salt), PINHash: hex.EncodeToString(key)}
	if !old.CheckPIN("1234") || old.CheckPIN("4321") {
		t.Fatal("a PBKDF2 hash of an earlier version")
	}
	tampered := m
	tampered.KDF = "argon2id$t=1$m=4194304$p=1" // 4 GiB: refused, not run
	if tampered.CheckPIN("246813") {
		t.Fatal("a hash with parameters out of bounds was checked")
	}
}

func BenchmarkPINCheck(b *testing.B) {
	m, _ := NewStaff("田中", "246813", false)
	for b.Loop() {
		m.CheckPIN("246813")
	}
}
