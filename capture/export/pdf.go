package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/boothledger/boothledger/assets"
)

// pdfColumns are the columns a printed list has room for, with their widths in mm.
var pdfColumns = []struct {
	key   string
	width float64
}{{"name", 34}, {"company", 52}, {"department", 38}, {"title", 28}, {"email", 62}, {"phone", 32}, {"at", 31}}

// pdfColumnsOf are the list's columns a printed list shows, in print order.
func pdfColumnsOf(cols []column) []column {
	var out []column
	for _, p := range pdfColumns {
		for _, c := range cols {
			if c.key == p.key {
				out = append(out, c)
			}
		}
	}
	return out
}

// writePDF writes a printable list of the columns pdfColumnsOf chose: A4 landscape, the
// embedded Japanese font, the header row repeated on every page, the events and export time
// on top, page numbers and a confidentiality mark at the foot.
func writePDF(w io.Writer, plan *Plan, cols []column) error {
	ja := plan.Request.Columns == "ja"
	width := map[string]float64{}
	for _, c := range pdfColumns {
		width[c.key] = c.width
	}
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes("ipaexg", "", assets.Font)
	pdf.AliasNbPages("{nb}")
	var events []string
	for _, r := range plan.Rows {
		if name := r.Event.Name; name != "" && !contains(events, name) {
			events = append(events, name)
		}
	}
	title, mark := "リード一覧", "社外秘 — 取扱注意（個人情報を含みます）"
	if !ja {
		title, mark = "Lead list", "Confidential — contains personal data"
	}
	exported := time.Now().Format("2006-01-02 15:04")
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("ipaexg", "", 13)
		pdf.CellFormat(0, 7, title+"  "+strings.Join(events, "、"), "", 1, "L", false, 0, "")
		pdf.SetFont("ipaexg", "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s: %s / %s / %s (%s)", map[bool]string{true: "出力", false: "Exported"}[ja], exported,
			plan.Request.Use, plan.Request.Recipient, plan.Request.Basis), "", 1, "L", false, 0, "")
		pdf.SetFillColor(230, 236, 244)
		pdf.SetFont("ipaexg", "", 8.5)
		for _, c := range cols {
			pdf.CellFormat(width[c.key], 6, c.header, "1", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("ipaexg", "", 8)
		pdf.CellFormat(0, 5, mark, "", 0, "L", false, 0, "")
		pdf.SetY(-12)
		pdf.CellFormat(0, 5, fmt.Sprintf("%d / {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.SetAutoPageBreak(true, 15)
	pdf.AddPage()
	pdf.SetFont("ipaexg", "", 8.5)
	for _, r := range plan.Rows {
		for _, c := range cols {
			v := c.value(r)
			for pdf.GetStringWidth(v) > width[c.key]-2 && v != "" { // clip to the cell, by characters
				rs := []rune(v)
				v = string(rs[:len(rs)-1])
			}
			pdf.CellFormat(width[c.key], 5.5, v, "1", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
