package domain

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// mailBody builds the text and HTML bodies of one e-mail from paragraphs; a paragraph
// that is a link (starts with http) becomes a button in the HTML part. The <html lang>
// tells mail programs (and screen readers) which language the message is in.
func mailBody(l i18n.Lang, to, subject, category string, paras ...string) Email {
	var h strings.Builder
	fmt.Fprintf(&h, `<div lang="%s" style="font-family:system-ui,sans-serif;max-width:560px;line-height:1.5;color:#1b2430">`, l)
	paras = slices.DeleteFunc(paras, func(p string) bool { return p == "" })
	for _, p := range paras {
		if strings.HasPrefix(p, "http") {
			fmt.Fprintf(&h, `<p><a href="%s" style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">%s</a></p><p style="font-size:13px;color:#555">%s</p>`,
				html.EscapeString(p), html.EscapeString(l.T("mail.open_link")), html.EscapeString(l.T("mail.copy_address", "URL", p)))
			continue
		}
		fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(p))
	}
	h.WriteString("</div>")
	return Email{To: to, Subject: subject, Text: strings.Join(paras, "\n\n") + "\n", HTML: h.String(), Category: category}
}

// Every e-mail is written in its reader's language (LanguageOf): their saved choice,
// else the portal's default; a link people ask for themselves, else the language they
// asked in (linkLanguage).

func resetEmail(l i18n.Lang, p *Portal, u *User, link string, minutes int) Email {
	return mailBody(l, u.Email, l.T("mail.reset.subject", "Portal", p.Name), "reset",
		l.T("mail.greeting", "Name", u.DisplayName),
		l.T("mail.reset.intro", "Portal", p.Name, "Username", u.Username),
		link,
		l.T("mail.reset.expiry", "Count", minutes),
		l.T("mail.reset.apps"))
}

// passwordChangedEmail tells the owner their password changed, worded for who changed it
// (c.reason): after their own change or a reset, the way back if it was not them is a
// reset link; after an administrator set it, who did, how the new password reaches them,
// and whom to contact.
func passwordChangedEmail(p *Portal, u *User, c change, notMe string) Email {
	l := LanguageOf(p, u)
	hello := l.T("mail.greeting", "Name", u.DisplayName)
	subject := l.T("mail.changed.subject", "Portal", p.Name)
	switch c.reason {
	case ChangedByAdministrator:
		next := "mail.changed.by_admin.next"
		if c.mustChange {
			next = "mail.changed.by_admin.next_temporary"
		}
		return mailBody(l, u.Email, subject, "password_changed", hello,
			l.T("mail.changed.by_admin.body", "Portal", p.Name, "Username", u.Username, "Name", c.actorName),
			l.T(next, "Name", c.actorName),
			l.T("mail.changed.by_admin.not_expected", "Contact", ContactText(l, p.Policy.AdminContact)),
			l.T("mail.not_me.intro"), notMe)
	case ChangedByReset:
		return mailBody(l, u.Email, subject, "password_changed", hello,
			l.T("mail.changed.by_reset.body", "Portal", p.Name, "Username", u.Username),
			l.T("mail.not_me.intro"), notMe)
	default:
		return mailBody(l, u.Email, subject, "password_changed", hello,
			l.T("mail.changed.body", "Portal", p.Name, "Username", u.Username),
			l.T("mail.not_me.intro"), notMe)
	}
}

// lockoutEmail tells the owner their sign-in was locked, worded for what spent the last
// attempt (Attempt.Cause): wrong passwords; wrong codes after a right password, which
// means someone knows the password (change it); or right passwords whose second step
// was never finished.
func lockoutEmail(p *Portal, u *User, forgotLink, unlock, notMe string, minutes int, cause string) Email {
	l := LanguageOf(p, u)
	body, advice := "mail.lockout.body", "mail.lockout.advice"
	switch cause {
	case CauseCode:
		body, advice = "mail.lockout.body_code", "mail.lockout.advice_code"
	case CauseHeld:
		body = "mail.lockout.body_held"
	}
	return mailBody(l, u.Email, l.T("mail.lockout.subject", "Portal", p.Name), "lockout",
		l.T("mail.greeting", "Name", u.DisplayName),
		l.T(body, "Portal", p.Name, "Username", u.Username, "Count", minutes),
		l.T(advice),
		forgotLink,
		l.T("mail.lockout.unlock"),
		unlock,
		l.T("mail.not_me.intro"),
		notMe)
}

func emailChangedEmail(p *Portal, u *User, to, old, new, notMe string) Email {
	l := LanguageOf(p, u)
	return mailBody(l, to, l.T("mail.email_changed.subject", "Portal", p.Name), "email_changed",
		l.T("mail.greeting", "Name", u.DisplayName),
		l.T("mail.email_changed.body", "Portal", p.Name, "Username", u.Username, "Old", old, "New", new),
		l.T("mail.email_changed.unexpected"),
		l.T("mail.not_me.intro"), notMe)
}

// newDeviceEmail tells the person about a sign-in from a device they never used here.
func newDeviceEmail(l i18n.Lang, p *Portal, u *User, device, ip string, at time.Time, notMe string) Email {
	return mailBody(l, u.Email, l.T("mail.new_device.subject", "Portal", p.Name), "new_device",
		l.T("mail.greeting", "Name", u.DisplayName),
		l.T("mail.new_device.body", "Portal", p.Name, "Username", u.Username, "Device", device, "Address", ip,
			"Time", l.DateTime(at, p.Zone())),
		l.T("mail.new_device.if_you"),
		l.T("mail.not_me.intro"), notMe)
}

// notMeAdminEmail tells an administrator that a person said a security notice was not
// them, and what was done.
func notMeAdminEmail(p *Portal, admin, u *User, profile string) Email {
	l := LanguageOf(p, admin)
	return mailBody(l, admin.Email, l.T("mail.not_me_admin.subject", "Portal", p.Name, "Username", u.Username), "not_me_admin",
		l.T("mail.greeting", "Name", admin.DisplayName),
		l.T("mail.not_me_admin.body", "Name", u.DisplayName, "Username", u.Username, "Portal", p.Name),
		l.T("mail.not_me_admin.done"),
		profile)
}

func setupEmail(l i18n.Lang, p *Portal, u *User, link string, hours int) Email {
	return mailBody(l, u.Email, l.T("mail.setup.subject", "Portal", p.Name), "setup",
		l.T("mail.greeting", "Name", u.DisplayName),
		l.T("mail.setup.body", "Portal", p.Name, "Username", u.Username),
		link,
		l.T("mail.setup.expiry", "Count", hours))
}
