package export_test

import (
	"strings"
	"testing"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
)

// TestExportOfASelection: a list of the leads chosen in the lead table holds only those,
// each still decided by the rules (the withdrawn one stays out, and says why), and the
// export record counts only them.
func TestExportOfASelection(t *testing.T) {
	w := newWorld(t)
	req := export.Request{Events: []string{w.event.ID, w.other.ID}, Use: capture.UseEmailMarketing, Basis: capture.BasisOwn,
		Recipient: "自社", By: "test", Leads: []string{w.leads["optin"], w.leads["withdrawn"], w.leads["elsewhere"]}}
	p, err := export.Select(ctx, w.s, req)
	if err != nil {
		t.Fatal(err)
	}
	in, out := w.keys(p)
	if strings.Join(in, ",") != "elsewhere,optin" || len(out) != 1 || out["withdrawn"] != export.ReasonWithdrawn {
		t.Fatalf("included %v, excluded %v", in, out)
	}
	data, res := w.write(t, p)
	if res.Record.Count != 2 || !strings.Contains(string(data), "optin@example.jp") || strings.Contains(string(data), "card@example.jp") {
		t.Fatalf("record counts %d; file %s", res.Record.Count, data)
	}
}
