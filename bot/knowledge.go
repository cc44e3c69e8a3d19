package bot

// This file is the assistant's conversations: the documented steps of each
// topic, in order, with the buttons that go on. Every text is a message id
// of the catalogue (i18n/locales/bot.LANG.toml); the texts take the portal's
// live numbers and the names of the controls as the pages show them (see
// data in text.go). How a message is recognised is learnt from the corpus
// in corpus/*.tsv, not written here.

// topics are the conversation flows. Links name fields of Links: forgot,
// signin, employees, account, article, mobile.
var topics = []topic{
	{
		ID: ForgotPassword,
		Nodes: []node{
			{ID: "start", Say: "bot.forgot_password.start.say",
				Route: []route{{factOnApp, "app1"}},
				Options: []choice{
					{"bot.opt.on_web", "web1", kindWeb}, {"bot.opt.on_app", "app1", kindApp}, {"bot.opt.locked_out", "lockout/start", ""}}},
			{ID: "web1", Step: "bot.forgot_password.web1.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "web2", kindNext}, {"bot.opt.cant_find", "web_help", kindFail}, {"bot.opt.on_app", "app1", kindApp}}},
			{ID: "web_help", Say: "bot.forgot_password.web_help.say", Step: "bot.forgot_password.web_help.step", Links: []string{"signin", "forgot"},
				Options: []choice{{"bot.opt.next", "web2", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "app1", Say: "bot.forgot_password.app1.say", Step: "bot.forgot_password.app1.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "web2", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "web2", Step: "bot.forgot_password.web2.step",
				Options: []choice{{"bot.opt.got_email", "web3", kindNext}, {"bot.opt.no_email", "reset_email/start", kindFail}}},
			{ID: "web3", Step: "bot.forgot_password.web3.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.cant_reuse", "password_reuse/start", ""}, {"bot.opt.didnt_work", "escalate", kindFail}}},
		},
	},
	{
		ID: Lockout,
		Nodes: []node{
			{ID: "start", Step: "bot.lockout.start.step",
				Route:   []route{{factOnApp, "app1"}},
				Options: []choice{{"bot.opt.next", "reset", kindNext}, {"bot.opt.on_app", "app1", kindApp}, {"bot.opt.still_locked", "escalate", kindFail}}},
			{ID: "reset", Step: "bot.lockout.reset.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "signin", kindNext}, {"bot.opt.on_app", "app1", kindApp}, {"bot.opt.no_email", "reset_email/start", ""}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "signin", Step: "bot.lockout.signin.step", Links: []string{"signin"},
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.still_locked", "escalate", kindFail}}},
			{ID: "app1", Say: "bot.lockout.app1.say", Step: "bot.lockout.app1.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "app2", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "app2", Step: "bot.lockout.app2.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.still_failing", "mobile_app/reinstall", kindFail}}},
		},
	},
	{
		ID: PasswordReuse,
		Nodes: []node{
			{ID: "start", Step: "bot.password_reuse.start.step",
				Options: []choice{{"bot.opt.next", "save", kindNext}, {"bot.opt.still_refused", "admin", kindFail}}},
			{ID: "save", Step: "bot.password_reuse.save.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.still_refused", "admin", kindFail}, {"bot.opt.app_fails", "mobile_app/still", kindApp}}},
			{ID: "admin", Step: "bot.password_reuse.admin.step",
				Options: []choice{{"bot.opt.solved", "solved", kindNext}, {"bot.opt.contact_admin", "escalate", kindFail}}},
		},
	},
	{
		ID: MobileApp,
		Nodes: []node{
			{ID: "start", Say: "bot.mobile_app.start.say",
				Route: []route{{factReinstalled, "escalate"}, {factRestarted, "reinstall"}, {factResetWeb, "still"}},
				Options: []choice{
					{"bot.opt.yes_app_fails", "still", kindYes + "|" + kindFail}, {"bot.opt.not_yet", "web1", kindNo}}},
			{ID: "web1", Step: "bot.mobile_app.web1.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "web2", kindNext}, {"bot.opt.no_email", "reset_email/start", kindFail}}},
			{ID: "web2", Step: "bot.mobile_app.web2.step", Links: []string{"mobile"},
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "still", kindFail}}},
			{ID: "still", Step: "bot.mobile_app.still.step",
				Route:   []route{{factReinstalled, "escalate"}, {factRestarted, "reinstall"}},
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "reinstall", kindFail}}},
			{ID: "reinstall", Step: "bot.mobile_app.reinstall.step",
				Route:   []route{{factReinstalled, "escalate"}},
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
		},
	},
	{
		ID: ResetEmail,
		Nodes: []node{
			{ID: "start", Say: "bot.reset_email.start.say", Options: []choice{
				{"bot.opt.yes", "check", kindYes}, {"bot.opt.no_or_wrong", "wrong", kindNo}}},
			{ID: "check", Step: "bot.reset_email.check.step",
				Options: []choice{{"bot.opt.found_it", "link", kindNext}, {"bot.opt.nothing_there", "again", kindFail}}},
			{ID: "again", Step: "bot.reset_email.again.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.next", "link", kindNext}, {"bot.opt.still_nothing", "wrong", kindFail}}},
			{ID: "link", Step: "bot.reset_email.link.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "wrong", Step: "bot.reset_email.wrong.step",
				Route: []route{{condCanReset, "reset_other_user/open"}},
				Options: []choice{{"bot.opt.fixed_requested", "link", kindNext}, {"bot.opt.contact_admin", "escalate", kindFail},
					{"bot.opt.i_am_admin", "reset_other_user/start", kindAdmin}}},
		},
	},
	{
		ID: ResetOtherUser,
		Nodes: []node{
			{ID: "start", Say: "bot.reset_other_user.start.say",
				Route:   []route{{condCannotReset, "no_permission/start"}, {condCanReset, "open"}, {factManager, "open"}},
				Options: []choice{{"bot.opt.yes", "open", kindYes}, {"bot.opt.no", "notadmin", kindNo}}},
			{ID: "open", Step: "bot.reset_other_user.open.step", Links: []string{"employees"},
				Options: []choice{{"bot.opt.next", "set", kindNext}, {"bot.opt.dont_see", "no_permission/start", kindFail}}},
			{ID: "set", Step: "bot.reset_other_user.set.step",
				Options: []choice{{"bot.opt.next", "share", kindNext}, {"bot.opt.dont_see", "no_permission/start", kindFail}}},
			{ID: "share", Step: "bot.reset_other_user.share.step",
				Options: []choice{{"bot.opt.done", "solved", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "notadmin", Say: "bot.reset_other_user.notadmin.say", Step: "bot.reset_other_user.notadmin.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
		},
	},
	{
		ID: NoPermission,
		Nodes: []node{
			{ID: "start", Route: []route{{condCannotReset, "role"}, {condCanReset, "higher"}},
				Step:    "bot.no_permission.start.step",
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
			{ID: "role", Say: "bot.no_permission.role.say", Step: "bot.no_permission.role.step",
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
			{ID: "higher", Say: "bot.no_permission.higher.say", Step: "bot.no_permission.higher.step", Links: []string{"employees"},
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
		},
	},
	{
		ID: SupportReset,
		Nodes: []node{
			{ID: "start", Step: "bot.support_reset.start.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.done_worked", "solved", kindNext}, {"bot.opt.on_app", "mobile_app/start", kindApp}, {"bot.opt.didnt_work", "admin", kindFail}}},
			{ID: "admin", Step: "bot.support_reset.admin.step",
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
		},
	},
	{
		ID: ForceChange,
		Nodes: []node{
			{ID: "start", Step: "bot.force_change.start.step", Links: []string{"signin"},
				Options: []choice{{"bot.opt.next", "choose", kindNext}, {"bot.opt.temp_fails", "expired", kindFail}}},
			{ID: "choose", Step: "bot.force_change.choose.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.cant_reuse", "password_reuse/start", ""}, {"bot.opt.didnt_work", "escalate", kindFail}}},
			{ID: "expired", Step: "bot.force_change.expired.step", Links: []string{"forgot"},
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "escalate", kindFail}}},
		},
	},
	{
		ID: ContactAdmin,
		Nodes: []node{
			{ID: "start", Escalate: true, Links: []string{"article"},
				Options: []choice{{"bot.opt.start_over", "fallback/start", ""}}},
		},
	},
	{
		ID: TwoStep,
		Nodes: []node{
			{ID: "start", Say: "bot.two_step.start.say", Options: []choice{
				{"bot.opt.have_phone", "clock", kindYes}, {"bot.opt.lost_phone", "recovery", kindNo}}},
			{ID: "clock", Step: "bot.two_step.clock.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.didnt_work", "recovery", kindFail}}},
			{ID: "recovery", Step: "bot.two_step.recovery.step",
				Options: []choice{{"bot.opt.worked", "solved", kindNext}, {"bot.opt.no_codes", "admin", kindFail}}},
			{ID: "admin", Say: "bot.two_step.admin.say", Step: "bot.two_step.admin.step",
				Options: []choice{{"bot.opt.contact_admin", "escalate", kindNext}}},
		},
	},
	{
		ID: Fallback,
		Nodes: []node{
			{ID: "start", Say: "bot.fallback.start.say", Options: menu, Links: []string{"article"}},
		},
	},
}

// menu is offered when nothing more specific fits.
var menu = []choice{
	{"bot.menu.forgot", "forgot_password/start", ""},
	{"bot.menu.locked", "lockout/start", ""},
	{"bot.menu.no_email", "reset_email/start", ""},
	{"bot.menu.app", "mobile_app/start", ""},
	{"bot.menu.two_step", "two_step/start", ""},
	{"bot.menu.reset_other", "reset_other_user/start", ""},
	{"bot.menu.contact_admin", "contact_admin/start", ""},
}

// shared nodes end every flow.
var (
	escalateNode = node{ID: "escalate", Escalate: true, Links: []string{"article"},
		Options: []choice{{"bot.opt.start_over", "fallback/start", ""}}}
	solvedNode = node{ID: "solved", Say: "bot.solved.say", Options: menu}
)
