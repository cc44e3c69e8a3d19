package pages

import (
	"time"

	"github.com/watchpost/watchpost/domain"
)

// ActivityVM is the sign-in activity page: the person's own (with actions), or an
// employee's for an administrator (read only).
type ActivityVM struct {
	Portal   *domain.Portal
	Person   *domain.User
	Admin    bool // an administrator looking at someone's profile
	Back     string
	Notice   string
	CSRF     string
	Sessions []SessionRow
	Devices  []DeviceRow
	Events   []ActivityRow
	Days     int
}

// DeviceRow is one known device.
type DeviceRow struct {
	ID        int64
	Name      string
	FirstUsed time.Time
	LastUsed  time.Time
	LastIP    string
	Current   bool // this browser
}

// ActivityRow is one sign-in attempt or lockout event.
type ActivityRow struct {
	At      time.Time
	Outcome string // catalogue id
	Tone    string // badge class: ok, warn, err
	Device  string
	IP      string
	Detail  string
}
