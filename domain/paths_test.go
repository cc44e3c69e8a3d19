package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/domain"
)

// TestPathsAreUnchanged pins the addresses people have in bookmarks, e-mails and the
// mobile app: building them from the route patterns changed none of them.
func TestPathsAreUnchanged(t *testing.T) {
	for _, c := range [][2]string{
		{domain.PortalPath("acme"), "/acme"},
		{domain.HomePath("acme"), "/acme/"},
		{domain.SignInPath("acme"), "/acme/sign-in"},
		{domain.TwoStepPath("acme"), "/acme/sign-in/two-step"},
		{domain.PasskeySignInBeginPath("acme"), "/acme/sign-in/passkey/begin"},
		{domain.MobileForgotPath("acme"), "/m/acme/forgot-password"},
		{domain.ResetPath("acme", "t0k"), "/acme/reset/t0k"},
		{domain.UnlockPath("acme", "t0k"), "/acme/unlock/t0k"},
		{domain.NotMePath("acme", "t0k"), "/acme/not-me/t0k"},
		{domain.LanguagePath(""), "/language"},
		{domain.LanguagePath("acme"), "/acme/language"},
		{domain.HelpPath("", ""), "/help"},
		{domain.HelpPath("acme", "lockout"), "/acme/help?topic=lockout"},
		{domain.HelpArticleFor("acme"), "/help/articles/password-assistance?portal=acme"},
		{domain.HelpTallyPath("acme"), "/acme/help/feedback"},
		{domain.AskHelpAboutPath("acme", "lost-phone"), "/acme/ask-for-help?problem=lost-phone"},
		{domain.HelpWaitStatusPath("acme", "t0k"), "/acme/ask-for-help/t0k/status"},
		{domain.RecoverPath("acme", ""), "/acme/recover"},
		{domain.RecoverPath("acme", "t0k"), "/acme/recover/t0k"},
		{domain.ForgetDevicePath("acme", 12), "/acme/account/activity/devices/12/forget"},
		{domain.AccountTwoStepNewDevicePath("acme"), "/acme/account/two-step?new=1"},
		{domain.RecoveryCodesFilePath("acme"), "/acme/account/two-step/recovery-codes.txt"},
		{domain.EmployeePath("acme", 3), "/acme/admin/employees/3"},
		{domain.EmployeeActionPath("acme", 3, domain.EmployeeUnlock), "/acme/admin/employees/3/unlock"},
		{domain.EmployeePasskeysRemovePath("acme", 3), "/acme/admin/employees/3/passkeys-remove"},
		{domain.HelpRequestPassPath("acme", 9), "/acme/admin/help-requests/9/pass"},
		{domain.SupportLookUpPath("acme"), "/support/portals/acme/lookup"},
		{domain.MailboxMessagePath(7), "/dev/mailbox/7"},
		{domain.WithSection(domain.WithNotice(domain.AccountPath("acme"), "passkey-added"), "passkeys"), "/acme/account?notice=passkey-added#passkeys"},
	} {
		assert.Equal(t, c[1], c[0])
	}
}

// TestReservedCodesComeFromRoutes: the first segments of the routes outside portals are
// refused as portal codes (handlers/paths_test.go checks them against the running app).
func TestReservedCodesComeFromRoutes(t *testing.T) {
	for _, code := range []string{"api", "assets", "dev", "go", "help", "m", "mobile", "support", "language", "healthz", "readyz", "metrics"} {
		assert.Truef(t, domain.ReservedCode(code), "%s", code)
		assert.Falsef(t, domain.ValidPortalCode(code), "%s", code)
	}
	for _, code := range []string{"acme", "helpdesk", "portal", "account", "admin"} {
		assert.Falsef(t, domain.ReservedCode(code), "%s", code)
		assert.Truef(t, domain.ValidPortalCode(code), "%s", code)
	}
}
