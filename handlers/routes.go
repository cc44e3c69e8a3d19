package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/watchpost/watchpost/assets"
)

// routes is the map of the site.
func (h *handler) routes(app *fiber.App) {
	app.Use(h.forwardedFor, h.observe, h.recoverPanics, rejectTwoLengths, compress.New(compress.Config{Level: compress.LevelBestSpeed}), securityHeaders(h.secure))
	// Static files come before the language and the CSRF cookie: a response any cache may
	// keep sets no cookie.
	app.Get("/assets/*", serveAsset)
	app.Use(h.language, h.rejectNUL, h.csrf)

	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/metrics", h.metrics)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.Redirect(assets.URL("favicon.svg"), fiber.StatusFound) })

	api := app.Group("/api/mobile/v1")
	api.Post("/session", h.mobileSignIn)
	api.Get("/portals/:code", h.mobilePortalCheck)
	api.Get("/me", h.mobileSession, h.mobileMe)
	api.Delete("/session", h.mobileSession, h.mobileSignOut)
	api.Post("/session/two-step", h.mobileTwoStep)
	api.Post("/help-requests", h.mobileAskHelp)
	app.Get("/m/:portal/forgot-password", h.mobileForgot)
	app.Get("/mobile", h.mobileSimulator)

	app.Post("/api/help/messages", h.helpAPI)
	app.Post("/api/help/feedback", h.helpFeedbackAPI)
	app.Get("/help", h.helpPage)
	app.Post("/help", h.helpMessage)
	app.Post("/help/feedback", h.helpFeedback)
	app.Get("/help/articles/password-assistance", h.helpArticle)

	app.Get("/support", h.supportHome)
	app.Post("/support/sign-in", h.supportSignIn)
	app.Post("/support/sign-out", h.requireSupport, h.supportSignOut)
	app.Get("/support/portals/:code", h.requireSupport, h.supportPortal)
	app.Post("/support/portals/:code/lookup", h.requireSupport, h.supportLookUp)
	app.Get("/support/two-step", h.supportTwoStepPage)
	app.Post("/support/two-step", h.supportTwoStep)
	app.Get("/support/two-step/enrol", h.supportEnrolPage)
	app.Post("/support/two-step/enrol", h.supportEnrol)
	app.Post("/support/recovery-codes.txt", h.requireSupport, h.downloadRecoveryCodes)

	app.Post("/language", h.switchLanguage)
	app.Get("/", h.root)
	app.Get("/go", h.goToPortal)

	dev := app.Group("/dev", h.devOnly)
	dev.Get("/mailbox", h.mailbox)
	dev.Get("/mailbox/:id<int>", h.mailbox)

	// Everything below belongs to one portal; the routes above must come first, as the
	// portal group matches any first path segment.
	p := app.Group("/:portal", h.loadPortal)
	p.Post("/language", h.switchLanguage)
	p.Get("/sign-in", h.signInPage)
	p.Post("/sign-in", h.signIn)
	p.Get("/sign-in/two-step", h.twoStepPage)
	p.Post("/sign-in/two-step", h.twoStep)
	p.Get("/sign-in/enrol", h.enrolAtSignInPage)
	p.Post("/sign-in/passkey/begin", h.beginPasskeySignIn)
	p.Post("/sign-in/passkey", h.passkeySignIn)
	p.Post("/sign-in/enrol", h.enrolAtSignIn)
	p.Get("/forgot-password", h.forgotPage)
	p.Post("/forgot-password", h.forgot)
	p.Get("/reset/:token", h.resetPage)
	p.Post("/reset/:token", h.reset)
	p.Post("/password-feedback", h.passwordFeedback)
	p.Get("/unlock/:token", h.unlockPage)
	p.Post("/unlock/:token", h.unlock)
	p.Get("/not-me/:token", h.notMePage)
	p.Post("/not-me/:token", h.notMe)
	p.Get("/help", h.helpPage)
	p.Post("/help", h.helpMessage)
	// Assisted recovery: asking for help, the requester's waiting page, the pass.
	p.Get("/ask-for-help", h.askHelpPage)
	p.Post("/ask-for-help", h.askHelp)
	p.Get("/ask-for-help/:token", h.helpWait)
	p.Get("/ask-for-help/:token/status", h.helpWaitStatus)
	p.Get("/recover", h.redeemPage)
	p.Post("/recover", h.redeem)
	p.Get("/recover/:token", h.redeemPage)
	p.Post("/recover/:token", h.redeem)

	// Signed in, even while a forced password change is due.
	pending := h.requireUser(true)
	p.Get("/change-password", pending, h.changePage)
	p.Post("/change-password", pending, h.change)
	p.Post("/sign-out", pending, h.signOut)
	p.Post("/account/two-step/recovery-codes.txt", pending, h.downloadRecoveryCodes)

	// Signed in, with no password change due.
	user := h.requireUser(false)
	p.Get("/", user, h.home)
	p.Get("/account", user, h.account)
	p.Post("/account/password", user, h.changeOwnPassword)
	p.Post("/account/sign-out-others", user, h.signOutOthers)
	p.Get("/account/activity", user, h.accountActivity)
	p.Post("/account/activity/devices/:id<int>/forget", user, h.forgetDevice)
	p.Post("/account/activity/sessions/end", user, h.endSession)
	p.Post("/account/language", user, h.saveLanguage)
	p.Get("/account/two-step", user, h.accountTwoStep)
	p.Post("/account/two-step", user, h.confirmOwnTwoStep)
	p.Post("/account/two-step/recovery-codes", user, h.newRecoveryCodes)
	p.Post("/account/two-step/disable", user, h.disableTwoStep)
	p.Post("/account/passkeys/begin", user, h.beginPasskey)
	p.Post("/account/passkeys", user, h.addPasskey)
	p.Post("/account/passkeys/remove", user, h.removePasskey)
	p.Get("/help/feedback", user, h.helpTally)

	// Administration: each action checks the role's permission in domain.
	p.Get("/admin/employees", user, h.employees)
	p.Get("/admin/employees/new", user, h.newEmployee)
	p.Post("/admin/employees", user, h.createEmployee)
	p.Get("/admin/employees/:id<int>", user, h.employee)
	p.Post("/admin/employees/:id<int>/password", user, h.setEmployeePassword)
	p.Post("/admin/employees/:id<int>/reset-email", user, h.employeeAction(h.sendEmployeeReset))
	p.Post("/admin/employees/:id<int>/unlock", user, h.employeeAction(h.unlockEmployee))
	p.Post("/admin/employees/:id<int>/sign-out", user, h.employeeAction(h.signOutEmployee))
	p.Post("/admin/employees/:id<int>/email", user, h.employeeAction(h.changeEmployeeEmail))
	p.Post("/admin/employees/:id<int>/role", user, h.employeeAction(h.changeEmployeeRole))
	p.Get("/admin/employees/:id<int>/activity", user, h.employeeActivity)
	p.Get("/admin/employees/:id<int>/disable", user, h.confirmDisable)
	p.Post("/admin/employees/:id<int>/disable", user, h.employeeAction(h.disableEmployee))
	p.Post("/admin/employees/:id<int>/two-step-reset", user, h.employeeAction(h.resetEmployeeTwoStep))
	p.Post("/admin/employees/:id<int>/passkeys-remove", user, h.employeeAction(h.removeEmployeePasskeys))
	p.Get("/admin/roles", user, h.roles)
	p.Post("/admin/roles", user, h.saveRole)
	p.Get("/admin/policy", user, h.policy)
	p.Post("/admin/policy", user, h.savePolicy)
	p.Get("/admin/audit", user, h.auditLog)
	p.Get("/admin/help-requests", user, h.helpInbox)
	p.Get("/admin/help-requests/:id<int>", user, h.helpCase)
	p.Post("/admin/help-requests/:id<int>/email-code", user, h.helpEmailCode)
	p.Post("/admin/help-requests/:id<int>/check", user, h.helpCheck)
	p.Post("/admin/help-requests/:id<int>/pass", user, h.helpIssue)
}
