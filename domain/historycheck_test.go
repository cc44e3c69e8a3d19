package domain_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// Issue 14: the live history hint compares only the session's own account, only once the
// other rules pass, and a bounded number of times per minute.
func TestCheckHistoryLive(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		res, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		sess, err := e.svc.Auth.Session(ctx, res.Token, domain.SessionWeb)
		require.NoError(t, err)
		check := func(pw string, ready bool) domain.HistoryState {
			st, err := e.svc.Passwords.CheckHistoryLive(ctx, e.acme, sess, pw, ready)
			require.NoError(t, err)
			return st
		}
		assert.Equal(t, domain.HistoryReused, check(demoPW, true))
		assert.Equal(t, domain.HistoryNew, check("copper-kettle-midnight-harbour", true))
		assert.Equal(t, domain.HistoryUnchecked, check(demoPW, false), "not before the other rules pass")
		st, err := e.svc.Passwords.CheckHistoryLive(ctx, e.globex, sess, demoPW, true)
		require.NoError(t, err)
		assert.Equal(t, domain.HistoryUnchecked, st, "another portal's page learns nothing")
		for range domain.LiveHistoryChecks {
			check(demoPW, true)
		}
		before := e.hasher.verifies.Load()
		assert.Equal(t, domain.HistoryUnchecked, check(demoPW, true), "the checks of a minute are used up")
		assert.Equal(t, before, e.hasher.verifies.Load(), "no hashing once used up")
		e.clock.Advance(61 * time.Second)
		assert.Equal(t, domain.HistoryReused, check(demoPW, true), "a new minute")
	})
}
