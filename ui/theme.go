// Package ui holds the Fyne screens of the booth app. It holds no business logic: every
// decision is made by the capture packages, which the screens call.
package ui

import (
	"bytes"
	"encoding/binary"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/boothledger/boothledger/assets"
)

// fontResource is the embedded IPAexGothic: Fyne draws Japanese only through the fonts it is
// given, and a booth laptop may have none.
var fontResource = fyne.NewStaticResource("ipaexg.ttf", winDescent(assets.Font))

// winDescent returns a copy of a TrueType font whose line descends as far as its Windows
// metrics say its glyphs do. Fyne draws each line of text into a box of the font's ascent
// and descent (hhea); IPAexGothic's is 0.12 em, while p, y, g and j reach 0.2 em (its
// usWinDescent), so their tails were cut off in every field and label. The font file
// itself is left as it is (the PDFs embed it unchanged).
func winDescent(font []byte) []byte {
	out := bytes.Clone(font)
	table := func(tag string) []byte {
		if len(out) < 12 {
			return nil
		}
		for i := range int(binary.BigEndian.Uint16(out[4:])) {
			rec := out[12+16*i:]
			if len(rec) >= 16 && string(rec[:4]) == tag {
				off, n := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
				if int(off)+int(n) <= len(out) {
					return out[off : off+n]
				}
			}
		}
		return nil
	}
	hhea, os2 := table("hhea"), table("OS/2")
	if len(hhea) < 8 || len(os2) < 78 {
		return out
	}
	descent := -int16(binary.BigEndian.Uint16(os2[76:])) // usWinDescent, positive downwards
	if descent < int16(binary.BigEndian.Uint16(hhea[6:])) {
		binary.BigEndian.PutUint16(hhea[6:], uint16(descent))
		binary.BigEndian.PutUint16(os2[70:], uint16(descent)) // sTypoDescender, read when fsSelection says so
	}
	return out
}

// Theme is the default Fyne theme with the embedded Japanese font for every text style.
type Theme struct{}

var _ fyne.Theme = Theme{}

func (Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, v)
}

func (Theme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (Theme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }
