package domain

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// LanguageOf is the language e-mail to u is written in: the person's saved choice, else
// the language they last used here, else the portal's default language. Every e-mail
// of a journey (lockout, reset link, "password changed") follows it, so none switches
// language midway.
func LanguageOf(p *Portal, u *User) i18n.Lang {
	return i18n.Negotiate(u.Language, u.LastLanguage, "", p.Policy.Language)
}

// linkLanguage is the language of an e-mailed link: the person's saved choice; for a
// link they asked for themselves (no actor), the language of the page they asked on;
// else LanguageOf.
func linkLanguage(ctx context.Context, p *Portal, u *User, actorID int64) i18n.Lang {
	if l, ok := i18n.Chosen(ctx); ok && u.Language == "" && actorID == 0 {
		return l
	}
	return LanguageOf(p, u)
}

// noteLanguage records the language of the request as the one u last used here. proven
// says the request is the person's own (a session, a right password, a link from their
// mailbox); an anonymous request naming them (wrong passwords, a reset request) only
// fills in a language not known yet, so a stranger cannot change the language of the
// owner's e-mail.
func noteLanguage(ctx context.Context, st Store, u *User, proven bool) error {
	l, ok := i18n.Chosen(ctx)
	if !ok || u == nil || string(l) == u.LastLanguage || (!proven && u.LastLanguage != "") {
		return nil
	}
	if err := st.UpdateUserLastLanguage(ctx, u.PortalID, u.ID, string(l)); err != nil {
		return err
	}
	u.LastLanguage = string(l)
	return nil
}

// NoteLanguage records the language of a signed-in person's request as the one they
// last used here (a write only when it changed).
func (s *AuthService) NoteLanguage(ctx context.Context, sess *Session) error {
	return noteLanguage(ctx, s.store, sess.User, true)
}

// Zone is the portal's time zone (UTC when the setting cannot be read).
func (p *Portal) Zone() *time.Location {
	if loc, ok := i18n.LoadZone(p.Policy.TimeZone); ok {
		return loc
	}
	return time.UTC
}

// ContactText is the portal's "who to contact" setting in l: the seeded default is
// translated, a contact the administrators wrote is shown as written.
func ContactText(l i18n.Lang, contact string) string {
	if contact == DefaultPolicy().AdminContact {
		return l.T("common.default_admin_contact")
	}
	return contact
}

// SetLanguage saves the language a person chose for themselves; "" goes back to
// following the browser. An unsupported value is a field error.
func (s *AuthService) SetLanguage(ctx context.Context, sess *Session, lang string) error {
	if lang != "" {
		l, ok := i18n.Parse(lang)
		if !ok || l == i18n.Pseudo {
			return Invalid("language", "errors.language_unsupported")
		}
		lang = string(l)
	}
	if err := s.store.UpdateUserLanguage(ctx, sess.PortalID, sess.User.ID, lang); err != nil {
		return err
	}
	sess.User.Language = lang
	return nil
}
