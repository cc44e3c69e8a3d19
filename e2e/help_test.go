package e2e_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pressInLastAnswer clicks the button labelled label in the assistant's newest answer and
// waits for the next answer to arrive (htmx appends it to the conversation).
func (b *browser) pressInLastAnswer(label string) string {
	b.t.Helper()
	n := eval[int](b, `document.querySelectorAll("#help-messages .help-msg-bot").length`)
	button := chromedp.JSPath(fmt.Sprintf(`[...[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().querySelectorAll("button")].filter(e => e.textContent.trim() === %q)`, label))
	b.do("press "+label, chromedp.Click(button),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll("#help-messages .help-msg-bot").length > %d`, n)),
		settled) // htmx wires the new answer's buttons only once it has settled
	return b.text("#help-messages .help-msg-bot:last-of-type")
}

// TestHelpLockoutJourney (issue 7): a locked-out user follows the lock message's help
// link, the assistant opens on the lockout steps, walks them one at a time with buttons
// and ends with the portal's administrator; the answer can be rated, and free text works.
func TestHelpLockoutJourney(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")
	for i := 1; i <= 5; i++ {
		b.signIn("eve.employee", fmt.Sprintf("wrong-guess-%d", i), "#signin .alert")
	}
	b.click(`#signin .alert-warning a[href="/acme/help?topic=lockout"]`, "#help-messages .help-msg-bot")
	first := b.text("#help-messages .help-msg-bot")
	mustContain(t, "opens on the lockout topic", first, "Locked out", "locked for about 15 minutes")
	b.shot("lockout-topic")

	step2 := b.pressInLastAnswer("Still not working")
	mustContain(t, "step 2", step2, "Step 2", "Forgot password?")
	end := b.typeInChat("I reset my password and it still says I'm locked out")
	mustContain(t, "escalation", end, "Ada Admin (ada@acme.test)", "Vendor support can't reset passwords")
	b.shot("escalation")

	b.do("rate", chromedp.Click(chromedp.JSPath(`[...[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().querySelectorAll(".help-feedback button")].filter(e => e.textContent.trim() === "Yes")`)),
		chromedp.WaitVisible(chromedp.CSS(`#help-messages .help-msg-bot:last-of-type p.help-feedback[role=status]`)))

	b.fill("#help-text", "the reset email never came")
	n := eval[int](b, `document.querySelectorAll("#help-messages .help-msg-bot").length`)
	b.do("send text", chromedp.Click(chromedp.CSS("#help-compose button[type=submit]")),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll("#help-messages .help-msg-bot").length > %d`, n)),
		settled) // htmx wires the new answer's buttons only once it has settled
	if got := eval[string](b, `[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().dataset.topic`); got != "reset_email" {
		t.Fatalf("free text went to %q, want reset_email", got)
	}
	if !strings.HasPrefix(b.path(), "/acme/help") {
		t.Fatalf("the chat left its page: %s", b.path())
	}
	b.shot("free-text")
}

// typeInChat sends a typed message and waits for the assistant's answer.
func (b *browser) typeInChat(text string) string {
	b.t.Helper()
	b.fill("#help-text", text)
	n := eval[int](b, `document.querySelectorAll("#help-messages .help-msg-bot").length`)
	b.do("send "+text, chromedp.Click(chromedp.CSS("#help-compose button[type=submit]")),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll("#help-messages .help-msg-bot").length > %d`, n)),
		settled) // htmx wires the new answer's buttons only once it has settled
	return b.text("#help-messages .help-msg-bot:last-of-type")
}

// TestHelpFrenchTypedConversation (issues 12, 20): from the lockout message, a person
// types in French that they already waited and reset: the assistant does not send them
// back through those steps but names the administrator, and when the administrator
// cannot be reached, the employer's HR/payroll or IT department; "Was this helpful?"
// appears only at an end.
func TestHelpFrenchTypedConversation(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")
	for i := 1; i <= 5; i++ {
		b.signIn("eve.employee", fmt.Sprintf("wrong-guess-%d", i), "#signin .alert")
	}
	b.click(`#signin .alert-warning a[href="/acme/help?topic=lockout"]`, "#help-messages .help-msg-bot")
	if n := eval[int](b, `document.querySelectorAll("#help-messages .help-feedback").length`); n != 0 {
		t.Fatalf("'Was this helpful?' shown before the end of the flow (%d)", n)
	}
	admin := b.typeInChat("j'ai déjà attendu 20 minutes et j'ai réinitialisé mon mot de passe, toujours bloqué")
	mustContain(t, "French administrators", admin, "contactez", "l'administrateur de votre portail", "Ada Admin")
	b.shot("french-admin")
	end := b.typeInChat("l'administratrice est en congé et personne ne répond au bureau")
	mustContain(t, "French HR/IT fallback", end, "informatique de votre employeur")
	if strings.Contains(admin+end, "Étape 1") || strings.Contains(end, "Ouvrez le lien") {
		t.Fatalf("sent back through steps already done: %q / %q", admin, end)
	}
	if n := eval[int](b, `[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().querySelectorAll(".help-feedback").length`); n != 1 {
		t.Fatalf("'Was this helpful?' missing at the end of the flow")
	}
	b.shot("french-escalation")
}
