package domain

// The e-mails of assisted recovery, each in its reader's language (LanguageOf).

// helpArrivedEmail tells a helper that someone they may help asked for help. It names
// the person and the problem, never the message or phone number (those are on the
// request screen, behind sign-in).
func helpArrivedEmail(p *Portal, helper, user *User, req *HelpRequest, link string) Mail {
	l := LanguageOf(p, helper)
	return newMail(l, helper.Email, l.T("recovery.mail.arrived.subject", "Portal", p.Name, "Reference", req.Reference), "help_request",
		para(l.T("mail.greeting", "Name", helper.DisplayName)),
		para(l.T("recovery.mail.arrived.body", "Portal", p.Name, "Name", user.DisplayName, "Username", user.Username, "Problem", l.T(string(problemLabel(req.Problem))))),
		linkPart(l, link),
		para(l.T("recovery.mail.arrived.check")))
}

// helpCodeEmail sends the person the code they read back to the helper.
func helpCodeEmail(p *Portal, user, helper *User, code string, minutes int) Mail {
	l := LanguageOf(p, user)
	return newMail(l, user.Email, l.T("recovery.mail.code.subject", "Portal", p.Name), "help_code",
		para(l.T("mail.greeting", "Name", user.DisplayName)),
		para(l.T("recovery.mail.code.body", "Name", helper.DisplayName, "Code", code[:3]+" "+code[3:], "Count", minutes)),
		para(l.T("recovery.mail.code.not_you")))
}

// helpedBackInEmail tells the person, at to (their old and their new address when it
// changed), that a helper got them back in and what changed.
func helpedBackInEmail(p *Portal, user, helper *User, to, oldEmail string, req *HelpRequest, notMe string) Mail {
	l := LanguageOf(p, user)
	parts := []MailPart{
		para(l.T("mail.greeting", "Name", user.DisplayName)),
		para(l.T("recovery.mail.helped.body", "Portal", p.Name, "Username", user.Username, "Name", helper.DisplayName, "Reference", req.Reference)),
		para(l.T("recovery.mail.helped.signed_out")),
	}
	if req.ResetTwoStep {
		parts = append(parts, para(l.T("recovery.mail.helped.two_step_reset")))
	} else {
		parts = append(parts, para(l.T("recovery.mail.helped.two_step_kept")))
	}
	if req.NewEmail != "" && req.NewEmail != oldEmail {
		parts = append(parts, para(l.T("recovery.mail.helped.email", "Old", oldEmail, "New", req.NewEmail)))
	}
	parts = append(parts, para(l.T("recovery.mail.helped.not_you", "Contact", ContactText(l, p.Policy.AdminContact))))
	parts = append(parts, notMeParts(l, notMe)...)
	return newMail(l, to, l.T("recovery.mail.helped.subject", "Portal", p.Name), "helped_back_in", parts...)
}
