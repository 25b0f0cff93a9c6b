// Package assets embeds what every binary ships: the Japanese font, the icon and the
// interface translations, so nothing depends on the fonts or files of the machine it runs on.
package assets

import (
	"embed"
	_ "embed"
)

// Font is IPAexGothic (IPAexゴシック), a TrueType font with the whole of JIS X 0208, under the
// IPA Font License v1.0 (IPA_Font_License_v1.0.txt beside it).
//
//go:embed ipaexg.ttf
var Font []byte

// FontLicense is the text of the IPA Font License v1.0, shipped with the font as it requires.
//
//go:embed IPA_Font_License_v1.0.txt
var FontLicense string

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// Translations holds the interface text, one JSON file per language (en.json, ja.json).
//
//go:embed translations
var Translations embed.FS
