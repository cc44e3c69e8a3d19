package handlers

import (
	"bufio"
	"encoding/csv"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// roles shows the roles x permissions matrix.
func (h *handler) roles(c *fiber.Ctx) error { return h.renderRoles(c, fiber.StatusOK, "", nil) }

func (h *handler) renderRoles(c *fiber.Ctx, status int, problem string, pending map[int64][]domain.Permission) error {
	p, s := portalOf(c), sessionOf(c)
	roles, err := h.svc.Settings.RoleMatrix(c.UserContext(), s.User)
	if err != nil {
		return err
	}
	vm := pages.RolesVM{Portal: p, Actor: s.User, Roles: roles, CSRF: csrfToken(c), Notice: notice(c), Problem: problem, Pending: pending}
	return h.render(c, status, layouts.Meta{Title: "admin.roles.title"}, pages.Roles(vm))
}

// saveRole saves the whole matrix: each editable row names its role, and its ticked
// boxes are perm-ROLEID=PERMISSION.
func (h *handler) saveRole(c *fiber.Ctx) error {
	matrix := map[int64][]domain.Permission{}
	args := c.Context().PostArgs()
	for _, raw := range args.PeekMulti("role") {
		id, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return fiber.ErrBadRequest
		}
		perms := []domain.Permission{}
		for _, v := range args.PeekMulti("perm-" + string(raw)) {
			if p := domain.Permission(v); slices.Contains(domain.AllPermissions, p) {
				perms = append(perms, p)
			}
		}
		matrix[id] = perms
	}
	if len(matrix) == 0 {
		return fiber.ErrBadRequest
	}
	err := h.svc.Settings.SetMatrix(c.UserContext(), sessionOf(c).User, matrix, c.IP())
	if fe, ok := isForbidden(err); ok && fe.Rule != domain.ForbidMissingPermission {
		l := i18n.FromContext(c.UserContext())
		return h.renderRoles(c, fiber.StatusForbidden, l.T("errors.forbidden.not_saved", "Reason", l.T(fe.Reason, fe.Args...)), matrix)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.RolesPath(portalOf(c).Code), "role-saved"))
}

// policy shows the password and lockout policy form.
func (h *handler) policy(c *fiber.Ctx) error {
	pol, err := h.svc.Settings.Policy(sessionOf(c).User, portalOf(c))
	if err != nil {
		return err
	}
	return h.renderPolicy(c, fiber.StatusOK, pol, h.form(c))
}

func (h *handler) renderPolicy(c *fiber.Ctx, status int, pol domain.Policy, f pages.Form) error {
	roles, err := h.svc.Settings.Roles(c.UserContext(), portalOf(c).ID)
	if err != nil {
		return err
	}
	vm := pages.PolicyVM{Portal: portalOf(c), Actor: sessionOf(c).User, Policy: pol, Form: f, Notice: notice(c), Roles: roles}
	return h.render(c, status, layouts.Meta{Title: "admin.nav.policy"}, pages.PolicyPage(vm))
}

// savePolicy validates and saves the policy.
func (h *handler) savePolicy(c *fiber.Ctx) error {
	p := portalOf(c)
	num := func(name string) int {
		n, err := strconv.Atoi(c.FormValue(name))
		if err != nil {
			return -1
		}
		return n
	}
	pol := domain.Policy{
		MaxFailedAttempts: num("max_failed_attempts"), FailureWindowMinutes: num("failure_window_minutes"),
		LockoutMinutes: num("lockout_minutes"), HistoryDepth: num("history_depth"), MinLength: num("min_length"),
		ResetLinkMinutes: num("reset_link_minutes"), TempPasswordHours: num("temp_password_hours"),
		AuditRetentionDays: num("audit_retention_days"),
		SessionIdleMinutes: num("session_idle_minutes"), SessionHours: num("session_hours"),
		AppIdleDays: num("app_idle_days"), AppDays: num("app_days"),
		AdminContact: domain.Truncate(c.FormValue("admin_contact"), 400),
		TwoStepRoles: twoStepRoles(c),
		Language:     domain.Truncate(c.FormValue("language"), 16),
		TimeZone:     domain.Truncate(strings.TrimSpace(c.FormValue("time_zone")), 100),

		PeerCredentials: c.FormValue("peer_credentials") == "1",
	}
	// A form from before these settings existed leaves them as they are.
	if c.FormValue("audit_retention_days") == "" {
		pol.AuditRetentionDays = p.Policy.AuditRetentionDays
	}
	if c.FormValue("session_idle_minutes") == "" {
		pol.SessionIdleMinutes, pol.SessionHours, pol.AppIdleDays, pol.AppDays = p.Policy.SessionIdleMinutes, p.Policy.SessionHours, p.Policy.AppIdleDays, p.Policy.AppDays
	}
	if c.FormValue("peer_credentials_shown") == "" {
		pol.PeerCredentials = p.Policy.PeerCredentials
	}
	pol.PasskeysOff, pol.PasskeyRoles = passkeyPolicy(c, p.Policy)
	helpPolicy(c, p, &pol)
	if pol.Language == "" {
		pol.Language = p.Policy.Language
	}
	if pol.TimeZone == "" {
		pol.TimeZone = p.Policy.TimeZone
	}
	err := h.svc.Settings.UpdatePolicy(c.UserContext(), sessionOf(c).User, p, pol, c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f := h.form(c)
		f.Errors = fe
		return h.renderPolicy(c, fiber.StatusUnprocessableEntity, pol, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.PolicyPath(p.Code), "policy-saved"))
}

// auditLog shows a page of the filterable audit log, or exports all of it as CSV.
func (h *handler) auditLog(c *fiber.Ctx) error {
	p, s := portalOf(c), sessionOf(c)
	f, user, problem := auditFilter(c)
	if c.Query("format") == "csv" {
		return h.exportAudit(c, p, s.User, f, user)
	}
	page := max(c.QueryInt("page", 1), 1)
	log, err := h.svc.Settings.Audit(c.UserContext(), s.User, f, user, (page-1)*domain.AuditPageSize, domain.AuditPageSize)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if problem != "" {
		status = fiber.StatusUnprocessableEntity
	}
	failed, err := h.svc.Settings.UndeliveredMail(c.UserContext(), s.User)
	if err != nil {
		return err
	}
	vm := pages.AuditVM{Failed: failed, Portal: p, Actor: s.User, Log: log, Page: page,
		Query: domain.AuditQuery{User: user, Type: f.Type, From: c.Query("from"), To: c.Query("to")}, Problem: problem}
	return h.render(c, status, layouts.Meta{Title: "admin.nav.audit"}, pages.Audit(vm))
}

// auditFilter reads the filter fields and the username to narrow to.
func auditFilter(c *fiber.Ctx) (domain.AuditFilter, string, string) {
	var f domain.AuditFilter
	problem := ""
	user := domain.Truncate(c.Query("user"), 254)
	for _, t := range domain.EventTypes {
		if c.Query("type") == t {
			f.Type = t
		}
	}
	// The dates people pick are days in the portal's time zone.
	zone := portalOf(c).Zone()
	if d, ok := auditDay(c.Query("from"), zone); ok {
		f.From = d
	} else if c.Query("from") != "" {
		problem = "security.audit.bad_date"
	}
	if d, ok := auditDay(c.Query("to"), zone); ok {
		f.To = d.AddDate(0, 0, 1)
	} else if c.Query("to") != "" {
		problem = "security.audit.bad_date"
	}
	return f, user, problem
}

// auditDay reads a filter date, a day in zone; years outside 1970-9999 are refused, as
// PostgreSQL cannot compare a timestamp with year 0.
func auditDay(s string, zone *time.Location) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", s, zone)
	return d, err == nil && d.Year() >= 1970 && d.Year() <= 9999
}

// exportAudit streams every event matching the filter as CSV, read from the database in
// batches while it is written, so the export is never cut short nor held in memory.
// Beside the ids and codes, each row names the people and the event (in the reader's
// language); times are UTC.
func (h *handler) exportAudit(c *fiber.Ctx, p *domain.Portal, actor *domain.User, f domain.AuditFilter, user string) error {
	// Refuse a reader without the permission before the answer starts.
	if err := domain.Authorize(actor, domain.PermViewAudit); err != nil {
		return err
	}
	ctx, code := c.UserContext(), p.Code
	lang := i18n.FromContext(ctx)
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store") // addresses and account events: never kept in a cache
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+code+`-audit.csv"`)
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		w := csv.NewWriter(bw)
		_ = w.Write([]string{"time", "type", "event", "user_id", "username", "actor_id", "actor_username", "detail", "ip"})
		err := h.svc.Settings.ExportAudit(ctx, actor, f, user, func(e domain.AuditEvent, user, by string) error {
			_ = w.Write([]string{e.CreatedAt.UTC().Format(time.RFC3339), e.Type, lang.T(pages.EventLabel(e.Type)),
				auditID(e.UserID), csvSafe(user), auditID(e.ActorID), csvSafe(by), csvSafe(e.Detail), e.IP})
			return w.Error()
		})
		w.Flush()
		if err == nil {
			err = w.Error()
		}
		if err != nil {
			// The status line is sent: the file ends early, and the log says why.
			slog.ErrorContext(ctx, "audit export", "portal", code, "err", err)
		}
	})
	return nil
}

// auditID writes a person's id, or nothing for none.
func auditID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
