package pages

import (
	"net/url"
	"strconv"
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

func pageURL(portal, query string, page int) string {
	return "/" + portal + "/admin/employees?q=" + url.QueryEscape(query) + "&page=" + strconv.Itoa(page)
}

func eventLabel(t string) string {
	s := strings.ReplaceAll(t, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
