package domain_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/watchpost/watchpost/domain"
)

// FuzzCheckPassword feeds the policy arbitrary passwords: it must give a verdict (never
// panic) and refuse anything longer than the maximum.
func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{"", "watchpost-demo-2026", "Password123!", "ünïcödé-pässwörd", "\xff\xfe", strings.Repeat("ab", 100)} {
		f.Add(s, "x"+s)
	}
	f.Fuzz(func(t *testing.T, pw, current string) {
		problems := domain.CheckPassword(pw, 12, domain.PasswordContext{Username: "eve.employee", Email: "eve@acme.test", Current: current})
		if utf8.ValidString(pw) && utf8.RuneCountInString(pw) > domain.MaxPasswordLength && len(problems) == 0 {
			t.Fatalf("a %d-character password passed", utf8.RuneCountInString(pw))
		}
		domain.CheckPasswordFeedback(pw, 12, domain.PasswordContext{})
	})
}

// FuzzTokenShape checks that only 43-character URL-safe strings pass as tokens, so junk
// never reaches the database.
func FuzzTokenShape(f *testing.F) {
	tok, _ := domain.NewToken()
	for _, s := range []string{tok, "", "../../etc/passwd", strings.Repeat("A", 43), tok + "="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if domain.ValidTokenShape(s) && (len(s) != 43 || strings.ContainsAny(s, "/.=+% ")) {
			t.Fatalf("%q passed as a token", s)
		}
	})
}

// FuzzValidEmail checks that whatever is accepted as an e-mail address is folded and
// bounded.
func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"eve@acme.test", "EVE@ACME.TEST", "a@b", "\"x y\"@z.test", "", "@", "a@b.c\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, msg := domain.ValidEmail(s)
		if msg == "" && (got != strings.ToLower(got) || len(got) > 254 || !strings.Contains(got, "@")) {
			t.Fatalf("%q accepted as %q", s, got)
		}
	})
}
