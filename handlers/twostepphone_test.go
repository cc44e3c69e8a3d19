package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// TestTwoStepSetupOnAPhone: on a phone the QR code is on the screen that would have to
// scan it. The setup offers the otpauth:// address as a link and the key to copy; the
// recovery codes can be printed and copied beside the download (issue 23, item 8).
func TestTwoStepSetupOnAPhone(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	require.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)
	page := eve.get("/acme/account/two-step")
	require.Equal(t, 200, page.status)
	secret := regexp.MustCompile(`data-secret="([A-Z2-7]+)"`).FindStringSubmatch(page.body)
	require.NotNil(t, secret)
	link := regexp.MustCompile(`<a class="btn" id="two-step-open-app" href="(otpauth://totp/[^"]+)" hx-boost="false">Open in authenticator app</a>`).FindStringSubmatch(page.body)
	require.NotNil(t, link, "a link opens the key in the app")
	assert.Contains(t, link[1], "secret="+secret[1])
	assert.Contains(t, page.body, `data-copy-text="`+secret[1]+`"`, "the key is copied without its reading spaces")
	assert.Contains(t, page.body, `data-copy="#two-step-secret"`)

	flow := flowRe.FindStringSubmatch(page.body)
	require.NotNil(t, flow, "the form names its enrolment flow")
	ok := eve.post("/acme/account", "/acme/account/two-step", url.Values{"flow": {flow[1]}, "code": {totpCode(t, secret[1], f.Clock.Now())}, "reauth-password": {demoPW}})
	require.Equal(t, 200, ok.status)
	codes := recoveryRe.FindAllStringSubmatch(ok.body, -1)
	require.Len(t, codes, 10)
	var list []string
	for _, c := range codes {
		list = append(list, c[1])
	}
	assert.Contains(t, ok.body, `data-copy-text="`+strings.Join(list, "\n")+`"`, "copied one code a line")
	assert.Contains(t, ok.body, `id="recovery-print" data-print>Print</button>`)
	assert.Contains(t, ok.body, `id="recovery-copy" data-copy="#recovery-list"`)
	f.Clock.Advance(30 * time.Second)
}
