package emails_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/emails"
)

// TestMessage holds the markup e-mails have always had (mail programs see the same
// structure and inline styles), with everything the mail says escaped: a name with a
// script and quotes in a paragraph, quotes and brackets in a link.
func TestMessage(t *testing.T) {
	t.Parallel()
	html, err := emails.Renderer{}.HTML(context.Background(), domain.Mail{Lang: "fr", Parts: []domain.MailPart{
		{Text: `Bonjour <script>alert("x")</script> O'Neil & co,`},
		{URL: `https://watchpost.example/acme/reset/a"b<c>&d'e`, Text: "Ouvrir le lien", Note: `Ou copiez cette adresse : https://watchpost.example/acme/reset/a"b<c>&d'e`},
	}})
	require.NoError(t, err)
	assert.Equal(t, `<div lang="fr" style="font-family:system-ui,sans-serif;max-width:560px;line-height:1.5;color:#1b2430">`+
		`<p>Bonjour &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Neil &amp; co,</p>`+
		`<p><a href="https://watchpost.example/acme/reset/a&#34;b&lt;c&gt;&amp;d&#39;e" style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Ouvrir le lien</a></p>`+
		`<p style="font-size:13px;color:#555">Ou copiez cette adresse : https://watchpost.example/acme/reset/a&#34;b&lt;c&gt;&amp;d&#39;e</p>`+
		`</div>`, html)
}

// TestMessageRefusesScriptLinks: a link that is not a web address never becomes one a
// reader can click to run a script.
func TestMessageRefusesScriptLinks(t *testing.T) {
	t.Parallel()
	html, err := emails.Renderer{}.HTML(context.Background(), domain.Mail{Lang: "en", Parts: []domain.MailPart{
		{URL: `javascript:alert(1)`, Text: "Open the link", Note: "Or copy this address: javascript:alert(1)"},
	}})
	require.NoError(t, err)
	assert.NotContains(t, html, `href="javascript:`)
}
