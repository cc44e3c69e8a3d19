package domain

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// EveryEmail builds one e-mail of every kind (and every wording of a kind) in language l,
// to a person named name, with link as every link, for tests outside the package.
func EveryEmail(l i18n.Lang, name, link string) []Mail {
	p := &Portal{ID: 1, Code: "acme", Name: "Acme <Corp> & \"Sons\"", Policy: DefaultPolicy()}
	p.Policy.Language = string(l)
	u := &User{ID: 2, PortalID: 1, Username: "eve.employee", Email: "eve@acme.test", DisplayName: name}
	helper := &User{ID: 3, PortalID: 1, Username: "ada.admin", Email: "ada@acme.test", DisplayName: name, Language: string(l)}
	u.Language = string(l)
	req := &HelpRequest{Reference: "K7Q-2MX", Problem: ProblemLocked, ResetTwoStep: true, NewEmail: "new@acme.test"}
	kept := &HelpRequest{Reference: "K7Q-2MX", Problem: ProblemOther}
	ctx := i18n.WithLang(context.Background(), l)
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	h := userHolder(p, u)
	mails := []Mail{
		resetEmail(l, p, u, link, 30),
		setupEmail(l, p, u, link, 72),
		passwordChangedEmail(p, u, change{reason: ChangedBySelf}, link),
		passwordChangedEmail(p, u, change{reason: ChangedByReset}, link),
		passwordChangedEmail(p, u, change{reason: ChangedByAdministrator, actorName: name}, link),
		passwordChangedEmail(p, u, change{reason: ChangedByAdministrator, actorName: name, mustChange: true}, link),
		lockoutEmail(p, u, link, link, link, 15, ""),
		lockoutEmail(p, u, link, link, link, 15, CauseCode),
		lockoutEmail(p, u, link, "", link, 15, CauseHeld),
		emailChangedEmail(p, u, "old@acme.test", "old@acme.test", "new@acme.test", link),
		newDeviceEmail(l, p, u, name, "203.0.113.7", at, link),
		notMeAdminEmail(p, helper, u, link),
		helpArrivedEmail(p, helper, u, req, link),
		helpCodeEmail(p, u, helper, "123456", 10),
		helpedBackInEmail(p, u, helper, u.Email, "old@acme.test", req, link),
		helpedBackInEmail(p, u, helper, u.Email, "", kept, ""),
	}
	for _, what := range []string{"enabled", "disabled", "reset", "recovery", "codes", "replayed"} {
		mails = append(mails, twoStepEmail(ctx, h, what, 0, link), twoStepEmail(ctx, holder{email: "sam@support.test", name: name, portalName: "Watchpost support", account: "sam"}, what, 0, ""))
	}
	for _, what := range []string{"added", "removed", "removed_by_admin", "cloned"} {
		mails = append(mails, passkeyEmail(ctx, h, what, name, 0))
	}
	return mails
}
