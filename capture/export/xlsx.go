package export

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes three sheets with excelize's streaming writer: the leads, a summary
// (counts by day, staff, source and rating) and the full text and hash of every notice the
// leads were captured under. Cells are written as strings, never as formulas.
func writeXLSX(w io.Writer, plan *Plan, cols []column) error {
	f := excelize.NewFile()
	defer f.Close()
	ja := plan.Request.Columns == "ja"
	names := map[string]string{"leads": "Leads", "summary": "Summary", "notices": "Notices"}
	if ja {
		names = map[string]string{"leads": "リード", "summary": "集計", "notices": "利用目的の通知"}
	}
	if err := f.SetSheetName("Sheet1", names["leads"]); err != nil {
		return err
	}
	leads, err := f.NewStreamWriter(names["leads"])
	if err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.header
	}
	if err := leads.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, len(cols))
	for n, r := range plan.Rows {
		for i, c := range cols {
			row[i] = neutralise(c.value(r))
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := leads.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := leads.Flush(); err != nil {
		return err
	}

	if _, err := f.NewSheet(names["summary"]); err != nil {
		return err
	}
	sum, err := f.NewStreamWriter(names["summary"])
	if err != nil {
		return err
	}
	line := 1
	put := func(values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, line)
		line++
		return sum.SetRow(cell, values)
	}
	titles := map[string][2]string{"day": {"日別", "By day"}, "staff": {"担当別", "By staff"}, "source": {"取得元別", "By source"}, "rating": {"評価別", "By rating"}}
	total := "合計"
	if !ja {
		total = "Total"
	}
	put(total, len(plan.Rows))
	for _, key := range []string{"day", "staff", "source", "rating"} {
		counts := map[string]int{}
		for _, r := range plan.Rows {
			var k string
			switch key {
			case "day":
				k = r.Capture.At.Local().Format("2006-01-02")
			case "staff":
				k = r.Capture.Staff
			case "source":
				k = string(r.Capture.Source)
			case "rating":
				k = string(r.Lead.Rating)
			}
			if k == "" {
				k = "—"
			}
			counts[k]++
		}
		t := titles[key][1]
		if ja {
			t = titles[key][0]
		}
		put()
		put(t)
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := put(neutralise(k), counts[k]); err != nil {
				return err
			}
		}
	}
	if err := sum.Flush(); err != nil {
		return err
	}

	if _, err := f.NewSheet(names["notices"]); err != nil {
		return err
	}
	nt, err := f.NewStreamWriter(names["notices"])
	if err != nil {
		return err
	}
	nt.SetRow("A1", []any{"id", "version", "sha256", "title", "text"})
	for i, n := range plan.Notices {
		var b strings.Builder
		for j, p := range n.Purposes {
			fmt.Fprintf(&b, "%d. %s\n", j+1, p)
		}
		fmt.Fprintf(&b, "items: %s\n", strings.Join(n.Items, "、"))
		if n.ThirdParty.Provides {
			fmt.Fprintf(&b, "third party: %s / %s / %s\n", strings.Join(n.ThirdParty.Recipients, "、"), strings.Join(n.ThirdParty.Items, "、"), n.ThirdParty.Method)
		}
		if j := n.JointUse; j != nil {
			fmt.Fprintf(&b, "joint use: %s / %s / %s / %s %s %s\n", strings.Join(j.Items, "、"), j.Users, j.Purpose, j.Responsible.Name, j.Responsible.Address, j.Responsible.Representative)
		}
		fmt.Fprintf(&b, "retention: %s\ncontact: %s\npolicy: %s", n.Retention, n.Contact, n.PolicyURL)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := nt.SetRow(cell, []any{n.ID, n.Version, n.Hash, neutralise(n.Title), neutralise(b.String())}); err != nil {
			return err
		}
	}
	if err := nt.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
