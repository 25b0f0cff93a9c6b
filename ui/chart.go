package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/boothledger/boothledger/assets"
)

// bar is one bar of a chart: its label under (or beside) it and its value, written on it.
type bar struct {
	label string
	value float64
	text  string
}

// chartStyle is what a chart takes from the theme, so it sits on the window's background.
type chartStyle struct {
	bg, fg, bar color.Color
}

// Charts are drawn at twice the size they take on a standard screen, sharp on a HiDPI one.
const (
	chartW, chartH = 360, 230 // points: the chart's size in the window
	chartDPI       = 144
)

var chartFont = sync.OnceValue(func() font.Font {
	f := font.Font{Typeface: "IPAexGothic"}
	if face, err := opentype.Parse(assets.Font); err == nil {
		// plot draws only the fonts in its cache; IPAexGothic has the kana and kanji.
		font.DefaultCache.Add(font.Collection{{Font: f, Face: face}})
	}
	return f
})

// barChart draws bars with gonum/plot: vertical ones for hours, days and ratings,
// horizontal ones (labels at the left) for names. max is the axis's end: 0 to fit the bars.
func barChart(bars []bar, horizontal bool, max float64, st chartStyle) (image.Image, error) {
	fnt := chartFont()
	p := plot.New()
	p.BackgroundColor = st.bg
	labels := make([]string, len(bars))
	values := make(plotter.Values, len(bars))
	for i, b := range bars {
		labels[i], values[i] = b.label, b.value
		max = math.Max(max, b.value)
	}
	if max == 0 {
		max = 1 // an empty chart still has an axis
	}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color, a.Tick.Color, a.Label.TextStyle.Color = st.fg, st.fg, st.fg
		a.Tick.Label.Color, a.Tick.Label.Font = st.fg, font.From(fnt, 11)
	}
	width := vg.Points(math.Min(28, float64(chartH-40)/float64(max1(len(bars)))*0.7))
	if !horizontal {
		width = vg.Points(math.Min(28, float64(chartW-40)/float64(max1(len(bars)))*0.7))
	}
	if len(bars) > 0 {
		bc, err := plotter.NewBarChart(values, width)
		if err != nil {
			return nil, fmt.Errorf("draw chart: %w", err)
		}
		bc.Color, bc.LineStyle.Width, bc.Horizontal = st.bar, 0, horizontal
		p.Add(bc)
		xys := make(plotter.XYs, len(bars))
		texts := make([]string, len(bars))
		for i, b := range bars {
			xys[i], texts[i] = plotter.XY{X: float64(i), Y: b.value}, b.text
			if horizontal {
				xys[i] = plotter.XY{X: b.value, Y: float64(i)}
			}
		}
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
		if err != nil {
			return nil, fmt.Errorf("draw chart: %w", err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font, lb.TextStyle[i].Color = font.From(fnt, 11), st.fg
			if horizontal {
				lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
			} else {
				lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XCenter, draw.YBottom
			}
		}
		if horizontal {
			lb.Offset = vg.Point{X: 3}
		} else {
			lb.Offset = vg.Point{Y: 2}
		}
		p.Add(lb)
	}
	value, names := &p.Y, &p.X
	if horizontal {
		value, names = &p.X, &p.Y
	}
	switch {
	case len(bars) == 0: // nothing to name
		names.Tick.Marker = plot.ConstantTicks(nil)
	case horizontal:
		p.NominalY(labels...)
	default:
		p.NominalX(labels...)
	}
	// Room above the longest bar for its figure; whole numbers on the axis.
	value.Min, value.Max = 0, max*1.18
	value.Tick.Marker = countTicks{}
	if !horizontal && len(bars) > 12 {
		names.Tick.Label.Rotation, names.Tick.Label.XAlign, names.Tick.Label.YAlign = math.Pi/2, draw.XRight, draw.YCenter
	}
	c := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(st.bg))
	p.Draw(draw.New(c))
	return c.Image(), nil
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// countTicks marks an axis of counts with a few whole numbers.
type countTicks struct{}

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for hi/step > 5 {
		switch m := step / math.Pow(10, math.Floor(math.Log10(step))); m {
		case 1:
			step *= 2
		case 2:
			step *= 2.5
		default:
			step *= 2
		}
	}
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: fmt.Sprint(v)})
	}
	return out
}
