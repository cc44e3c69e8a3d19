package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server/servertest"
)

// TestNoStringLeftBehind renders every page, fragment and e-mail in the pseudo-locale
// (every catalogue message comes out as ⟦accented text~~⟧) and fails on any text a
// person reads that is not inside ⟦ ⟧: text nodes, the attributes people read (title,
// placeholder, aria-label, alt, the value of input buttons), e-mail subjects and bodies.
// Names, addresses, codes and other data are marked translate="no" in the pages; what
// is left outside brackets may only be numbers, punctuation and the product's name.
// The help assistant's own texts (bot/, views/pages/help*) are checked by its tests.
func TestNoStringLeftBehind(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ctx := context.Background()
	// The test hook: the pseudo-locale as acme's default language and every demo
	// person's saved choice, so e-mails come out in it too; browsers send the switcher's
	// cookie.
	acme := f.Portal(t, "acme")
	acme.Policy.Language = string(i18n.Pseudo)
	require.NoError(t, f.Store.UpdatePolicy(ctx, acme.ID, acme.Policy))
	for _, u := range []string{"ada.admin", "max.manager", "amy.accounts", "eve.employee", "ed.mobile"} {
		require.NoError(t, f.Store.UpdateUserLanguage(ctx, acme.ID, f.User(t, "acme", u).ID, string(i18n.Pseudo)))
	}
	pseudoBrowser := func() *browser {
		b := newBrowser(t, f)
		base, _ := url.Parse(f.URL)
		b.http.Jar.SetCookies(base, []*http.Cookie{{Name: "wp_lang", Value: "qps", Path: "/"}})
		return b
	}
	var problems []string
	check := func(name string, p page, wantStatus int) {
		t.Helper()
		require.Equal(t, wantStatus, p.status, "%s: status", name)
		if p.status/100 == 3 {
			return // a redirect: its page is checked on its own
		}
		require.Contains(t, p.body, i18n.PseudoOpen, "%s: rendered in the pseudo-locale", name)
		for _, s := range untranslated(t, p.body) {
			problems = append(problems, name+": "+s)
		}
	}

	anon := pseudoBrowser()
	for path, status := range map[string]int{
		"/": 200, "/go?code=nosuch": 422, "/nosuch/sign-in": 404, "/acme/no-such-page": 404,
		"/acme/sign-in": 200, "/acme/forgot-password": 200, "/acme/forgot-password?expired=1": 200,
		"/acme/reset/not-a-token": 410, "/mobile": 200, "/dev/mailbox": 200, "/support": 200,
		"/acme/account": 303,
	} {
		check("GET "+path, anon.get(path), status)
	}
	for _, n := range []string{"signed-out", "password-reset", "session-ended"} {
		check("notice "+n, anon.get("/acme/sign-in?notice="+n), 200)
	}
	check("sign-in missing fields", anon.post("/acme/sign-in", "/acme/sign-in", url.Values{"identifier": {""}}), 422)
	check("sign-in failed", anon.signIn("acme", "eve.employee", "wrong-password"), 401)
	for range 4 {
		anon.signIn("acme", "eve.employee", "wrong-password")
	}
	check("sign-in locked", anon.signIn("acme", "eve.employee", "wrong-password"), 423)
	check("forgot missing", anon.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {""}}), 422)
	check("forgot sent", anon.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"max.manager"}}), 200)
	link := resetLink(t, f)
	check("reset page", anon.get(link), 200)
	check("reset mismatch", anon.post(link, link, url.Values{"password": {"correct horse battery staple"}, "confirm": {"other"}}), 422)
	check("reset too short", anon.post(link, link, url.Values{"password": {"short"}, "confirm": {"short"}}), 422)
	check("password feedback", anon.post(link, "/acme/password-feedback", url.Values{"password": {"password1"}}), 200)
	check("csrf expired", anon.postRaw("/acme/sign-in", "application/x-www-form-urlencoded", "identifier=x"), 403)
	check("support sign-in failed", anon.post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {"wrong"}}), 401)

	ada := pseudoBrowser()
	require.Equal(t, 303, ada.signIn("acme", "ada.admin", demoPW).status)
	eve := f.User(t, "acme", "eve.employee")
	for path, status := range map[string]int{
		"/acme/": 200, "/acme/account": 200, "/acme/admin/employees": 200, "/acme/admin/employees?q=e": 200,
		"/acme/admin/employees/new": 200, "/acme/admin/employees/" + strconv.FormatInt(eve.ID, 10): 200,
		"/acme/admin/roles": 200, "/acme/admin/policy": 200, "/acme/admin/audit": 200,
		"/acme/help/feedback":              200, // the administrators' view of the help's answers (issue 23, item 4)
		"/acme/admin/audit?from=yesterday": 422, // a date it cannot read: the form says so (issue 11, item 12)
		"/acme/admin/employees/999999":     404,
	} {
		check("admin GET "+path, ada.get(path), status)
	}
	for _, n := range []string{"password-changed", "others-signed-out", "language-saved"} {
		check("notice "+n, ada.get("/acme/account?notice="+n), 200)
	}
	for _, n := range []string{"link-sent", "reset-sent", "unlocked", "signed-out-everywhere", "email-changed", "disabled", "enabled", "role-changed"} {
		check("notice "+n, ada.get("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"?notice="+n), 200)
	}
	check("notice role-saved", ada.get("/acme/admin/roles?notice=role-saved"), 200)
	check("notice policy-saved", ada.get("/acme/admin/policy?notice=policy-saved"), 200)
	check("account wrong current", ada.post("/acme/account", "/acme/account/password", url.Values{"current": {"nope"}, "password": {"x"}, "confirm": {"x"}}), 422)
	check("policy invalid", ada.post("/acme/admin/policy", "/acme/admin/policy", url.Values{
		"max_failed_attempts": {"1"}, "failure_window_minutes": {"0"}, "lockout_minutes": {"0"}, "min_length": {"1"},
		"history_depth": {"99"}, "reset_link_minutes": {"1"}, "temp_password_hours": {"0"}, "admin_contact": {""},
		"language": {"tlh"}, "time_zone": {"Mars/Olympus_Mons"},
	}), 422)
	check("new profile invalid", ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {""}, "username": {"X"}, "email": {"nope"}, "role": {"Nobody"}, "mode": {"temporary"}, "temporary": {"short"},
	}), 422)
	check("change e-mail invalid", ada.post("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10), "/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"/email", url.Values{"email": {"eve@acme.test"}}), 422)
	check("unlock", ada.post("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10), "/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"/unlock", url.Values{}), 303)
	check("send reset e-mail", ada.post("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10), "/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"/reset-email", url.Values{}), 303)
	check("change e-mail", ada.post("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10), "/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"/email", url.Values{"email": {"eve.new@acme.test"}}), 303)
	tmp := ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {"Nina New"}, "username": {"nina.new"}, "email": {"nina@acme.test"}, "role": {"Employee"}, "mode": {"temporary"}, "force": {"on"},
	})
	check("temporary password", tmp, 200)
	check("profile with link", ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {"Lea Link"}, "username": {"lea.link"}, "email": {"lea@acme.test"}, "role": {"Employee"}, "mode": {"link"},
	}), 303)

	nina := pseudoBrowser()
	m := tempRe.FindStringSubmatch(tmp.body)
	require.NotNil(t, m)
	require.Equal(t, 303, nina.signIn("acme", "nina.new", m[1]).status)
	check("forced change", nina.get("/acme/change-password"), 200)
	check("forced change invalid", nina.post("/acme/change-password", "/acme/change-password", url.Values{"current": {m[1]}, "password": {"nina.new-2026"}, "confirm": {"nina.new-2026"}}), 422)

	amy := pseudoBrowser()
	require.Equal(t, 303, amy.signIn("acme", "amy.accounts", demoPW).status)
	check("forbidden", amy.get("/acme/admin/roles"), 403)
	check("view-only profile", amy.get("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)), 200)

	// Assisted recovery (issue 25): the help form, its answer and waiting page, the inbox,
	// the request screen through the check and the pass, and the redeem page.
	check("ask for help", anon.get("/acme/ask-for-help?problem=locked"), 200)
	check("ask for help invalid", anon.post("/acme/ask-for-help", "/acme/ask-for-help", url.Values{"identifier": {""}, "problem": {"x"}, "phone": {"?"}}), 422)
	asked := anon.post("/acme/ask-for-help", "/acme/ask-for-help", url.Values{"identifier": {"ed.mobile"}, "problem": {"new_phone"}})
	check("help answer", asked, 200)
	waitPath := helpWaitRe.FindString(asked.body)
	check("help waiting", anon.get(waitPath), 200)
	check("help ended", pseudoBrowser().get(waitPath), 410)
	check("help inbox", ada.get("/acme/admin/help-requests"), 200)
	helpCase := helpCaseRe.FindString(ada.get("/acme/admin/help-requests").body)
	check("help request", ada.get(helpCase), 200)
	check("help wrong method", ada.post(helpCase, helpCase+"/check", url.Values{"request_code": {"1"}, "method": {"x"}}), 422)
	check("help code sent", ada.get(helpCase+"?notice=code-sent"), 200)
	check("help checked", ada.post(helpCase, helpCase+"/check", url.Values{"request_code": {helpCodeRe.FindStringSubmatch(asked.body)[1]}, "method": {"in_person"}, "note": {"n"}}), 303)
	check("help issue form", ada.get(helpCase+"?notice=checked"), 200)
	check("help pass", ada.post(helpCase, helpCase+"/pass", url.Values{}), 200)
	check("help pass on the waiting page", anon.get(waitPath), 200)
	check("redeem", anon.get("/acme/recover"), 200)
	check("redeem invalid", anon.post("/acme/recover", "/acme/recover", url.Values{"code": {"x"}}), 422)
	check("redeem ended", anon.get("/acme/recover/"+strings.Repeat("a", 43)), 410)
	check("help forbidden", amy.get("/acme/admin/help-requests"), 403)

	sam := pseudoBrowser()
	if in := sam.post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {demoPW}}); in.status == 303 && in.header.Get("Location") == domain.SupportPath {
		check("support home", sam.get("/support"), 200)
		check("support portal", sam.get("/support/portals/acme"), 200)
	} else {
		t.Logf("support console after sign-in not reached (status %d, %s): a second step is in the way", in.status, in.header.Get("Location"))
	}

	mails := f.Mail(t)
	require.NotEmpty(t, mails)
	for _, msg := range mails {
		name := "e-mail " + msg.Category
		if !strings.Contains(msg.Subject, i18n.PseudoOpen) {
			problems = append(problems, name+" subject: "+msg.Subject)
		}
		for _, line := range strings.Split(msg.TextBody, "\n") {
			if s := outsideBrackets(line); s != "" && !strings.HasPrefix(strings.TrimSpace(line), "http") {
				problems = append(problems, name+" text: "+s)
			}
		}
		for _, s := range untranslated(t, msg.HTMLBody) {
			problems = append(problems, name+" HTML: "+s)
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// resetLink is the reset page of the newest reset e-mail.
func resetLink(t *testing.T, f *servertest.Fixture) string {
	t.Helper()
	for _, m := range f.Mail(t) {
		if m.Category == "reset" {
			u := regexp.MustCompile(`https?://\S+/reset/\S+`).FindString(m.TextBody)
			require.NotEmpty(t, u)
			p, err := url.Parse(u)
			require.NoError(t, err)
			return p.Path
		}
	}
	t.Fatal("no reset e-mail")
	return ""
}

// readAttrs are the attributes whose text people read (or hear).
var readAttrs = map[string]bool{"title": true, "placeholder": true, "aria-label": true, "alt": true,
	"data-copied": true, // what a Copy button says once it copied (app.js)
}

// untranslated lists the texts of an HTML document that are outside ⟦ ⟧.
func untranslated(t *testing.T, doc string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	require.NoError(t, err)
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" || attr(n, "translate") == "no" {
				return
			}
			if n.Data == "noscript" && n.FirstChild != nil { // parsed as raw text: read it as HTML
				out = append(out, untranslated(t, n.FirstChild.Data)...)
				return
			}
			for _, a := range n.Attr {
				button := n.Data == "input" && a.Key == "value" && (attr(n, "type") == "submit" || attr(n, "type") == "button")
				if (readAttrs[a.Key] || button) && outsideBrackets(a.Val) != "" {
					out = append(out, "<"+n.Data+" "+a.Key+"=\""+a.Val+"\">")
				}
			}
		}
		if n.Type == html.TextNode {
			if s := outsideBrackets(n.Data); s != "" {
				out = append(out, strings.TrimSpace(n.Data))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && n.Data == "template" {
			// x/net/html keeps a template's content as its children, walked above.
			return
		}
	}
	walk(root)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// allowedOutside is what may stand outside the brackets: numbers, punctuation, symbols
// and the product's name.
var allowedOutside = regexp.MustCompile(`^[\s\d\p{P}\p{S}]*$`)

// outsideBrackets removes every ⟦…⟧ (nested ones too) and the product's name, and
// returns what is left if it holds any letter.
func outsideBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch string(r) {
		case i18n.PseudoOpen:
			depth++
		case i18n.PseudoClose:
			depth--
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	rest := strings.ReplaceAll(b.String(), "Watchpost", "")
	if allowedOutside.MatchString(rest) {
		return ""
	}
	return strings.TrimSpace(rest)
}
