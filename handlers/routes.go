package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/watchpost/watchpost/assets"
	"github.com/watchpost/watchpost/domain"
)

// routes is the map of the site. Every pattern is named in domain/paths.go, next to the
// function that builds its path; none is written here.
func (h *handler) routes(app *fiber.App) {
	app.Use(h.forwardedFor, h.observe, h.recoverPanics, rejectTwoLengths, compress.New(compress.Config{Level: compress.LevelBestSpeed}), securityHeaders(h.secure))
	// Static files come before the language and the CSRF cookie: a response any cache may
	// keep sets no cookie.
	app.Get(domain.AssetsRoute, serveAsset)
	app.Use(h.language, h.rejectNUL, h.csrf)

	app.Get(domain.HealthzRoute, h.healthz)
	app.Get(domain.ReadyzRoute, h.readyz)
	app.Get(domain.MetricsRoute, h.metrics)
	app.Get(domain.FaviconRoute, func(c *fiber.Ctx) error { return c.Redirect(assets.URL("favicon.svg"), fiber.StatusFound) })

	app.Post(domain.MobileSessionRoute, h.mobileSignIn)
	app.Get(domain.MobilePortalCheckRoute, h.mobilePortalCheck)
	app.Get(domain.MobileMeRoute, h.mobileSession, h.mobileMe)
	app.Delete(domain.MobileSessionRoute, h.mobileSession, h.mobileSignOut)
	app.Post(domain.MobileTwoStepRoute, h.mobileTwoStep)
	app.Post(domain.MobileHelpRequestsRoute, h.mobileAskHelp)
	app.Get(domain.MobileForgotRoute, h.mobileForgot)
	app.Get(domain.MobilePath, h.mobileSimulator)

	app.Post(domain.HelpMessagesAPI, h.helpAPI)
	app.Post(domain.HelpFeedbackJSON, h.helpFeedbackAPI)
	app.Get(domain.HelpRoute, h.helpPage)
	app.Post(domain.HelpRoute, h.helpMessage)
	app.Post(domain.HelpFeedbackAPI, h.helpFeedback)
	app.Get(domain.HelpArticlePath, h.helpArticle)

	app.Get(domain.SupportPath, h.supportHome)
	app.Post(domain.SupportSignIn, h.supportSignIn)
	app.Post(domain.SupportSignOut, h.requireSupport, h.supportSignOut)
	app.Get(domain.SupportPortalRoute, h.requireSupport, h.supportPortal)
	app.Post(domain.SupportLookUpRoute, h.requireSupport, h.supportLookUp)
	app.Get(domain.SupportTwoStepPath, h.supportTwoStepPage)
	app.Post(domain.SupportTwoStepPath, h.supportTwoStep)
	app.Get(domain.SupportTwoStepEnrolPath, h.supportEnrolPage)
	app.Post(domain.SupportTwoStepEnrolPath, h.supportEnrol)
	app.Post(domain.SupportRecoveryCodesPath, h.requireSupport, h.downloadRecoveryCodes)

	app.Post(domain.LanguageRoute, h.switchLanguage)
	app.Get(domain.RootPath, h.root)
	app.Get(domain.GoToPortalPath, h.goToPortal)

	app.Use(domain.DevRoute, h.devOnly)
	app.Get(domain.MailboxPath, h.mailbox)
	app.Get(domain.MailboxMessageRoute, h.mailbox)

	// Everything below belongs to one portal; the routes above must come first, as the
	// portal routes match any first path segment (which is why their first segments are
	// reserved portal codes).
	app.Use(domain.PortalRoute, h.loadPortal)
	app.Post(domain.PortalLanguageRoute, h.switchLanguage)
	app.Get(domain.SignInRoute, h.signInPage)
	app.Post(domain.SignInRoute, h.signIn)
	app.Get(domain.TwoStepRoute, h.twoStepPage)
	app.Post(domain.TwoStepRoute, h.twoStep)
	app.Get(domain.TwoStepEnrolRoute, h.enrolAtSignInPage)
	app.Post(domain.PasskeySignInBeginRoute, h.beginPasskeySignIn)
	app.Post(domain.PasskeySignInRoute, h.passkeySignIn)
	app.Post(domain.TwoStepEnrolRoute, h.enrolAtSignIn)
	app.Get(domain.ForgotPasswordRoute, h.forgotPage)
	app.Post(domain.ForgotPasswordRoute, h.forgot)
	app.Get(domain.ResetRoute, h.resetPage)
	app.Post(domain.ResetRoute, h.reset)
	app.Post(domain.PasswordFeedbackRoute, h.passwordFeedback)
	app.Get(domain.UnlockRoute, h.unlockPage)
	app.Post(domain.UnlockRoute, h.unlock)
	app.Get(domain.NotMeRoute, h.notMePage)
	app.Post(domain.NotMeRoute, h.notMe)
	app.Get(domain.PortalHelpRoute, h.helpPage)
	app.Post(domain.PortalHelpRoute, h.helpMessage)
	// Assisted recovery: asking for help, the requester's waiting page, the pass.
	app.Get(domain.AskHelpRoute, h.askHelpPage)
	app.Post(domain.AskHelpRoute, h.askHelp)
	app.Get(domain.HelpWaitRoute, h.helpWait)
	app.Get(domain.HelpWaitStatusRoute, h.helpWaitStatus)
	app.Get(domain.RecoverRoute, h.redeemPage)
	app.Post(domain.RecoverRoute, h.redeem)
	app.Get(domain.RecoverTokenRoute, h.redeemPage)
	app.Post(domain.RecoverTokenRoute, h.redeem)

	// Signed in, even while a forced password change is due.
	pending := h.requireUser(true)
	app.Get(domain.ChangePasswordRoute, pending, h.changePage)
	app.Post(domain.ChangePasswordRoute, pending, h.change)
	app.Post(domain.SignOutRoute, pending, h.signOut)
	app.Post(domain.RecoveryCodesFileRoute, pending, h.downloadRecoveryCodes)

	// Signed in, with no password change due.
	user := h.requireUser(false)
	app.Get(domain.HomeRoute, user, h.home)
	app.Get(domain.AccountRoute, user, h.account)
	app.Post(domain.AccountPasswordRoute, user, h.changeOwnPassword)
	app.Post(domain.SignOutOthersRoute, user, h.signOutOthers)
	app.Get(domain.AccountActivityRoute, user, h.accountActivity)
	app.Post(domain.ForgetDeviceRoute, user, h.forgetDevice)
	app.Post(domain.EndSessionRoute, user, h.endSession)
	app.Post(domain.AccountLanguageRoute, user, h.saveLanguage)
	app.Get(domain.AccountTwoStepRoute, user, h.accountTwoStep)
	app.Post(domain.AccountTwoStepRoute, user, h.confirmOwnTwoStep)
	app.Post(domain.NewRecoveryCodesRoute, user, h.newRecoveryCodes)
	app.Post(domain.DisableTwoStepRoute, user, h.disableTwoStep)
	app.Post(domain.AccountPasskeyBeginRoute, user, h.beginPasskey)
	app.Post(domain.AccountPasskeysRoute, user, h.addPasskey)
	app.Post(domain.AccountPasskeyRemoveRoute, user, h.removePasskey)
	app.Get(domain.HelpTallyRoute, user, h.helpTally)

	// Administration: each action checks the role's permission in domain.
	app.Get(domain.EmployeesRoute, user, h.employees)
	app.Get(domain.NewEmployeeRoute, user, h.newEmployee)
	app.Post(domain.EmployeesRoute, user, h.createEmployee)
	app.Get(domain.EmployeeRoute, user, h.employee)
	app.Post(string(domain.EmployeeSetPassword), user, h.setEmployeePassword)
	app.Post(string(domain.EmployeeSendReset), user, h.employeeAction(h.sendEmployeeReset))
	app.Post(string(domain.EmployeeUnlock), user, h.employeeAction(h.unlockEmployee))
	app.Post(string(domain.EmployeeSignOut), user, h.employeeAction(h.signOutEmployee))
	app.Post(string(domain.EmployeeChangeEmail), user, h.employeeAction(h.changeEmployeeEmail))
	app.Post(string(domain.EmployeeChangeRole), user, h.employeeAction(h.changeEmployeeRole))
	app.Get(domain.EmployeeActivityRoute, user, h.employeeActivity)
	app.Get(string(domain.EmployeeDisable), user, h.confirmDisable)
	app.Post(string(domain.EmployeeDisable), user, h.employeeAction(h.disableEmployee))
	app.Post(string(domain.EmployeeResetTwoStep), user, h.employeeAction(h.resetEmployeeTwoStep))
	app.Post(string(domain.EmployeeRemovePasskeys), user, h.employeeAction(h.removeEmployeePasskeys))
	app.Get(domain.RolesRoute, user, h.roles)
	app.Post(domain.RolesRoute, user, h.saveRole)
	app.Get(domain.PolicyRoute, user, h.policy)
	app.Post(domain.PolicyRoute, user, h.savePolicy)
	app.Get(domain.AuditRoute, user, h.auditLog)
	app.Get(domain.HelpRequestsRoute, user, h.helpInbox)
	app.Get(domain.HelpRequestRoute, user, h.helpCase)
	app.Post(domain.HelpRequestEmailRoute, user, h.helpEmailCode)
	app.Post(domain.HelpRequestCheckRoute, user, h.helpCheck)
	app.Post(domain.HelpRequestPassRoute, user, h.helpIssue)
}
