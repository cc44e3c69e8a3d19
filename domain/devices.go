package domain

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/watchpost/watchpost/i18n"
)

// Known devices: a browser or an app install that finished a sign-in (its password and,
// where enrolled, its second step) is remembered for that person. It carries one random
// device token (a cookie, or the app's stored token); the database keeps only its hash,
// with the person. Its failed attempts count in an allowance of its own (see Lockout), so
// someone guessing a guard's password from elsewhere locks only the unknown devices, and
// the guard's own phone still signs in.

// KnownDevice is one device a person signed in from. One browser may be known for
// several people (a shared guard-house computer): the same hash then has one row each.
type KnownDevice struct {
	ID          int64     `bun:",pk,autoincrement"`
	PortalID    int64     `bun:",notnull"`
	UserID      int64     `bun:",notnull"`
	Hash        string    `bun:",notnull"` // SHA-256 of the device token
	Name        string    `bun:",notnull"` // User-Agent, or the app's device name
	FirstUsedAt time.Time `bun:",notnull"`
	LastUsedAt  time.Time `bun:",notnull"`
	LastIP      string    `bun:",notnull"`
}

// DeviceStore keeps known devices.
type DeviceStore interface {
	// DevicesByHash lists the portal's known devices with a token's hash (one per person
	// who signed in from it).
	DevicesByHash(ctx context.Context, portalID int64, hash string) ([]KnownDevice, error)
	// RememberDevice inserts d, or, when the person already has a device with its hash,
	// updates its last use. A person keeps at most keep devices: the least recently used
	// beyond that are forgotten.
	RememberDevice(ctx context.Context, d *KnownDevice, keep int) error
	// UserDevices lists a person's known devices, most recently used first.
	UserDevices(ctx context.Context, portalID, userID int64) ([]KnownDevice, error)
	// DeleteDevice forgets one of a person's devices.
	DeleteDevice(ctx context.Context, portalID, userID, deviceID int64) error
	// DeleteUserDevices forgets every device of a person.
	DeleteUserDevices(ctx context.Context, portalID, userID int64) error
}

// DeviceTokenLife is how long a browser keeps its device token; a device unused for
// Retention.Devices is forgotten sooner.
const DeviceTokenLife = 365 * 24 * time.Hour

// devicesKept is how many devices one person keeps; the least recently used beyond go.
const devicesKept = 20

// deviceKey names a known device's own allowance of failed attempts.
func deviceKey(d *KnownDevice) string {
	return "#device:" + strconv.FormatInt(d.UserID, 10) + ":" + strconv.FormatInt(d.ID, 10)
}

// deviceKeys are the allowances of every device of a person.
func deviceKeys(devices []KnownDevice) []string {
	keys := make([]string, len(devices))
	for i := range devices {
		keys[i] = deviceKey(&devices[i])
	}
	return keys
}

// recogniseDevice finds the known device a token names for user. It runs the same query
// whether or not user is nil (an identifier that names nobody), so that timing tells
// nothing about accounts.
func (e *env) recogniseDevice(ctx context.Context, portalID int64, token string, user *User) (*KnownDevice, error) {
	if !ValidTokenShape(token) {
		return nil, nil
	}
	devices, err := e.store.DevicesByHash(ctx, portalID, HashToken(token))
	if err != nil {
		return nil, err
	}
	for i := range devices {
		if user != nil && devices[i].UserID == user.ID {
			return &devices[i], nil
		}
	}
	return nil, nil
}

// rememberDevice records a finished sign-in's device and returns the token the device
// keeps: the one it came with when it had one (one token per browser, whoever signs in
// on it), else a new one. A person's first sign-in from a device they never used, when
// they have used others, is told by e-mail ("was this you?").
func (e *env) rememberDevice(ctx context.Context, r SignInRequest, user *User, now time.Time) (string, error) {
	token := r.DeviceToken
	if !ValidTokenShape(token) {
		token, _ = NewToken()
	}
	d := &KnownDevice{PortalID: user.PortalID, UserID: user.ID, Hash: HashToken(token), Name: Truncate(strings.ToValidUTF8(r.Device, ""), 200),
		FirstUsedAt: now, LastUsedAt: now, LastIP: r.IP}
	before, err := e.store.UserDevices(ctx, user.PortalID, user.ID)
	if err != nil {
		return "", err
	}
	if err := e.store.RememberDevice(ctx, d, devicesKept); err != nil {
		return "", err
	}
	known := slices.ContainsFunc(before, func(b KnownDevice) bool { return b.Hash == d.Hash })
	if known || len(before) == 0 || user.Disabled {
		return token, nil
	}
	return token, e.notify(ctx, e.store, now, r.Portal, user, user.Email, func(notMe string) Mail {
		l := linkLanguage(ctx, r.Portal, user, 0)
		return newDeviceEmail(l, r.Portal, user, DeviceName(l, d.Name), r.IP, now, notMe)
	})
}

// DeviceName summarises a User-Agent as "Browser on System" in the reader's language.
// A name that is no User-Agent (the app's own device name) is shown as it is.
func DeviceName(l i18n.Lang, ua string) string {
	if !utf8.ValidString(ua) || ua == "" {
		return l.T("account.device.unknown")
	}
	if !strings.Contains(ua, "/") {
		return ua
	}
	browser := firstMatch(ua, []string{"Edg/", "Edge"}, "Edge", []string{"Firefox/"}, "Firefox",
		[]string{"Chrome/", "Chromium/"}, "Chrome", []string{"Safari/"}, "Safari", []string{"curl/"}, "curl")
	system := firstMatch(ua, []string{"Android"}, "Android", []string{"iPhone", "iPad"}, "iOS",
		[]string{"Windows"}, "Windows", []string{"Mac OS X", "Macintosh"}, "macOS", []string{"Linux"}, "Linux")
	switch {
	case browser != "" && system != "":
		return l.T("account.device.browser_on", "Browser", browser, "System", system)
	case browser != "":
		return browser
	case system != "":
		return l.T("account.device.on", "System", system)
	}
	return Truncate(ua, 60)
}

// firstMatch takes pairs of (substrings, name) and returns the first name whose
// substrings appear in s.
func firstMatch(s string, pairs ...any) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, sub := range pairs[i].([]string) {
			if strings.Contains(s, sub) {
				return pairs[i+1].(string)
			}
		}
	}
	return ""
}
