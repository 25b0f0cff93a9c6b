package main

import (
	"strings"
	"testing"
)

// TestCaptureAddWarnsOfAWeakCapture: boothctl saves what a script gives it, and says on
// stderr what the app would have asked staff to confirm (the domain's NewCapture.Warnings).
func TestCaptureAddWarnsOfAWeakCapture(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	out, errs, code := c.run("capture", "add", "--event", eventID, "--name", "名前 だけ")
	if code != 0 || out == "" {
		t.Fatalf("capture add: %d %q %q", code, out, errs)
	}
	for _, want := range []string{"warning: staff: no staff member is recorded", "warning: contact: there is neither an email address nor a phone number"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if _, errs, _ := c.run("capture", "add", "--event", eventID, "--staff", "田中", "--name", "普通 の名刺", "--email", "futsu@example.jp"); strings.Contains(errs, "warning:") {
		t.Fatalf("an ordinary card warned: %s", errs)
	}
}

// TestCaptureAddWarnsOfAnUnknownStaffName: once staff are registered, a --staff name that is
// none of them (a typo that would split one person's captures) is saved with a warning.
func TestCaptureAddWarnsOfAnUnknownStaffName(t *testing.T) {
	c := newCtl(t)
	_, eventID := c.setup()
	c.ok("staff", "add", "--name", "田中", "--pin", "123456")
	_, errs, code := c.run("capture", "add", "--event", eventID, "--staff", "田仲", "--name", "来場 者", "--email", "v@example.jp")
	if code != 0 || !strings.Contains(errs, `warning: staff: "田仲" is not a registered staff member`) {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, errs, _ := c.run("capture", "add", "--event", eventID, "--staff", "田中", "--name", "来場 二", "--email", "v2@example.jp"); strings.Contains(errs, "warning:") {
		t.Fatalf("a registered name warned: %s", errs)
	}
}
