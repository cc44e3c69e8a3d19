package pages

import (
	"github.com/watchpost/watchpost/i18n"
	"strings"
)

func mailLines(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(body), "\n\n") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func isLink(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// EventLabel is the catalogue key naming an audit event type ("Signed in").
func EventLabel(t string) string {
	if id := "admin.event." + t; i18n.Has(id) {
		return id
	}
	return t
}
