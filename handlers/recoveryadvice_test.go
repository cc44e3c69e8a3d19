package handlers_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// TestReusedRecoveryCodeAdvice: a recovery code typed a second time was answered with
// advice for authenticator codes ("wait for the next code in your app... check your
// phone's time"); someone using a recovery code usually has no app at hand (issue 23,
// item 6). On the web and in the app.
func TestReusedRecoveryCodeAdvice(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ctx := context.Background()
	acme := f.Portal(t, "acme")
	res, err := f.Services.Auth.SignIn(ctx, domain.SignInRequest{Portal: acme, Identifier: "ed.mobile", Password: demoPW, Kind: domain.SessionWeb})
	require.NoError(t, err)
	en, err := f.Services.TwoStep.Begin(ctx, acme, res.Session)
	require.NoError(t, err)
	codes, err := f.Services.TwoStep.Confirm(ctx, acme, res.Session, en.Flow, totpCode(t, en.Secret, f.Clock.Now()), domain.Reauth{Password: demoPW}, "")
	require.NoError(t, err)
	f.Clock.Advance(30 * time.Second)

	first := newBrowser(t, f)
	first.signIn("acme", "ed.mobile", demoPW)
	require.Equal(t, 303, first.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"recovery": {codes[0]}}).status)

	again := newBrowser(t, f)
	again.signIn("acme", "ed.mobile", demoPW)
	p := again.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"recovery": {codes[0]}})
	assert.Equal(t, 401, p.status)
	assert.Contains(t, p.body, "That recovery code is not right, or it was already used: each code works once.")
	assert.NotContains(t, p.body, "next code in your app")
	assert.NotContains(t, p.body, "sets its time")

	app := mobileSignIn(t, f, "ed.mobile", demoPW)
	require.Equal(t, 401, app.status)
	body, _ := json.Marshal(map[string]string{"portal": "acme", "challenge": app.body["challenge"].(string), "recovery_code": codes[0]})
	r := callAPI(t, f, "POST", "/api/mobile/v1/session/two-step", "", string(body))
	assert.Equal(t, 401, r.status)
	assert.Contains(t, r.body["message"], "That recovery code is not right")

}
