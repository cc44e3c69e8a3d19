package bot

// This file is the assistant's conversations: the documented steps, what
// each needs and settles, and each topic's plan (the steps in order). The
// planner (plan.go) gives the first step of the plan that is not given yet,
// not done and not ruled out by what the person told us. Every text is a
// message id of the catalogue (i18n/locales/bot.LANG.toml); the texts take
// the portal's live numbers and the names of the controls as the pages show
// them (see data in text.go). How a message is read is learnt from the
// corpus in corpus/, not written here.

// step is one documented step (or a yes/no question) of the conversations.
type step struct {
	ID   string // unique; the reply corpus's step id unless Spec names it
	Spec string // the reply corpus's step id, when it differs from ID
	Say  string // message id of the step (the question, for Ask steps)
	Help string // message id said when the person can't find it or doesn't know how
	// Links name fields of Links: forgot, signin, employees, account, article, mobile.
	Links []string
	Ask   bool  // a yes/no question
	Yes   Facts // what a yes tells
	No    Facts // what a no tells
	// FailIsYes: "still failing" answers the question with yes ("have you
	// reset on the web?" - "the app still refuses it").
	FailIsYes bool
	Final     bool  // the last step of a path (informational: "it worked" ends any step)
	Worked    Facts // what doing this step establishes
	Did       Facts // what "I already did that" tells
	// NotDone: what "I can't / I don't have that" tells ("no recovery codes").
	NotDone Facts
	// DontKnow: what "I don't know" tells ("no idea" to the recovery codes:
	// they don't have them).
	DontKnow Facts
	Fails    Facts // what "did it, still failing" tells
	// DoneIf: the step is already done, by what the person told us.
	DoneIf Facts
	// Needs: the step applies only when it holds; nil always applies.
	Needs    func(f Facts, c Context) bool
	Escalate bool // names the administrators (the ladder's first rung)
}

// specID is the step's id in the reply corpus (the reply model's context).
func (s *step) specID() string {
	if s.Spec != "" {
		return s.Spec
	}
	return s.ID
}

func lacks(f Facts) func(Facts, Context) bool {
	return func(k Facts, _ Context) bool { return k&f == 0 }
}
func has(f Facts) func(Facts, Context) bool { return func(k Facts, _ Context) bool { return k&f != 0 } }

// steps are every step, by id.
var steps = map[string]*step{
	"lock_reset_or_wait": {ID: "lock_reset_or_wait", Say: "bot.step.lock_reset_or_wait", Help: "bot.help.open_forgot", Links: []string{"forgot"},
		Final: true, DoneIf: FactResetDone | FactWaited, Fails: FactWaited},
	"open_forgot": {ID: "open_forgot", Say: "bot.step.open_forgot", Help: "bot.help.open_forgot", Links: []string{"forgot"},
		DoneIf: FactResetDone | FactNoEmail, Did: FactResetDone},
	// A reset requested but no e-mail yet: the spam and address steps follow.
	"check_email": {ID: "check_email", Say: "bot.step.check_email", Help: "bot.help.check_email",
		DoneIf: FactResetDone | FactNoEmail, Fails: FactNoEmail, Did: FactCheckedSpam},
	"spam": {ID: "spam", Spec: "check_email", Say: "bot.reset_email.check.step", Help: "bot.help.check_email",
		DoneIf: FactCheckedSpam | FactEmailWrong | FactEmailFixed | FactResetDone, Fails: FactCheckedSpam, Did: FactCheckedSpam, Needs: has(FactNoEmail)},
	"email_right": {ID: "email_right", Say: "bot.step.email_right", Ask: true, No: FactEmailWrong,
		DoneIf: FactEmailWrong | FactEmailFixed | FactResetDone, Needs: has(FactNoEmail)},
	"request_again": {ID: "request_again", Spec: "open_forgot", Say: "bot.reset_email.again.step", Help: "bot.help.open_forgot", Links: []string{"forgot"},
		DoneIf: FactResetDone, Needs: func(f Facts, _ Context) bool { return f&FactNoEmail != 0 && f&FactEmailWrong == 0 }, Fails: FactNoEmail},
	"set_password": {ID: "set_password", Say: "bot.step.set_password", Help: "bot.reset_email.link.step",
		DoneIf: FactResetDone, Worked: FactResetDone, Did: FactResetDone, Needs: lacks(FactEmailWrong)},
	"sign_in_again": {ID: "sign_in_again", Say: "bot.lockout.signin.step", Links: []string{"signin"}, Final: true,
		Needs: lacks(FactEmailWrong)},
	"lock_wait": {ID: "lock_wait", Spec: "lock_reset_or_wait", Say: "bot.step.lock_wait", Final: true,
		DoneIf: FactWaited, Fails: FactWaited, Did: FactWaited, Needs: has(FactResetDone)},
	"reused_choose_new": {ID: "reused_choose_new", Say: "bot.password_reuse.start.step", Final: true},
	"reuse_admin":       {ID: "reuse_admin", Spec: "reused_choose_new", Say: "bot.password_reuse.admin.step", Final: true},
	"app_reset_on_web_first": {ID: "app_reset_on_web_first", Say: "bot.mobile_app.start.say", Ask: true, FailIsYes: true,
		Yes: FactResetDone | FactWebResetDone, DoneIf: FactResetDone | FactWebResetDone},
	"app_sign_out_close": {ID: "app_sign_out_close", Say: "bot.mobile_app.still.step", Final: true,
		DoneIf: FactAppRestarted, Fails: FactAppRestarted, Did: FactAppRestarted, Needs: has(FactOnApp)},
	"app_reinstall": {ID: "app_reinstall", Say: "bot.mobile_app.reinstall.step", Final: true,
		DoneIf: FactReinstalled, Fails: FactReinstalled, Did: FactReinstalled, Needs: has(FactOnApp)},
	// "I can't" to the phone's clock: the phone is not there to set.
	"two_step_time": {ID: "two_step_time", Say: "bot.two_step.clock.step", Final: true, Needs: lacks(FactLostPhone), NotDone: FactLostPhone},
	"two_step_recovery": {ID: "two_step_recovery", Say: "bot.two_step.recovery.step", Help: "bot.q.two_step", Final: true,
		DoneIf: FactNoRecoveryCodes, Fails: FactNoRecoveryCodes, NotDone: FactNoRecoveryCodes, DontKnow: FactNoRecoveryCodes},
	"ask_are_you_manager": {ID: "ask_are_you_manager", Say: "bot.reset_other_user.start.say", Ask: true, Yes: FactIsManager,
		DoneIf: FactIsManager, Needs: func(_ Facts, c Context) bool { return !c.SignedIn }},
	"admin_open_profile": {ID: "admin_open_profile", Say: "bot.reset_other_user.open.step", Links: []string{"employees"},
		Needs: func(_ Facts, c Context) bool { return c.CanResetOthers || !c.SignedIn }},
	"admin_set": {ID: "admin_set", Spec: "admin_open_profile", Say: "bot.step.admin_set", Final: true,
		Needs: func(_ Facts, c Context) bool { return c.CanResetOthers || !c.SignedIn }},
	"not_manager": {ID: "not_manager", Spec: "no_permission_explain", Say: "bot.step.not_manager", Links: []string{"forgot"},
		Needs: func(f Facts, c Context) bool { return !c.SignedIn && f&FactIsManager == 0 }},
	"no_permission_explain": {ID: "no_permission_explain", Say: "bot.no_permission.start.step",
		Needs: func(_ Facts, c Context) bool { return !c.SignedIn || !c.CanResetOthers }},
	"fc_sign_in": {ID: "fc_sign_in", Spec: "sign_in_again", Say: "bot.force_change.start.step", Help: "bot.force_change.choose.step", Links: []string{"signin"}},
	"fc_choose":  {ID: "fc_choose", Spec: "set_password", Say: "bot.force_change.choose.step", Help: "bot.force_change.expired.step", Links: []string{"forgot"}, Final: true},
	"contact_admin": {ID: "contact_admin", Say: "bot.escalate", Escalate: true, Links: []string{"ask_help", "article"},
		DoneIf: FactAdminUnavailable, Fails: FactAdminUnavailable},
	"hr_it": {ID: "hr_it", Say: "bot.escalate.last", Final: true},
}

// plans are each topic's steps in order. The ladder ends every plan: the
// portal's administrators, then the employer's HR/payroll or IT department.
var plans = map[string][]string{
	Lockout: {"lock_reset_or_wait", "open_forgot", "check_email", "spam", "email_right", "request_again", "set_password", "sign_in_again", "lock_wait",
		"app_sign_out_close", "app_reinstall", "contact_admin", "hr_it"},
	ForgotPassword: {"open_forgot", "check_email", "spam", "email_right", "request_again", "set_password", "sign_in_again",
		"app_sign_out_close", "app_reinstall", "contact_admin", "hr_it"},
	ResetEmail:    {"spam", "email_right", "request_again", "set_password", "sign_in_again", "contact_admin", "hr_it"},
	PasswordReuse: {"reused_choose_new", "reuse_admin", "app_sign_out_close", "contact_admin", "hr_it"},
	MobileApp:     {"app_reset_on_web_first", "open_forgot", "check_email", "spam", "email_right", "request_again", "set_password", "sign_in_again", "app_sign_out_close", "app_reinstall", "contact_admin", "hr_it"},
	TwoStep:       {"two_step_time", "two_step_recovery", "contact_admin", "hr_it"},
	// A person asking how to reset someone's password is given the steps,
	// not asked first whether they may (the portal checks that).
	ResetOtherUser: {"admin_open_profile", "admin_set", "no_permission_explain", "contact_admin", "hr_it"},
	NoPermission:   {"no_permission_explain", "contact_admin", "hr_it"},
	SupportReset:   {"open_forgot", "check_email", "spam", "email_right", "request_again", "set_password", "sign_in_again", "contact_admin", "hr_it"},
	// Asked to change it, they are at the change page already: what to choose,
	// and the reset link when the temporary password expired (render).
	ForceChange:  {"fc_choose", "contact_admin", "hr_it"},
	ContactAdmin: {"contact_admin", "hr_it"},
	Fallback:     nil,
}

// implied are the facts a topic itself tells: a conversation about the app
// is on the app, one about the reset e-mail has not received it.
var implied = map[string]Facts{MobileApp: FactOnApp, ResetEmail: FactNoEmail, ResetOtherUser: FactForSomeoneElse}

// answerKnown: a topic's short answer is left out when these facts show
// the person has done what it explains (the app's "reset on the web first").
var answerKnown = map[string]Facts{MobileApp: FactResetDone | FactWebResetDone, ForgotPassword: FactResetDone | FactNoEmail, Lockout: FactWaited | FactResetDone}

// topicOrder lists the topics, fallback last.
var topicOrder = []string{ForgotPassword, Lockout, PasswordReuse, MobileApp, ResetEmail, ResetOtherUser,
	NoPermission, SupportReset, ForceChange, ContactAdmin, TwoStep, Fallback}

// menu is offered when nothing more specific fits: each starts a topic.
var menu = []struct{ Label, Topic string }{
	{"bot.menu.forgot", ForgotPassword},
	{"bot.menu.locked", Lockout},
	{"bot.menu.no_email", ResetEmail},
	{"bot.menu.app", MobileApp},
	{"bot.menu.two_step", TwoStep},
	{"bot.menu.reset_other", ResetOtherUser},
	{"bot.menu.contact_admin", ContactAdmin},
}
