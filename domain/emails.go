package domain

import (
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Every e-mail is written in its reader's language (LanguageOf): their saved choice,
// else the portal's default; a link people ask for themselves, else the language they
// asked in (linkLanguage).

func resetEmail(l i18n.Lang, p *Portal, u *User, link string, minutes int) Mail {
	return newMail(l, u.Email, l.T("mail.reset.subject", "Portal", p.Name), "reset",
		para(l.T("mail.greeting", "Name", u.DisplayName)),
		para(l.T("mail.reset.intro", "Portal", p.Name, "Username", u.Username)),
		linkPart(l, link),
		para(l.T("mail.reset.expiry", "Count", minutes)),
		para(l.T("mail.reset.apps")))
}

// passwordChangedEmail tells the owner their password changed, worded for who changed it
// (c.reason): after their own change or a reset, the way back if it was not them is a
// reset link; after an administrator set it, who did, how the new password reaches them,
// and whom to contact.
func passwordChangedEmail(p *Portal, u *User, c change, notMe string) Mail {
	l := LanguageOf(p, u)
	hello := para(l.T("mail.greeting", "Name", u.DisplayName))
	subject := l.T("mail.changed.subject", "Portal", p.Name)
	switch c.reason {
	case ChangedByAdministrator:
		next := "mail.changed.by_admin.next"
		if c.mustChange {
			next = "mail.changed.by_admin.next_temporary"
		}
		return newMail(l, u.Email, subject, "password_changed", hello,
			para(l.T("mail.changed.by_admin.body", "Portal", p.Name, "Username", u.Username, "Name", c.actorName)),
			para(l.T(next, "Name", c.actorName)),
			para(l.T("mail.changed.by_admin.not_expected", "Contact", ContactText(l, p.Policy.AdminContact))),
			para(l.T("mail.not_me.intro")), linkPart(l, notMe))
	case ChangedByReset:
		return newMail(l, u.Email, subject, "password_changed", hello,
			para(l.T("mail.changed.by_reset.body", "Portal", p.Name, "Username", u.Username)),
			para(l.T("mail.not_me.intro")), linkPart(l, notMe))
	default:
		return newMail(l, u.Email, subject, "password_changed", hello,
			para(l.T("mail.changed.body", "Portal", p.Name, "Username", u.Username)),
			para(l.T("mail.not_me.intro")), linkPart(l, notMe))
	}
}

// lockoutEmail tells the owner their sign-in was locked, worded for what spent the last
// attempt (Attempt.Cause): wrong passwords; wrong codes after a right password, which
// means someone knows the password (change it); or right passwords whose second step
// was never finished.
func lockoutEmail(p *Portal, u *User, forgotLink, unlock, notMe string, minutes int, cause string) Mail {
	l := LanguageOf(p, u)
	body, advice := "mail.lockout.body", "mail.lockout.advice"
	switch cause {
	case CauseCode:
		body, advice = "mail.lockout.body_code", "mail.lockout.advice_code"
	case CauseHeld:
		body = "mail.lockout.body_held"
	}
	return newMail(l, u.Email, l.T("mail.lockout.subject", "Portal", p.Name), "lockout",
		para(l.T("mail.greeting", "Name", u.DisplayName)),
		para(l.T(body, "Portal", p.Name, "Username", u.Username, "Count", minutes)),
		para(l.T(advice)),
		linkPart(l, forgotLink),
		para(l.T("mail.lockout.unlock")),
		linkPart(l, unlock),
		para(l.T("mail.not_me.intro")),
		linkPart(l, notMe))
}

func emailChangedEmail(p *Portal, u *User, to, old, new, notMe string) Mail {
	l := LanguageOf(p, u)
	return newMail(l, to, l.T("mail.email_changed.subject", "Portal", p.Name), "email_changed",
		para(l.T("mail.greeting", "Name", u.DisplayName)),
		para(l.T("mail.email_changed.body", "Portal", p.Name, "Username", u.Username, "Old", old, "New", new)),
		para(l.T("mail.email_changed.unexpected")),
		para(l.T("mail.not_me.intro")), linkPart(l, notMe))
}

// newDeviceEmail tells the person about a sign-in from a device they never used here.
func newDeviceEmail(l i18n.Lang, p *Portal, u *User, device, ip string, at time.Time, notMe string) Mail {
	return newMail(l, u.Email, l.T("mail.new_device.subject", "Portal", p.Name), "new_device",
		para(l.T("mail.greeting", "Name", u.DisplayName)),
		para(l.T("mail.new_device.body", "Portal", p.Name, "Username", u.Username, "Device", device, "Address", ip,
			"Time", l.DateTime(at, p.Zone()))),
		para(l.T("mail.new_device.if_you")),
		para(l.T("mail.not_me.intro")), linkPart(l, notMe))
}

// notMeAdminEmail tells an administrator that a person said a security notice was not
// them, and what was done.
func notMeAdminEmail(p *Portal, admin, u *User, profile string) Mail {
	l := LanguageOf(p, admin)
	return newMail(l, admin.Email, l.T("mail.not_me_admin.subject", "Portal", p.Name, "Username", u.Username), "not_me_admin",
		para(l.T("mail.greeting", "Name", admin.DisplayName)),
		para(l.T("mail.not_me_admin.body", "Name", u.DisplayName, "Username", u.Username, "Portal", p.Name)),
		para(l.T("mail.not_me_admin.done")),
		linkPart(l, profile))
}

func setupEmail(l i18n.Lang, p *Portal, u *User, link string, hours int) Mail {
	return newMail(l, u.Email, l.T("mail.setup.subject", "Portal", p.Name), "setup",
		para(l.T("mail.greeting", "Name", u.DisplayName)),
		para(l.T("mail.setup.body", "Portal", p.Name, "Username", u.Username)),
		linkPart(l, link),
		para(l.T("mail.setup.expiry", "Count", hours)))
}
