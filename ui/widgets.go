package ui

import (
	"bytes"
	"image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/skip2/go-qrcode"
)

// saveShortcut is Ctrl+Enter, which saves a form from any field.
var saveShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}

func isSave(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierControl
}

// formEntry is an entry that saves its form on Ctrl+Enter and clears it on Esc. A focused
// entry takes every shortcut itself, so the window's own shortcuts never see these keys.
type formEntry struct {
	widget.Entry
	onSave, onEscape func()
	// onShortcut takes the form's own shortcuts (Alt+S, Alt+N) first; true when it did.
	onShortcut func(fyne.Shortcut) bool
}

func newFormEntry(multiLine bool) *formEntry {
	e := &formEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *formEntry) TypedShortcut(s fyne.Shortcut) {
	if isSave(s) && e.onSave != nil {
		e.onSave()
		return
	}
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// AcceptsTab is false even for the memo: Tab and Shift+Tab move on from it as from every other
// field, so the keyboard is never trapped there (a memo needs no tab characters).
func (e *formEntry) AcceptsTab() bool { return false }

func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// errorLabel shows a field's validation message under it; empty, it takes no room.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setError(l *widget.Label, msg string) { showText(l, msg) }

// showText sets a label's text and hides it while it is empty, so it takes no room.
func showText(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// qrImage draws url as a QR code of side size.
func qrImage(url string, size float32) *canvas.Image {
	img := canvas.NewImageFromResource(nil)
	if code, err := qrcode.New(url, qrcode.Medium); err == nil {
		var buf bytes.Buffer
		if png.Encode(&buf, code.Image(512)) == nil {
			img = canvas.NewImageFromResource(fyne.NewStaticResource("notice-qr.png", buf.Bytes()))
		}
	}
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSize(size, size))
	return img
}

// wrapped is a label that wraps its text.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// bold is a heading label.
func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// labelledRows lays out rows of a label and its field in two columns, the labels as wide as
// the widest of them: a label in a fixed width ran into its field in the longer language
// ("Reading (kana)", "How consent was given"). Add rows with addRow.
func labelledRows() *fyne.Container { return container.New(layout.NewFormLayout()) }

// addRow adds a row to a labelledRows container: the label text and the field, which may
// hold the field's error line below it.
func addRow(rows *fyne.Container, label string, field fyne.CanvasObject) {
	rows.Add(widget.NewLabel(label))
	rows.Add(field)
}
