package domain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// Issue 21, item 12: requests for one person from nine addresses used up the
// per-identifier ceiling (10 per 15 minutes), so the person's own requests sent nothing
// for the rest of the window. Past the ceiling, one e-mail per identifier still goes
// every few minutes.
func TestResetFloodDoesNotSilenceTheOwner(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for i := range 27 {
			require.NoError(t, e.svc.Reset.Request(ctx, e.acme, "eve.employee", fmt.Sprintf("198.51.100.%d", 1+i/3)))
		}
		flood := len(e.mail(t, "reset"))
		assert.LessOrEqual(t, flood, 11, "the ceiling still bounds the mail one account receives")
		e.clock.Advance(5 * time.Minute)
		require.NoError(t, e.svc.Reset.Request(ctx, e.acme, "eve.employee", "203.0.113.5"))
		assert.Equal(t, flood+1, len(e.mail(t, "reset")), "the owner's own request still sends a link")
		require.NoError(t, e.svc.Reset.Request(ctx, e.acme, "eve.employee", "203.0.113.5"))
		assert.Equal(t, flood+1, len(e.mail(t, "reset")), "one per few minutes, no more")
	})
}

// Issue 21, item 15: Unicode format characters (category Cf: bidi overrides, zero-width
// space) in a name show people a name other than the one stored.
func TestNamesRejectFormatCharacters(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for _, name := range []string{"Eve \u202eresU nimdA", "Ad\u200bmin", "Eve\u2066x\u2069", "Max\u00adManager", "Bom\ufeff"} {
			_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, e.user(t, "ada.admin"),
				domain.ProfileInput{DisplayName: name, Username: "cf.name", Email: "cf@acme.test", Role: domain.RoleEmployee, Generate: true}, "")
			assert.Contains(t, fieldErr(t, err, "display_name"), "invisible formatting characters", "%q", name)
		}
		_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, e.user(t, "ada.admin"),
			domain.ProfileInput{DisplayName: "Mehr\u200cdad Nāṣir", Username: "zwnj.name", Email: "zwnj@acme.test", Role: domain.RoleEmployee, Generate: true}, "")
		assert.NoError(t, err, "a zero-width non-joiner spells Persian names")
	})
}
