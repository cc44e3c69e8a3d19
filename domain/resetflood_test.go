package domain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 21, item 12: requests for one person from nine addresses used up the
// per-identifier ceiling (10 per 15 minutes), so the person's own requests sent nothing
// for the rest of the window. Past the ceiling, one e-mail per identifier still goes
// every few minutes.
func TestResetFloodDoesNotSilenceTheOwner(t *testing.T) {
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
