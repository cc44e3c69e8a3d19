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

	step2 := b.pressInLastAnswer("Done, next step")
	mustContain(t, "step 2", step2, "Step 2", "Forgot password?")
	step3 := b.pressInLastAnswer("Done, next step")
	mustContain(t, "step 3", step3, "Step 3", "new password")
	end := b.pressInLastAnswer("I'm still locked out")
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

// TestHelpFrenchTypedConversation (issue 12): from the lockout message, a person types
// in French, in their own words, and is answered in French step by step until the
// administrator is named; "Was this helpful?" appears only at that end.
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
	wait := b.typeInChat("d'accord, j'ai attendu un quart d'heure, c'est fait")
	mustContain(t, "French step 2", wait, "Mot de passe oublié ?", "Étape 2")
	reset := b.typeInChat("c'est fait, j'ai réinitialisé mon mot de passe")
	mustContain(t, "French step 3", reset, "Connectez-vous avec votre nouveau mot de passe")
	b.shot("french-step3")
	end := b.typeInChat("je suis toujours bloqué, ça ne marche pas")
	mustContain(t, "French escalation", end, "contactez", "l'administrateur de votre portail", "informatique de votre employeur")
	if got := eval[string](b, `[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().dataset.topic`); got != "lockout" {
		t.Fatalf("the French conversation left the lockout topic: %q", got)
	}
	if n := eval[int](b, `[...document.querySelectorAll("#help-messages .help-msg-bot")].pop().querySelectorAll(".help-feedback").length`); n != 1 {
		t.Fatalf("'Was this helpful?' missing at the end of the flow")
	}
	b.shot("french-escalation")
}
