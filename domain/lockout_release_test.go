package domain_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// TestBusyPoolLocksNobody: sign-ins refused because the hash pool was saturated (the
// 503 answer) never had their password checked, so they give their reserved attempt
// back. Before, a dozen 503s under load locked out a person typing the right password.
func TestBusyPoolLocksNobody(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.hasher.busy.Store(true)
		for range 12 {
			_, err := e.signIn("eve.employee", "watchpost-demo-2026")
			require.ErrorIs(t, err, domain.ErrBusy)
		}
		e.hasher.busy.Store(false)
		_, err := e.signIn("eve.employee", "watchpost-demo-2026")
		require.NoError(t, err, "a busy server locked out a correct password")

		// The counter is still exact: five real wrong passwords lock, as always.
		e.hasher.busy.Store(true)
		_, err = e.signIn("eve@acme.test", "wrong password here")
		require.ErrorIs(t, err, domain.ErrBusy)
		e.hasher.busy.Store(false)
		for i := 1; i <= 5; i++ {
			_, err = e.signIn("eve.employee", "wrong password here")
			var locked *domain.LockedError
			if i < 5 {
				require.False(t, errors.As(err, &locked), "locked after %d wrong passwords", i)
				require.ErrorIs(t, err, domain.ErrInvalidCredentials)
			} else {
				require.ErrorAs(t, err, &locked, "the fifth wrong password locks")
			}
		}
	})
}
