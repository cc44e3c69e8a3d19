package bot

import "slices"

// Facts are what the person told us, kept for the conversation so that the
// assistant never asks again: one bit per id of factNames.
type Facts uint32

// factNames are the facts of the reply corpus spec, in bit order.
var factNames = []string{
	"waited", "reset_done", "web_reset_done", "on_app", "app_restarted", "reinstalled",
	"no_email", "checked_spam", "email_wrong", "email_fixed", "no_recovery_codes",
	"has_phone", "lost_phone", "is_manager", "for_someone_else", "admin_unknown", "admin_unavailable",
}

// The facts, as bits.
const (
	FactWaited Facts = 1 << iota
	FactResetDone
	FactWebResetDone
	FactOnApp
	FactAppRestarted
	FactReinstalled
	FactNoEmail
	FactCheckedSpam
	FactEmailWrong
	FactEmailFixed
	FactNoRecoveryCodes
	FactHasPhone
	FactLostPhone
	FactIsManager
	FactForSomeoneElse
	FactAdminUnknown
	FactAdminUnavailable
)

// with adds what a message told: a corrected e-mail address is no longer
// wrong (the reset is requested again), and a reset whose e-mail never came
// was only requested, not done ("did forgot password, nothing arrived").
func (f Facts) with(told Facts) Facts {
	if told&FactEmailFixed != 0 {
		f &^= FactEmailWrong
		told &^= FactEmailWrong
	}
	if told&FactWebResetDone != 0 {
		told |= FactResetDone // a reset on the web is a reset
	}
	if told&FactNoEmail != 0 {
		f &^= FactResetDone | FactWebResetDone
		told &^= FactResetDone | FactWebResetDone
	}
	return f | told
}

// Has reports whether every fact of f2 is known.
func (f Facts) Has(f2 Facts) bool { return f&f2 == f2 }

// Names lists the known facts' ids.
func (f Facts) Names() []string {
	var out []string
	for i, n := range factNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// factBit is the bit of a fact id, 0 for an unknown one.
func factBit(name string) Facts {
	if i := slices.Index(factNames, name); i >= 0 {
		return 1 << i
	}
	return 0
}

// specSteps are the steps the reply corpus is labelled in: what the
// assistant had just said. Every node of the flows names one (node.Spec).
var specSteps = []string{
	"lock_reset_or_wait", "open_forgot", "check_email", "email_right", "set_password", "sign_in_again",
	"reused_choose_new", "app_reset_on_web_first", "app_sign_out_close", "app_reinstall",
	"two_step_recovery", "two_step_time", "admin_open_profile", "ask_are_you_manager",
	"no_permission_explain", "contact_admin", "hr_it", "did_that_fix_it",
}

func wordCount(toks []string) int {
	n := 0
	for _, t := range toks {
		if t != "." {
			n++
		}
	}
	return n
}
