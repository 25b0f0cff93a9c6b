package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/boothledger/boothledger/capture"
	"github.com/boothledger/boothledger/capture/match"
	"github.com/boothledger/boothledger/capture/notice"
	"github.com/boothledger/boothledger/capture/scan"
)

// formFields are the card's fields in the order a card reads and Tab moves.
var formFields = []string{"name", "kana", "company", "department", "title", "email", "phone", "mobile", "postal", "address"}

// captureSources are the sources staff choose from at the booth.
var captureSources = []capture.Source{capture.SourceBoothCard, capture.SourceSurvey, capture.SourceRepExchange, capture.SourceBadgeScan}

var consentMethods = []capture.ConsentMethod{capture.MethodCheckbox, capture.MethodSignature, capture.MethodVerbal, capture.MethodImpliedCard}

// CaptureScreen is the keyboard-first form a booth fills for every card.
type CaptureScreen struct {
	app     *App
	content fyne.CanvasObject
	notice  capture.Notice

	EventLine  *widget.Label
	SyncLine   *widget.Label
	StaffLine  *widget.Label
	Today      *widget.Label
	SignIn     *widget.Button
	KioskMode  *widget.Button
	NoticeText *paragraph
	QR         *canvas.Image

	Scanner    *formEntry
	ScanStatus *widget.Label
	assembler  scan.Assembler
	badge      string

	Fields    map[string]*formEntry
	Errors    map[string]*widget.Label
	Source    *widget.Select
	Questions *surveyForm
	Consents  map[capture.ConsentKind]*widget.Check
	Method    *widget.Select
	Rating    *ratingField
	Memo      *formEntry

	Hint     *widget.Label
	SameLead *widget.Button
	NewLead  *widget.Button
	hintBox  *fyne.Container
	// hintLead is the lead the hint offers; chosenLead is set when staff accept it, and
	// newLead when they say it is someone else.
	hintLead, chosenLead string
	newLead              bool

	Save      *widget.Button
	Clear     *widget.Button
	Status    *widget.Label
	FormError *widget.Label
	// Suppressed asks staff to confirm fresh consent from a person erased before.
	Suppressed *dialog.ConfirmDialog
	// Weak names what makes a capture weak before it is saved; Discard asks before Esc
	// wipes a half-typed card. Each is answered with one key.
	Weak, Discard *keyConfirm
	WeakText      *widget.Label
}

// The duplicate hint's answers from the keyboard; the buttons show them.
var (
	sameLeadShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierAlt}
	newLeadShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierAlt}
)

func newCaptureScreen(u *App) *CaptureScreen {
	s := &CaptureScreen{app: u, Fields: map[string]*formEntry{}, Errors: map[string]*widget.Label{}, Consents: map[capture.ConsentKind]*widget.Check{}}
	if n, err := u.store.Notice(u.ctx(), u.event.NoticeID); err == nil {
		s.notice = n
	}
	s.EventLine = bold("")
	s.StaffLine = widget.NewLabel("")
	s.SyncLine = widget.NewLabel("")
	s.Today = widget.NewLabel("")
	s.SignIn = widget.NewButton("", s.toggleSignIn)
	s.KioskMode = widget.NewButton(u.T("capture.kiosk"), u.EnterKiosk)

	s.NoticeText = newParagraph(noticeSummary(u, s.notice))
	s.QR = qrImage(notice.QRURL(s.notice), 260)

	s.Scanner = newFormEntry(false)
	s.Scanner.SetPlaceHolder(u.T("capture.scanner"))
	s.Scanner.OnSubmitted = s.scanned
	s.Scanner.OnChanged = func(string) { s.edited() }
	s.ScanStatus = widget.NewLabel("")
	s.ScanStatus.Hide()

	for _, f := range formFields {
		e := newFormEntry(false)
		e.SetPlaceHolder(u.T("field." + f))
		e.OnChanged = func(string) {
			s.edited()
			s.checkDuplicates()
		}
		s.Fields[f] = e
		s.Errors[f] = errorLabel()
	}
	labels := make([]string, len(captureSources))
	for i, src := range captureSources {
		labels[i] = u.T("source." + string(src))
	}
	s.Source = widget.NewSelect(labels, func(string) { u.touch() })
	s.Source.SetSelectedIndex(0)
	s.Questions = newSurveyForm(u, u.event.Survey, false)

	for _, k := range capture.ConsentKinds {
		if !s.notice.Declares(k) {
			continue
		}
		s.Consents[k] = widget.NewCheck(u.T("consent."+string(k)), func(bool) { s.edited() })
	}
	methods := make([]string, len(consentMethods))
	for i, m := range consentMethods {
		methods[i] = u.T("method." + string(m))
	}
	s.Method = widget.NewSelect(methods, func(string) { u.touch() })
	s.Method.SetSelectedIndex(0)
	s.Rating = newRatingField("A", "B", "C")
	s.Rating.OnChanged = func(string) { s.edited() }
	s.Rating.onEscape = s.discard
	s.Memo = newFormEntry(true)
	s.Memo.SetPlaceHolder(u.T("capture.memo"))
	s.Memo.SetMinRowsVisible(2)
	for _, e := range s.entries() {
		e.onSave, e.onEscape, e.onShortcut = s.save, s.discard, s.hintShortcut
	}
	s.Errors["note"] = errorLabel()

	s.Hint = wrapped("")
	s.SameLead = widget.NewButton(u.T("capture.same_lead"), s.useHintLead)
	s.NewLead = widget.NewButton(u.T("capture.new_lead"), s.rejectHintLead)
	s.hintBox = container.NewVBox(s.Hint, container.NewHBox(s.SameLead, s.NewLead))
	s.hintBox.Hide()

	s.Save = widget.NewButton(u.T("capture.save"), s.save)
	s.Save.Importance = widget.HighImportance
	s.Clear = widget.NewButton(u.T("capture.clear"), s.discard)
	s.Status = widget.NewLabel("")
	s.Status.Importance = widget.SuccessImportance
	s.FormError = errorLabel()

	s.content = s.layout()
	s.refreshHeader()
	return s
}

// entries are the form's text entries, in focus order.
func (s *CaptureScreen) entries() []*formEntry {
	out := []*formEntry{s.Scanner}
	for _, f := range formFields {
		out = append(out, s.Fields[f])
	}
	return append(out, s.Memo)
}

func (s *CaptureScreen) layout() fyne.CanvasObject {
	u := s.app
	header := container.NewBorder(nil, nil, s.EventLine, container.NewHBox(s.SyncLine, s.StaffLine, s.Today, s.SignIn, s.KioskMode))
	noticePanel := container.NewBorder(
		container.NewVBox(bold(s.notice.Title), s.NoticeText), nil, nil, nil,
		container.NewVBox(container.NewCenter(s.QR), container.NewCenter(widget.NewLabel(u.T("capture.qr_caption", s.notice.Version, shortHash(s.notice.Hash))))))

	card := labelledRows()
	addRow(card, u.T("capture.scan_label"), container.NewVBox(s.Scanner, s.ScanStatus))
	for _, f := range formFields {
		addRow(card, u.T("field."+f), container.NewVBox(s.Fields[f], s.Errors[f]))
	}
	consents := container.NewVBox()
	for _, k := range capture.ConsentKinds {
		if c, ok := s.Consents[k]; ok {
			consents.Add(c)
		}
	}
	choices := labelledRows()
	addRow(choices, u.T("capture.source"), s.Source)
	choices.Add(bold(u.T("capture.consents")))
	choices.Add(consents)
	addRow(choices, u.T("capture.method"), s.Method)
	addRow(choices, u.T("capture.rating"), s.Rating)
	side := container.NewVBox(
		choices,
		s.Questions.Content(),
		s.Memo, s.Errors["note"],
	)
	form := container.NewVBox(
		container.NewGridWithColumns(2, card, side),
		s.hintBox,
		s.FormError,
		container.NewHBox(s.Save, s.Clear, s.Status),
	)
	split := container.NewHSplit(container.NewVScroll(noticePanel), container.NewVScroll(form))
	split.SetOffset(0.28)
	return container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)
}

// Content is the screen's layout.
func (s *CaptureScreen) Content() fyne.CanvasObject { return s.content }

// bindShortcuts makes Ctrl+Enter save, and Alt+S / Alt+N answer the duplicate hint, when a
// check box, the rating or a button, not an entry, has focus.
func (s *CaptureScreen) bindShortcuts(c fyne.Canvas) {
	c.AddShortcut(saveShortcut, func(fyne.Shortcut) { s.save() })
	for _, sc := range []fyne.Shortcut{sameLeadShortcut, newLeadShortcut} {
		c.AddShortcut(sc, func(sc fyne.Shortcut) { s.hintShortcut(sc) })
	}
}

// focusScanner gives the scanner field the keyboard when the capture screen is showing, so
// that a keyboard-wedge scan lands there. It asks the window, not the driver: the driver
// knows an object's canvas only once it has been drawn, which at start it has not.
func (s *CaptureScreen) focusScanner() {
	u := s.app
	if u.Kiosk != nil || u.Capture != s || u.tabs == nil || u.win.Content() != u.tabs || u.tabs.Selected().Content != s.content {
		return // not showing (yet): showMain focuses once the tabs are the window's
	}
	u.win.Canvas().Focus(s.Scanner)
}

func (s *CaptureScreen) refreshHeader() {
	u := s.app
	e := u.event
	s.EventLine.SetText(fmt.Sprintf("%s  %s  %s  %s", e.Name, u.eventDates(*e), e.Venue, liveNotice(u, *e, s.notice)))
	if u.staff != nil {
		s.StaffLine.SetText(u.T("capture.staff", u.staff.Name))
		s.SignIn.SetText(u.T("signin.out"))
	} else {
		s.StaffLine.SetText(u.T("capture.no_staff"))
		s.SignIn.SetText(u.T("signin.in"))
	}
	if u.sessionNote != "" { // why the session ended or lost its manager rights
		s.StaffLine.SetText(s.StaffLine.Text + u.T(u.sessionNote))
		s.SignIn.SetText(u.T("signin.in"))
	}
	n, _ := u.store.CountOn(u.ctx(), e.ID, u.now().Format(capture.DateLayout))
	s.Today.SetText(u.T("capture.today", n))
	s.SyncLine.SetText(syncLine(u))
}

// toggleSignIn signs out, or in: again, too, when idling took a manager's rights.
func (s *CaptureScreen) toggleSignIn() {
	if s.app.staff != nil && s.app.sessionNote == "" {
		s.app.SignOut()
		return
	}
	showSignIn(s.app, nil)
}

// scanned takes one line the scanner typed, and fills the form once a scan is complete.
func (s *CaptureScreen) scanned(line string) {
	u := s.app
	s.Scanner.SetText("")
	res, done, err := s.assembler.Add(line)
	s.ScanStatus.Show()
	if !done {
		s.ScanStatus.SetText(u.T("capture.scan_reading"))
		return
	}
	if err != nil {
		s.ScanStatus.SetText(u.T("capture.scan_failed", u.message(err)))
		return
	}
	s.fill(res)
	s.ScanStatus.SetText(u.T("capture.scan_ok", u.T("scan."+res.Kind)))
	s.app.win.Canvas().Focus(s.Fields["name"])
}

// fill puts a scan's fields into the form without wiping what staff already typed.
func (s *CaptureScreen) fill(res scan.Result) {
	for _, f := range formFields {
		if v := *res.Person.Field(f); v != "" {
			s.Fields[f].SetText(v)
		}
	}
	if res.Kind == scan.KindBadge {
		s.badge = res.Badge
		s.selectSource(capture.SourceBadgeScan)
	}
	if res.Note != "" {
		s.Memo.SetText(strings.TrimSpace(s.Memo.Text + "\n" + res.Note))
	}
}

func (s *CaptureScreen) selectSource(src capture.Source) {
	for i, x := range captureSources {
		if x == src {
			s.Source.SetSelectedIndex(i)
		}
	}
}

func (s *CaptureScreen) person() capture.Person {
	var p capture.Person
	for _, f := range formFields {
		*p.Field(f) = s.Fields[f].Text
	}
	return p
}

// checkDuplicates shows the inline hint when the person typed so far is already known: the
// store's candidates are the 名寄せ matcher's pairs, so the hint and 名寄せ always agree.
func (s *CaptureScreen) checkDuplicates() {
	u := s.app
	typed := s.person()
	cands, _ := u.store.Candidates(u.ctx(), typed)
	if len(cands) == 0 {
		s.hintLead, s.chosenLead, s.newLead = "", "", false
		s.hintBox.Hide()
		return
	}
	c := cands[0] // the matcher's best
	if c.Lead.ID == s.hintLead && (s.chosenLead != "" || s.newLead) {
		return // staff already answered for this lead
	}
	s.hintLead, s.chosenLead, s.newLead = c.Lead.ID, "", false
	where := u.T("capture.hint_other_event")
	if c.LastEvent == u.event.ID {
		where = u.T("capture.hint_this_event")
	}
	who := c.LastStaff
	if who == "" {
		who = "—"
	}
	hint := u.T("capture.hint", c.Lead.Person.Name, c.Lead.Person.Company, c.LastAt.Local().Format("01/02 15:04"), who, where)
	if c.Decision == match.Propose {
		hint += "\n" + u.proposalNote(c.On)
	}
	s.Hint.SetText(hint)
	s.hintBox.Show()
}

func (s *CaptureScreen) useHintLead() {
	if s.chosenLead == s.hintLead {
		return // answered already
	}
	s.chosenLead, s.newLead = s.hintLead, false
	s.Hint.SetText(s.Hint.Text + "\n" + s.app.T("capture.hint_same"))
}

// hintShortcut answers the duplicate hint from the keyboard while it shows: Alt+S the same
// person, Alt+N someone else. It reports whether it took the shortcut.
func (s *CaptureScreen) hintShortcut(sc fyne.Shortcut) bool {
	if !s.hintBox.Visible() {
		return false
	}
	switch sc.ShortcutName() {
	case sameLeadShortcut.ShortcutName():
		s.useHintLead()
	case newLeadShortcut.ShortcutName():
		s.rejectHintLead()
	default:
		return false
	}
	s.app.touch()
	return true
}

func (s *CaptureScreen) rejectHintLead() {
	s.chosenLead, s.newLead = "", true
	s.hintBox.Hide()
}

func (s *CaptureScreen) newCapture() capture.NewCapture {
	u := s.app
	// How the notice was shown is left to the domain's default, as boothctl leaves it.
	n := capture.NewCapture{EventID: u.event.ID, Source: captureSources[max(0, s.Source.SelectedIndex())],
		Method: consentMethods[max(0, s.Method.SelectedIndex())],
		Person: s.person(), Rating: capture.Rating(s.Rating.Selected), Note: s.Memo.Text,
		Answers: s.Questions.answers(), LeadID: s.chosenLead, NewLead: s.newLead}
	if u.staff != nil {
		n.Staff = u.staff.Name
	}
	if s.badge != "" {
		n.Note = strings.TrimSpace(n.Note + "\n" + u.T("capture.badge_note", s.badge))
	}
	for _, k := range capture.ConsentKinds {
		if c, ok := s.Consents[k]; ok && c.Checked {
			n.Consents = append(n.Consents, k)
		}
	}
	return n
}

// save stores the capture; on success the form is empty and the scanner has focus again.
func (s *CaptureScreen) save() {
	for _, q := range []*keyConfirm{s.Weak, s.Discard} {
		if q != nil && q.open {
			return // a held Ctrl+Enter repeats: an open question is answered with its own keys
		}
	}
	s.saveCapture(false, false)
}

// suppressed reports whether err refuses a capture only until staff confirm fresh consent.
func suppressed(err error) (*capture.ValidationError, bool) {
	var ve *capture.ValidationError
	return ve, errors.As(err, &ve) && slices.ContainsFunc(ve.Fields, func(f capture.FieldError) bool { return f.Code == "suppressed" })
}

// saveCapture saves. A capture the domain finds weak (NewCapture.Warnings) is saved only once
// staff confirm its warnings (weakOK), and a person erased or opted out before only once they
// confirm that fresh consent was given (confirmed); each is a question answered with one key.
func (s *CaptureScreen) saveCapture(weakOK, confirmed bool) {
	u := s.app
	u.touch()
	n := s.newCapture()
	n.ConfirmSuppressed = confirmed
	if !weakOK {
		cleaned, err := u.store.CheckCapture(u.ctx(), n)
		if _, sup := suppressed(err); err != nil && !sup {
			s.showErrors(err)
			s.Status.SetText("")
			return
		}
		if w := cleaned.Warnings(); len(w) > 0 {
			s.showErrors(nil)
			s.askWeak(w, func() { s.saveCapture(true, confirmed) })
			return
		}
	}
	res, err := u.store.AddCapture(u.ctx(), n)
	ve, sup := suppressed(err)
	if !confirmed && sup {
		s.Status.SetText("")
		s.Suppressed = dialog.NewConfirm(u.T("capture.suppressed_title"), u.message(ve)+"\n\n"+u.T("capture.suppressed_confirm"),
			func(ok bool) {
				if ok {
					s.saveCapture(true, true)
				}
			}, u.win)
		s.Suppressed.SetOnClosed(u.refocus)
		s.Suppressed.Show()
		return
	}
	s.showErrors(err)
	if err != nil {
		s.Status.SetText("")
		return
	}
	s.clear()
	s.Status.SetText(u.T("capture.saved", res.Lead.Person.Name))
	s.refreshHeader()
	u.Dash.changed()
}

// showErrors puts each field's message next to the field; messages about anything else go
// above the buttons.
func (s *CaptureScreen) showErrors(err error) {
	for _, l := range s.Errors {
		setError(l, "")
	}
	s.Questions.clearErrors()
	setError(s.FormError, "")
	if err == nil {
		return
	}
	var ve *capture.ValidationError
	if !errors.As(err, &ve) {
		setError(s.FormError, s.app.message(err))
		return
	}
	var other []string
	for _, f := range ve.Fields {
		msg := s.app.fieldMessage(f)
		if l, ok := s.Errors[f.Field]; ok {
			setError(l, s.app.fieldText(f))
		} else if !s.Questions.showError(f.Field, s.app.fieldText(f)) {
			other = append(other, msg)
		}
	}
	setError(s.FormError, strings.Join(other, "\n"))
}

// clear empties the form for the next card and puts the focus back in the scanner field.
func (s *CaptureScreen) clear() {
	for _, e := range s.entries() {
		e.SetText("")
	}
	for _, c := range s.Consents {
		c.SetChecked(false)
	}
	s.Rating.SetSelected("")
	s.Questions.reset()
	s.assembler.Reset()
	s.badge, s.hintLead, s.chosenLead, s.newLead = "", "", "", false
	s.hintBox.Hide()
	s.ScanStatus.SetText("")
	s.ScanStatus.Hide()
	s.Status.SetText("")
	s.showErrors(nil)
	s.focusScanner()
}

// askWeak names what makes the capture weak and saves it only when staff say so: Enter saves
// anyway, Esc goes back to the form.
func (s *CaptureScreen) askWeak(warnings []capture.FieldError, save func()) {
	u := s.app
	items := make([]string, len(warnings))
	for i, w := range warnings {
		items[i] = u.T("capture.weak_item", strings.TrimPrefix(w.Message(u.tx.Lang), w.Field+": "))
	}
	s.WeakText = wrapped(strings.Join(items, "\n"))
	s.WeakText.Importance = widget.WarningImportance
	s.Weak = newKeyConfirm(u, u.T("capture.weak_title"), s.WeakText, u.T("capture.weak_save"), u.T("capture.weak_back"), save)
}

// halfTyped reports whether anything of a card has been entered.
func (s *CaptureScreen) halfTyped() bool {
	for _, e := range s.entries() {
		if strings.TrimSpace(e.Text) != "" {
			return true
		}
	}
	for _, c := range s.Consents {
		if c.Checked {
			return true
		}
	}
	return s.Rating.Selected != "" || len(s.Questions.answers()) > 0
}

// discard empties the form (Esc, the clear button), asking first when a card is half typed:
// Enter wipes it, Esc keeps it.
func (s *CaptureScreen) discard() {
	if !s.halfTyped() {
		s.clear()
		return
	}
	u := s.app
	s.Discard = newKeyConfirm(u, u.T("capture.discard_title"), wrapped(u.T("capture.discard_body")), u.T("capture.discard_yes"), u.T("capture.discard_no"), s.clear)
}

// edited notes input on the card: once the next card is started the last save's
// confirmation goes, and the signed-in session is in use.
func (s *CaptureScreen) edited() {
	if s.Status.Text != "" && s.halfTyped() {
		s.Status.SetText("")
	}
	s.app.touch()
}

// syncLine says how sync stands: not enrolled, pending ops and the last success, or since
// when the server has been unreachable.
func syncLine(u *App) string {
	st := u.syncStatus
	if st == nil {
		if u.syncStop == nil {
			return u.T("sync.off")
		}
		return u.T("sync.starting")
	}
	line := u.T("sync.pending", st.Pending)
	switch {
	case !st.OfflineSince.IsZero():
		line += " · " + u.T("sync.offline", st.OfflineSince.Local().Format("15:04"))
	case !st.LastSuccess.IsZero():
		line += " · " + u.T("sync.last", st.LastSuccess.Local().Format("15:04"))
	}
	if st.Refused > 0 {
		line += " · " + u.T("sync.refused", st.Refused)
	}
	return line
}

// noticeSummary is the notice's purposes as shown beside the form.
func noticeSummary(u *App, n capture.Notice) string {
	// No space after the number or the colon in Japanese: a label wraps at spaces, and
	// would leave the number alone on its line.
	colon, sep := u.T("punct.colon"), u.T("punct.list")
	var b strings.Builder
	b.WriteString(u.T("notice.purposes") + "\n")
	for i, p := range n.Purposes {
		b.WriteString(u.T("punct.number", i+1) + p + "\n")
	}
	if len(n.Items) > 0 {
		b.WriteString("\n" + u.T("notice.items") + colon + strings.Join(n.Items, sep) + "\n")
	}
	if n.ThirdParty.Provides {
		b.WriteString("\n" + u.T("notice.third_party") + colon + strings.Join(n.ThirdParty.Recipients, sep) + "\n")
	}
	if n.JointUse != nil {
		b.WriteString("\n" + u.T("notice.joint_use") + colon + n.JointUse.Users + "\n")
	}
	b.WriteString("\n" + u.T("notice.contact") + colon + n.Contact)
	return b.String()
}

func shortHash(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}
