package domain

import (
	"net/url"
	"strconv"
	"strings"
)

// Every address of the site is built here: pages, forms, redirects, e-mails and the
// mobile API use these functions, and handlers/routes.go registers the same shapes.
// A portal's pages live under its code: /CODE/....

// Paths outside any portal.
const (
	RootPath       = "/"
	GoToPortalPath = "/go"
	MobilePath     = "/mobile"
	MailboxPath    = "/dev/mailbox"
	SupportPath    = "/support"
	SupportSignIn  = "/support/sign-in"
	SupportSignOut = "/support/sign-out"
	// SupportTwoStepPath asks support staff for their code; SupportTwoStepEnrolPath
	// enrols them; SupportRecoveryCodesPath downloads their recovery codes.
	SupportTwoStepPath       = "/support/two-step"
	SupportTwoStepEnrolPath  = "/support/two-step/enrol"
	SupportRecoveryCodesPath = "/support/recovery-codes.txt"
	HelpArticlePath          = "/help/articles/password-assistance"
	HelpFeedbackAPI          = "/help/feedback"
)

// PortalPath is a portal's prefix, e.g. /acme (its session cookie is scoped to it).
func PortalPath(code string) string { return "/" + code }

// HomePath is a portal's signed-in home page.
func HomePath(code string) string { return PortalPath(code) + "/" }

// SignInPath is the web sign-in page of a portal.
func SignInPath(code string) string { return PortalPath(code) + "/sign-in" }

// SignOutPath is where the sign-out form posts.
func SignOutPath(code string) string { return PortalPath(code) + "/sign-out" }

// ForgotPasswordPath is the web Forgot-password page of a portal.
func ForgotPasswordPath(code string) string { return PortalPath(code) + "/forgot-password" }

// MobileForgotPath is the app's "Trouble signing in?" redirect to ForgotPasswordPath.
func MobileForgotPath(code string) string { return "/m/" + code + "/forgot-password" }

// ResetPath is the page an e-mailed link opens.
func ResetPath(code, token string) string { return PortalPath(code) + "/reset/" + token }

// ChangePasswordPath is the forced password change.
func ChangePasswordPath(code string) string { return PortalPath(code) + "/change-password" }

// PasswordFeedbackPath answers the live password-strength hints.
func PasswordFeedbackPath(code string) string { return PortalPath(code) + "/password-feedback" }

// AccountPath is the signed-in user's account page; AccountPasswordPath and
// SignOutOthersPath are its forms.
func AccountPath(code string) string         { return PortalPath(code) + "/account" }
func AccountPasswordPath(code string) string { return AccountPath(code) + "/password" }
func SignOutOthersPath(code string) string   { return AccountPath(code) + "/sign-out-others" }

// AccountLanguagePath is the account page's language form.
func AccountLanguagePath(code string) string { return AccountPath(code) + "/language" }

// LanguagePath is where the language switcher posts: inside a portal ("" for none), so
// that a signed-in person's choice is also saved on their profile.
func LanguagePath(code string) string {
	if code == "" {
		return "/language"
	}
	return PortalPath(code) + "/language"
}

// HelpPath is the help assistant of a portal ("" for the one outside portals), opening
// on topic when it is not "".
func HelpPath(code, topic string) string {
	p := "/help"
	if code != "" {
		p = PortalPath(code) + "/help"
	}
	if topic != "" {
		p += "?topic=" + url.QueryEscape(topic)
	}
	return p
}

// HelpTallyPath is the administrators' "Was this helpful?" tally.
func HelpTallyPath(code string) string { return PortalPath(code) + "/help/feedback" }

// AdminPath is the administration area of a portal.
func AdminPath(code string) string { return PortalPath(code) + "/admin" }

// EmployeesPath is the employee list.
func EmployeesPath(code string) string { return AdminPath(code) + "/employees" }

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
func NewEmployeePath(code string) string { return EmployeesPath(code) + "/new" }

// EmployeePath is an employee's profile.
func EmployeePath(code string, id int64) string {
	return EmployeesPath(code) + "/" + strconv.FormatInt(id, 10)
}

// EmployeeActionPath is where one Security/Account action on a profile posts
// (password, reset-email, unlock, sign-out, email, role, disable).
func EmployeeActionPath(code string, id int64, action string) string {
	return EmployeePath(code, id) + "/" + action
}

// RolesPath, PolicyPath and AuditPath are the other administration screens.
func RolesPath(code string) string  { return AdminPath(code) + "/roles" }
func PolicyPath(code string) string { return AdminPath(code) + "/policy" }
func AuditPath(code string) string  { return AdminPath(code) + "/audit" }

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

// SupportPortalPath is the support console's read-only view of a portal.
func SupportPortalPath(code string) string { return SupportPath + "/portals/" + code }

// SupportLookUpPath is where support's "find a person" form posts.
func SupportLookUpPath(code string) string { return SupportPortalPath(code) + "/lookup" }

// MailboxMessagePath is one message in the development mailbox.
func MailboxMessagePath(id int64) string { return MailboxPath + "/" + strconv.FormatInt(id, 10) }

// WithNotice adds the notice a page shows after a redirect (e.g. "password-changed").
func WithNotice(path, notice string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "notice=" + url.QueryEscape(notice)
}

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

// UnlockPath is a lockout e-mail's self-service unlock link.
func UnlockPath(code, token string) string { return PortalPath(code) + "/unlock/" + token }

// NotMePath is a security notice's "this wasn't me" link.
func NotMePath(code, token string) string { return PortalPath(code) + "/not-me/" + token }

// AccountActivityPath is the person's sign-in activity, devices and sessions.
func AccountActivityPath(code string) string { return AccountPath(code) + "/activity" }

// ForgetDevicePath forgets one of the person's known devices.
func ForgetDevicePath(code string, id int64) string {
	return AccountActivityPath(code) + "/devices/" + strconv.FormatInt(id, 10) + "/forget"
}

// EndSessionPath signs one of the person's sessions out.
func EndSessionPath(code string) string { return AccountActivityPath(code) + "/sessions/end" }

// EmployeeActivityPath is an employee's sign-in activity, for administrators.
func EmployeeActivityPath(code string, id int64) string { return EmployeePath(code, id) + "/activity" }
