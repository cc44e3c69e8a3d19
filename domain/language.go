package domain

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// LanguageOf is the language e-mail to u is written in: the person's saved choice,
// else the portal's default language.
func LanguageOf(p *Portal, u *User) i18n.Lang {
	return i18n.Negotiate(u.Language, "", "", p.Policy.Language)
}

// linkLanguage is the language of an e-mailed link: the person's saved choice; for a
// link they asked for themselves (no actor), the language of the page they asked on;
// else the portal's default.
func linkLanguage(ctx context.Context, p *Portal, u *User, actorID int64) i18n.Lang {
	if l, ok := i18n.Chosen(ctx); ok && u.Language == "" && actorID == 0 {
		return l
	}
	return LanguageOf(p, u)
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
