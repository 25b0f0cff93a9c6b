//go:build !windows

package capture

// systemLang is empty: on Unix the locale variables are the only word on the language.
func systemLang() string { return "" }
