// Package i18n is Watchpost's message catalogue: every text a person reads, in English,
// French and Spanish, with CLDR plural rules (github.com/nicksnyder/go-i18n/v2).
//
// Messages live in locales/AREA.LANG.toml (one file per area of the product and
// language, all loaded into one bundle). Pages call T(ctx, id, ...); code without a
// request context holds a Lang and calls Lang.T.
package i18n

import (
	"context"
	"embed"
	"html"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a supported language code: "en", "fr" or "es" (and "qps", the pseudo-locale
// tests render pages in).
type Lang string

// The supported languages. Default is the catalogue's source language.
const (
	English Lang = "en"
	French  Lang = "fr"
	Spanish Lang = "es"
	Pseudo  Lang = "qps"
	Default      = English
)

// Supported lists the languages people can choose, in the switcher's order.
var Supported = []Lang{English, French, Spanish}

//go:embed locales/*.toml
var files embed.FS

var (
	bundle     = goi18n.NewBundle(language.English)
	localizers = map[Lang]*goi18n.Localizer{}
	// sources holds the English text of every message, for the pseudo-locale.
	sources = map[string]*goi18n.Message{}
	// fixed holds the translation of every message without placeholders, per language,
	// and fixedHTML the same, escaped for HTML text.
	fixed     = map[Lang]map[string]string{}
	fixedHTML = map[Lang]map[string]string{}
)

func init() {
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	paths, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		buf, err := files.ReadFile(p)
		if err != nil {
			panic(err)
		}
		mf, err := bundle.ParseMessageFileBytes(buf, p)
		if err != nil {
			panic("i18n: " + p + ": " + err.Error())
		}
		if mf.Tag == language.English {
			for _, m := range mf.Messages {
				sources[m.ID] = m
			}
		}
		if l, ok := Parse(mf.Tag.String()); ok {
			if compiledMsgs[l] == nil {
				compiledMsgs[l] = map[string]*compiled{}
			}
			for _, m := range mf.Messages {
				if c := compile(m); c != nil {
					compiledMsgs[l][m.ID] = c
				}
			}
		}
	}
	for _, l := range Supported {
		localizers[l] = goi18n.NewLocalizer(bundle, string(l))
		tags[l] = language.Make(string(l))
	}
	// Most messages have no placeholders: translate them once, so that a page costs a
	// map lookup per text (the sign-in page benchmark holds this within 10% of English
	// literals).
	for _, l := range append([]Lang{Pseudo}, Supported...) {
		fixed[l], fixedHTML[l] = map[string]string{}, map[string]string{}
		for id, m := range sources {
			if m.One == "" && !strings.Contains(m.Other, "{{") {
				fixed[l][id] = l.localize(id, &goi18n.LocalizeConfig{MessageID: id})
				fixedHTML[l][id] = html.EscapeString(fixed[l][id])
			}
		}
	}
}

// Parse reads a language tag ("fr", "fr-CA", "ES") and says whether it names a
// supported language. Anything else, malformed or unknown, is simply not supported.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	l := Lang(s)
	if l == Pseudo {
		return l, true
	}
	for _, sup := range Supported {
		if l == sup {
			return l, true
		}
	}
	return "", false
}

// FromAcceptLanguage picks the best supported language from an Accept-Language header;
// false when it names none (or cannot be read).
func FromAcceptLanguage(header string) (Lang, bool) {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return "", false
	}
	for _, t := range tags {
		base, _ := t.Base()
		if l, ok := Parse(base.String()); ok && l != Pseudo {
			return l, true
		}
	}
	return "", false
}

// Negotiate chooses the language in PRODUCT.md's order: the person's saved preference,
// else the switcher's choice, else the browser's Accept-Language, else the portal's
// default, else English. Unknown or malformed values fall through quietly.
func Negotiate(saved, switcher, acceptLanguage, portalDefault string) Lang {
	for _, s := range []string{saved, switcher} {
		if l, ok := Parse(s); ok && s != "" {
			return l
		}
	}
	if l, ok := FromAcceptLanguage(acceptLanguage); ok {
		return l
	}
	// A portal's setting is validated when saved; the pseudo-locale reaches it only from
	// tests, which render e-mails in it.
	if l, ok := Parse(portalDefault); ok {
		return l
	}
	return Default
}

type ctxKey struct{}

// WithLang returns a context whose T speaks l.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// Chosen is the language WithLang stored, if any.
func Chosen(ctx context.Context) (Lang, bool) {
	if ctx == nil {
		return "", false
	}
	l, ok := ctx.Value(ctxKey{}).(Lang)
	return l, ok
}

// FromContext is the language WithLang stored, or Default.
func FromContext(ctx context.Context) Lang {
	if ctx != nil {
		if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
			return l
		}
	}
	return Default
}

// T translates id into the context's language. kv are pairs of placeholder name and
// value ("Minutes", 5); a "Count" value also chooses the plural form.
func T(ctx context.Context, id string, kv ...any) string {
	return FromContext(ctx).T(id, kv...)
}

// T translates id into l. A message missing in l falls back to English; a message
// missing everywhere shows its id (and is logged), which the catalogue tests forbid.
func (l Lang) T(id string, kv ...any) string {
	if len(kv) == 0 {
		if s, ok := fixed[l][id]; ok {
			return s
		}
	}
	if c, ok := compiledMsgs[l][id]; ok && l != Pseudo {
		if s, ok := c.fill(l, kv); ok {
			return s
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			data[k] = kv[i+1]
			if key, ok := kv[i+1].(Key); ok {
				data[k] = l.T(string(key))
			}
			if k == "Count" {
				cfg.PluralCount = kv[i+1]
			}
		}
		cfg.TemplateData = data
	}
	return l.localize(id, cfg)
}

func (l Lang) localize(id string, cfg *goi18n.LocalizeConfig) string {
	if l == Pseudo {
		return pseudo(id, cfg)
	}
	loc, ok := localizers[l]
	if !ok {
		loc = localizers[Default]
	}
	s, err := loc.Localize(cfg)
	if err != nil {
		slog.Warn("i18n: message missing", "id", id, "lang", string(l), "err", err)
		if s == "" {
			return id
		}
	}
	return s
}

// Name is the language's name in itself, for the switcher ("Français").
func (l Lang) Name() string { return l.T("lang.name") }

// Key is a placeholder value that is itself a message id: T translates it into the same
// language before filling it in (a permission's name inside a sentence).
type Key string

// Has tells whether the catalogue holds id.
func Has(id string) bool {
	_, ok := sources[id]
	return ok
}
