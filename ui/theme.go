// Package ui holds the Fyne screens of the booth app. It holds no business logic: every
// decision is made by the capture packages, which the screens call.
package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/boothledger/boothledger/assets"
)

// fontResource is the embedded IPAexGothic: Fyne draws Japanese only through the fonts it is
// given, and a booth laptop may have none.
var fontResource = fyne.NewStaticResource("ipaexg.ttf", assets.Font)

// Theme is the default Fyne theme with the embedded Japanese font for every text style.
type Theme struct{}

var _ fyne.Theme = Theme{}

func (Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, v)
}

func (Theme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (Theme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }
