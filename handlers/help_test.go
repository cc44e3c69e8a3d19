package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

func askHelp(t *testing.T, f *servertest.Fixture, msg map[string]string) apiResp {
	t.Helper()
	b, err := json.Marshal(msg)
	require.NoError(t, err)
	return callAPI(t, f, "POST", "/api/help/messages", "", string(b))
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func options(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// storedStates returns every conversation state saved in the database.
func storedStates(t *testing.T, f *servertest.Fixture) []string {
	t.Helper()
	var rows []domain.HelpConversation
	require.NoError(t, f.Store.DB().NewSelect().Model(&rows).Scan(context.Background()))
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID + " " + r.State
	}
	return out
}

func TestHelpAPI(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.Migrated(t)})

			r := askHelp(t, f, map[string]string{"text": "I'm locked out of my account after too many tries", "portal": "acme"})
			require.Equal(t, 200, r.status, "%v", r.body)
			assert.Equal(t, "lockout", r.body["topic"])
			assert.Contains(t, r.body["reply"], "15 minutes")
			assert.NotEmpty(t, strs(r.body["steps"]))
			opts := options(r.body["options"])
			require.NotEmpty(t, opts)
			assert.Equal(t, "Still not working", opts[1]["label"])
			conv := r.body["conversation"].(string)
			assert.True(t, domain.ValidTokenShape(conv), "conversation id %q", conv)
			assert.NotNil(t, r.body["links"], "links is a list, never null")

			// A button press continues the flow of the same conversation.
			next := askHelp(t, f, map[string]string{"choice": opts[1]["value"].(string), "conversation": conv, "portal": "acme"})
			require.Equal(t, 200, next.status)
			assert.Equal(t, conv, next.body["conversation"])
			assert.Equal(t, "lockout", next.body["topic"])
			assert.Contains(t, next.body["reply"], "Step 2")
			assert.Contains(t, strings.Join(strs(next.body["steps"]), " "), "Forgot password?")
			assert.Contains(t, next.body["links"], map[string]any{"label": "Forgot password?", "url": "/acme/forgot-password"})

			// A conversation belongs to its portal: elsewhere it starts afresh.
			other := askHelp(t, f, map[string]string{"choice": opts[1]["value"].(string), "conversation": conv, "portal": "globex"})
			require.Equal(t, 200, other.status)
			assert.NotEqual(t, conv, other.body["conversation"], "globex's conversation is a new one")

			// Opening on a topic, as the mobile app does.
			app := askHelp(t, f, map[string]string{"topic": "mobile_app", "portal": "acme"})
			assert.Equal(t, "mobile_app", app.body["topic"])
			assert.NotEmpty(t, options(app.body["options"]))

			// A secret gets a warning, and its text is never stored.
			secret := askHelp(t, f, map[string]string{"text": "my password is Hunter2-secret-99", "portal": "acme"})
			require.Equal(t, 200, secret.status)
			assert.Contains(t, secret.body["reply"], "don't type passwords")
			states := storedStates(t, f)
			require.Len(t, states, 4)
			for _, s := range states {
				assert.NotContains(t, s, "Hunter2")
				assert.NotContains(t, s, "locked out of my account", "typed text is never stored")
			}
		})
	}
}

func TestHelpAPIBadInput(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	for name, body := range map[string]string{"syntax": `{"text":`, "unknown field": `{"txt":"hi"}`, "wrong type": `{"text":5}`} {
		r := callAPI(t, f, "POST", "/api/help/messages", "", body)
		assert.Equal(t, 400, r.status, name)
		assert.Equal(t, "bad_json", r.body["error"], name)
		assert.NotEmpty(t, r.body["message"], name)
	}
	b := newBrowser(t, f)
	assert.Equal(t, 415, b.postRaw("/api/help/messages", "text/plain", `{"text":"hi"}`).status)

	long := askHelp(t, f, map[string]string{"text": strings.Repeat("a", 2001)})
	assert.Equal(t, 400, long.status)
	assert.Equal(t, "text_too_long", long.body["error"])
	assert.Contains(t, long.body["message"], "2,000 characters")
	assert.Equal(t, 200, askHelp(t, f, map[string]string{"text": strings.Repeat("é", 2000)}).status, "2,000 characters is fine, however many bytes")

	// An unknown portal is no portal: generic wording, no portal links.
	r := askHelp(t, f, map[string]string{"text": "I forgot my password", "portal": "nosuch"})
	require.Equal(t, 200, r.status)
	assert.Equal(t, "forgot_password", r.body["topic"])
	assert.NotContains(t, r.body["reply"], "Acme")
}

// askHelpIn sends one message with a language, as the app does.
func askHelpIn(t *testing.T, f *servertest.Fixture, lang string, msg map[string]string) apiResp {
	t.Helper()
	b, err := json.Marshal(msg)
	require.NoError(t, err)
	req, err := http.NewRequest("POST", f.URL+"/api/help/messages", strings.NewReader(string(b)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", lang)
	resp, err := servertest.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out := apiResp{status: resp.StatusCode, body: map[string]any{}}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out.body))
	return out
}

// TestHelpRateLimit: the limit is per conversation, so guards on a site's shared
// connection do not run out together; one address has a generous ceiling over all its
// conversations; the notice is in the person's language. (On the old per-address limit
// of 30, the second conversation below was refused, and the notice was English.)
func TestHelpRateLimit(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	conv := ""
	for i := range 30 {
		r := askHelpIn(t, f, "fr", map[string]string{"text": "bonjour", "conversation": conv})
		require.Equal(t, 200, r.status, "message %d", i+1)
		conv = r.body["conversation"].(string)
	}
	r := askHelpIn(t, f, "fr", map[string]string{"text": "bonjour", "conversation": conv})
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "rate_limited", r.body["error"])
	assert.Contains(t, r.body["message"], "Attendez une minute")

	// Another guard on the same connection starts a conversation: answered.
	other := askHelpIn(t, f, "es", map[string]string{"text": "olvidé mi contraseña"})
	assert.Equal(t, 200, other.status, "another conversation from the same address")

	// The web form keeps to the same limits and says so in the chat, in French.
	b := newBrowser(t, f)
	b.post("/help", "/language", url.Values{"lang": {"fr"}, "next": {"/help"}})
	convID := ""
	for i := range 31 {
		p := b.post("/help", "/help", url.Values{"text": {"bonjour"}, "conversation": {convID}})
		if m := convRe.FindStringSubmatch(p.body); m != nil {
			convID = m[1]
		}
		if i < 30 {
			require.Equal(t, 200, p.status, "form message %d", i+1)
			continue
		}
		assert.Equal(t, 429, p.status)
		assert.Contains(t, p.body, "plus vite que je ne peux répondre")
	}

	// The ceiling per address over all conversations.
	f.Services.Help.PerAddress = 70 // 30 + 1 + 1 + 31 sent so far
	for range 7 {
		assert.Equal(t, 200, askHelp(t, f, map[string]string{"text": "hello"}).status)
	}
	assert.Equal(t, 429, askHelp(t, f, map[string]string{"text": "hello"}).status, "over the address's ceiling")

	f.Clock.Advance(61e9)
	assert.Equal(t, 200, askHelp(t, f, map[string]string{"text": "hello"}).status, "a new minute, a new allowance")
}

var (
	convRe  = regexp.MustCompile(`name="conversation" value="([^"]*)"`)
	labelRe = regexp.MustCompile(`name="choice" value="([^"]+)">Still not working<`)
)

func TestHelpChatWithoutJavaScript(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)

	// The sign-in page's lockout link opens the lockout steps.
	p := b.get("/acme/help?topic=lockout")
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "<!doctype html>")
	assert.Contains(t, p.body, "A reset ends the lock at once")
	assert.Contains(t, p.body, `aria-live="polite"`)
	assert.Contains(t, p.body, `<label for="help-text">`)
	assert.Contains(t, p.body, `href="/assets/css/help.css?v=`)
	assert.Empty(t, storedStates(t, f), "opening the page stores nothing")
	choice := labelRe.FindStringSubmatch(p.body)
	require.NotNil(t, choice, "a Done button")
	assert.Equal(t, "lockout/lock_reset_or_wait/still_failing|Still not working", choice[1])

	// Pressing the button is a plain form post that re-renders the page.
	p = b.post("/acme/help?topic=lockout", "/acme/help", url.Values{"choice": {choice[1]}, "conversation": {""}, "topic": {"lockout"}})
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "<!doctype html>")
	assert.Contains(t, p.body, "Still not working</p>", "the pressed button is shown as the user's message")
	assert.Contains(t, p.body, "Step 2:")
	assert.Contains(t, p.body, `href="/acme/forgot-password"`)
	conv := convRe.FindStringSubmatch(p.body)
	require.NotNil(t, conv)
	require.True(t, domain.ValidTokenShape(conv[1]))

	// Typed replies continue the same conversation.
	p = b.post("/acme/help", "/acme/help", url.Values{"text": {"I'm on the mobile app"}, "conversation": {conv[1]}})
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "I&#39;m on the mobile app</p>")
	assert.Contains(t, p.body, "no Forgot password? link")
	assert.Contains(t, p.body, `value="`+conv[1]+`"`)

	// A button from an earlier answer still works: its value names the step.
	p = b.post("/acme/help", "/acme/help", url.Values{"choice": {"lockout/open_forgot/still_failing|Still not working"}, "conversation": {conv[1]}})
	assert.Contains(t, p.body, "Look for the reset e-mail")
}

// postHTMX posts a form the way htmx does.
func (b *browser) postHTMX(action string, values url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(values.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}

func TestHelpChatWithHTMX(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	token := b.csrf("/acme/help")
	p := b.postHTMX("/acme/help", url.Values{"_csrf": {token}, "text": {"I forgot my password"}})
	require.Equal(t, 200, p.status)
	assert.NotContains(t, p.body, "<html")
	assert.Contains(t, p.body, `class="help-msg help-msg-mine"`)
	assert.Contains(t, p.body, "I forgot my password</p>")
	assert.Contains(t, p.body, `data-topic="forgot_password"`)
	assert.Contains(t, p.body, `hx-swap-oob="true"`)
	assert.NotContains(t, p.body, "Was this helpful?", "asked only at the end of a flow")
	conv := convRe.FindStringSubmatch(p.body)
	require.NotNil(t, conv)
	assert.True(t, domain.ValidTokenShape(conv[1]))

	// A password is answered with a warning and not shown again.
	p = b.postHTMX("/acme/help", url.Values{"_csrf": {token}, "text": {"my password is Hunter2-secret-99"}, "conversation": {conv[1]}})
	require.Equal(t, 200, p.status)
	assert.NotContains(t, p.body, "Hunter2")
	assert.Contains(t, p.body, "looked like it contained a password")
	assert.Contains(t, p.body, "don&#39;t type passwords")
	for _, s := range storedStates(t, f) {
		assert.NotContains(t, s, "Hunter2")
	}

	p = b.postHTMX("/acme/help", url.Values{"_csrf": {token}, "text": {strings.Repeat("x", 2001)}, "conversation": {conv[1]}})
	assert.Equal(t, 422, p.status)
	assert.Contains(t, p.body, "longer than 2,000 characters")

	assert.Equal(t, 204, b.postHTMX("/acme/help", url.Values{"_csrf": {token}, "text": {"  "}}).status, "nothing to send")
	assert.Equal(t, 403, b.postRaw("/acme/help", "application/x-www-form-urlencoded", "text=hello").status, "forms need the CSRF token")
}

func TestHelpFitsTheSignedInRole(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ask := func(b *browser, text string) string {
		p := b.post("/acme/help", "/acme/help", url.Values{"text": {text}})
		require.Equal(t, 200, p.status)
		return p.body
	}
	const question = "how do I reset eve's password"

	ada := newBrowser(t, f)
	require.Equal(t, 303, ada.signIn("acme", "ada.admin", demoPW).status)
	body := ask(ada, question)
	assert.Contains(t, body, `href="/acme/admin/employees"`, "an administrator gets the employee list")
	assert.Contains(t, body, "Ada Admin", "the page knows who is signed in")

	amy := newBrowser(t, f)
	require.Equal(t, 303, amy.signIn("acme", "amy.accounts", demoPW).status)
	body = ask(amy, question)
	assert.Contains(t, body, `data-topic="no_permission"`)
	assert.Contains(t, body, "Account Manager")
	assert.Contains(t, body, "Ada Admin", "an Account Manager is told who the administrators are")
	assert.NotContains(t, body, `href="/acme/admin/employees"`)

	anon := newBrowser(t, f)
	body = ask(anon, question)
	assert.NotContains(t, body, "Ada Admin", "anonymous users learn nothing about accounts")
	assert.NotContains(t, body, "Account Manager")
	assert.NotContains(t, body, "/acme/admin/employees")

	// Another portal's session counts for nothing here.
	gus := newBrowser(t, f)
	require.Equal(t, 303, gus.signIn("globex", "gus.admin", demoPW).status)
	assert.NotContains(t, ask(gus, question), "/acme/admin/employees")
}

func TestHelpFeedbackAndTally(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			testHelpFeedbackAndTally(t, servertest.New(t, servertest.Options{DatabaseURL: backend.Migrated(t)}))
		})
	}
}

func testHelpFeedbackAndTally(t *testing.T, f *servertest.Fixture) {
	b := newBrowser(t, f)
	vote := func(topic, helpful string) page {
		return b.post("/acme/help", "/help/feedback", url.Values{"portal": {"acme"}, "topic": {topic}, "helpful": {helpful}, "back": {"/acme/help?topic=" + topic}})
	}
	p := vote("lockout", "yes")
	assert.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/help?feedback=thanks&topic=lockout", p.header.Get("Location"))
	assert.Contains(t, b.get(p.header.Get("Location")).body, "Thanks for telling us.")
	vote("lockout", "no")
	p = b.postHTMX("/help/feedback", url.Values{"_csrf": {b.csrf("/acme/help")}, "portal": {"acme"}, "topic": {"lockout"}, "helpful": {"yes"}})
	assert.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "Thanks for telling us")
	assert.NotContains(t, p.body, "<html")

	// The article's own question, and the JSON API.
	p = b.post(articlePath+"?portal=acme", "/help/feedback", url.Values{"portal": {"acme"}, "topic": {"article"}, "helpful": {"yes"}, "back": {"https://evil.example/"}})
	assert.Equal(t, 303, p.status)
	assert.Equal(t, "/help?feedback=thanks", p.header.Get("Location"), "never redirects off the site")
	r := callAPI(t, f, "POST", "/api/help/feedback", "", `{"portal":"acme","topic":"lockout","helpful":true}`)
	assert.Equal(t, 204, r.status)
	assert.Equal(t, 400, callAPI(t, f, "POST", "/api/help/feedback", "", `{"portal":"acme","topic":"nonsense","helpful":true}`).status)
	assert.Equal(t, 400, callAPI(t, f, "POST", "/api/help/feedback", "", `{"portal":"acme","topic":"lockout"}`).status)
	assert.Equal(t, 400, vote("nonsense", "yes").status)
	// Another portal's feedback is not counted here.
	callAPI(t, f, "POST", "/api/help/feedback", "", `{"portal":"globex","topic":"lockout","helpful":false}`)

	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	p = ada.get("/acme/help/feedback")
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "3 out of 4 found this helpful")
	assert.Contains(t, p.body, "1 out of 1 found this helpful")
	assert.Contains(t, p.body, "Password help article")

	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", demoPW)
	p = eve.get("/acme/help/feedback")
	assert.Equal(t, 403, p.status)
	assert.Contains(t, p.body, "Ada Admin")
	assert.NotContains(t, p.body, "found this helpful")

	assert.Equal(t, 303, newBrowser(t, f).get("/acme/help/feedback").status, "anonymous users are sent to sign in")
}

const articlePath = "/help/articles/password-assistance"

func TestHelpArticleAndReachability(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	p := b.get(articlePath)
	require.Equal(t, 200, p.status)
	for _, topic := range []string{"forgot_password", "lockout", "password_reuse", "mobile_app", "reset_email", "reset_other_user", "no_permission", "support_reset"} {
		assert.Contains(t, p.body, `id="`+topic+`"`)
		assert.Contains(t, p.body, `href="/help?topic=`+topic+`"`)
	}
	assert.Contains(t, p.body, "Vendor support cannot change, reset or even see your password")
	assert.Contains(t, p.body, "Was this helpful?")
	assert.Contains(t, b.get(articlePath+"?portal=acme").body, `href="/acme/help?topic=lockout"`)

	// Every page's Help link works, and each topic opens on its own answer.
	for _, path := range []string{"/acme/sign-in", "/acme/forgot-password", "/nosuch-page-here/x", "/mobile", "/"} {
		page := b.get(path)
		m := regexp.MustCompile(`href="(/[^"]*help[^"]*)">Help<`).FindStringSubmatch(page.body)
		require.NotNil(t, m, "a Help link on %s", path)
		assert.Equal(t, 200, b.get(strings.ReplaceAll(m[1], "&amp;", "&")).status, "%s links to %s", path, m[1])
	}
	for _, topic := range []string{"lockout", "password_reuse", "reset_email", "no_permission", "mobile_app", "fallback"} {
		p := b.get("/help?topic=" + topic)
		assert.Contains(t, p.body, `data-topic="`+topic+`"`, topic)
	}
	assert.Contains(t, b.get("/help?topic=bogus").body, `data-topic="fallback"`)
}

// TestHelpTextsInFrenchAndSpanish: the administrators' help feedback page, the Copy
// button's "Copied" and the help article's role name were English on French and
// Spanish pages (issue 23, item 4).
func TestHelpTextsInFrenchAndSpanish(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	for lang, want := range map[string][]string{
		"fr": {"Avis sur l’assistant d’aide", "Sujet", "Aucune réponse pour l’instant", "Article d’aide sur les mots de passe", "Compte verrouillé", "Copié", "« Gestionnaire de comptes »"},
		"es": {"Valoraciones del asistente de ayuda", "Tema", "Aún no hay respuestas", "Artículo de ayuda sobre contraseñas", "Copiado", "«Gestor de cuentas»"},
	} {
		require.Equal(t, 303, ada.post("/acme/", "/acme/language", url.Values{"lang": {lang}, "next": {"/acme/"}}).status)
		tally := ada.get("/acme/help/feedback")
		require.Equal(t, 200, tally.status)
		prof := profile(t, f, "acme", "eve.employee")
		tmp := ada.post(prof, prof+"/password", url.Values{})
		article := ada.get("/help/articles/password-assistance?portal=acme")
		page := tally.body + tmp.body + article.body
		for _, w := range want[:len(want)-2] {
			assert.Contains(t, tally.body, w, lang)
		}
		assert.Contains(t, tmp.body, `data-copied="`+want[len(want)-2]+`"`, lang)
		assert.Contains(t, article.body, want[len(want)-1], lang)
		for _, english := range []string{"Help assistant feedback", "What people answered", "No answers yet", "Password help article", "Account Manager", ">Topic<", "Copied"} {
			assert.NotContains(t, page, english, lang)
		}
	}
}
