package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// The mock mobile API: the app signs in with JSON and bearer tokens. It has no reset of
// its own: every failure answers with the portal's web Forgot-password address.

type mobileSignIn struct {
	Portal     string `json:"portal"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"`
	// DeviceToken is what an earlier sign-in's answer gave the app to keep: with it the
	// app's own failed attempts count apart from everyone else's.
	DeviceToken string `json:"device_token,omitempty"`
}

type mobileUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Portal      string `json:"portal"`
	PortalName  string `json:"portal_name"`
}

func toMobileUser(p *domain.Portal, u *domain.User) mobileUser {
	return mobileUser{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role.Name, Portal: p.Code, PortalName: p.Name}
}

// apiError is a JSON API failure; the error handler writes it as
// {"error": code, "message": ..., extra...} with its status.
type apiError struct {
	status        int
	code, message string
	extra         fiber.Map
}

func (e *apiError) Error() string { return e.code }

func apiFail(status int, code, message string, extra fiber.Map) error {
	return &apiError{status: status, code: code, message: message, extra: extra}
}

func (e *apiError) body() fiber.Map {
	b := fiber.Map{"error": e.code, "message": e.message}
	for k, v := range e.extra {
		b[k] = v
	}
	return b
}

// decodeJSON reads a JSON request body strictly: right content type, known fields only.
func decodeJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return apiFail(fiber.StatusUnsupportedMediaType, "unsupported_media_type", i18n.T(c.UserContext(), "mobile.api.json_only"), nil)
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		l := i18n.FromContext(c.UserContext())
		return apiFail(fiber.StatusBadRequest, "bad_json", l.T("mobile.api.bad_json", "Problem", l.T(jsonProblem(err, c.Body()))), nil)
	}
	return nil
}

// jsonProblem names (as a catalogue id) a decoding error without echoing the input.
// encoding/json has no error type for an unknown field, so that is what remains when
// the body is one valid JSON object whose fields have the right types.
func jsonProblem(err error, body []byte) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "mobile.api.json_syntax"
	case errors.As(err, &typ):
		return "mobile.api.json_type"
	case json.Valid(body) && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")):
		return "mobile.api.json_unknown_field"
	}
	return "mobile.api.json_unreadable"
}

// mobileSignIn is POST /api/mobile/v1/session.
func (h *handler) mobileSignIn(c *fiber.Ctx) error {
	var in mobileSignIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.mobilePortal(c, in.Portal)
	if err != nil {
		return err
	}
	res, err := h.svc.Auth.SignIn(c.UserContext(), domain.SignInRequest{
		Portal: p, Identifier: in.Username, Password: in.Password, IP: c.IP(),
		Device: strings.ToValidUTF8(in.DeviceName, ""), DeviceToken: in.DeviceToken, Kind: domain.SessionMobile,
	})
	return h.mobileSignInAnswer(c, p, res, err)
}

// mobilePortal finds the portal an API request names, and answers from then on in the
// language the app asks for (Accept-Language), else the portal's default.
func (h *handler) mobilePortal(c *fiber.Ctx, code string) (*domain.Portal, error) {
	p, err := h.svc.Portals.ByCode(c.UserContext(), code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, apiFail(fiber.StatusNotFound, "unknown_portal", i18n.T(c.UserContext(), "mobile.api.unknown_portal"), nil)
	}
	if err != nil {
		return nil, err
	}
	l := i18n.Negotiate("", "", c.Get(fiber.HeaderAcceptLanguage), p.Policy.Language)
	c.SetUserContext(i18n.WithZone(i18n.WithLang(c.UserContext(), l), p.Zone()))
	return p, nil
}

// mobileSignInAnswer answers a sign-in's outcome (after the password, or after its
// second step): the token, or why not with the portal's web reset address.
func (h *handler) mobileSignInAnswer(c *fiber.Ctx, p *domain.Portal, res *domain.SignInResult, err error) error {
	l := i18n.FromContext(c.UserContext())
	resetURL := domain.AbsoluteURL(h.cfg.BaseURL, domain.ForgotPasswordPath(p.Code))
	reset := fiber.Map{"reset_url": resetURL}
	var locked *domain.LockedError
	var wrong *domain.InvalidCredentialsError
	var need *domain.TwoStepRequiredError
	switch {
	case errors.As(err, &need):
		return h.mobileNeedsTwoStep(c, p, need)
	case err == nil && res.User.MustChangePassword:
		// The app cannot set passwords: the user finishes on the web first.
		_ = h.svc.Auth.Discard(c.UserContext(), p.ID, res.Token)
		return apiFail(fiber.StatusForbidden, "password_change_required",
			l.T("mobile.api.change_required"), reset)
	case err == nil:
		c.Set(fiber.HeaderCacheControl, "no-store") // the body carries the token
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": res.Token, "expires_at": res.Session.ExpiresAt,
			"device_token": res.DeviceToken, "user": toMobileUser(p, res.User)})
	}
	if !errors.Is(err, domain.ErrInvalidCredentials) && !errors.Is(err, domain.ErrTempPasswordExpired) &&
		!errors.As(err, &locked) && !as[*domain.ValidationError](err) {
		return err // not about these credentials: the error handler answers
	}
	out, _ := outcomeOf(err)
	out.setRetryAfter(c)
	message, extra := "", reset
	if out.Message != "" {
		message = l.T(out.Message)
	}
	switch {
	case errors.As(err, &wrong) && wrong.LastTry():
		message += " " + l.T("security.signin.last_try", "Count", wrong.LockMinutes)
		reset["attempts_left"] = wrong.AttemptsLeft
	case errors.As(err, &locked):
		reset["retry_after_seconds"] = locked.SecondsLeft()
		reset["repeat"] = locked.Repeat
		message = l.T("mobile.api.locked", "Count", locked.MinutesLeft(), "Time", l.Clock(locked.Until, p.Zone()))
		if locked.Repeat {
			message += " " + l.T("pages.signin.locked_repeat", "Contact", domain.ContactText(l, p.Policy.AdminContact))
		}
	case as[*domain.ValidationError](err):
		extra = nil
	}
	return apiFail(out.APIStatus, out.Code, message, extra)
}

// mobileSession authenticates the bearer token of an API request.
func (h *handler) mobileSession(c *fiber.Ctx) error {
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok {
		return apiFail(fiber.StatusUnauthorized, "missing_token", i18n.T(c.UserContext(), "mobile.api.missing_token"), nil)
	}
	s, err := h.svc.Auth.Session(c.UserContext(), strings.TrimSpace(token), domain.SessionMobile)
	if errors.Is(err, domain.ErrSessionEnded) {
		return apiFail(fiber.StatusUnauthorized, "session_revoked", i18n.T(c.UserContext(), "mobile.api.session_revoked"), nil)
	}
	if err != nil {
		return err
	}
	p, err := h.svc.Portals.ByID(c.UserContext(), s.PortalID)
	if err != nil {
		return err
	}
	if p.Policy.SecondStepDue(s) { // the role requires two-step since: enrol on the web
		return apiFail(fiber.StatusForbidden, "two_step_enrolment_required", i18n.T(c.UserContext(), "twostep.api.enrol_on_web"),
			fiber.Map{"enrol_url": domain.AbsoluteURL(h.cfg.BaseURL, domain.SignInPath(p.Code))})
	}
	c.Locals(localSession, s)
	if err := h.svc.Auth.NoteLanguage(c.UserContext(), s); err != nil {
		return err
	}
	return c.Next()
}

// mobileMe is GET /api/mobile/v1/me.
func (h *handler) mobileMe(c *fiber.Ctx) error {
	s := sessionOf(c)
	p, err := h.svc.Portals.ByID(c.UserContext(), s.PortalID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": toMobileUser(p, s.User), "device_name": s.Device, "signed_in_at": s.CreatedAt})
}

// mobilePortalCheck is GET /api/mobile/v1/portals/:code: the app checks a typed portal
// code before asking for a password. It tells only whether the code exists (the root
// page's portal-code form tells as much).
func (h *handler) mobilePortalCheck(c *fiber.Ctx) error {
	p, err := h.mobilePortal(c, strings.ToLower(strings.TrimSpace(c.Params("code"))))
	if err != nil {
		return err
	}
	// The name the portal's own sign-in page shows: the app names the portal with it.
	return c.JSON(fiber.Map{"code": p.Code, "name": p.Name})
}

// mobileSignOut is DELETE /api/mobile/v1/session.
func (h *handler) mobileSignOut(c *fiber.Ctx) error {
	if err := h.svc.Auth.SignOut(c.UserContext(), sessionOf(c), c.IP()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// mobileForgot is the app's "Trouble signing in?" target: it opens the web reset page.
func (h *handler) mobileForgot(c *fiber.Ctx) error {
	p, err := h.svc.Portals.ByCode(c.UserContext(), c.Params("portal"))
	if errors.Is(err, domain.ErrNotFound) {
		return h.unknownPortal(c)
	}
	if err != nil {
		return err
	}
	return c.Redirect(domain.WithIdentifier(domain.ForgotPasswordPath(p.Code), c.Query(domain.IdentifierParam)), fiber.StatusSeeOther)
}

// mobileSimulator shows the phone that runs the app.
func (h *handler) mobileSimulator(c *fiber.Ctx) error {
	if !h.cfg.Simulator {
		return fiber.ErrNotFound
	}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "mobile.title", HelpTopic: "mobile_app"}, pages.Mobile())
}
