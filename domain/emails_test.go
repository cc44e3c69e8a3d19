package domain_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/emails"
)

// TestEveryEmailInEveryLanguage renders each e-mail, in each of its wordings, in each
// language, as the outbox stores it: every placeholder filled, the language said, and
// what a person named (a name, a link) escaped in the HTML.
func TestEveryEmailInEveryLanguage(t *testing.T) {
	t.Parallel()
	const name = `Eve <script>alert("x")</script> O'Neil`
	const link = `https://watchpost.example/acme/reset/a"b<c>'d`
	for _, l := range append(i18n.Supported, i18n.Pseudo) {
		kinds := map[string]bool{}
		for _, mail := range domain.EveryEmail(l, name, link) {
			kinds[mail.Category] = true
			m, err := mail.Email(context.Background(), emails.Renderer{})
			require.NoError(t, err)
			what := string(l) + " " + m.Category + " " + m.Subject
			for _, s := range []string{m.Subject, m.Text, m.HTML} {
				assert.NotContains(t, s, "<no value>", what)
				assert.NotContains(t, s, "{{", what)
			}
			assert.NotEmpty(t, strings.TrimSpace(m.Text), what)
			assert.True(t, strings.HasPrefix(m.HTML, `<div lang="`+string(l)+`" style=`), what)
			assert.NotContains(t, m.HTML, "<script", what)
			assert.NotContains(t, m.HTML, `a"b`, what)
			assert.NotContains(t, m.HTML, "O'Neil", what)
			if strings.Contains(m.Text, link) {
				assert.Contains(t, m.HTML, `<a href="https://watchpost.example/acme/reset/a&#34;b&lt;c&gt;&#39;d" style=`, what)
			}
		}
		assert.Len(t, kinds, 20, "%s: every kind of e-mail", l)
	}
}

// TestMailWithoutRenderer: services built without an HTML renderer send plain text.
func TestMailWithoutRenderer(t *testing.T) {
	t.Parallel()
	m, err := domain.EveryEmail(i18n.English, "Eve", "https://watchpost.example/acme/reset/x")[0].Email(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, m.HTML)
	assert.Contains(t, m.Text, "\n\nhttps://watchpost.example/acme/reset/x\n\n")
}
