package main

import (
	"bytes"
	"context"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/ledger"
	"github.com/boothledger/boothledger/capture/safefile"
)

// ledgerWrite writes the personal information ledger (個人情報管理台帳).
func (m *Main) ledgerWrite(ctx context.Context, args []string) error {
	f := newFlags("ledger")
	format := f.String("format", "xlsx", "xlsx, pdf or json")
	out := f.String("o", "", "output file")
	_, s, err := f.parseOpen(args, 0)
	if err != nil {
		return err
	}
	defer s.Close()
	write := map[string]func(ledger.Ledger, *bytes.Buffer) error{
		"xlsx": func(l ledger.Ledger, b *bytes.Buffer) error { return l.WriteXLSX(b) },
		"pdf":  func(l ledger.Ledger, b *bytes.Buffer) error { return l.WritePDF(b) },
		"json": func(l ledger.Ledger, b *bytes.Buffer) error { return l.WriteJSON(b) },
	}[*format]
	if write == nil {
		return capture.Invalid("format", "one_of", "xlsx, pdf, json")
	}
	if *out == "" {
		return usagef("ledger needs -o FILE")
	}
	l, err := ledger.Build(ctx, s)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(l, &buf); err != nil {
		return err
	}
	if err := safefile.Replace(*out, buf.Bytes()); err != nil {
		return err
	}
	m.say("%s: %d event(s)", *out, len(l.Entries))
	return nil
}
