package main

import (
	"context"
	"fmt"

	bsync "github.com/boothledger/boothledger/sync"
)

func (m *Main) syncRound(ctx context.Context, args []string) error {
	f := newFlags("sync")
	server := f.String("server", "", "boothd URL (kept after the first use)")
	token := f.String("token", "", "device token from boothd token create (kept after the first use)")
	insecure := f.Bool("insecure", false, "allow plain http to a host other than this machine")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	c := &bsync.Client{Store: s, URL: *server, Token: *token, Insecure: *insecure}
	if *server == "" || *token == "" {
		kept, err := bsync.FromStore(ctx, s)
		if err != nil {
			return usagef("sync needs --server URL --token TOKEN the first time (%v)", err)
		}
		if *server != "" {
			kept.URL = *server
		}
		if *token != "" {
			kept.Token = *token
		}
		kept.Insecure = kept.Insecure || *insecure
		c = kept
	}
	if err := bsync.CheckURL(c.URL, c.Insecure); err != nil {
		return err
	}
	res, err := c.Round(ctx)
	if err != nil {
		return fmt.Errorf("sync with %s: %w", c.URL, err)
	}
	if err := c.Remember(ctx); err != nil {
		return err
	}
	if f.json {
		return m.printJSON(res)
	}
	m.say("pushed %d ops, pulled %d (%d new), refused %d", res.Pushed, res.Pulled, res.Applied, len(res.Refused))
	// Everything set aside, not only this round's: what the server refused before and what
	// this device received and could not apply stay listed until someone looks.
	for _, r := range res.SetAside {
		what := "received, not applied"
		if r.Local {
			what = "refused by the server"
		}
		fmt.Fprintf(m.Stderr, "set aside: %s op %s (%s): %s\n", r.Kind, r.OpID, what, r.Reason)
	}
	return nil
}
