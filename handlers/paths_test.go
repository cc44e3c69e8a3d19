package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/assets"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// TestEveryPathReachesItsRoute: each path domain/paths.go builds is routed by the app to
// the route it is named after (not to another route that happens to match, not to 404),
// so a route renamed in one place and not the other fails here.
func TestEveryPathReachesItsRoute(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	const code, token = "acme", "tok"
	const get, post, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodDelete
	for _, c := range []struct {
		method, path, route string
	}{
		{get, domain.RootPath, domain.RootPath},
		{get, domain.GoToPortalPath, domain.GoToPortalPath},
		{get, domain.MobilePath, domain.MobilePath},
		{post, domain.LanguagePath(""), domain.LanguageRoute},
		{get, assets.URL("favicon.svg"), domain.AssetsRoute},
		{get, domain.FaviconRoute, domain.FaviconRoute},
		{get, domain.HealthzRoute, domain.HealthzRoute},
		{get, domain.ReadyzRoute, domain.ReadyzRoute},
		{get, domain.MetricsRoute, domain.MetricsRoute},
		{post, domain.MobileSessionRoute, domain.MobileSessionRoute},
		{del, domain.MobileSessionRoute, domain.MobileSessionRoute},
		{post, domain.MobileTwoStepRoute, domain.MobileTwoStepRoute},
		{get, strings.Replace(domain.MobilePortalCheckRoute, ":code", code, 1), domain.MobilePortalCheckRoute},
		{get, domain.MobileMeRoute, domain.MobileMeRoute},
		{post, domain.MobileHelpRequestsRoute, domain.MobileHelpRequestsRoute},
		{get, domain.MobileForgotPath(code), domain.MobileForgotRoute},
		{post, domain.HelpMessagesAPI, domain.HelpMessagesAPI},
		{post, domain.HelpFeedbackJSON, domain.HelpFeedbackJSON},
		{get, domain.HelpPath("", ""), domain.HelpRoute},
		{post, domain.HelpPath("", "lockout"), domain.HelpRoute},
		{post, domain.HelpFeedbackAPI, domain.HelpFeedbackAPI},
		{get, domain.HelpArticlePath, domain.HelpArticlePath},
		{get, domain.HelpArticleFor(code), domain.HelpArticlePath},
		{get, domain.SupportPath, domain.SupportPath},
		{post, domain.SupportSignIn, domain.SupportSignIn},
		{post, domain.SupportSignOut, domain.SupportSignOut},
		{get, domain.SupportPortalPath(code), domain.SupportPortalRoute},
		{post, domain.SupportLookUpPath(code), domain.SupportLookUpRoute},
		{get, domain.SupportTwoStepPath, domain.SupportTwoStepPath},
		{post, domain.SupportTwoStepEnrolPath, domain.SupportTwoStepEnrolPath},
		{post, domain.SupportRecoveryCodesPath, domain.SupportRecoveryCodesPath},
		{get, domain.MailboxPath, domain.MailboxPath},
		{get, domain.MailboxMessagePath(7), domain.MailboxMessageRoute},

		{post, domain.LanguagePath(code), domain.PortalLanguageRoute},
		{get, domain.SignInPath(code), domain.SignInRoute},
		{get, domain.SignInReturnPath(code, domain.AuditPath(code)), domain.SignInRoute},
		{post, domain.TwoStepPath(code), domain.TwoStepRoute},
		{get, domain.TwoStepEnrolPath(code), domain.TwoStepEnrolRoute},
		{post, domain.PasskeySignInBeginPath(code), domain.PasskeySignInBeginRoute},
		{post, domain.PasskeySignInPath(code), domain.PasskeySignInRoute},
		{get, domain.ForgotPasswordPath(code), domain.ForgotPasswordRoute},
		{get, domain.WithIdentifier(domain.ForgotPasswordPath(code), "a b"), domain.ForgotPasswordRoute},
		{get, domain.ResetPath(code, token), domain.ResetRoute},
		{post, domain.PasswordFeedbackPath(code), domain.PasswordFeedbackRoute},
		{get, domain.UnlockPath(code, token), domain.UnlockRoute},
		{get, domain.NotMePath(code, token), domain.NotMeRoute},
		{get, domain.HelpPath(code, ""), domain.PortalHelpRoute},
		{get, domain.HelpPath(code, "lockout"), domain.PortalHelpRoute},
		{get, domain.AskHelpPath(code), domain.AskHelpRoute},
		{get, domain.AskHelpAboutPath(code, "lost-phone"), domain.AskHelpRoute},
		{get, domain.HelpWaitPath(code, token), domain.HelpWaitRoute},
		{get, domain.HelpWaitStatusPath(code, token), domain.HelpWaitStatusRoute},
		{post, domain.RecoverPath(code, ""), domain.RecoverRoute},
		{get, domain.RecoverPath(code, token), domain.RecoverTokenRoute},

		{get, domain.ChangePasswordPath(code), domain.ChangePasswordRoute},
		{post, domain.SignOutPath(code), domain.SignOutRoute},
		{post, domain.RecoveryCodesFilePath(code), domain.RecoveryCodesFileRoute},
		{get, domain.PortalPath(code), domain.HomeRoute},
		{get, domain.HomePath(code), domain.HomeRoute},
		{get, domain.AccountPath(code), domain.AccountRoute},
		{get, domain.WithSection(domain.WithNotice(domain.AccountPath(code), "passkey-added"), "passkeys"), domain.AccountRoute},
		{post, domain.AccountPasswordPath(code), domain.AccountPasswordRoute},
		{post, domain.SignOutOthersPath(code), domain.SignOutOthersRoute},
		{get, domain.AccountActivityPath(code), domain.AccountActivityRoute},
		{post, domain.ForgetDevicePath(code, 4), domain.ForgetDeviceRoute},
		{post, domain.EndSessionPath(code), domain.EndSessionRoute},
		{post, domain.AccountLanguagePath(code), domain.AccountLanguageRoute},
		{get, domain.AccountTwoStepPath(code), domain.AccountTwoStepRoute},
		{get, domain.AccountTwoStepNewDevicePath(code), domain.AccountTwoStepRoute},
		{post, domain.NewRecoveryCodesPath(code), domain.NewRecoveryCodesRoute},
		{post, domain.DisableTwoStepPath(code), domain.DisableTwoStepRoute},
		{post, domain.AccountPasskeyBeginPath(code), domain.AccountPasskeyBeginRoute},
		{post, domain.AccountPasskeysPath(code), domain.AccountPasskeysRoute},
		{post, domain.AccountPasskeyRemovePath(code), domain.AccountPasskeyRemoveRoute},
		{get, domain.HelpTallyPath(code), domain.HelpTallyRoute},

		{get, domain.EmployeesPath(code), domain.EmployeesRoute},
		{get, domain.EmployeesSearchPath(code, "a b", 2), domain.EmployeesRoute},
		{get, domain.EmployeesFilterPath(code, domain.EmployeeFilter{Status: domain.StatusLocked, RoleID: 2}, 1), domain.EmployeesRoute},
		{get, domain.NewEmployeePath(code), domain.NewEmployeeRoute},
		{get, domain.EmployeePath(code, 3), domain.EmployeeRoute},
		{get, domain.EmployeeActivityPath(code, 3), domain.EmployeeActivityRoute},
		{get, domain.EmployeeActionPath(code, 3, domain.EmployeeDisable), string(domain.EmployeeDisable)},
		{post, domain.EmployeePasskeysRemovePath(code, 3), string(domain.EmployeeRemovePasskeys)},
		{get, domain.RolesPath(code), domain.RolesRoute},
		{get, domain.PolicyPath(code), domain.PolicyRoute},
		{get, domain.AuditPath(code), domain.AuditRoute},
		{get, domain.AuditPagePath(code, domain.AuditQuery{User: "a b", Type: "sign-in"}, 3), domain.AuditRoute},
		{get, domain.HelpRequestsPath(code), domain.HelpRequestsRoute},
		{get, domain.HelpRequestPath(code, 5), domain.HelpRequestRoute},
		{post, domain.HelpRequestEmailPath(code, 5), domain.HelpRequestEmailRoute},
		{post, domain.HelpRequestCheckPath(code, 5), domain.HelpRequestCheckRoute},
		{post, domain.HelpRequestPassPath(code, 5), domain.HelpRequestPassRoute},
	} {
		assert.Equalf(t, c.route, routeOf(f.App, c.method, c.path), "%s %s", c.method, c.path)
	}
	for _, a := range []domain.EmployeeAction{domain.EmployeeSetPassword, domain.EmployeeSendReset,
		domain.EmployeeUnlock, domain.EmployeeSignOut, domain.EmployeeChangeEmail, domain.EmployeeChangeRole,
		domain.EmployeeDisable, domain.EmployeeResetTwoStep, domain.EmployeeRemovePasskeys} {
		p := domain.EmployeeActionPath(code, 3, a)
		assert.Equalf(t, string(a), routeOf(f.App, post, p), "POST %s", p)
	}
}

// routeOf is the pattern of the route the app answers method and path (its query and
// fragment left out) with: the first one registered that matches, as Fiber chooses, or
// "" for none (404). Middleware (app.Use) is not a route.
func routeOf(app *fiber.App, method, path string) string {
	path, _, _ = strings.Cut(path, "#")
	path, _, _ = strings.Cut(path, "?")
	if !app.Config().StrictRouting && len(path) > 1 {
		path = strings.TrimSuffix(path, "/") // as Fiber does before matching
	}
	for _, r := range app.GetRoutes(true) {
		if r.Method == method && fiber.RoutePatternMatch(path, r.Path, app.Config()) {
			return r.Path
		}
	}
	return ""
}

// TestRouteSegmentsAreReservedCodes: a portal whose code is the first segment of a route
// outside portals would never be reached, so every such segment is reserved, and a
// portal of that code is refused.
func TestRouteSegmentsAreReservedCodes(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	seen := map[string]bool{}
	for _, r := range f.App.GetRoutes(false) {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r.Path, "/"), "/")
		if seg == "" || strings.HasPrefix(seg, ":") || seen[seg] {
			continue
		}
		seen[seg] = true
		assert.Truef(t, domain.ReservedCode(seg), "%q (from %s) is not a reserved portal code", seg, r.Path)
		assert.Falsef(t, domain.ValidPortalCode(seg), "%q can be a portal code", seg)
		_, err := f.Services.Portals.Create(context.Background(), f.Store, seg, "Shadowed", "")
		assert.Errorf(t, err, "a portal %q was created", seg)
	}
	for _, seg := range []string{"api", "assets", "dev", "go", "help", "m", "mobile", "support", "language", "healthz", "readyz", "metrics"} {
		assert.Truef(t, seen[seg], "no route starts with /%s any more: is it still reserved on purpose?", seg)
	}
	_, err := f.Services.Portals.Create(context.Background(), f.Store, "helpdesk", "Not shadowed", "")
	require.NoError(t, err, "a code that merely starts like a route is free")
}
