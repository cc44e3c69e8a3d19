package bot

// factNames are the facts of the reply corpus spec (what a message tells
// about the person), in the order of the fact model's classes.
var factNames = []string{
	"waited", "reset_done", "web_reset_done", "on_app", "app_restarted", "reinstalled",
	"no_email", "checked_spam", "email_wrong", "email_fixed", "no_recovery_codes",
	"has_phone", "lost_phone", "is_manager", "for_someone_else", "admin_unknown", "admin_unavailable",
}

// specSteps are the steps the reply corpus is labelled in: what the
// assistant had just said.
var specSteps = []string{
	"lock_reset_or_wait", "open_forgot", "check_email", "email_right", "set_password", "sign_in_again",
	"reused_choose_new", "app_reset_on_web_first", "app_sign_out_close", "app_reinstall",
	"two_step_recovery", "two_step_time", "admin_open_profile", "ask_are_you_manager",
	"no_permission_explain", "contact_admin", "hr_it", "did_that_fix_it",
}
