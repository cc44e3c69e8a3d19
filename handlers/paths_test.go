package handlers_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// TestEveryPathHasARoute: each address domain/paths.go builds is one that routes.go
// registers, so a route renamed in one place and not the other fails here.
func TestEveryPathHasARoute(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	var patterns []string
	for _, r := range f.App.GetRoutes(true) {
		patterns = append(patterns, r.Path)
	}
	const code, token = "acme", "tok"
	for _, p := range []string{
		domain.RootPath, domain.GoToPortalPath, domain.MobilePath, domain.MailboxPath, domain.MailboxMessagePath(7),
		domain.SupportPath, domain.SupportSignIn, domain.SupportSignOut, domain.SupportPortalPath(code), domain.SupportLookUpPath(code),
		domain.SupportTwoStepPath, domain.SupportTwoStepEnrolPath, domain.SupportRecoveryCodesPath,
		domain.TwoStepPath(code), domain.TwoStepEnrolPath(code), domain.RecoveryCodesFilePath(code),
		domain.HelpArticlePath, domain.HelpFeedbackAPI, domain.HelpPath("", ""),
		domain.HomePath(code), domain.SignInPath(code), domain.SignOutPath(code), domain.ForgotPasswordPath(code),
		domain.MobileForgotPath(code), domain.ResetPath(code, token), domain.ChangePasswordPath(code),
		domain.PasswordFeedbackPath(code), domain.AccountPath(code), domain.AccountPasswordPath(code),
		domain.SignOutOthersPath(code), domain.HelpPath(code, "lockout"), domain.HelpTallyPath(code),
		domain.AccountLanguagePath(code), domain.LanguagePath(code), domain.LanguagePath(""),
		domain.EmployeesPath(code), domain.EmployeesSearchPath(code, "a b", 2),
		domain.EmployeesFilterPath(code, domain.EmployeeFilter{Status: domain.StatusLocked}, 1), domain.NewEmployeePath(code),
		domain.EmployeePath(code, 3), domain.EmployeeActionPath(code, 3, "unlock"), domain.RolesPath(code),
		domain.PolicyPath(code), domain.AuditPath(code),
	} {
		path, _, _ := strings.Cut(p, "?")
		assert.Truef(t, matchesAny(path, patterns), "no route for %s", p)
	}
}

func matchesAny(path string, patterns []string) bool {
	for _, pat := range patterns {
		if matches(path, pat) {
			return true
		}
	}
	return false
}

// matches compares segment by segment; ":name" (with an optional <constraint>) matches
// any one segment.
func matches(path, pattern string) bool {
	ps, qs := strings.Split(strings.TrimSuffix(path, "/"), "/"), strings.Split(strings.TrimSuffix(pattern, "/"), "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(qs[i], ":") && qs[i] != ps[i] {
			return false
		}
	}
	return true
}
