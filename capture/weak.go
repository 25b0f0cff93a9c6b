package capture

import (
	"strings"
	"time"
)

// Warnings names what makes a valid capture weak evidence: a survey or kiosk entry that
// records no consent, a capture that names no staff member, a card with no way to reach the
// person. Each is saved only once someone confirms it, in the app and in boothctl alike; n is
// a cleaned capture (Clean, or the store's CheckCapture).
func (n NewCapture) Warnings() []FieldError {
	var v errs
	if (n.Source == SourceSurvey || n.Source == SourceKiosk) && len(n.Consents) == 0 {
		v.add("consent", "weak_no_consent")
	}
	if strings.TrimSpace(n.Staff) == "" {
		v.add("staff", "weak_no_staff")
	}
	p := n.Person
	if strings.TrimSpace(p.Email+p.Phone+p.Mobile) == "" {
		v.add("contact", "weak_no_contact")
	}
	return v.list
}

// SessionIdle is how long a staff member stays signed in on a device without input: a booth
// laptop is left on the table between visitors.
const SessionIdle = 30 * time.Minute

// Session is a staff member signed in on a device and when they last did anything.
type Session struct {
	Staff Staff
	Last  time.Time
	// Idle ends the session after this long without input (0: SessionIdle). Manager rights
	// (lead lists, exports, erasure) drop first, after a third of it.
	Idle time.Duration
}

// At is who the session stands for at now: the staff member, a manager only while the
// manager limit has not passed; ok is false once the session has ended.
func (s Session) At(now time.Time) (m Staff, ok bool) {
	idle := s.Idle
	if idle <= 0 {
		idle = SessionIdle
	}
	quiet := now.Sub(s.Last)
	if quiet >= idle {
		return Staff{}, false
	}
	m = s.Staff
	if quiet >= idle/3 {
		m.Manager = false
	}
	return m, true
}
