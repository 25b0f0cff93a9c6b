// Package notice prints purpose notices for the booth: an A4 poster for the wall, an A6 table
// tent and an A4 paper survey sheet that carries the notice above the questions, so that
// paper captures hold the same evidence as screen ones. Every print has a QR code to the
// policy page of exactly this notice version and its version and hash in the footer.
package notice

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"

	"github.com/boothledger/boothledger/assets"
	"github.com/boothledger/boothledger/capture"
)

// Layout is a kind of print.
type Layout string

// The layouts.
const (
	Poster Layout = "poster"
	Tent   Layout = "tent"
	Survey Layout = "survey"
)

// Layouts lists every layout.
var Layouts = []Layout{Poster, Tent, Survey}

// ErrNeedsEvent is returned for a survey sheet without the event whose questions it prints.
var ErrNeedsEvent = errors.New("the survey layout needs an event")

// printDate is the creation date written into every print, so that the same notice always
// gives the same bytes (the notice's own version and hash say which text it is).
var printDate = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Doc is what a print shows.
type Doc struct {
	Org    capture.Org
	Notice capture.Notice
	// Event is needed for the survey layout (its questions) and named on the others.
	Event *capture.Event
}

// QRURL is the policy URL with {hash} and {version} replaced for this notice version.
func QRURL(n capture.Notice) string {
	return strings.NewReplacer("{hash}", n.Hash, "{version}", strconv.Itoa(n.Version)).Replace(n.PolicyURL)
}

// Render writes the PDF of d in layout to w.
func Render(w io.Writer, layout Layout, d Doc) error {
	if d.Notice.PolicyURL == "" {
		return capture.Invalid("policy_url", "required")
	}
	r := newRenderer(d)
	switch layout {
	case Poster:
		r.poster()
	case Tent:
		r.tent()
	case Survey:
		if d.Event == nil {
			return ErrNeedsEvent
		}
		r.survey()
	default:
		return capture.Invalid("layout", "one_of", "poster, tent, survey")
	}
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("render %s: %w", layout, err)
	}
	return r.pdf.Output(w)
}

// renderer holds the document being drawn and the labels in the notice's language.
type renderer struct {
	pdf *gofpdf.Fpdf
	d   Doc
	l   labels
	// measuring makes text only advance the position, to find a type size that fits.
	measuring bool
}

const font = "ipaexg"

func newRenderer(d Doc) *renderer {
	r := &renderer{d: d, l: labelsFor(d.Notice.Lang)}
	return r
}

// start makes the document with its page size and the embedded Japanese font.
func (r *renderer) start(orientation, size string) {
	pdf := gofpdf.New(orientation, "mm", size, "")
	pdf.SetCreationDate(printDate)
	pdf.SetModificationDate(printDate)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(r.d.Notice.Title, true)
	pdf.SetAuthor(r.d.Org.Name, true)
	pdf.SetCreator("Booth Ledger", false)
	pdf.AddUTF8FontFromBytes(font, "", assets.Font)
	pdf.SetFont(font, "", 11)
	png, err := qrcode.Encode(QRURL(r.d.Notice), qrcode.Medium, 600)
	if err != nil {
		pdf.SetError(fmt.Errorf("qr code: %w", err))
	} else {
		pdf.RegisterImageOptionsReader("qr", gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	}
	r.pdf = pdf
}

// footer prints the notice version and the first 8 hex digits of its hash on every page.
func (r *renderer) footer(size float64) {
	r.pdf.SetFooterFunc(func() {
		n := r.d.Notice
		r.pdf.SetY(-10)
		r.pdf.SetFont(font, "", size)
		r.pdf.SetTextColor(90, 90, 90)
		left := fmt.Sprintf("%s %d · %s %s", r.l.version, n.Version, r.l.hash, shortHash(n.Hash))
		r.pdf.CellFormat(0, 5, left, "", 0, "L", false, 0, "")
		r.pdf.SetY(-10)
		r.pdf.CellFormat(0, 5, r.d.Org.Name, "", 0, "R", false, 0, "")
		r.pdf.SetTextColor(0, 0, 0)
	})
}

func shortHash(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

// text writes text from the current position to the right margin, wrapped the Japanese way,
// size points high with lines lead times the size apart, aligned "L" or "C".
func (r *renderer) text(s string, size, lead float64, align string) {
	r.pdf.SetFont(font, "", size)
	left, _, right, _ := r.pdf.GetMargins()
	pageW, _ := r.pdf.GetPageSize()
	x := r.pdf.GetX()
	w := pageW - right - x
	h := size * lead * 0.3528
	for _, line := range wrap(s, w, r.pdf.GetStringWidth) {
		if r.measuring {
			r.pdf.SetXY(x, r.pdf.GetY()+h)
			continue
		}
		r.pdf.SetX(x)
		r.pdf.CellFormat(w, h, line, "", 2, align, false, 0, "")
	}
	r.pdf.SetX(left)
}

func (r *renderer) heading(text string, size float64) {
	r.pdf.SetTextColor(31, 78, 121)
	r.text(text, size, 1.45, "L")
	r.pdf.SetTextColor(0, 0, 0)
	r.pdf.Ln(1)
}

func (r *renderer) para(text string, size float64) {
	r.text(text, size, 1.4, "L")
}

// item writes "n. text" with the text's wrapped lines indented under its first.
func (r *renderer) item(i int, text string, size float64) {
	r.pdf.SetFont(font, "", size)
	num := fmt.Sprintf("%d. ", i+1)
	if r.measuring {
		r.pdf.SetX(r.pdf.GetX() + r.pdf.GetStringWidth(num))
	} else {
		r.pdf.CellFormat(r.pdf.GetStringWidth(num), size*1.4*0.3528, num, "", 0, "L", false, 0, "")
	}
	r.text(text, size, 1.4, "L")
}

// noticeBody prints the notice's sections at body size s; it is the same text on every layout.
func (r *renderer) noticeBody(s float64) {
	n := r.d.Notice
	r.heading(r.l.purposes, s+1)
	for i, p := range n.Purposes {
		r.item(i, p, s)
	}
	r.pdf.Ln(s * 0.25)
	r.heading(r.l.items, s+1)
	r.para(strings.Join(n.Items, r.l.sep), s)
	r.pdf.Ln(s * 0.25)
	if tp := n.ThirdParty; tp.Provides {
		r.heading(r.l.thirdParty, s+1)
		r.para(fmt.Sprintf(r.l.thirdPartyText, strings.Join(tp.Recipients, r.l.sep), strings.Join(tp.Items, r.l.sep), tp.Method), s)
		for _, a := range tp.Abroad { // what Art.28 asks the person be told before consenting
			r.para(fmt.Sprintf(r.l.abroadText, a.Recipient, a.Country, a.Regime, a.Measures), s)
		}
		r.pdf.Ln(s * 0.25)
	}
	if j := n.JointUse; j != nil {
		r.heading(r.l.jointUse, s+1)
		r.para(fmt.Sprintf(r.l.jointUseText, strings.Join(j.Items, r.l.sep), j.Users, j.Purpose,
			j.Responsible.Name, j.Responsible.Address, j.Responsible.Representative), s)
		r.pdf.Ln(s * 0.25)
	}
	r.heading(r.l.retention, s+1)
	r.para(n.Retention, s)
	r.pdf.Ln(s * 0.25)
	r.heading(r.l.contact, s+1)
	r.para(n.Contact, s)
}

func (r *renderer) qr(x, y, size float64) {
	r.pdf.ImageOptions("qr", x, y, size, size, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}

// poster is A4 portrait for the booth wall: everything, and a QR code a visitor can scan from
// a few steps away.
func (r *renderer) poster() {
	r.start("P", "A4")
	r.footer(9)
	r.pdf.SetMargins(18, 18, 18)
	r.pdf.SetAutoPageBreak(true, 16)
	r.pdf.AddPage()
	// The poster is one page: the body's type shrinks until the text and a QR code a
	// visitor can scan from a few steps away fit.
	const qrSize, bottom = 70.0, 297 - 16
	size := 12.0
	for ; size > 8; size -= 0.5 {
		r.measuring = true
		r.pdf.SetXY(18, 18)
		r.posterText(size)
		r.measuring = false
		if r.pdf.GetY()+qrSize+30 <= bottom {
			break
		}
	}
	r.pdf.SetXY(18, 18)
	r.posterText(size)
	if r.pdf.GetY()+qrSize+30 > bottom {
		r.pdf.AddPage()
	}
	y := r.pdf.GetY() + 6
	r.qr((210-qrSize)/2, y, qrSize)
	r.pdf.SetXY(18, y+qrSize+2)
	r.text(r.l.qrCaption+"\n"+QRURL(r.d.Notice), 9, 1.4, "C")
}

func (r *renderer) posterText(size float64) {
	r.text(r.d.Notice.Title, size+10, 1.4, "L")
	r.pdf.SetTextColor(90, 90, 90)
	sub := r.d.Org.Name
	if e := r.d.Event; e != nil {
		sub += " — " + e.Name
	}
	r.text(sub, size, 1.5, "L")
	r.pdf.SetTextColor(0, 0, 0)
	r.pdf.Ln(4)
	r.noticeBody(size)
}

// tent is an A6 landscape table card: the essentials and the QR code.
func (r *renderer) tent() {
	r.start("L", "A6")
	r.footer(6)
	r.pdf.SetMargins(8, 8, 8)
	r.pdf.SetAutoPageBreak(false, 0)
	r.pdf.AddPage()
	const qrSize = 42.0
	r.qr(148-8-qrSize, 12, qrSize)
	r.pdf.SetXY(148-8-qrSize, 12+qrSize+1)
	r.text(r.l.qrShort, 6, 1.4, "C")
	// The text column shrinks its type until it fits beside the code.
	n := r.d.Notice
	r.pdf.SetRightMargin(8 + qrSize + 4)
	size := 9.0
	for ; size > 5; size -= 0.5 {
		if r.tentHeight(size) <= 105-8-14 {
			break
		}
	}
	r.pdf.SetXY(8, 8)
	r.text(n.Title, size+3, 1.4, "L")
	r.pdf.Ln(1)
	r.pdf.SetTextColor(31, 78, 121)
	r.text(r.l.purposes, size, 1.4, "L")
	r.pdf.SetTextColor(0, 0, 0)
	for i, p := range n.Purposes {
		r.item(i, p, size)
	}
	r.pdf.Ln(1)
	r.text(r.l.contact+": "+n.Contact, size, 1.4, "L")
}

// tentHeight measures the tent's text column at a type size, in millimetres.
func (r *renderer) tentHeight(size float64) float64 {
	_, _, right, _ := r.pdf.GetMargins()
	width := 148 - 8 - right
	lines := func(s string, sz float64) float64 {
		r.pdf.SetFont(font, "", sz)
		return float64(len(wrap(s, width, r.pdf.GetStringWidth))) * sz * 1.4 * 0.3528
	}
	n := r.d.Notice
	h := lines(n.Title, size+3) + 1 + lines(r.l.purposes, size)
	for i, p := range n.Purposes {
		h += lines(fmt.Sprintf("%d. %s", i+1, p), size)
	}
	return h + 1 + lines(r.l.contact+": "+n.Contact, size)
}

// survey is an A4 paper survey sheet: the notice first, then the questions, the card
// details and the consent boxes, so that a paper capture is evidenced like a screen one.
func (r *renderer) survey() {
	r.start("P", "A4")
	r.footer(8)
	r.pdf.SetMargins(15, 14, 15)
	r.pdf.SetAutoPageBreak(true, 16)
	r.pdf.AddPage()
	e := r.d.Event
	title := e.Name
	if e.Survey != nil && e.Survey.Title != "" {
		title += " " + e.Survey.Title
	}
	r.text(title, 16, 1.4, "L")
	r.text(fmt.Sprintf("%s · %s · %s", e.Date, e.Venue, r.d.Org.Name), 9, 1.5, "L")
	r.pdf.Ln(2)

	// The notice, in a box, before any question (APPI Art.21(2)).
	top := r.pdf.GetY()
	r.pdf.SetRightMargin(15 + 30)
	r.text(r.d.Notice.Title, 11, 1.4, "L")
	r.noticeBody(8.5)
	r.pdf.SetRightMargin(15)
	r.qr(210-15-26, top+1, 26)
	r.pdf.Rect(13, top-2, 210-26, r.pdf.GetY()-top+4, "D")
	r.pdf.Ln(6)

	if e.Survey != nil && len(e.Survey.Questions) > 0 {
		r.heading(r.l.questions, 12)
		for i, q := range e.Survey.Questions {
			r.question(i, q)
		}
		r.pdf.Ln(2)
	}

	// The card details and the consent boxes stay together on one page.
	if r.pdf.GetY()+130 > 297-16 {
		r.pdf.AddPage()
	}
	r.heading(r.l.card, 12)
	r.text(r.l.cardHint, 9, 1.5, "L")
	for _, f := range capture.PersonFields {
		r.field(r.l.fields[f])
	}
	r.pdf.Ln(3)

	r.heading(r.l.consent, 12)
	r.checkLine(r.l.consentPurpose, 10)
	r.checkLine(r.l.consentEmail, 10)
	if r.d.Notice.Declares(capture.ConsentThirdParty) {
		r.checkLine(r.l.consentThirdParty, 10)
	}
	if r.d.Notice.Declares(capture.ConsentJointUse) {
		r.checkLine(r.l.consentJointUse, 10)
	}
	r.pdf.Ln(2)
	r.field(r.l.signature)
	r.field(r.l.date)
}

func (r *renderer) question(i int, q capture.Question) {
	r.para(QuestionLabel(r.d.Notice.Lang, i, q), 10)
	switch q.Kind {
	case capture.QuestionSingle, capture.QuestionMulti:
		for _, o := range q.Options {
			r.checkLine(o, 9.5)
		}
	case capture.QuestionRating:
		r.pdf.SetFont(font, "", 9.5)
		x := r.pdf.GetX() + 4
		y := r.pdf.GetY() + 1
		for n := 1; n <= 5; n++ {
			r.pdf.Rect(x, y, 4, 4, "D")
			r.pdf.Text(x+5.5, y+3.4, strconv.Itoa(n))
			x += 16
		}
		r.pdf.Ln(7)
	case capture.QuestionText:
		for k := 0; k < 2; k++ {
			r.pdf.Ln(7)
			y := r.pdf.GetY()
			r.pdf.Line(19, y, 195, y)
		}
		r.pdf.Ln(2)
	}
	r.pdf.Ln(1.5)
}

// checkLine draws a box to tick and its label.
func (r *renderer) checkLine(label string, size float64) {
	if r.pdf.GetY()+size*0.6 > 297-18 {
		r.pdf.AddPage()
	}
	y := r.pdf.GetY()
	r.pdf.Rect(19, y+0.8, 3.6, 3.6, "D")
	r.pdf.SetX(25)
	r.text(label, size, 1.45, "L")
	r.pdf.Ln(0.5)
}

// field draws a labelled line to write on.
func (r *renderer) field(label string) {
	if r.pdf.GetY()+9 > 297-18 {
		r.pdf.AddPage()
	}
	r.pdf.SetFont(font, "", 9.5)
	y := r.pdf.GetY() + 6
	r.pdf.Text(19, y, label)
	r.pdf.Line(52, y+0.8, 195, y+0.8)
	r.pdf.SetY(y + 2.5)
}
