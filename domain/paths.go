package domain

import (
	"net/url"
	"strconv"
	"strings"
)

// Every address of the site is named here, once: each route's pattern (in Fiber's
// syntax, which handlers/routes.go registers as it is) and the function that builds that
// route's path for pages, forms, redirects, e-mails and the mobile API. A builder fills
// its own route's parameters, so the two cannot drift apart; handlers/paths_test.go
// checks that every builder's path reaches the route it is named after. A pattern with no
// parameters is its own path. A portal's pages live under its code: /CODE/....
//
// The first segments of the routes outside any portal are reserved: no portal may take
// one as its code (ReservedCode).

// Routes outside any portal.
const (
	RootPath       = "/"
	GoToPortalPath = "/go"
	MobilePath     = "/mobile"
	LanguageRoute  = "/language"
	AssetsRoute    = "/assets/*"
	FaviconRoute   = "/favicon.ico"
	HealthzRoute   = "/healthz"
	ReadyzRoute    = "/readyz"
	MetricsRoute   = "/metrics"

	// APIPrefix starts every JSON endpoint: such requests answer in JSON, carry no
	// CSRF cookie and keep the language they ask for.
	APIPrefix = "/api/"

	// The mobile app's API.
	MobileAPIRoute          = "/api/mobile/v1"
	MobileSessionRoute      = MobileAPIRoute + "/session"
	MobileTwoStepRoute      = MobileSessionRoute + "/two-step"
	MobilePortalCheckRoute  = MobileAPIRoute + "/portals/:code"
	MobileMeRoute           = MobileAPIRoute + "/me"
	MobileHelpRequestsRoute = MobileAPIRoute + "/help-requests"
	// MobileForgotRoute is the app's "Trouble signing in?" link (MobileForgotPath).
	MobileForgotRoute = "/m/:portal/forgot-password"

	// The help assistant outside portals; HelpMessagesAPI and HelpFeedbackJSON are its
	// JSON endpoints (the mobile app's), HelpFeedbackAPI its "Was this helpful?" form.
	HelpRoute        = "/help"
	HelpFeedbackAPI  = HelpRoute + "/feedback"
	HelpArticlePath  = HelpRoute + "/articles/password-assistance"
	HelpMessagesAPI  = "/api/help/messages"
	HelpFeedbackJSON = "/api/help/feedback"

	// The support console.
	SupportPath    = "/support"
	SupportSignIn  = SupportPath + "/sign-in"
	SupportSignOut = SupportPath + "/sign-out"
	// SupportTwoStepPath asks support staff for their code; SupportTwoStepEnrolPath
	// enrols them; SupportRecoveryCodesPath downloads their recovery codes.
	SupportTwoStepPath       = SupportPath + "/two-step"
	SupportTwoStepEnrolPath  = SupportTwoStepPath + "/enrol"
	SupportRecoveryCodesPath = SupportPath + "/recovery-codes.txt"
	SupportPortalRoute       = SupportPath + "/portals/:code"
	SupportLookUpRoute       = SupportPortalRoute + "/lookup"

	// The development mailbox (development mode only).
	DevRoute            = "/dev"
	MailboxPath         = DevRoute + "/mailbox"
	MailboxMessageRoute = MailboxPath + "/:id<int>"
)

// siteRoutes are the routes outside any portal; their first segments are the reserved
// portal codes. handlers/paths_test.go checks that every route registered outside a
// portal is reserved here.
var siteRoutes = [...]string{
	RootPath, GoToPortalPath, MobilePath, LanguageRoute, AssetsRoute, FaviconRoute, HealthzRoute,
	ReadyzRoute, MetricsRoute, APIPrefix, MobileAPIRoute, MobileForgotRoute, HelpRoute, HelpMessagesAPI,
	SupportPath, DevRoute,
}

// reservedCodes are the first path segments the site uses for itself.
var reservedCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range siteRoutes {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r, "/"), "/")
		if seg != "" && !strings.HasPrefix(seg, ":") {
			m[seg] = true
		}
	}
	return m
}()

// ReservedCode reports whether s is the first segment of a route outside any portal, so
// that a portal of that code would be shadowed by it.
func ReservedCode(s string) bool { return reservedCodes[s] }

// Routes inside a portal.
const (
	PortalRoute = "/:portal"
	HomeRoute   = PortalRoute + "/"

	PortalLanguageRoute     = PortalRoute + "/language"
	SignInRoute             = PortalRoute + "/sign-in"
	TwoStepRoute            = SignInRoute + "/two-step"
	TwoStepEnrolRoute       = SignInRoute + "/enrol"
	PasskeySignInRoute      = SignInRoute + "/passkey"
	PasskeySignInBeginRoute = PasskeySignInRoute + "/begin"
	SignOutRoute            = PortalRoute + "/sign-out"
	ForgotPasswordRoute     = PortalRoute + "/forgot-password"
	ResetRoute              = PortalRoute + "/reset/:token"
	ChangePasswordRoute     = PortalRoute + "/change-password"
	PasswordFeedbackRoute   = PortalRoute + "/password-feedback"
	UnlockRoute             = PortalRoute + "/unlock/:token"
	NotMeRoute              = PortalRoute + "/not-me/:token"
	PortalHelpRoute         = PortalRoute + "/help"
	HelpTallyRoute          = PortalHelpRoute + "/feedback"

	// Assisted recovery: asking for help, the requester's waiting page, the pass.
	AskHelpRoute        = PortalRoute + "/ask-for-help"
	HelpWaitRoute       = AskHelpRoute + "/:token"
	HelpWaitStatusRoute = HelpWaitRoute + "/status"
	RecoverRoute        = PortalRoute + "/recover"
	RecoverTokenRoute   = RecoverRoute + "/:token"

	AccountRoute              = PortalRoute + "/account"
	AccountPasswordRoute      = AccountRoute + "/password"
	SignOutOthersRoute        = AccountRoute + "/sign-out-others"
	AccountLanguageRoute      = AccountRoute + "/language"
	AccountActivityRoute      = AccountRoute + "/activity"
	ForgetDeviceRoute         = AccountActivityRoute + "/devices/:id<int>/forget"
	EndSessionRoute           = AccountActivityRoute + "/sessions/end"
	AccountTwoStepRoute       = AccountRoute + "/two-step"
	NewRecoveryCodesRoute     = AccountTwoStepRoute + "/recovery-codes"
	RecoveryCodesFileRoute    = AccountTwoStepRoute + "/recovery-codes.txt"
	DisableTwoStepRoute       = AccountTwoStepRoute + "/disable"
	AccountPasskeysRoute      = AccountRoute + "/passkeys"
	AccountPasskeyBeginRoute  = AccountPasskeysRoute + "/begin"
	AccountPasskeyRemoveRoute = AccountPasskeysRoute + "/remove"

	AdminRoute            = PortalRoute + "/admin" // a prefix only: no page of its own
	EmployeesRoute        = AdminRoute + "/employees"
	NewEmployeeRoute      = EmployeesRoute + "/new"
	EmployeeRoute         = EmployeesRoute + "/:id<int>"
	EmployeeActivityRoute = EmployeeRoute + "/activity"
	RolesRoute            = AdminRoute + "/roles"
	PolicyRoute           = AdminRoute + "/policy"
	AuditRoute            = AdminRoute + "/audit"
	HelpRequestsRoute     = AdminRoute + "/help-requests"
	HelpRequestRoute      = HelpRequestsRoute + "/:id<int>"
	HelpRequestEmailRoute = HelpRequestRoute + "/email-code"
	HelpRequestCheckRoute = HelpRequestRoute + "/check"
	HelpRequestPassRoute  = HelpRequestRoute + "/pass"
)

// EmployeeAction is one Security/Account form of an employee's profile, named by the
// route it posts to (EmployeeActionPath builds its path).
type EmployeeAction string

const (
	EmployeeSetPassword    EmployeeAction = EmployeeRoute + "/password"
	EmployeeSendReset      EmployeeAction = EmployeeRoute + "/reset-email"
	EmployeeUnlock         EmployeeAction = EmployeeRoute + "/unlock"
	EmployeeSignOut        EmployeeAction = EmployeeRoute + "/sign-out"
	EmployeeChangeEmail    EmployeeAction = EmployeeRoute + "/email"
	EmployeeChangeRole     EmployeeAction = EmployeeRoute + "/role"
	EmployeeDisable        EmployeeAction = EmployeeRoute + "/disable"
	EmployeeResetTwoStep   EmployeeAction = EmployeeRoute + "/two-step-reset"
	EmployeeRemovePasskeys EmployeeAction = EmployeeRoute + "/passkeys-remove"
)

// fill builds the path of route: each parameter segment (":name", with an optional
// <constraint>) takes the next of args, in order. A builder passing the wrong number of
// arguments is a programming error, which handlers/paths_test.go finds.
func fill(route string, args ...string) string {
	n := len(route)
	for _, a := range args {
		n += len(a)
	}
	var b strings.Builder
	b.Grow(n)
	for {
		i := strings.Index(route, "/:")
		if i < 0 {
			break
		}
		if len(args) == 0 {
			panic("domain: too few arguments for route " + route)
		}
		b.WriteString(route[:i+1])
		b.WriteString(args[0])
		args = args[1:]
		route = route[i+1:]
		if j := strings.IndexByte(route, '/'); j >= 0 {
			route = route[j:]
		} else {
			route = ""
		}
	}
	if len(args) != 0 {
		panic("domain: too many arguments for route " + route)
	}
	b.WriteString(route)
	return b.String()
}

// idSegment is an id as a path segment.
func idSegment(n int64) string { return strconv.FormatInt(n, 10) }

// PortalPath is a portal's prefix, e.g. /acme (its session cookie is scoped to it).
func PortalPath(code string) string { return fill(PortalRoute, code) }

// HomePath is a portal's signed-in home page.
func HomePath(code string) string { return fill(HomeRoute, code) }

// SignInPath is the web sign-in page of a portal.
func SignInPath(code string) string { return fill(SignInRoute, code) }

// TwoStepPath is the code step of a portal's web sign-in.
func TwoStepPath(code string) string { return fill(TwoStepRoute, code) }

// TwoStepEnrolPath is the enrolment a role requiring two-step is taken to at sign-in.
func TwoStepEnrolPath(code string) string { return fill(TwoStepEnrolRoute, code) }

// PasskeySignInPath finishes a passkey sign-in (a form post); PasskeySignInBeginPath
// starts one (JSON: the request options).
func PasskeySignInPath(code string) string      { return fill(PasskeySignInRoute, code) }
func PasskeySignInBeginPath(code string) string { return fill(PasskeySignInBeginRoute, code) }

// SignOutPath is where the sign-out form posts.
func SignOutPath(code string) string { return fill(SignOutRoute, code) }

// ForgotPasswordPath is the web Forgot-password page of a portal.
func ForgotPasswordPath(code string) string { return fill(ForgotPasswordRoute, code) }

// MobileForgotPath is the app's "Trouble signing in?" redirect to ForgotPasswordPath.
func MobileForgotPath(code string) string { return fill(MobileForgotRoute, code) }

// ResetPath is the page an e-mailed link opens.
func ResetPath(code, token string) string { return fill(ResetRoute, code, token) }

// ChangePasswordPath is the forced password change.
func ChangePasswordPath(code string) string { return fill(ChangePasswordRoute, code) }

// PasswordFeedbackPath answers the live password-strength hints.
func PasswordFeedbackPath(code string) string { return fill(PasswordFeedbackRoute, code) }

// UnlockPath is a lockout e-mail's self-service unlock link.
func UnlockPath(code, token string) string { return fill(UnlockRoute, code, token) }

// NotMePath is a security notice's "this wasn't me" link.
func NotMePath(code, token string) string { return fill(NotMeRoute, code, token) }

// AccountPath is the signed-in user's account page; AccountPasswordPath and
// SignOutOthersPath are its forms.
func AccountPath(code string) string         { return fill(AccountRoute, code) }
func AccountPasswordPath(code string) string { return fill(AccountPasswordRoute, code) }
func SignOutOthersPath(code string) string   { return fill(SignOutOthersRoute, code) }

// AccountLanguagePath is the account page's language form.
func AccountLanguagePath(code string) string { return fill(AccountLanguageRoute, code) }

// AccountActivityPath is the person's sign-in activity, devices and sessions.
func AccountActivityPath(code string) string { return fill(AccountActivityRoute, code) }

// ForgetDevicePath forgets one of the person's known devices.
func ForgetDevicePath(code string, device int64) string {
	return fill(ForgetDeviceRoute, code, idSegment(device))
}

// EndSessionPath signs one of the person's sessions out.
func EndSessionPath(code string) string { return fill(EndSessionRoute, code) }

// AccountTwoStepPath is two-step verification on the account page;
// AccountTwoStepNewDevicePath sets it up again on a new device.
func AccountTwoStepPath(code string) string { return fill(AccountTwoStepRoute, code) }
func AccountTwoStepNewDevicePath(code string) string {
	return AccountTwoStepPath(code) + "?new=1"
}

// NewRecoveryCodesPath replaces the person's recovery codes; DisableTwoStepPath turns
// two-step verification off.
func NewRecoveryCodesPath(code string) string { return fill(NewRecoveryCodesRoute, code) }
func DisableTwoStepPath(code string) string   { return fill(DisableTwoStepRoute, code) }

// RecoveryCodesFilePath downloads the recovery codes just shown as a text file.
func RecoveryCodesFilePath(code string) string { return fill(RecoveryCodesFileRoute, code) }

// AccountPasskeysPath is the passkeys section of the account page; its forms post below.
func AccountPasskeysPath(code string) string { return fill(AccountPasskeysRoute, code) }

// AccountPasskeyBeginPath starts adding a passkey (JSON: the creation options).
func AccountPasskeyBeginPath(code string) string { return fill(AccountPasskeyBeginRoute, code) }

// AccountPasskeyRemovePath removes one of the person's passkeys.
func AccountPasskeyRemovePath(code string) string { return fill(AccountPasskeyRemoveRoute, code) }

// LanguagePath is where the language switcher posts: inside a portal ("" for none), so
// that a signed-in person's choice is also saved on their profile.
func LanguagePath(code string) string {
	if code == "" {
		return LanguageRoute
	}
	return fill(PortalLanguageRoute, code)
}

// HelpPath is the help assistant of a portal ("" for the one outside portals), opening
// on topic when it is not "".
func HelpPath(code, topic string) string {
	p := HelpRoute
	if code != "" {
		p = fill(PortalHelpRoute, code)
	}
	if topic != "" {
		p += "?topic=" + url.QueryEscape(topic)
	}
	return p
}

// HelpArticleFor is the password-assistance article opened from a portal's help.
func HelpArticleFor(code string) string {
	if code == "" {
		return HelpArticlePath
	}
	return HelpArticlePath + "?portal=" + url.QueryEscape(code)
}

// HelpTallyPath is the administrators' "Was this helpful?" tally.
func HelpTallyPath(code string) string { return fill(HelpTallyRoute, code) }

// AskHelpPath is the "Ask my administrator for help" form; AskHelpAboutPath opens it
// with the problem chosen.
func AskHelpPath(code string) string { return fill(AskHelpRoute, code) }
func AskHelpAboutPath(code, problem string) string {
	if problem == "" {
		return AskHelpPath(code)
	}
	return AskHelpPath(code) + "?problem=" + url.QueryEscape(problem)
}

// HelpWaitPath is the requester's waiting page; HelpWaitStatusPath its live status.
func HelpWaitPath(code, token string) string       { return fill(HelpWaitRoute, code, token) }
func HelpWaitStatusPath(code, token string) string { return fill(HelpWaitStatusRoute, code, token) }

// RecoverPath redeems a recovery pass: with the link's token, or (token "") by its code.
func RecoverPath(code, token string) string {
	if token == "" {
		return fill(RecoverRoute, code)
	}
	return fill(RecoverTokenRoute, code, token)
}

// EmployeesPath is the employee list.
func EmployeesPath(code string) string { return fill(EmployeesRoute, code) }

// EmployeesSearchPath is one page of the employee list for a search.
func EmployeesSearchPath(code, query string, page int) string {
	return EmployeesFilterPath(code, EmployeeFilter{Query: query}, page)
}

// EmployeesFilterPath is one page of the employee list narrowed by f.
func EmployeesFilterPath(code string, f EmployeeFilter, page int) string {
	v := url.Values{}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	if f.Status != StatusAny {
		v.Set("status", string(f.Status))
	}
	if f.RoleID != 0 {
		v.Set("role", strconv.FormatInt(f.RoleID, 10))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return EmployeesPath(code)
	}
	return EmployeesPath(code) + "?" + v.Encode()
}

// NewEmployeePath is the create-profile form.
func NewEmployeePath(code string) string { return fill(NewEmployeeRoute, code) }

// EmployeePath is an employee's profile.
func EmployeePath(code string, employee int64) string {
	return fill(EmployeeRoute, code, idSegment(employee))
}

// EmployeeActionPath is where one Security/Account action on a profile posts.
func EmployeeActionPath(code string, employee int64, action EmployeeAction) string {
	return fill(string(action), code, idSegment(employee))
}

// EmployeeActivityPath is an employee's sign-in activity, for administrators.
func EmployeeActivityPath(code string, employee int64) string {
	return fill(EmployeeActivityRoute, code, idSegment(employee))
}

// EmployeePasskeysRemovePath removes every passkey of an employee (administration).
func EmployeePasskeysRemovePath(code string, employee int64) string {
	return EmployeeActionPath(code, employee, EmployeeRemovePasskeys)
}

// RolesPath, PolicyPath and AuditPath are the other administration screens.
func RolesPath(code string) string  { return fill(RolesRoute, code) }
func PolicyPath(code string) string { return fill(PolicyRoute, code) }
func AuditPath(code string) string  { return fill(AuditRoute, code) }

// AuditQuery is the audit log's filter as people typed it, for links between its pages.
type AuditQuery struct{ User, Type, From, To string }

// AuditPagePath is one page of the audit log narrowed by q.
func AuditPagePath(code string, q AuditQuery, page int) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"user", q.User}, {"type", q.Type}, {"from", q.From}, {"to", q.To}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return AuditPath(code)
	}
	return AuditPath(code) + "?" + v.Encode()
}

// HelpRequestsPath is the helpers' inbox.
func HelpRequestsPath(code string) string { return fill(HelpRequestsRoute, code) }

// HelpRequestPath is one request's screen for helpers; its forms send the requester a
// code by e-mail (HelpRequestEmailPath), record the checks made (HelpRequestCheckPath)
// and issue the recovery pass (HelpRequestPassPath).
func HelpRequestPath(code string, request int64) string {
	return fill(HelpRequestRoute, code, idSegment(request))
}
func HelpRequestEmailPath(code string, request int64) string {
	return fill(HelpRequestEmailRoute, code, idSegment(request))
}
func HelpRequestCheckPath(code string, request int64) string {
	return fill(HelpRequestCheckRoute, code, idSegment(request))
}
func HelpRequestPassPath(code string, request int64) string {
	return fill(HelpRequestPassRoute, code, idSegment(request))
}

// SupportPortalPath is the support console's read-only view of a portal.
func SupportPortalPath(code string) string { return fill(SupportPortalRoute, code) }

// SupportLookUpPath is where support's "find a person" form posts.
func SupportLookUpPath(code string) string { return fill(SupportLookUpRoute, code) }

// MailboxMessagePath is one message in the development mailbox.
func MailboxMessagePath(message int64) string { return fill(MailboxMessageRoute, idSegment(message)) }

// WithNotice adds the notice a page shows after a redirect (e.g. "password-changed").
func WithNotice(path, notice string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "notice=" + url.QueryEscape(notice)
}

// WithSection adds the section (an anchor) a page opens on, e.g. after a redirect.
func WithSection(path, section string) string { return path + "#" + section }

// IdentifierParam carries a username into the sign-in and forgot-password forms, so a
// person does not type it again (after a reset, or from the app's "Trouble signing in?").
const IdentifierParam = "identifier"

// WithIdentifier adds a username to fill in to a sign-in or forgot-password address.
func WithIdentifier(path, identifier string) string {
	if identifier == "" {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + IdentifierParam + "=" + url.QueryEscape(identifier)
}

// AbsoluteURL is path on the public base address (never the request's Host header):
// links in e-mail and the mobile API's reset_url.
func AbsoluteURL(baseURL, path string) string { return strings.TrimRight(baseURL, "/") + path }
