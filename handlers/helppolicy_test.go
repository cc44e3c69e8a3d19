package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/bot"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server/servertest"
	pageviews "github.com/watchpost/watchpost/views/pages"
)

// TestHelpSpeaksThePortalsPolicy: changing a portal's lockout minutes changes what the
// assistant and that portal's help article say.
func TestHelpSpeaksThePortalsPolicy(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	anon := newBrowser(t, f)
	assert.Contains(t, anon.get("/acme/help?topic=lockout").body, "about 15 minutes")
	assert.Contains(t, anon.get(articlePath+"?portal=acme").body, "locked for about 15 minutes")

	form := url.Values{"max_failed_attempts": {"5"}, "failure_window_minutes": {"15"}, "lockout_minutes": {"25"},
		"history_depth": {"7"}, "min_length": {"14"}, "reset_link_minutes": {"30"}, "temp_password_hours": {"48"}, "audit_retention_days": {"400"}, "admin_contact": {"IT desk, it@acme.example"}}
	require.Equal(t, 303, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)

	help := anon.get("/acme/help?topic=lockout").body
	assert.Contains(t, help, "about 25 minutes")
	assert.NotContains(t, help, "15 minutes")
	article := anon.get(articlePath + "?portal=acme").body
	assert.Contains(t, article, "locked for about 25 minutes")
	assert.Contains(t, article, "last 7 passwords")
	assert.Contains(t, article, "within 30 minutes")
	assert.Contains(t, article, "expires after 48 hours")
	assert.Contains(t, anon.get(articlePath).body, "locked for about 15 minutes", "without a portal: the defaults")

	// The API says the same.
	r := callAPI(t, f, "POST", "/api/help/messages", "", `{"portal":"acme","text":"my account is locked, too many attempts"}`)
	assert.Contains(t, r.body["reply"], "25 minutes")
}

// TestMobileHelpFitsTheSignedInPerson: the app's help sends its bearer token, so an
// Account Manager asking how to reset someone's password is told first that their role
// lacks the permission, and who can grant it.
func TestMobileHelpFitsTheSignedInPerson(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	signIn := mobileSignIn(t, f, "amy.accounts", demoPW)
	require.Equal(t, 201, signIn.status, signIn.body)
	token, _ := signIn.body["token"].(string)
	require.NotEmpty(t, token)
	body := `{"portal":"acme","text":"how do I reset an employee's password"}`
	r := callAPI(t, f, "POST", "/api/help/messages", token, body)
	assert.Equal(t, "no_permission", r.body["topic"])
	assert.Contains(t, r.body["reply"], "Account Manager")
	assert.Contains(t, r.body["steps"], "Ask one of your administrators (Ada Admin) to reset the password, or to add the permission to your role.")
	anon := callAPI(t, f, "POST", "/api/help/messages", "", body)
	assert.NotContains(t, fmt.Sprint(anon.body), "Ada Admin", "anonymous askers learn no names")
	forged := callAPI(t, f, "POST", "/api/help/messages", "not-a-token", body)
	assert.Equal(t, 200, forged.status)
	assert.NotContains(t, fmt.Sprint(forged.body), "Ada Admin")
}

// TestHelpStepsNameControlsThatExist renders each page a step names and checks that
// every control the assistant names is on it, as the page names it.
func TestHelpStepsNameControlsThatExist(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	anon := newBrowser(t, f)
	employees := ada.get("/acme/admin/employees").body
	profilePage := ada.get(firstProfile(t, employees)).body
	pages := map[string]string{
		"CtlForgot":        anon.get("/acme/sign-in").body,
		"CtlEmployees":     employees,
		"CtlNewProfile":    employees,
		"CtlCreateProfile": ada.get("/acme/admin/employees/new").body,
		"CtlForceChange":   profilePage,
		"CtlSecurity":      profilePage,
		"CtlSetPassword":   profilePage,
		"CtlSendReset":     profilePage,
		"CtlChangeEmail":   profilePage,
	}
	for i := range 5 {
		anon.signIn("acme", "eve.employee", fmt.Sprintf("wrong-guess-%d", i))
	}
	pages["CtlUnlock"] = ada.get(profile(t, f, "acme", "eve.employee")).body
	var code strings.Builder
	require.NoError(t, pageviews.TwoStepCode(pageviews.TwoStepCodeVM{}).Render(context.Background(), &code))
	pages["CtlLostPhone"], pages["CtlRecoverySignIn"] = code.String(), code.String()
	for name, id := range bot.Controls {
		label := i18n.English.T(id)
		switch name {
		case "CtlResetTwoStep":
			// Shown only on an enrolled person's profile; the label is the page's own key.
			continue
		}
		page, ok := pages[name]
		require.True(t, ok, "no page for control %s", name)
		assert.Contains(t, strings.ReplaceAll(page, "&#39;", "'"), label, "%s (%q) on its page", name, label)
	}
}

func firstProfile(t *testing.T, employees string) string {
	t.Helper()
	i := strings.Index(employees, `href="/acme/admin/employees/`)
	require.GreaterOrEqual(t, i, 0)
	rest := employees[i+len(`href="`):]
	path := rest[:strings.Index(rest, `"`)]
	if strings.HasSuffix(path, "/new") {
		j := strings.Index(rest, `href="/acme/admin/employees/`)
		require.GreaterOrEqual(t, j, 0)
		rest = rest[j+len(`href="`):]
		path = rest[:strings.Index(rest, `"`)]
	}
	return path
}

// TestHelpNeverShowsASecretBack: a message that holds a password is answered with a
// warning, and neither the API nor the page shows it again.
func TestHelpNeverShowsASecretBack(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	r := callAPI(t, f, "POST", "/api/help/messages", "", `{"portal":"acme","text":"correct horse battery staple is my password"}`)
	assert.NotContains(t, fmt.Sprint(r.body), "horse")
	assert.NotEmpty(t, r.body["hidden"])
	assert.Contains(t, r.body["reply"], "don't type passwords here")
	plain := callAPI(t, f, "POST", "/api/help/messages", "", `{"portal":"acme","text":"it says the password was used before"}`)
	assert.Empty(t, plain.body["hidden"], "not a secret")
	assert.Equal(t, "password_reuse", plain.body["topic"])

	b := newBrowser(t, f)
	p := b.post("/acme/help", "/acme/help", url.Values{"text": {"correct horse battery staple is my password"}})
	assert.NotContains(t, p.body, "horse")
	assert.Contains(t, p.body, "Not shown")
}

// TestHelpSpeaksThePagesLanguage: on a French page the assistant answers in French
// from its first turn, numbers and control names included.
func TestHelpSpeaksThePagesLanguage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	p := b.get("/acme/help?topic=lockout", "Accept-Language", "fr-FR,fr;q=0.9")
	assert.Contains(t, p.body, "Compte verrouillé")
	assert.Contains(t, p.body, "environ 15 minutes")
	es := b.get("/acme/help?topic=forgot_password", "Accept-Language", "es")
	assert.Contains(t, es.body, "Contraseña olvidada")
	assert.Contains(t, es.body, i18n.Spanish.T("pages.signin.forgot_password"))
}

// TestHelpAPIAsksForFeedbackOnlyAtTheEnd: the app's help asks "Was this helpful?" once a
// flow ends, in the answer's language.
func TestHelpAPIAsksForFeedbackOnlyAtTheEnd(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	first := callAPI(t, f, "POST", "/api/help/messages", "", `{"portal":"acme","text":"mon compte est verrouillé, trop de tentatives"}`)
	assert.Nil(t, first.body["feedback"])
	conv, _ := first.body["conversation"].(string)
	end := callAPI(t, f, "POST", "/api/help/messages", "", `{"portal":"acme","conversation":"`+conv+`","choice":"lockout/escalate"}`)
	fb, _ := end.body["feedback"].(map[string]any)
	require.NotNil(t, fb, "%v", end.body)
	assert.Equal(t, "Cela vous a-t-il aidé ?", fb["question"])
}
