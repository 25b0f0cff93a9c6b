package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/store"
	"github.com/boothledger/boothledger/sync"
)

// Retention erases, once a day, what is past its retention across the whole organisation
// (APPI Art.22), not only what one laptop holds. Mirror is a device store that follows the
// server's entire op log; the erasures it makes are pushed into the log like any device's,
// so the server scrubs its copy and every device erases on its next pull.
type Retention struct {
	Store  Store
	Mirror *store.Store
}

const (
	metaMirrorCursor = "server.mirror_cursor" // the server seq the mirror has applied up to
	metaMirrorPushed = "server.mirror_pushed" // the mirror seq whose ops are in the server log
	mirrorBatch      = 1000
)

// Run catches the mirror up, runs the retention there and pushes its erasures, returning
// what it erased. With daily it does nothing when it already ran within the last 24 hours.
func (r *Retention) Run(ctx context.Context, now time.Time, daily bool) ([]capture.Expiry, error) {
	if err := r.catchUp(ctx); err != nil {
		return nil, err
	}
	var erased []capture.Expiry
	var err error
	if daily {
		_, erased, err = r.Mirror.RunRetentionDaily(ctx, now)
	} else {
		erased, err = r.Mirror.RunRetention(ctx, now, false)
	}
	if err != nil {
		return erased, fmt.Errorf("retention: %w", err)
	}
	return erased, r.pushErasures(ctx)
}

func (r *Retention) catchUp(ctx context.Context) error {
	cursor := r.metaInt(ctx, metaMirrorCursor)
	for {
		ops, next, more, err := r.Store.Pull(ctx, PullQuery{Role: sync.RoleAdmin, After: cursor, Limit: mirrorBatch, Device: r.Mirror.DeviceID()})
		if err != nil {
			return fmt.Errorf("pull into mirror: %w", err)
		}
		if _, err := r.Mirror.ApplyOps(ctx, ops); err != nil {
			return fmt.Errorf("apply to mirror: %w", err)
		}
		cursor = next
		if err := r.Mirror.SetMeta(ctx, metaMirrorCursor, strconv.FormatInt(cursor, 10)); err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// pushErasures pushes the ops the mirror made (erasures only: it makes nothing else).
func (r *Retention) pushErasures(ctx context.Context) error {
	pushed := r.metaInt(ctx, metaMirrorPushed)
	for {
		local, err := r.Mirror.LocalOps(ctx, pushed, mirrorBatch)
		if err != nil || len(local) == 0 {
			return err
		}
		ops := make([]capture.Op, len(local))
		for i, o := range local {
			ops[i] = o.Op
		}
		// The server's own erasures are an administrator's, checked like any other op.
		res, err := r.Store.Push(ctx, ops, Authorizer(Token{Name: "retention", Role: sync.RoleAdmin}, time.Now, nil))
		if err != nil {
			return fmt.Errorf("push erasures: %w", err)
		}
		for i, reason := range res.Refused {
			if err := r.Mirror.Refused(ctx, ops[i].ID, reason); err != nil {
				return err
			}
		}
		pushed = local[len(local)-1].Seq
		if err := r.Mirror.SetMeta(ctx, metaMirrorPushed, strconv.FormatInt(pushed, 10)); err != nil {
			return err
		}
	}
}

func (r *Retention) metaInt(ctx context.Context, key string) int64 {
	v, _ := r.Mirror.Meta(ctx, key)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}
