package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ratingField is a choice among a few letters (the rating A, B, C) as one Tab stop: the arrow
// keys move along it, a letter picks it, Backspace or Delete clears it, and a click picks the
// letter under the pointer. A radio group would take a Tab stop per letter.
type ratingField struct {
	widget.BaseWidget
	Options   []string
	Selected  string
	OnChanged func(string)
	onEscape  func()
	focused   bool
}

func newRatingField(options ...string) *ratingField {
	r := &ratingField{Options: options}
	r.ExtendBaseWidget(r)
	return r
}

// SetSelected picks an option ("" for none).
func (r *ratingField) SetSelected(v string) {
	if v == r.Selected {
		return
	}
	r.Selected = v
	r.Refresh()
	if r.OnChanged != nil {
		r.OnChanged(v)
	}
}

func (r *ratingField) index() int {
	for i, o := range r.Options {
		if o == r.Selected {
			return i
		}
	}
	return -1
}

// move steps d options along, from nothing picked to the first (or the last going back).
func (r *ratingField) move(d int) {
	i := r.index()
	switch {
	case i < 0 && d > 0:
		i = 0
	case i < 0:
		i = len(r.Options) - 1
	default:
		i = min(max(i+d, 0), len(r.Options)-1)
	}
	r.SetSelected(r.Options[i])
}

func (r *ratingField) FocusGained() { r.focused = true; r.Refresh() }
func (r *ratingField) FocusLost()   { r.focused = false; r.Refresh() }

func (r *ratingField) TypedRune(c rune) {
	for _, o := range r.Options {
		if strings.EqualFold(string(c), o) {
			r.SetSelected(o)
			return
		}
	}
}

func (r *ratingField) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyRight, fyne.KeyDown:
		r.move(1)
	case fyne.KeyLeft, fyne.KeyUp:
		r.move(-1)
	case fyne.KeyBackspace, fyne.KeyDelete:
		r.SetSelected("")
	case fyne.KeyEscape:
		if r.onEscape != nil {
			r.onEscape()
		}
	}
}

// Tapped picks the option under the pointer, or clears it when it is picked already.
func (r *ratingField) Tapped(ev *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		c.Focus(r)
	}
	if len(r.Options) == 0 || r.Size().Width <= 0 {
		return
	}
	i := min(int(ev.Position.X/(r.Size().Width/float32(len(r.Options)))), len(r.Options)-1)
	if r.Options[i] == r.Selected {
		r.SetSelected("")
	} else {
		r.SetSelected(r.Options[i])
	}
}

func (r *ratingField) CreateRenderer() fyne.WidgetRenderer {
	rr := &ratingRenderer{r: r, border: canvas.NewRectangle(nil)}
	for _, o := range r.Options {
		rr.bgs = append(rr.bgs, canvas.NewRectangle(nil))
		rr.texts = append(rr.texts, canvas.NewText(o, nil))
	}
	rr.Refresh()
	return rr
}

type ratingRenderer struct {
	r      *ratingField
	bgs    []*canvas.Rectangle
	texts  []*canvas.Text
	border *canvas.Rectangle
}

func (rr *ratingRenderer) Layout(size fyne.Size) {
	rr.border.Resize(size)
	w := size.Width / float32(len(rr.bgs))
	for i := range rr.bgs {
		rr.bgs[i].Move(fyne.NewPos(float32(i)*w+1, 1))
		rr.bgs[i].Resize(fyne.NewSize(w-2, size.Height-2))
		ts := rr.texts[i].MinSize()
		rr.texts[i].Move(fyne.NewPos(float32(i)*w+(w-ts.Width)/2, (size.Height-ts.Height)/2))
	}
}

func (rr *ratingRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	var cell fyne.Size
	for _, t := range rr.texts {
		cell = cell.Max(t.MinSize())
	}
	return fyne.NewSize((cell.Width+4*pad)*float32(len(rr.texts)), cell.Height+2*pad)
}

func (rr *ratingRenderer) Refresh() {
	th := rr.r.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	rr.border.FillColor = th.Color(theme.ColorNameInputBackground, v)
	rr.border.StrokeWidth = 1
	rr.border.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if rr.r.focused {
		rr.border.StrokeWidth = 2
		rr.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	rr.border.CornerRadius = th.Size(theme.SizeNameInputRadius)
	for i, o := range rr.r.Options {
		rr.bgs[i].CornerRadius = rr.border.CornerRadius
		rr.bgs[i].FillColor = th.Color(theme.ColorNameInputBackground, v)
		rr.texts[i].Color = th.Color(theme.ColorNameForeground, v)
		rr.texts[i].TextStyle = fyne.TextStyle{}
		if o == rr.r.Selected {
			rr.bgs[i].FillColor = th.Color(theme.ColorNamePrimary, v)
			rr.texts[i].Color = th.Color(theme.ColorNameForegroundOnPrimary, v)
			rr.texts[i].TextStyle = fyne.TextStyle{Bold: true}
		}
		rr.texts[i].TextSize = th.Size(theme.SizeNameText)
		rr.texts[i].Refresh()
		rr.bgs[i].Refresh()
	}
	rr.border.Refresh()
	rr.Layout(rr.r.Size())
}

func (rr *ratingRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rr.border}
	for i := range rr.bgs {
		objs = append(objs, rr.bgs[i], rr.texts[i])
	}
	return objs
}

func (rr *ratingRenderer) Destroy() {}

// keyButton is a dialog button answered with one key: Enter or Space taps it, Esc takes the
// dialog's way back.
type keyButton struct {
	widget.Button
	onEscape func()
}

func newKeyButton(label string, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		if b.onEscape != nil {
			b.onEscape()
		}
	default:
		b.Button.TypedKey(k)
	}
}

// keyConfirm is a question staff answer with one key: Enter for Yes (it has the focus), Esc
// for No; the buttons say so. Once it closes, the keyboard goes back to the scanner field.
type keyConfirm struct {
	Yes, No *keyButton
	d       *dialog.CustomDialog
	open    bool
}

func newKeyConfirm(u *App, title string, body fyne.CanvasObject, yes, no string, onYes func()) *keyConfirm {
	k := &keyConfirm{}
	k.Yes = newKeyButton(yes, func() {
		k.d.Hide()
		onYes()
	})
	k.Yes.Importance = widget.HighImportance
	k.No = newKeyButton(no, k.cancel)
	k.Yes.onEscape, k.No.onEscape = k.cancel, k.cancel
	k.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(body, container.NewGridWithColumns(2, k.No, k.Yes)), u.win)
	k.d.SetOnClosed(func() {
		k.open = false
		u.refocus()
	})
	k.open = true
	k.d.Resize(fyne.NewSize(540, 0)) // wide enough that a warning reads in a line or two
	k.d.Show()
	u.win.Canvas().Focus(k.Yes)
	return k
}

// cancel closes the question answering No.
func (k *keyConfirm) cancel() { k.d.Hide() }
