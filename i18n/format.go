package i18n

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // portals name IANA zones; embed the database so any machine knows them
)

type zoneKey struct{}

// WithZone returns a context whose times are shown in loc (the portal's time zone).
func WithZone(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, zoneKey{}, loc)
}

// ZoneFromContext is the location WithZone stored, or UTC.
func ZoneFromContext(ctx context.Context) *time.Location {
	if ctx != nil {
		if loc, ok := ctx.Value(zoneKey{}).(*time.Location); ok && loc != nil {
			return loc
		}
	}
	return time.UTC
}

// zones caches loaded locations: time.LoadLocation reads the tz database every call,
// and every request needs its portal's zone.
var zones sync.Map // name -> *time.Location

// LoadZone reads an IANA time zone name ("Europe/Paris", "UTC"); false when the tz
// database does not know it. Local and names that look like paths are refused.
func LoadZone(name string) (*time.Location, bool) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), true
	}
	if name == "" || name == "Local" || len(name) > 64 || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	zones.Store(strings.Clone(name), loc)
	return loc, true
}

// DateTime is a date and time in the context's language and time zone, with the zone
// named: "1 Dec 2026, 19:56 CET", « 1 déc. 2026 à 19:56 (CET) ».
func DateTime(ctx context.Context, t time.Time) string {
	return FromContext(ctx).DateTime(t, ZoneFromContext(ctx))
}

// Date is a date in the context's language and time zone: "1 Dec 2026".
func Date(ctx context.Context, t time.Time) string {
	return FromContext(ctx).Date(t, ZoneFromContext(ctx))
}

// Clock is a time of day in the context's time zone, with the zone named: "19:56 CET".
func Clock(ctx context.Context, t time.Time) string {
	return FromContext(ctx).Clock(t, ZoneFromContext(ctx))
}

// DateTime formats t in loc for l (see the package function DateTime).
func (l Lang) DateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.datetime", "Day", t.Day(), "Month", l.month(t), "Year", t.Year(),
		"Time", t.Format("15:04"), "Zone", ZoneName(t))
}

// Date formats the day of t in loc for l.
func (l Lang) Date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.date", "Day", t.Day(), "Month", l.month(t), "Year", t.Year())
}

// Clock formats the time of day of t in loc for l, with the zone named.
func (l Lang) Clock(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.time", "Time", t.Format("15:04"), "Zone", ZoneName(t))
}

func (l Lang) month(t time.Time) string {
	return l.T("format.month." + strconv.Itoa(int(t.Month())))
}

// ZoneName names t's zone: its abbreviation ("CET", "EST", "UTC"), or the IANA name
// where the tz database has only an offset ("-03" becomes "America/Sao_Paulo").
func ZoneName(t time.Time) string {
	abbr := t.Format("MST")
	if abbr != "" && abbr[0] != '+' && abbr[0] != '-' {
		return abbr
	}
	if name := t.Location().String(); name != "" && name != "Local" {
		return name
	}
	return "UTC" + abbr
}
