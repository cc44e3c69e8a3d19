package bot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/i18n"
)

// TestEscalationOffersAssistedRecovery: when the steps run out, someone who cannot sign
// in is offered "Ask my administrator for help" (in their language) besides the
// administrators' names; a signed-in person is not. (The reply is in the language the
// message is written in, English here.)
func TestEscalationOffersAssistedRecovery(t *testing.T) {
	for _, lang := range []i18n.Lang{"fr", "es"} {
		assert.NotEqual(t, i18n.English.T("bot.escalate.ask_help"), lang.T("bot.escalate.ask_help"), "translated into %s", lang)
	}
	for _, lang := range []i18n.Lang{i18n.English} {
		c := anonymous
		c.Lang = lang
		c.Links.AskHelp = "/p/acme/ask-for-help"
		rs, _ := talk(t, c, "my account is locked, I waited an hour and I also reset my password with forgot password, still locked")
		assert.Equal(t, "contact_admin", rs[0].Node)
		var urls []string
		for _, l := range rs[0].Links {
			urls = append(urls, l.URL)
		}
		assert.Contains(t, urls, "/p/acme/ask-for-help", lang)
		assert.Contains(t, strings.Join(append(rs[0].Steps, rs[0].Text), " "), lang.T("bot.link.ask_help"), lang)
	}
	c := administrator
	c.Links.AskHelp = "/p/acme/ask-for-help"
	rs, _ := talk(t, c, "my account is locked, I waited an hour and I also reset my password with forgot password, still locked")
	for _, l := range rs[0].Links {
		assert.NotEqual(t, "/p/acme/ask-for-help", l.URL, "a signed-in person is not sent to ask for help")
	}
}
