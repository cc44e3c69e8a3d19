package config_test

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/domain"
)

const goodKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" // 32 bytes

func valid() config.Config {
	c := config.Default()
	c.HTTP.BaseURL = "https://portal.example"
	return c
}

// Validate refuses each bad setup with a message naming the flag to fix.
func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*config.Config)
		want   string // "" : valid
	}{
		{"defaults", func(*config.Config) {}, ""},
		{"json logs", func(c *config.Config) { c.Log.Format = "json" }, ""},
		{"log format", func(c *config.Config) { c.Log.Format = "xml" }, `--log-format must be text or json, not "xml"`},
		{"no database", func(c *config.Config) { c.Database.URL = "" }, "--database is empty"},
		{"base URL without scheme", func(c *config.Config) { c.HTTP.BaseURL = "portal.example" }, "--base-url must be an absolute http:// or https:// address"},
		{"base URL other scheme", func(c *config.Config) { c.HTTP.BaseURL = "ftp://portal.example" }, "--base-url must be"},
		{"base URL with query", func(c *config.Config) { c.HTTP.BaseURL = "https://portal.example/?x=1" }, "--base-url must be"},
		{"base URL with path", func(c *config.Config) { c.HTTP.BaseURL = "https://example.com/watchpost" }, ""},
		{"base URL on any address", func(c *config.Config) { c.HTTP.BaseURL = "http://:8080" }, ""},
		{"proxy header alone", func(c *config.Config) { c.HTTP.ProxyHeader = "X-Real-IP" }, "a proxy header (X-Real-IP) needs the trusted proxies' addresses (--trusted-proxies)"},
		{"proxy header and proxies", func(c *config.Config) {
			c.HTTP.ProxyHeader, c.HTTP.TrustedProxies = "X-Real-IP", []string{"10.0.0.1", "10.1.0.0/16", "::1"}
		}, ""},
		{"bad proxy", func(c *config.Config) {
			c.HTTP.ProxyHeader, c.HTTP.TrustedProxies = "X-Real-IP", []string{"10.0.0.1", "proxy.internal"}
		}, `--trusted-proxies: "proxy.internal" is neither an address nor a CIDR range`},
		{"negative drain", func(c *config.Config) { c.HTTP.Drain = -time.Second }, "--drain must not be negative"},
		{"SMTP without sender", func(c *config.Config) { c.Mail.SMTPURL, c.Mail.From = "smtp://mail.example:587", " " }, "--mail-from is empty"},
		{"key", func(c *config.Config) { c.Security.TwoStepKey = goodKey }, ""},
		{"URL-safe key", func(c *config.Config) { c.Security.TwoStepKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" }, ""},
		{"short key", func(c *config.Config) { c.Security.TwoStepKey = "AAECAwQF" }, "must be 32 bytes in base64"},
		{"key not base64", func(c *config.Config) { c.Security.TwoStepKey = "not a key at all, just words" }, "must be 32 bytes in base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tc.change(&c)
			err := c.Validate()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// Every problem is told at once.
func TestValidateTellsEveryProblem(t *testing.T) {
	t.Parallel()
	c := valid()
	c.Log.Format, c.Security.TwoStepKey = "xml", "short"
	err := c.Validate()
	assert.ErrorContains(t, err, "--log-format")
	assert.ErrorContains(t, err, "--two-step-key")
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// Load takes a flag over its environment variable over the default, and fills what
// follows from other settings.
func TestLoad(t *testing.T) {
	t.Parallel()
	c, err := config.Load("serve", nil, env(nil), nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", c.HTTP.Addr)
	assert.Equal(t, "http://127.0.0.1:8080", c.HTTP.BaseURL, "the base URL follows the address")
	assert.Equal(t, config.DefaultDatabase, c.Database.URL)
	assert.Equal(t, "Watchpost <no-reply@watchpost.local>", c.Mail.From)
	assert.Equal(t, "text", c.Log.Format)
	assert.Equal(t, domain.DefaultRetention(), c.Retention)
	assert.True(t, c.Demo && c.Dev, "the embedded default database is the demo")

	vars := map[string]string{
		"DATABASE_URL": "postgres://db.example/watchpost", "WATCHPOST_ADDR": "0.0.0.0:9000",
		"WATCHPOST_TRUSTED_PROXIES": " 10.0.0.1, ,10.2.0.0/16", "WATCHPOST_PROXY_HEADER": "X-Real-IP",
		"WATCHPOST_KEEP_LINKS": "3h", "WATCHPOST_KEEP_HELP": "soon", "WATCHPOST_DRAIN": "5s",
		"WATCHPOST_LOG_FORMAT": "json", "WATCHPOST_TWO_STEP_KEY": goodKey,
	}
	c, err = config.Load("serve", []string{"--addr", "0.0.0.0:9100", "--keep-sessions", "2h"}, env(vars), nil)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:9100", c.HTTP.Addr, "a flag wins over its variable")
	assert.Equal(t, "http://0.0.0.0:9100", c.HTTP.BaseURL)
	assert.Equal(t, "postgres://db.example/watchpost", c.Database.URL)
	assert.Equal(t, []string{"10.0.0.1", "10.2.0.0/16"}, c.HTTP.TrustedProxies)
	assert.Equal(t, 2*time.Hour, c.Retention.Sessions)
	assert.Equal(t, 3*time.Hour, c.Retention.Links)
	assert.Equal(t, domain.DefaultRetention().Help, c.Retention.Help, "an unreadable duration keeps the default")
	assert.Equal(t, 5*time.Second, c.HTTP.Drain)
	assert.Equal(t, "json", c.Log.Format)
	assert.Equal(t, goodKey, c.Security.TwoStepKey)
	assert.False(t, c.Demo || c.Dev, "a production database is no demo")

	c, err = config.Load("serve", []string{"--trusted-proxies", "192.0.2.1"}, env(vars), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"192.0.2.1"}, c.HTTP.TrustedProxies)

	_, err = config.Load("serve", []string{"--log-format", "xml"}, env(nil), nil)
	assert.ErrorContains(t, err, "--log-format must be text or json")
}

// A command adds its own flags beside the common ones.
func TestLoadExtraFlags(t *testing.T) {
	t.Parallel()
	var code string
	c, err := config.Load("portal create", []string{"--code", "initech", "--database", "w.db"}, env(nil), func(fs *flag.FlagSet) {
		fs.SetOutput(io.Discard)
		fs.StringVar(&code, "code", "", "portal code")
	})
	require.NoError(t, err)
	assert.Equal(t, "initech", code)
	assert.Equal(t, "w.db", c.Database.URL)
	assert.False(t, c.Demo, "only serve seeds the embedded database")
}
