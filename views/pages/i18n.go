package pages

import (
	"context"

	"github.com/watchpost/watchpost/i18n"
)

// RoleName shows a role's name in the reader's language: the seeded roles
// (Administrator, Manager...) are translated, roles a portal named itself are shown as
// named.
func RoleName(ctx context.Context, name string) string {
	if id := "common.role." + name; i18n.Has(id) {
		return i18n.T(ctx, id)
	}
	return name
}

// CommonZones are suggested in the policy screen's time zone field; any IANA name is
// accepted.
var CommonZones = []string{
	"UTC", "America/St_Johns", "America/Halifax", "America/Toronto", "America/New_York", "America/Chicago",
	"America/Winnipeg", "America/Denver", "America/Edmonton", "America/Phoenix", "America/Vancouver",
	"America/Los_Angeles", "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago",
	"America/Argentina/Buenos_Aires", "America/Sao_Paulo", "Europe/London", "Europe/Dublin", "Europe/Lisbon",
	"Europe/Madrid", "Europe/Paris", "Europe/Brussels", "Europe/Berlin", "Africa/Casablanca", "Africa/Abidjan",
	"Africa/Dakar", "Pacific/Honolulu", "Australia/Sydney",
}
