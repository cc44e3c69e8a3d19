package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/server"
	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// Issue 21, item 9: reset and set-password links sat in clear text in outbox_messages
// while their e-mail waited. Bodies are now sealed with a key kept outside the database
// (derived from --two-step-key) and opened only to send or show them.
func TestPendingMailBodiesAreSealed(t *testing.T) {
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.URL(t)})
			ctx := context.Background()
			require.NoError(t, f.Services.Reset.Request(ctx, f.Portal(t, "acme"), "eve.employee", "192.0.2.1"))

			var bodies []string
			require.NoError(t, f.DB.NewRaw(`SELECT text_body || html_body FROM outbox_messages WHERE category = 'reset'`).Scan(ctx, &bodies))
			require.Len(t, bodies, 1)
			assert.NotContains(t, bodies[0], "/acme/reset/", "no live link in the database")
			assert.True(t, strings.HasPrefix(bodies[0], "sealed:v1:"))

			mail := f.Mail(t)
			require.NotEmpty(t, mail)
			assert.Contains(t, mail[0].TextBody, "/acme/reset/", "the sender and the development mailbox read it")
		})
	}
}

// Issue 21, item 9: PostgreSQL, which several instances share, refuses to start without
// --two-step-key rather than generate the key into the database it protects.
func TestPostgresNeedsTwoStepKey(t *testing.T) {
	c := config.Default()
	c.Database.URL, c.HTTP.BaseURL = storetest.PostgresURL(t), "http://127.0.0.1:1"
	_, err := server.New(context.Background(), server.Config{Config: c})
	require.ErrorIs(t, err, server.ErrNoTwoStepKey)
	assert.Contains(t, err.Error(), "--two-step-key")
}
