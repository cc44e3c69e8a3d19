package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
)

// helpPolicy reads the policy form's assisted-recovery settings into pol; a form from
// before they existed leaves them as they are.
func helpPolicy(c *fiber.Ctx, p *domain.Portal, pol *domain.Policy) {
	if c.FormValue("help_request_hours") == "" {
		pol.HelpRequestHours, pol.RecoveryPassMinutes, pol.HelpInPersonForAdmins = p.Policy.HelpRequestHours, p.Policy.RecoveryPassMinutes, p.Policy.HelpInPersonForAdmins
		return
	}
	num := func(name string) int {
		n, err := strconv.Atoi(c.FormValue(name))
		if err != nil {
			return -1
		}
		return n
	}
	pol.HelpRequestHours, pol.RecoveryPassMinutes = num("help_request_hours"), num("recovery_pass_minutes")
	pol.HelpInPersonForAdmins = c.FormValue("help_in_person_for_admins") == "1"
}
