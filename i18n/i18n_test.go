package i18n

import (
	"context"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/stretchr/testify/require"
)

// catalogue reads every locale file: language -> message id -> the text of each form.
func catalogue(t *testing.T) map[Lang]map[string][]string {
	t.Helper()
	out := map[Lang]map[string][]string{}
	paths, err := fs.Glob(files, "locales/*.toml")
	require.NoError(t, err)
	for _, p := range paths {
		parts := strings.Split(strings.TrimPrefix(p, "locales/"), ".")
		require.Len(t, parts, 3, "locale files are named AREA.LANG.toml: %s", p)
		l, ok := Parse(parts[1])
		require.True(t, ok, "%s: unsupported language", p)
		var raw map[string]any
		_, err := toml.DecodeFS(files, p, &raw)
		require.NoError(t, err, p)
		if out[l] == nil {
			out[l] = map[string][]string{}
		}
		for id, v := range raw {
			_, dup := out[l][id]
			require.False(t, dup, "%s: %q is defined twice for %s", p, id, l)
			switch v := v.(type) {
			case string:
				out[l][id] = []string{v}
			case map[string]any:
				for _, f := range v {
					out[l][id] = append(out[l][id], f.(string))
				}
			default:
				t.Fatalf("%s: %q has an unexpected shape", p, id)
			}
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(forms []string) []string {
	var out []string
	for _, f := range forms {
		for _, m := range placeholder.FindAllStringSubmatch(f, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryMessageInEveryLanguage fails when a key is missing in a language or a
// translation's placeholders differ from the English ones.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	cat := catalogue(t)
	en := cat[English]
	require.NotEmpty(t, en)
	for _, l := range Supported {
		for id, forms := range en {
			tr, ok := cat[l][id]
			if !ok {
				t.Errorf("%s: %q is missing", l, id)
				continue
			}
			if got, want := placeholders(tr), placeholders(forms); !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, English has %v", l, id, got, want)
			}
		}
		for id := range cat[l] {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %q has no English source", l, id)
			}
		}
	}
	t.Logf("%d messages in %d languages", len(en), len(Supported))
}

func TestNegotiateFallsThroughQuietly(t *testing.T) {
	cases := []struct {
		saved, cookie, accept, portal string
		want                          Lang
	}{
		{"fr", "es", "en", "en", French},
		{"", "es", "fr", "en", Spanish},
		{"", "klingon", "fr-CA,fr;q=0.9,en;q=0.5", "en", French},
		{"", "", "de-DE,es;q=0.8", "en", Spanish},
		{"", "", ";;;q=zz,", "es", Spanish},
		{"", "", "de", "xx", English},
		{"", "qps", "", "", Pseudo},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Negotiate(c.saved, c.cookie, c.accept, c.portal), "%+v", c)
	}
}

func TestPluralsFollowTheLanguage(t *testing.T) {
	require.Equal(t, "1 minute", English.T("minutes", "Count", 1))
	require.Equal(t, "15 minutes", English.T("minutes", "Count", 15))
	require.Equal(t, "1 minuto", Spanish.T("minutes", "Count", 1))
	require.Equal(t, "0 minute", French.T("minutes", "Count", 0), "French uses the singular for 0")
	ctx := WithLang(context.Background(), Spanish)
	require.Equal(t, "Español", T(ctx, "lang.name"))
}

func TestPseudoLocaleMarksEveryMessage(t *testing.T) {
	s := Pseudo.T("minutes", "Count", 15)
	require.True(t, strings.HasPrefix(s, PseudoOpen) && strings.HasSuffix(s, PseudoClose), s)
	require.Contains(t, s, "15 ", "placeholders keep their values")
	require.Contains(t, s, "mîñûtéš")
}

// TestFastPathMatchesGoI18n renders every message of every language through the fast
// path and through go-i18n, with counts that reach every plural form.
func TestFastPathMatchesGoI18n(t *testing.T) {
	cat := catalogue(t)
	for _, l := range Supported {
		n := 0
		for id, forms := range cat[l] {
			c := compiledMsgs[l][id]
			require.NotNil(t, c, "%s %s: not compiled", l, id)
			for _, count := range []int{0, 1, 2, 5, 21, 100} { // (a million is CLDR "many" in French and Spanish, which no message needs)
				var kv []any
				for _, p := range placeholders(forms) {
					if p == "Count" {
						kv = append(kv, p, count)
					} else {
						kv = append(kv, p, "«"+p+"»")
					}
				}
				fast, ok := c.fill(l, kv)
				require.True(t, ok, "%s %s", l, id)
				data := map[string]any{}
				cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
				for i := 0; i+1 < len(kv); i += 2 {
					data[kv[i].(string)] = kv[i+1]
					if kv[i] == "Count" {
						cfg.PluralCount = kv[i+1]
					}
				}
				slow, err := localizers[l].Localize(cfg)
				require.NoError(t, err, "%s %s", l, id)
				require.Equal(t, slow, fast, "%s %s count %d", l, id, count)
				n++
			}
		}
		t.Logf("%s: %d renderings compared", l, n)
	}
}
