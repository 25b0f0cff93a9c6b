package capture

import "golang.org/x/sys/windows"

// systemLang is the user's first display language (ja-JP on a Japanese Windows), "" when
// Windows cannot say.
func systemLang() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
