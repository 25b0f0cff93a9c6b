package ledger

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/boothledger/boothledger/capture/pdfdoc"
)

// WriteXLSX writes the register as one sheet, one row per event, for the auditor's file.
func (l Ledger) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "個人情報管理台帳"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	put := func(row int, values []string) error {
		for i, v := range values {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			// Strings as typed: a value starting with "=" must not become a formula.
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(1, []string{fmt.Sprintf("%s　個人情報管理台帳　%s 現在", l.Org, l.At.Local().Format("2006-01-02 15:04"))}); err != nil {
		return err
	}
	if err := put(2, headers); err != nil {
		return err
	}
	for i, e := range l.Entries {
		if err := put(i+3, e.row()); err != nil {
			return err
		}
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(headers), len(l.Entries)+2)
	if err := f.SetCellStyle(sheet, "A2", last, wrap); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(headers))
	if err := f.SetColWidth(sheet, "A", lastCol, 28); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}

// WritePDF writes the register in Japanese with the embedded font: one block per event.
func (l Ledger) WritePDF(w io.Writer) error {
	pdf := pdfdoc.New(16, l.Org+"　個人情報管理台帳")
	pdf.AddPage()
	pdf.SetFont(pdfdoc.Font, "", 16)
	pdf.MultiCell(0, 8, "個人情報管理台帳", "", "L", false)
	pdf.SetFont(pdfdoc.Font, "", 9)
	pdf.MultiCell(0, 5, fmt.Sprintf("%s　%s 現在　%d件", l.Org, l.At.Local().Format("2006年1月2日 15:04"), len(l.Entries)), "", "L", false)
	for i, e := range l.Entries {
		pdf.Ln(3)
		pdf.SetTextColor(31, 78, 121)
		pdf.SetFont(pdfdoc.Font, "", 12)
		row := e.row()
		pdf.MultiCell(0, 6, fmt.Sprintf("%d. %s", i+1, row[0]), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
		for j, v := range row[1:] {
			if _, h := pdf.GetPageSize(); pdf.GetY() > h-40 { // keep a label with its value
				pdf.AddPage()
			}
			pdf.SetFont(pdfdoc.Font, "", 8)
			pdf.SetFillColor(238, 242, 247)
			y := pdf.GetY()
			pdf.MultiCell(38, 4.5, headers[j+1], "", "L", true)
			labelEnd := pdf.GetY()
			pdf.SetXY(16+38+2, y)
			pdf.SetFont(pdfdoc.Font, "", 9)
			pdf.MultiCell(0, 4.5, v, "", "L", false)
			if pdf.GetY() < labelEnd {
				pdf.SetY(labelEnd)
			}
			pdf.Ln(0.8)
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}
