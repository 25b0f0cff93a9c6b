package capture

import "testing"

// TestPINKDFBounds: staff records arrive from other devices through sync, so only the form
// this version writes, within costs it can afford, is run at sign-in.
func TestPINKDFBounds(t *testing.T) {
	if p, ok := parseArgon2(pinKDF.String()); !ok || p != pinKDF {
		t.Fatalf("the current parameters: %+v %v", p, ok)
	}
	for _, kdf := range []string{
		"argon2id$t=1$m=4194304$p=1", // 4 GiB
		"argon2id$t=64$m=65536$p=2",  // minutes
		"argon2id$t=1$m=8$p=4",       // less memory than its lanes need
		"argon2id$t=1$m=65536$p=0",
		pinKDF.String() + "$x", // not the form this version writes
		"argon2id$t=03$m=65536$p=2",
		"scrypt$n=32768",
	} {
		if p, ok := parseArgon2(kdf); ok {
			t.Errorf("KDF %q accepted as %+v", kdf, p)
		}
	}
}
