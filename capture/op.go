package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// OpKind names what an op does.
type OpKind string

// The kinds of op and the payload each carries.
const (
	OpOrgSet        OpKind = "org.set"        // Org
	OpNoticeAdd     OpKind = "notice.add"     // Notice
	OpEventSet      OpKind = "event.set"      // Event
	OpStaffSet      OpKind = "staff.set"      // Staff
	OpCaptureAdd    OpKind = "capture.add"    // Capture
	OpLeadCorrect   OpKind = "lead.correct"   // Correction
	OpLeadWithdraw  OpKind = "lead.withdraw"  // Withdrawal
	OpLeadErase     OpKind = "lead.erase"     // Erasure
	OpExportRecord  OpKind = "export.record"  // ExportRecord
	OpLeadMerge     OpKind = "lead.merge"     // MergeRecord (entity: the merge id)
	OpLeadUnmerge   OpKind = "lead.unmerge"   // Unmerge (entity: the merge id)
	OpLeadLink      OpKind = "lead.link"      // Link (entity: the pair's key)
	OpRequest       OpKind = "request.record" // RequestRecord
	OpCaptureDetach OpKind = "capture.detach" // Detach (entity: the capture id)
)

// ErrUnknownOp is returned by Apply for an op kind this version does not know.
var ErrUnknownOp = errors.New("unknown op kind")

// Op is one change, as recorded in the op log and exchanged by sync.
type Op struct {
	ID      string          `json:"op_id"`
	Device  string          `json:"device_id"`
	HLC     HLC             `json:"hlc"`
	Kind    OpKind          `json:"kind"`
	Entity  string          `json:"entity_id"`
	Payload json.RawMessage `json:"payload"`
}

// Stamp is the op's position for last-writer-wins.
func (o Op) Stamp() Stamp { return Stamp{HLC: o.HLC, Device: o.Device} }

// NewOp builds an op with a fresh UUIDv7 id.
func NewOp(device string, h HLC, kind OpKind, entity string, payload any) (Op, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return Op{}, fmt.Errorf("encode %s payload: %w", kind, err)
	}
	return Op{ID: NewID(), Device: device, HLC: h, Kind: kind, Entity: entity, Payload: raw}, nil
}

// NewID returns a new time-ordered unique id (UUIDv7).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Correction changes fields of a lead. Evidence stays: the captures are untouched.
type Correction struct {
	Fields map[string]string `json:"fields"`
	Reason string            `json:"reason"`
}

// Withdrawal withdraws consent or opts out of channels.
type Withdrawal struct {
	Channels []Channel `json:"channels"`
	Reason   string    `json:"reason"`
}

// Erasure erases a lead: its personal fields are scrubbed everywhere, and the person is
// suppressed under Keys (keyed hashes, see SuppressionKeys) from At on.
type Erasure struct {
	Reason string    `json:"reason"`
	Keys   []string  `json:"keys,omitempty"`
	At     time.Time `json:"at,omitempty"`
	// Spares are the captures detached from the lead that the eraser knew were someone
	// else's. Every other capture ever attached to the lead is erased with it, wherever it
	// is now: an erasure and a detach made concurrently resolve to the erasure.
	Spares []string `json:"spares,omitempty"`
}

// Detach takes a capture out of the lead it was attached to into a lead of its own, whose
// id is the capture's: a wrong attach undone. Event is the capture's, for scope.
type Detach struct {
	Capture string `json:"capture"`
	From    string `json:"from"`
	Event   string `json:"event"`
	Reason  string `json:"reason,omitempty"`
	Stamp   Stamp  `json:"-"` // of the op, set by Apply
}
