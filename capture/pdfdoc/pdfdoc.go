// Package pdfdoc starts the A4 documents Booth Ledger writes for people to read (disclosures,
// the ledger), in Japanese with the embedded IPAexGothic.
package pdfdoc

import (
	"fmt"

	"github.com/jung-kurt/gofpdf"

	"github.com/boothledger/boothledger/assets"
)

// Font is the family name the embedded font is registered under.
const Font = "ipaexg"

// New returns a portrait A4 document with the font loaded, the given side margin, automatic
// page breaks and a footer "footer　page / pages" on every page.
func New(margin float64, footer string) *gofpdf.Fpdf {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true) // the same input makes the same bytes
	pdf.AddUTF8FontFromBytes(Font, "", assets.Font)
	pdf.SetMargins(margin, 16, margin)
	pdf.SetAutoPageBreak(true, 16)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(Font, "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s　%d / {nb}", footer, pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	return pdf
}
