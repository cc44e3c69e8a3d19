package bot

import (
	"slices"
	"strings"
	"sync"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Controls are the names of buttons and screens the steps mention: the
// message ids the pages themselves use, so page and assistant say the same
// words in every language (TestHelpStepsNameControlsThatExist renders the
// pages and checks each one is there).
var Controls = map[string]string{
	"CtlForgot":         "pages.signin.forgot_password",
	"CtlEmployees":      "admin.nav.employees",
	"CtlNewProfile":     "admin.employees.new_profile",
	"CtlCreateProfile":  "admin.new.create",
	"CtlSecurity":       "admin.profile.security",
	"CtlSetPassword":    "admin.profile.set_password",
	"CtlForceChange":    "admin.profile.force_change",
	"CtlSendReset":      "admin.profile.send_reset",
	"CtlUnlock":         "admin.profile.unlock",
	"CtlChangeEmail":    "admin.profile.change_email",
	"CtlLostPhone":      "twostep.code.lost",
	"CtlRecoverySignIn": "twostep.code.recovery_submit",
	"CtlResetTwoStep":   "twostep.admin.reset",
}

// lang is the language of this turn's answer: the person's own once their
// messages made it clear, else the page's.
func (t *turn) lang() i18n.Lang {
	if l, ok := i18n.Parse(t.st.Lang); ok && t.st.Lang != "" {
		return l
	}
	if t.c.Lang != "" {
		return t.c.Lang
	}
	return i18n.English
}

// say renders a message of the catalogue with the portal's numbers, names
// and controls; kv adds values for this message only.
func (t *turn) say(id string, kv ...any) string {
	l := t.lang()
	if len(kv) == 0 {
		if text, ok := plainText(l, id); ok {
			return text
		}
	}
	if t.kv == nil || t.kvLang != l {
		t.kv, t.kvLang = t.data(l), l
	}
	if len(kv) == 0 {
		return l.T(id, t.kv...)
	}
	return l.T(id, append(slices.Clip(t.kv), kv...)...)
}

// data is every value a text may use.
func (t *turn) data(l i18n.Lang) []any {
	p := t.c.Policy
	if p.LockoutMinutes == 0 && p.MinLength == 0 {
		p = domain.DefaultPolicy()
	}
	portal := strings.TrimSpace(t.c.PortalName)
	if portal == "" {
		portal = l.T("bot.default_portal")
	}
	admin := l.T("bot.generic_admin")
	if contact := strings.TrimSpace(t.c.AdminContact); contact != "" {
		admin = l.T("bot.configured_admin", "Contact", contact)
	}
	role, admins := l.T("bot.your_role"), l.T("bot.your_admins")
	if t.c.SignedIn {
		if t.c.Role != "" {
			role = t.c.Role
		}
		if len(t.c.Administrators) > 0 {
			names := make([]string, len(t.c.Administrators))
			for i, a := range t.c.Administrators {
				names[i] = a.Name
			}
			admins = strings.Join(names, ", ")
		}
	}
	kv := []any{
		"Portal", portal, "Admin", admin, "Role", role, "Admins", admins,
		"LockFor", l.T("minutes", "Count", p.LockoutMinutes),
		"LinkFor", l.T("minutes", "Count", p.ResetLinkMinutes),
		"TempFor", l.T("bot.hours", "Count", p.TempPasswordHours),
		"MinLength", p.MinLength, "History", p.HistoryDepth,
	}
	return append(kv, controlNames[l]...)
}

// plainTexts caches the messages that take no values, per language: most
// button labels and many questions. A message whose text shows "<no value>"
// when rendered without values takes some, and is rendered each time.
var plainTexts sync.Map // langID{} -> string, or nil for a message with values

type langID struct {
	l  i18n.Lang
	id string
}

func plainText(l i18n.Lang, id string) (string, bool) {
	k := langID{l, id}
	if v, ok := plainTexts.Load(k); ok {
		text, plain := v.(string)
		return text, plain
	}
	text := l.T(id)
	if strings.Contains(text, "<no value>") {
		plainTexts.Store(k, nil)
		return "", false
	}
	plainTexts.Store(k, text)
	return text, true
}

// controlNames are Controls rendered once per language, as name-value pairs.
var controlNames = map[i18n.Lang][]any{}

func init() {
	for _, l := range append(slices.Clone(i18n.Supported), i18n.Pseudo) {
		for name, id := range Controls {
			controlNames[l] = append(controlNames[l], name, l.T(id))
		}
	}
}
