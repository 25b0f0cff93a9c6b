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

// NewClock returns a clock that never goes below last (e.g. the highest reading in the op log).
func NewClock(last HLC, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{last: last, now: now}
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

// Observe moves the clock past a reading received from another device.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h > c.last {
		c.last = h
	}
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
