package seal

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/boothledger/boothledger/capture"
)

// RecoveryKey is the second way to unwrap the data key, shown once at set-up for the
// manager's safe. Its text form is 52 Crockford base32 characters for the 256 bits and four
// for a checksum, in groups of four.
type RecoveryKey [keySize]byte

const (
	crockford   = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	dataSymbols = (keySize*8 + 4) / 5 // 52: 256 bits and 4 zero bits
	checkSyms   = 4
	keySymbols  = dataSymbols + checkSyms
	// checkPoly is a degree-20 polynomial over GF(2) (x^20 + x^19 + x^18 + x^15 + x^11 + x^10
	// + x^5 + x^2 + x + 1) chosen, by search, so that the checksum catches any one or two
	// mistyped characters anywhere in the key, and so any swap of two characters;
	// TestChecksumCatchesTwoTypos proves it.
	checkPoly = 0x1c8c27
)

// String is the key as people copy it: XXXX-XXXX-… in 14 groups.
func (rk RecoveryKey) String() string {
	sym := rk.symbols()
	var b strings.Builder
	for i, s := range sym {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(crockford[s])
	}
	return b.String()
}

// symbols spells the key in base32 symbols (values 0..31) with its checksum.
func (rk RecoveryKey) symbols() [keySymbols]byte {
	var sym [keySymbols]byte
	for i := range dataSymbols {
		sym[i] = byte(bitsAt(rk[:], i*5))
	}
	s := syndrome(sym)
	for i := range checkSyms {
		sym[dataSymbols+i] = byte(s >> (5 * (checkSyms - 1 - i)) & 31)
	}
	return sym
}

// bitsAt reads five bits of b from bit offset off, zeros past its end.
func bitsAt(b []byte, off int) int {
	v := 0
	for i := range 5 {
		bit := off + i
		v <<= 1
		if bit/8 < len(b) {
			v |= int(b[bit/8]>>(7-bit%8)) & 1
		}
	}
	return v
}

// syndrome is the remainder of the symbols, read as one polynomial, modulo checkPoly: zero
// for a well-typed key, and the checksum of the data when the check symbols are zero.
func syndrome(sym [keySymbols]byte) uint32 {
	var r uint32
	for _, s := range sym {
		for i := 4; i >= 0; i-- {
			r = r<<1 | uint32(s>>i&1)
			if r>>20 != 0 {
				r ^= checkPoly
			}
		}
	}
	return r
}

// ParseRecoveryKey reads a key as typed: any case, half or full width (an IME left on), with
// or without spaces and hyphens, O for 0 and I or L for 1. A wrong length, a letter not in the alphabet or a failed checksum is a
// field error naming what to check.
func ParseRecoveryKey(s string) (RecoveryKey, error) {
	var sym [keySymbols]byte
	n := 0
	for _, r := range strings.ToUpper(norm.NFKC.String(s)) {
		switch r {
		case ' ', '-', '\t', '\n', '\r', 'ー':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		v := strings.IndexRune(crockford, r)
		if v < 0 {
			return RecoveryKey{}, capture.Invalid("recovery_key", "recovery_key_char", r)
		}
		if n < keySymbols {
			sym[n] = byte(v)
		}
		n++
	}
	if n != keySymbols {
		return RecoveryKey{}, capture.Invalid("recovery_key", "recovery_key_length", keySymbols, n)
	}
	// The last data character carries one bit of the key and four zeros.
	if syndrome(sym) != 0 || sym[dataSymbols-1]&0xf != 0 {
		return RecoveryKey{}, capture.Invalid("recovery_key", "recovery_key_checksum")
	}
	var rk RecoveryKey
	for i := range keySize * 8 {
		if sym[i/5]>>(4-i%5)&1 == 1 {
			rk[i/8] |= 1 << (7 - i%8)
		}
	}
	return rk, nil
}
