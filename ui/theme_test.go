package ui

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// inkBottom is the lowest row of img with dark pixels in columns [x0, x1).
func inkBottom(img image.Image, x0, x1 int) int {
	b := img.Bounds()
	for y := b.Max.Y - 1; y >= b.Min.Y; y-- {
		for x := x0; x < x1; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				return y
			}
		}
	}
	return -1
}

// TestDescendersAreDrawn: the tail of a g goes as far below the line as the font draws it
// (0.2 em in IPAexGothic), not cut at the 0.12 em its line metrics claimed.
func TestDescendersAreDrawn(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme{})
	const size = 100
	x := canvas.NewText("x", color.Black)
	g := canvas.NewText("g", color.Black)
	x.TextSize, g.TextSize = size, size
	bg := canvas.NewRectangle(color.White)
	w := test.NewWindow(container.NewStack(bg, container.NewHBox(x, g)))
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(300, 200))
	img := w.Canvas().Capture()
	scale := float32(img.Bounds().Dx()) / w.Canvas().Size().Width
	px := func(f float32) int { return int(f * scale) }
	base := inkBottom(img, px(x.Position().X), px(x.Position().X+x.Size().Width))
	tail := inkBottom(img, px(g.Position().X), px(g.Position().X+g.Size().Width))
	if base < 0 || tail < 0 {
		t.Fatalf("nothing drawn: x %d, g %d", base, tail)
	}
	if got := float32(tail-base) / scale / size; got < 0.17 {
		t.Fatalf("the g's tail reaches %.2f em below the line, want about 0.19 (cut off)", got)
	}
}

// overlaps lists the labels on c whose text runs into an input field: a label draws its
// whole text even where its box is narrower. What a scroll hides is not drawn.
func overlaps(c fyne.Canvas) []string {
	d := fyne.CurrentApp().Driver()
	type box struct{ x0, y0, x1, y1 float32 }
	rect := func(o fyne.CanvasObject, size fyne.Size) box {
		p := d.AbsolutePositionForObject(o)
		return box{p.X, p.Y, p.X + size.Width, p.Y + size.Height}
	}
	meets := func(a, b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }
	type label struct {
		text string
		at   box
	}
	var labels []label
	var inputs []box
	var walk func(o fyne.CanvasObject, clip box)
	walk = func(o fyne.CanvasObject, clip box) {
		if o == nil || !o.Visible() || !meets(rect(o, o.Size()), clip) {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			size := x.Size()
			if x.Wrapping == fyne.TextWrapOff && x.Text != "" {
				size.Width = max(size.Width, x.MinSize().Width-2*theme.InnerPadding())
			}
			labels = append(labels, label{x.Text, rect(o, size)})
			return
		case *widget.Entry, *widget.Select, *widget.RadioGroup, *widget.Check, *widget.Button:
			inputs = append(inputs, rect(o, o.Size()))
			return
		case *container.Scroll:
			clip = rect(o, o.Size())
			walk(x.Content, clip)
		case *fyne.Container:
			for _, child := range x.Objects {
				walk(child, clip)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(x).Objects() {
				walk(child, clip)
			}
		}
	}
	walk(c.Content(), rect(c.Content(), c.Size()))
	var bad []string
	for _, l := range labels {
		for _, in := range inputs {
			if meets(l.at, in) {
				bad = append(bad, l.text)
				break
			}
		}
	}
	return bad
}

// TestLabelsDoNotRunIntoFields: at 1280x800 and 1366x768, in both languages, no label of
// the capture, kiosk or export screens is drawn over a field.
func TestLabelsDoNotRunIntoFields(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1366, Height: 768}} {
			u, _, _, _ := newTestApp(t)
			if lang != "ja" {
				u.SetLanguage(lang)
			}
			u.win.Resize(size)
			if err := u.SignIn("田中", "123456"); err != nil {
				t.Fatal(err)
			}
			c := u.win.Canvas()
			if bad := overlaps(c); len(bad) > 0 {
				t.Errorf("%s %v capture: %q run into fields", lang, size, bad)
			}
			showTab(u, u.Export.Content())
			if bad := overlaps(c); len(bad) > 0 {
				t.Errorf("%s %v export: %q run into fields", lang, size, bad)
			}
			u.EnterKiosk()
			if bad := overlaps(c); len(bad) > 0 {
				t.Errorf("%s %v kiosk: %q run into fields", lang, size, bad)
			}
			u.Kiosk.stop()
		}
	}
}
