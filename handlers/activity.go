package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// accountActivity shows the signed-in person's sessions, known devices and sign-ins.
func (h *handler) accountActivity(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	a, err := h.svc.Auth.Activity(c.UserContext(), s)
	if err != nil {
		return err
	}
	vm := h.activityVM(c, a, s.ID)
	vm.Back, vm.Notice = domain.AccountPath(p.Code), notice(c)
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "devices.activity.title"}, pages.Activity(vm))
}

// employeeActivity shows an employee's activity to someone who may read the audit log.
func (h *handler) employeeActivity(c *fiber.Ctx) error {
	p := portalOf(c)
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	a, err := h.svc.Admin.EmployeeActivity(c.UserContext(), sessionOf(c).User, id)
	if err != nil {
		return err
	}
	vm := h.activityVM(c, a, "")
	vm.Admin, vm.Back = true, domain.EmployeePath(p.Code, id)
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "devices.activity.title"}, pages.Activity(vm))
}

func (h *handler) activityVM(c *fiber.Ctx, a *domain.Activity, current string) pages.ActivityVM {
	ctx := c.UserContext()
	l := i18n.FromContext(ctx)
	vm := pages.ActivityVM{Portal: portalOf(c), Person: a.Person, CSRF: csrfToken(c), Days: domain.ActivityDays}
	for _, x := range a.Sessions {
		vm.Sessions = append(vm.Sessions, pages.SessionRow{ID: x.ID, Kind: kindLabel(string(x.Kind)), Device: sessionDevice(ctx, x),
			IP: x.IP, LastSeen: x.LastSeenAt, Created: x.CreatedAt, Current: x.ID == current})
	}
	here := ""
	if t := c.Cookies(deviceCookie); current != "" && domain.ValidTokenShape(t) {
		here = domain.HashToken(t)
	}
	for _, d := range a.Devices {
		vm.Devices = append(vm.Devices, pages.DeviceRow{ID: d.ID, Name: domain.DeviceName(l, d.Name), FirstUsed: d.FirstUsedAt,
			LastUsed: d.LastUsedAt, LastIP: d.LastIP, Current: d.Hash == here})
	}
	for _, e := range a.Events {
		outcome, tone := activityOutcome(e.Type)
		row := pages.ActivityRow{At: e.CreatedAt, Outcome: outcome, Tone: tone, IP: e.IP}
		if e.Device != "" {
			row.Device = domain.DeviceName(l, e.Device)
		}
		vm.Events = append(vm.Events, row)
	}
	return vm
}

// activityOutcome names an activity event and its badge colour.
func activityOutcome(typ string) (string, string) {
	switch typ {
	case domain.EventSignIn:
		return "devices.event.signed_in", "ok"
	case domain.EventSignInFailed:
		return "devices.event.wrong_password", "warn"
	case domain.EventTwoStepFailed:
		return "devices.event.wrong_code", "warn"
	case domain.EventLocked:
		return "devices.event.locked", "err"
	case domain.EventRecoveryUsed:
		return "devices.event.recovery_code", "warn"
	case domain.EventNotMe:
		return "devices.event.not_me", "err"
	case domain.EventDeviceForgotten:
		return "devices.event.device_forgotten", "ok"
	}
	return "devices.event.unlocked", "ok" // EventUnlocked, EventUnlockedByLink
}

// forgetDevice forgets one of the person's known devices.
func (h *handler) forgetDevice(c *fiber.Ctx) error {
	p := portalOf(c)
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	if err := h.svc.Auth.ForgetDevice(c.UserContext(), sessionOf(c), id, c.IP()); err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.AccountActivityPath(p.Code), "device-forgotten"))
}

// endSession signs out one of the person's other sessions.
func (h *handler) endSession(c *fiber.Ctx) error {
	p := portalOf(c)
	if err := h.svc.Auth.EndSession(c.UserContext(), sessionOf(c), c.FormValue("session"), c.IP()); err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.AccountActivityPath(p.Code), "session-signed-out"))
}
