package capture

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HLC is a hybrid logical clock reading: milliseconds since the Unix epoch in the high 48
// bits and a counter in the low 16. Readings from one clock only ever increase, and a clock
// that has seen a reading never issues a smaller one, so causally later ops sort later even
// across devices whose wall clocks disagree.
type HLC uint64

const hlcLogicalBits = 16

// Time is the wall-clock part of the reading.
func (h HLC) Time() time.Time {
	return time.UnixMilli(int64(h >> hlcLogicalBits)).UTC()
}

// Clock issues HLC readings. The zero value is not usable; use NewClock.
type Clock struct {
	mu   sync.Mutex
	last HLC
	now  func() time.Time
}

// NewClock returns a clock that never goes below last (e.g. the highest reading in the op
// log), except that it never starts further ahead of now than MaxClockSkew.
func NewClock(last HLC, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	c := &Clock{now: now}
	c.Observe(last)
	return c
}

// Now returns a reading greater than every reading issued or observed before.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := HLC(c.now().UnixMilli()) << hlcLogicalBits
	if wall > c.last {
		c.last = wall
	} else {
		c.last++
	}
	return c.last
}

// Observe moves the clock past a reading received from another device, but no further than
// MaxClockSkew ahead of this clock's wall time: a device with a clock in the year 3000 must
// not drag every other device there.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = max(c.last, min(h, c.ceiling()))
}

// ceiling is the highest reading the clock accepts from elsewhere.
func (c *Clock) ceiling() HLC {
	return HLC(c.now().Add(MaxClockSkew).UnixMilli())<<hlcLogicalBits | (1<<hlcLogicalBits - 1)
}

// Clamp limits a reading received from elsewhere as Observe does, for what is kept of it.
func (c *Clock) Clamp(h HLC) HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return min(h, c.ceiling())
}

// Stamp orders writes for last-writer-wins: the HLC reading, then the device id to break ties.
type Stamp struct {
	HLC    HLC    `json:"hlc"`
	Device string `json:"device"`
}

// After reports whether s is later than t.
func (s Stamp) After(t Stamp) bool {
	if s.HLC != t.HLC {
		return s.HLC > t.HLC
	}
	return s.Device > t.Device
}

// Compare orders stamps: -1 when s is earlier than t, 0 when equal, 1 when later.
func (s Stamp) Compare(t Stamp) int {
	switch {
	case s.After(t):
		return 1
	case t.After(s):
		return -1
	}
	return 0
}

// MarshalText writes a stamp as "HLC@device": it is stored on every field of every lead, so
// it is kept short.
func (s Stamp) MarshalText() ([]byte, error) {
	return []byte(strconv.FormatUint(uint64(s.HLC), 10) + "@" + s.Device), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *Stamp) UnmarshalText(b []byte) error {
	h, dev, ok := strings.Cut(string(b), "@")
	n, err := strconv.ParseUint(h, 10, 64)
	if !ok || err != nil {
		return fmt.Errorf("bad stamp %q", b)
	}
	s.HLC, s.Device = HLC(n), dev
	return nil
}
