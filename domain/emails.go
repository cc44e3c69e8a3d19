package domain

import (
	"fmt"
	"html"
	"strings"
)

// mailBody builds the text and HTML bodies of one e-mail from paragraphs; a paragraph
// that is a link (starts with http) becomes a button in the HTML part.
func mailBody(to, subject, category string, paras ...string) Email {
	var h strings.Builder
	h.WriteString(`<div style="font-family:system-ui,sans-serif;max-width:560px;line-height:1.5;color:#1b2430">`)
	for _, p := range paras {
		if strings.HasPrefix(p, "http") {
			fmt.Fprintf(&h, `<p><a href="%s" style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Open the link</a></p><p style="font-size:13px;color:#555">Or copy this address: %s</p>`,
				html.EscapeString(p), html.EscapeString(p))
			continue
		}
		fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(p))
	}
	h.WriteString("</div>")
	return Email{To: to, Subject: subject, Text: strings.Join(paras, "\n\n") + "\n", HTML: h.String(), Category: category}
}

func resetEmail(p *Portal, u *User, link string, minutes int) Email {
	return mailBody(u.Email, "Reset your "+p.Name+" password", "reset",
		"Hello "+u.DisplayName+",",
		"Someone (hopefully you) asked to reset the password of your "+p.Name+" account ("+u.Username+"). Open this link to choose a new password:",
		link,
		fmt.Sprintf("The link works once and expires in %d minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.", minutes),
		"Use the new password on the web and in the mobile app.")
}

func passwordChangedEmail(p *Portal, u *User, forgotLink string) Email {
	return mailBody(u.Email, "Your "+p.Name+" password was changed", "password_changed",
		"Hello "+u.DisplayName+",",
		"The password of your "+p.Name+" account ("+u.Username+") was just changed. You were signed out on every device and in the mobile app: sign in again with the new password.",
		"If this was not you, reset your password now and tell your administrator:",
		forgotLink)
}

func lockoutEmail(p *Portal, u *User, forgotLink string, minutes int) Email {
	return mailBody(u.Email, "Sign-in to "+p.Name+" was locked", "lockout",
		"Hello "+u.DisplayName+",",
		fmt.Sprintf("Someone tried to sign in to your %s account (%s) with a wrong password several times, so sign-in is locked for %d minutes.", p.Name, u.Username, minutes),
		"If that was you, wait for the lock to end or reset your password. If it was not you, reset your password now:",
		forgotLink)
}

func emailChangedEmail(p *Portal, u *User, to, old, new string) Email {
	return mailBody(to, "The e-mail address of your "+p.Name+" account was changed", "email_changed",
		"Hello "+u.DisplayName+",",
		"The e-mail address on your "+p.Name+" account ("+u.Username+") was changed from "+old+" to "+new+" by your administrator. Password reset links now go to the new address; links sent before no longer work.",
		"If you did not expect this, contact your administrator.")
}

func setupEmail(p *Portal, u *User, link string, hours int) Email {
	return mailBody(u.Email, "Your "+p.Name+" account is ready", "setup",
		"Hello "+u.DisplayName+",",
		"An account was created for you on "+p.Name+". Your username is "+u.Username+". Open this link to choose your password:",
		link,
		fmt.Sprintf("The link works once and expires in %d hours. Then sign in on the web or in the mobile app.", hours))
}
