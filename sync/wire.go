// Package sync is the device side of Booth Ledger's sync protocol and its wire types: a
// device pushes the ops it made, in local order, and pulls what it may see, in server order.
// Re-sending after any failure is always safe: the server takes each op at most once.
package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"

	"github.com/boothledger/boothledger/capture"
)

// Version is the wire format version every request and response carries.
const Version = 1

// Limits of one push request.
const (
	MaxOps          = 1000
	MaxRequestBytes = 8 << 20
)

// Roles a token may have.
const (
	RoleBooth   = "booth"
	RoleManager = "manager"
	RoleAdmin   = "admin"
)

// PushRequest carries ops made on one device, ordered by its local sequence.
type PushRequest struct {
	Version int     `json:"v"`
	Device  string  `json:"device_id"`
	Ops     []SeqOp `json:"ops"`
}

// SeqOp is an op with its position in the device's log.
type SeqOp struct {
	Seq int64 `json:"seq"`
	capture.Op
}

// PushResponse says how far the server has durably taken the device's log. Acked is the
// highest local sequence taken, refused ops included: a refusal never blocks the rest.
type PushResponse struct {
	Version int       `json:"v"`
	Acked   int64     `json:"acked"`
	Applied int       `json:"applied"`
	Refused []Refusal `json:"refused,omitempty"`
}

// Refusal is an op the server would not take, and why.
type Refusal struct {
	Seq    int64  `json:"seq"`
	OpID   string `json:"op_id"`
	Reason string `json:"reason"`
}

// PullResponse carries ops in server order after a cursor.
type PullResponse struct {
	Version int          `json:"v"`
	Ops     []capture.Op `json:"ops"`
	Cursor  int64        `json:"cursor"`
	More    bool         `json:"more"`
}

// ErrorResponse is the body of every 4xx and 5xx answer.
type ErrorResponse struct {
	Error string `json:"error"`
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ErrBadRequest marks a push the server refuses whole.
var ErrBadRequest = errors.New("bad request")

// DecodePush reads and checks a push body strictly: unknown fields, bad ids, oversize
// fields, payloads that do not match their kind and batches over MaxOps are refused whole.
func DecodePush(body []byte) (PushRequest, error) {
	var req PushRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if dec.More() {
		return req, fmt.Errorf("%w: trailing data after the request", ErrBadRequest)
	}
	if req.Version != Version {
		return req, fmt.Errorf("%w: unsupported version %d (this server speaks %d)", ErrBadRequest, req.Version, Version)
	}
	if !uuidPattern.MatchString(req.Device) {
		return req, fmt.Errorf("%w: device_id %q is not a UUID", ErrBadRequest, req.Device)
	}
	if len(req.Ops) > MaxOps {
		return req, fmt.Errorf("%w: %d ops in one push; at most %d", ErrBadRequest, len(req.Ops), MaxOps)
	}
	var last int64
	for i, op := range req.Ops {
		if err := CheckOp(op.Op); err != nil {
			return req, fmt.Errorf("%w: ops[%d]: %v", ErrBadRequest, i, err)
		}
		if op.Device != req.Device {
			return req, fmt.Errorf("%w: ops[%d] was made on device %s, not %s", ErrBadRequest, i, op.Device, req.Device)
		}
		if op.Seq <= last {
			return req, fmt.Errorf("%w: ops[%d]: sequence %d does not follow %d", ErrBadRequest, i, op.Seq, last)
		}
		last = op.Seq
	}
	return req, nil
}

// maxEntity bounds ids and small strings on the wire.
const maxEntity = 64

// payloadTypes are what each kind's payload must decode into, strictly.
var payloadTypes = map[capture.OpKind]func() any{
	capture.OpOrgSet:       func() any { return new(capture.Org) },
	capture.OpNoticeAdd:    func() any { return new(capture.Notice) },
	capture.OpEventSet:     func() any { return new(capture.Event) },
	capture.OpStaffSet:     func() any { return new(capture.Staff) },
	capture.OpCaptureAdd:   func() any { return new(capture.Capture) },
	capture.OpLeadCorrect:  func() any { return new(capture.Correction) },
	capture.OpLeadWithdraw: func() any { return new(capture.Withdrawal) },
	capture.OpLeadErase:    func() any { return new(capture.Erasure) },
	capture.OpExportRecord: func() any { return new(capture.ExportRecord) },
	capture.OpLeadMerge:    func() any { return new(capture.MergeRecord) },
	capture.OpLeadUnmerge:  func() any { return new(capture.Unmerge) },
	capture.OpLeadLink:     func() any { return new(capture.Link) },
	capture.OpRequest:      func() any { return new(capture.RequestRecord) },
}

// CheckOp checks one op's envelope and that its payload is what its kind carries, with no
// field longer than the capture limits allow.
func CheckOp(op capture.Op) error {
	if !uuidPattern.MatchString(op.ID) {
		return fmt.Errorf("op_id %q is not a UUID", op.ID)
	}
	if op.Entity == "" || len(op.Entity) > 2*maxEntity+1 { // a link's entity names two leads
		return fmt.Errorf("entity_id of %d bytes", len(op.Entity))
	}
	newPayload, ok := payloadTypes[op.Kind]
	if !ok {
		return fmt.Errorf("unknown kind %q", op.Kind)
	}
	v := newPayload()
	dec := json.NewDecoder(bytes.NewReader(op.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s payload: %v", op.Kind, err)
	}
	if n := longestString(reflect.ValueOf(v)); n > capture.MaxNoteBytes {
		return fmt.Errorf("%s payload: a field of %d bytes (at most %d)", op.Kind, n, capture.MaxNoteBytes)
	}
	return nil
}

// longestString walks a decoded payload and returns the length of its longest string.
func longestString(v reflect.Value) int {
	longest := 0
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return longestString(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			longest = max(longest, longestString(v.Field(i)))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			longest = max(longest, longestString(v.Index(i)))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			longest = max(longest, longestString(it.Key()), longestString(it.Value()))
		}
	}
	return longest
}
