package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/config"
)

// TestPortalCreate runs the CLI: a new portal prints a one-time set-password link for its
// first administrator; a taken code and bad input are refused with a clear message.
func TestPortalCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.db")
	out := capture(t, func() error {
		return run([]string{"portal", "create", "--code", "initech", "--name", "Initech Security", "--admin-email", "Boss@Initech.test", "--database", db, "--base-url", "https://portal.example"})
	})
	assert.Contains(t, out, `Portal "initech" created`)
	assert.Regexp(t, `https://portal\.example/initech/reset/[A-Za-z0-9_-]{43}`, out)

	err := run([]string{"portal", "create", "--code", "initech", "--name", "Again", "--admin-email", "a@b.test", "--database", db})
	assert.ErrorContains(t, err, "already exists")
	err = run([]string{"portal", "create", "--code", "ok-code", "--name", "X", "--admin-email", "nope", "--database", db})
	assert.ErrorContains(t, err, "--admin-email: Enter a valid e-mail address")
	assert.Error(t, run([]string{"portal", "delete"}))
}

func capture(t *testing.T, fn func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdout
	os.Stdout = w
	runErr := fn()
	os.Stdout = old
	require.NoError(t, w.Close())
	b, _ := io.ReadAll(r)
	require.NoError(t, runErr)
	return strings.TrimSpace(string(b))
}

// TestDevelopmentModeOnlyWhenAsked: the development mailbox comes with the embedded demo
// default or --dev, never with a production configuration (issue 11, item 1).
func TestDevelopmentModeOnlyWhenAsked(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("WATCHPOST_DEV", "")
	for _, tc := range []struct {
		args []string
		dev  bool
	}{
		{nil, true}, // go run .: embedded default, demo data, mailbox
		{[]string{"--database", "postgres://db.example/watchpost"}, false},
		{[]string{"--database", "/var/lib/watchpost/w.db"}, false},
		{[]string{"--database", "postgres://db.example/watchpost", "--demo"}, false},
		{[]string{"--database", "postgres://db.example/watchpost", "--dev"}, true},
	} {
		o, err := config.Load("serve", tc.args, os.Getenv, nil)
		require.NoError(t, err)
		assert.Equal(t, tc.dev, o.Dev, "%v", tc.args)
	}
}
