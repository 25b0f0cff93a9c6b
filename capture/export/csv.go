package export

import (
	"encoding/csv"
	"fmt"
	"io"

	"golang.org/x/text/encoding/japanese"

	"github.com/boothledger/boothledger/capture"
)

// writeCSV writes an RFC 4180 list: UTF-8 with a BOM by default so that Excel reads the
// Japanese, or CP932 with every character it cannot hold reported (and written as "?").
func writeCSV(w io.Writer, plan *Plan, cols []column) ([]string, error) {
	if plan.Request.Encoding == "utf8bom" {
		io.WriteString(w, "\ufeff")
	}
	var unmappable []string
	line := 1
	conv := func(s string) string { return s }
	if plan.Request.Encoding == "cp932" {
		enc := japanese.ShiftJIS.NewEncoder()
		conv = func(s string) string {
			if out, err := enc.String(s); err == nil {
				return out
			}
			var b []byte
			for _, r := range s {
				one, err := enc.String(string(r))
				if err != nil {
					unmappable = append(unmappable, fmt.Sprintf("line %d: %q (U+%04X)", line, r, r))
					one = "?"
				}
				b = append(b, one...)
			}
			return string(b)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(cellsOf(cols, nil, conv)); err != nil {
		return nil, err
	}
	// Cells are worked out on every core; CP932 conversion reports by line, so it stays in order.
	var cells [][]string
	if plan.Request.Encoding != "cp932" {
		cells = make([][]string, len(plan.Rows))
		capture.Parallel(len(plan.Rows), func(i int) error { cells[i] = cellsOf(cols, &plan.Rows[i], conv); return nil })
	}
	for i := range plan.Rows {
		line++
		row := []string(nil)
		if cells != nil {
			row = cells[i]
		} else {
			row = cellsOf(cols, &plan.Rows[i], conv)
		}
		if err := cw.Write(row); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return unmappable, cw.Error()
}

// cellsOf is a header row (r nil) or a data row, neutralised and converted.
func cellsOf(cols []column, r *Row, conv func(string) string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		v := c.header
		if r != nil {
			v = neutralise(c.value(*r))
		}
		out[i] = conv(v)
	}
	return out
}
