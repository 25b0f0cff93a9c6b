package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/export"
)

// multi collects a repeated flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func (m *Main) exportList(ctx context.Context, args []string) error {
	f := newFlags("export")
	var events multi
	f.Var(&events, "event", "event id (repeat for several)")
	var leads multi
	f.Var(&leads, "lead", "only this lead of the events (repeat for several)")
	var req export.Request
	use := f.String("use", "", "internal, email_marketing, phone, postal or third_party")
	basis := f.String("basis", "", "own, outsourcing, joint_use or consent")
	f.StringVar(&req.Recipient, "recipient", "", "who receives the list")
	f.StringVar(&req.Format, "format", "csv", "csv, xlsx, pdf or vcf")
	f.StringVar(&req.Encoding, "encoding", "utf8bom", "csv: utf8bom, utf8 or cp932")
	f.StringVar(&req.Columns, "columns", "ja", "ja, en, salesforce or hubspot")
	staff := f.staffFlag()
	out := f.String("o", "", "output file")
	dryRun := f.Bool("dry-run", false, "count and explain, write nothing")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	if *out == "" && !*dryRun {
		return usagef("export needs -o FILE (or --dry-run)")
	}
	req.Events, req.Use, req.Basis, req.Lang, req.By = events, capture.Use(*use), capture.Basis(*basis), m.Lang, staffName(*staff)
	req.Leads = leads
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	plan, err := export.Select(ctx, s, req)
	if err != nil {
		return err
	}
	withheld := plan.Withheld()
	report := map[string]any{"count": len(plan.Rows), "excluded": plan.Counts(), "exclusions": plan.Excluded, "withheld": withheld}
	if !*dryRun {
		res, err := export.WriteFile(ctx, s, plan, *out)
		if err != nil {
			return err
		}
		report["id"], report["file"], report["file_hash"], report["provision"] = res.Record.ID, *out, res.Record.FileHash, res.Record.LeavesCompany()
		report["by"], report["items"] = res.Record.By, res.Record.Items
		if len(res.Unmappable) > 0 {
			report["unmappable"] = res.Unmappable
			for _, u := range res.Unmappable {
				fmt.Fprintln(m.Stderr, "not in CP932, written as ?:", u)
			}
		}
	}
	if f.json {
		if plan.Excluded == nil {
			report["exclusions"] = []export.Exclusion{}
		}
		if withheld == nil {
			report["withheld"] = []export.Withheld{}
		}
		return m.printJSON(report)
	}
	m.say("%d lead(s) exported, %d excluded", len(plan.Rows), len(plan.Excluded))
	for reason, n := range plan.Counts() {
		text := export.ReasonText[reason][1]
		if m.Lang == "ja" {
			text = export.ReasonText[reason][0]
		}
		m.say("  %4d  %s (%s)", n, text, reason)
	}
	// What the persons' notices did not declare for this provision is not given.
	var omitted []string
	for _, w := range withheld {
		if w.Omitted {
			omitted = append(omitted, w.Column)
		} else {
			m.say("  withheld: %s, blank in %d row(s) whose notice does not declare it", w.Column, w.Rows)
		}
	}
	if len(omitted) > 0 {
		m.say("  withheld: %s (no notice declares them for this provision: not in the file)", strings.Join(omitted, ", "))
	}
	return nil
}

func (m *Main) provisionsList(ctx context.Context, args []string) error {
	f := newFlags("provisions list")
	lead := f.String("lead", "", "only records that include this lead")
	all := f.Bool("all", false, "every export's audit record, not only provisions to others")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.ExportRecords(ctx, *lead, !*all)
	if err != nil {
		return err
	}
	if f.json {
		if recs == nil {
			recs = []capture.ExportRecord{}
		}
		return m.printJSON(recs)
	}
	for _, r := range recs {
		m.say("%s  %s  %-15s %-10s %4d  %s  by %s  keep until %s", r.ID, r.At.Local().Format("2006-01-02 15:04"), r.Use, r.Basis, r.Count,
			r.Recipient, r.By, r.KeepUntil.Local().Format("2006-01-02"))
	}
	return nil
}
