// Package sync is the device side of Booth Ledger's sync protocol and its wire types: a
// device pushes the ops it made, in local order, and pulls what it may see, in server order.
// Re-sending after any failure is always safe: the server takes each op at most once.
package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/boothledger/boothledger/capture"
)

// Version is the wire format version every request and response carries.
const Version = 1

// Limits of one push request.
const (
	MaxOps          = 1000
	MaxRequestBytes = 8 << 20
)

// Roles a token may have; what each may write is in the op registry.
const (
	RoleBooth   = capture.RoleBooth
	RoleManager = capture.RoleManager
	RoleAdmin   = capture.RoleAdmin
)

// PushRequest carries ops made on one device, ordered by its local sequence.
type PushRequest struct {
	Version int     `json:"v"`
	Device  string  `json:"device_id"`
	Ops     []SeqOp `json:"ops"`
	// Payloads are the ops' payloads as DecodePush decoded them, so that the server's
	// checks need not decode them again.
	Payloads []any `json:"-"`
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

// ErrBadRequest marks a push the server refuses whole.
var ErrBadRequest = errors.New("bad request")

// DecodePush reads and checks a push body strictly: unknown fields, bad ids, oversize
// fields, payloads that do not match their kind and batches over MaxOps are refused whole.
// Whether each op makes sense (capture.CheckOp) and may be written is the server's to say,
// op by op.
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
	if !capture.IsUUID(req.Device) {
		return req, fmt.Errorf("%w: device_id %q is not a UUID", ErrBadRequest, req.Device)
	}
	if len(req.Ops) > MaxOps {
		return req, fmt.Errorf("%w: %d ops in one push; at most %d", ErrBadRequest, len(req.Ops), MaxOps)
	}
	var last int64
	for i, op := range req.Ops {
		payload, err := capture.DecodePayload(op.Op)
		if err != nil {
			return req, fmt.Errorf("%w: ops[%d]: %v", ErrBadRequest, i, err)
		}
		req.Payloads = append(req.Payloads, payload)
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
