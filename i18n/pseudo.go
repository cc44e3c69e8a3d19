package i18n

import (
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// PseudoOpen and PseudoClose bracket every pseudo-locale message, so a test can find
// visible text that did not come from the catalogue.
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

var accents = strings.NewReplacer(
	"a", "á", "e", "é", "i", "î", "o", "ö", "u", "û", "c", "ç", "n", "ñ", "s", "š", "y", "ý",
	"A", "Á", "E", "É", "I", "Î", "O", "Ö", "U", "Û", "C", "Ç", "N", "Ñ", "S", "Š", "Y", "Ý",
)

// pseudo renders the English message with accented letters, lengthened by about a third
// (as French and Spanish are), inside brackets. Placeholders are filled in unchanged.
func pseudo(id string, cfg *goi18n.LocalizeConfig) string {
	src, ok := sources[id]
	if !ok {
		return id
	}
	m := *src
	m.Zero, m.One, m.Two, m.Few, m.Many, m.Other = accent(m.Zero), accent(m.One), accent(m.Two), accent(m.Few), accent(m.Many), accent(m.Other)
	cfg = &goi18n.LocalizeConfig{DefaultMessage: &m, TemplateData: cfg.TemplateData, PluralCount: cfg.PluralCount}
	s, err := goi18n.NewLocalizer(goi18n.NewBundle(language.English)).Localize(cfg)
	if err != nil {
		return id
	}
	return PseudoOpen + s + strings.Repeat("~", len([]rune(s))/3) + PseudoClose
}

// accent changes the letters outside {{ template actions }}.
func accent(s string) string {
	var b strings.Builder
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(accents.Replace(s))
			break
		}
		b.WriteString(accents.Replace(s[:i]))
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j+2])
		s = s[i+j+2:]
	}
	return b.String()
}
