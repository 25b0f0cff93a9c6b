package capture

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// wantUILangEnv names the display language the Windows under test was started with
// (make test-windows starts wine in Japanese), so that the test knows what to expect.
const wantUILangEnv = "BOOTH_TEST_UI_LANG"

// TestEnvLangReadsTheWindowsDisplayLanguage: with no POSIX locale variables, as in cmd.exe
// and PowerShell, the language is the user's Windows display language.
func TestEnvLangReadsTheWindowsDisplayLanguage(t *testing.T) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		t.Fatalf("Windows display languages: %v %v", langs, err)
	}
	want := langOf(langs[0])
	if w := os.Getenv(wantUILangEnv); w != "" && w != want {
		t.Fatalf("Windows says its display language is %s, the test run was started in %s", langs[0], w)
	}
	if got := EnvLang(); got != want {
		t.Fatalf("EnvLang() = %s under display language %s", got, langs[0])
	}
	t.Setenv("LANG", "en_US.UTF-8") // a POSIX shell's choice still wins
	if got := EnvLang(); got != "en" {
		t.Fatalf("EnvLang() = %s with LANG=en_US.UTF-8", got)
	}
}
