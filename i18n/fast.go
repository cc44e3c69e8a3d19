package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Pages call T for every text they show, many of them with a placeholder (a portal's
// name, a number of minutes). go-i18n renders those through text/template, which costs
// microseconds per call; here every message whose forms hold only {{.Name}} actions (all
// of ours) is split once into literal and placeholder pieces, and filled in with a
// builder. The plural form comes from the same CLDR rules (x/text). Anything else falls
// back to go-i18n, and TestFastPathMatchesGoI18n holds the two to the same output.

// piece is a literal text or, when field is set, a placeholder.
type piece struct{ lit, field string }

// compiled is one message in one language: its plural forms split into pieces.
type compiled struct {
	forms map[plural.Form][]piece // only Other for a message without plural forms
}

var (
	compiledMsgs = map[Lang]map[string]*compiled{}
	tags         = map[Lang]language.Tag{} // filled from Supported
	action       = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
)

// compile splits m's forms, or returns nil when one holds a template action other than
// a plain {{.Name}}.
func compile(m *goi18n.Message) *compiled {
	c := &compiled{forms: map[plural.Form][]piece{}}
	for form, src := range map[plural.Form]string{
		plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two, plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other,
	} {
		if src == "" {
			continue
		}
		var ps []piece
		last := 0
		for _, loc := range action.FindAllStringSubmatchIndex(src, -1) {
			if loc[0] > last {
				ps = append(ps, piece{lit: src[last:loc[0]]})
			}
			ps = append(ps, piece{field: src[loc[2]:loc[3]]})
			last = loc[1]
		}
		if last < len(src) {
			ps = append(ps, piece{lit: src[last:]})
		}
		for _, p := range ps {
			if strings.Contains(p.lit, "{{") || strings.Contains(p.lit, "}}") {
				return nil
			}
		}
		c.forms[form] = ps
	}
	return c
}

// fill renders the message for l with the placeholder pairs kv; false sends the caller
// to go-i18n (a Count that is not a whole number, a missing placeholder).
func (c *compiled) fill(l Lang, kv []any) (string, bool) {
	pieces := c.forms[plural.Other]
	if len(c.forms) > 1 {
		n, ok := count(kv)
		if !ok {
			return "", false
		}
		form := plural.Cardinal.MatchPlural(tags[l], n, 0, 0, 0, 0)
		if ps, ok := c.forms[form]; ok {
			pieces = ps
		}
	}
	var b strings.Builder
	for _, p := range pieces {
		if p.field == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := lookup(kv, p.field)
		if !ok {
			return "", false
		}
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case Key:
			b.WriteString(l.T(string(v)))
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String(), true
}

func lookup(kv []any, name string) (any, bool) {
	for i := 0; i+1 < len(kv); i += 2 {
		if k, _ := kv[i].(string); k == name {
			return kv[i+1], true
		}
	}
	return nil, false
}

// count is the "Count" value as a whole number, if it is one.
func count(kv []any) (int, bool) {
	v, ok := lookup(kv, "Count")
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int:
		return n, n >= 0
	case int64:
		return int(n), n >= 0
	}
	return 0, false
}
