package domain

import (
	"net/url"
	"strings"
)

// ReturnParam is the query or form field that carries the page to return to after sign-in.
const ReturnParam = "next"

// SignInReturnPath is the sign-in page that, once signed in, goes on to next (a path of
// the same portal; anything else is dropped).
func SignInReturnPath(portalCode, next string) string {
	return WithReturn(SignInPath(portalCode), portalCode, next)
}

// WithReturn is page (a sign-in step: the sign-in form, the forced password change)
// carrying next, the page to go on to once that step is done, when next is safe.
func WithReturn(page, portalCode, next string) string {
	if safe, ok := SafeReturnPath(portalCode, next); ok {
		return page + "?" + ReturnParam + "=" + url.QueryEscape(safe)
	}
	return page
}

// SafeReturnPath accepts next only as a plain path of this portal ("/acme/admin/audit",
// with an optional query), never another site, another portal or anything a browser could
// read as one: no scheme or host, no "//" or backslash, no encoded or dot segments.
func SafeReturnPath(portalCode, next string) (string, bool) {
	if portalCode == "" || len(next) > 1024 || !strings.HasPrefix(next, PortalPath(portalCode)+"/") && next != PortalPath(portalCode) {
		return "", false
	}
	p, rawQuery, _ := strings.Cut(next, "?")
	for _, r := range next {
		if r < 0x21 || r == 0x7f || r == '\\' || r > 0x7e {
			return "", false
		}
	}
	if strings.Contains(p, "%") || strings.Contains(p, "//") || strings.Contains(p+"/", "/./") || strings.Contains(p+"/", "/../") {
		return "", false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Path != p {
		return "", false
	}
	if p == SignInPath(portalCode) {
		return "", false // a loop, not a destination
	}
	if rawQuery != "" {
		return p + "?" + rawQuery, true
	}
	return p, true
}
