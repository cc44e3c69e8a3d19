package domain

import (
	"github.com/watchpost/watchpost/i18n"

	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pwEve is the demo account used by most cases.
var pwEve = PasswordContext{Username: "eve.employee", Email: "eve@acme.test"}

// pwCodes lists the codes of problems, in order.
func pwCodes(problems []PasswordProblem) []string {
	var codes []string
	for _, p := range problems {
		codes = append(codes, p.Code)
	}
	return codes
}

// pwProblem returns the problem with the given code, or fails the test.
func pwProblem(t *testing.T, problems []PasswordProblem, code string) PasswordProblem {
	t.Helper()
	for _, p := range problems {
		if p.Code == code {
			return p
		}
	}
	require.Failf(t, "problem not found", "no %q in %v", code, problems)
	return PasswordProblem{}
}

// pwUnique returns n distinct code points, none a l33t symbol, so that zxcvbn sees no pattern.
func pwUnique(n int) string {
	var b strings.Builder
	for r := rune(0x4E00); b.Len() == 0 || len([]rune(b.String())) < n; r++ {
		b.WriteRune(r)
	}
	return b.String()
}

func TestCheckPasswordRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pw      string
		min     int
		pc      PasswordContext
		want    []string // problem codes, in order; nil when the password is fine
		message string   // expected message of the first problem, when set
	}{
		// Accepted passwords.
		{name: "demo password", pw: "watchpost-demo-2026", min: 12, pc: pwEve},
		{name: "passphrase", pw: "correct horse battery staple", min: 12, pc: pwEve},
		{name: "no context", pw: "correct horse battery staple", min: 12},
		{name: "exactly the minimum", pw: "Tr0ub4dor&3x", min: 12, pc: pwEve},
		{name: "exactly the maximum", pw: pwUnique(MaxPasswordLength), min: 12, pc: pwEve},
		{name: "unicode counts code points", pw: "ünïcödé-pässwörd", min: 16, pc: pwEve},
		{name: "not trimmed: spaces count", pw: "  watchpost-demo-2026  ", min: 23, pc: pwEve},

		// Length.
		{
			name: "too short", pw: "Tr0ub4dor&3", min: 12, pc: pwEve,
			want: []string{"too_short"}, message: "Use at least 12 characters (you have 11).",
		},
		{
			name: "too short, unicode counted in code points", pw: "ünïcödé-pässwörd", min: 17, pc: pwEve,
			want: []string{"too_short"}, message: "Use at least 17 characters (you have 16).",
		},
		{
			name: "portal minimum is honoured", pw: "watchpost-demo-2026", min: 20, pc: pwEve,
			want: []string{"too_short"}, message: "Use at least 20 characters (you have 19).",
		},
		{
			name: "too long", pw: pwUnique(MaxPasswordLength + 1), min: 12, pc: pwEve,
			want: []string{"too_long"}, message: "Use at most 128 characters (you have 129).",
		},
		{
			name: "minimum above the maximum is capped", pw: pwUnique(MaxPasswordLength), min: 500, pc: pwEve,
		},
		{
			name: "empty", pw: "", min: 12, pc: pwEve,
			want: []string{"too_short", "common"}, message: "Use at least 12 characters (you have 0).",
		},
		{
			name: "minimum below one still refuses empty", pw: "", min: 0, pc: pwEve,
			want: []string{"too_short", "common"}, message: "Use at least 1 characters (you have 0).",
		},

		// Common or easily guessed.
		{
			name: "common with suffix", pw: "Password123!", min: 12, pc: pwEve,
			want: []string{"common"},
			message: "This password is too easy to guess. Try three or four unrelated words, " +
				"or add another word to what you have.",
		},
		{
			name: "wholly a common password", pw: "1qaz2wsx3edc", min: 12, pc: pwEve,
			want: []string{"common"},
			message: "This is one of the most widely used passwords, so it is among the first an attacker " +
				"tries. Choose something nobody else would — three or four unrelated words work well.",
		},
		{name: "common and short", pw: "password", min: 12, pc: pwEve, want: []string{"too_short", "common"}},
		{name: "common in upper case", pw: "PASSWORD1234", min: 12, pc: pwEve, want: []string{"common"}},
		{name: "repeated character", pw: "aaaaaaaaaaaaaaaa", min: 12, pc: pwEve, want: []string{"common"}},
		{name: "alphabet sequence", pw: "abcdefghijklmnop", min: 12, pc: pwEve, want: []string{"common"}},
		{name: "keyboard walk", pw: "qwertyuiopasdf", min: 12, pc: pwEve, want: []string{"common"}},
		{name: "long repetition", pw: strings.Repeat("ab", 64), min: 12, pc: pwEve, want: []string{"common"}},

		// Contains the username or the e-mail name.
		{
			name: "contains username", pw: "eve.employee-2026-winter", min: 12, pc: pwEve,
			want:    []string{"contains_name"},
			message: "Leave your username out of your password: it is among the first things an attacker tries.",
		},
		{
			name: "contains username, other case", pw: "Winter-EVE.Employee-2026", min: 12, pc: pwEve,
			want: []string{"contains_name"},
		},
		{
			name: "contains e-mail name", pw: "evesecret-long-phrase", min: 12, pc: pwEve,
			want: []string{"contains_name"},
			message: "Leave the name part of your e-mail address out of your password: " +
				"it is among the first things an attacker tries.",
		},
		{
			name: "contains e-mail name, other case", pw: "secretEVE-long-phrase", min: 12, pc: pwEve,
			want: []string{"contains_name"},
		},
		{
			name: "short e-mail name is ignored", pw: "jo-watchpost-demo-2026", min: 12,
			pc: PasswordContext{Username: "jo", Email: "jo@acme.test"},
		},
		{
			name: "e-mail without @ counts as the name", pw: "watchpost-fredrik-2026", min: 12,
			pc: PasswordContext{Email: "fredrik"}, want: []string{"contains_name"},
		},
		{
			name: "unicode username", pw: "mein-ÖZLEM-passwort-2026", min: 12,
			pc: PasswordContext{Username: "Özlem"}, want: []string{"contains_name"},
		},

		// Near-miss.
		{
			name: "one substitution", pw: "Tr0ub4dor&3xyz", min: 12,
			pc:   PasswordContext{Username: "eve.employee", Email: "eve@acme.test", Current: "Tr0ub4dor&3xyw"},
			want: []string{"near_miss"}, message: "Change more than a couple of characters from your current password.",
		},
		{
			name: "two insertions", pw: "watchpost-demo-2026!!", min: 12,
			pc:   PasswordContext{Current: "watchpost-demo-2026"},
			want: []string{"near_miss"},
		},
		{
			name: "transposition and substitution", pw: "watchpost-dmeo-2027", min: 12,
			pc:   PasswordContext{Current: "watchpost-demo-2026"},
			want: []string{"near_miss"},
		},
		{
			name: "three edits are enough", pw: "watchpost-demo-2029!!", min: 12,
			pc: PasswordContext{Current: "watchpost-demo-2026"},
		},
		{
			name: "case-sensitive: case changes count as edits", pw: "WATCHPOST-demo-2026", min: 12,
			pc: PasswordContext{Current: "watchpost-demo-2026"},
		},
		{
			name: "identical to current is left to the history rule", pw: "watchpost-demo-2026", min: 12,
			pc: PasswordContext{Current: "watchpost-demo-2026"},
		},
		{
			name: "unicode edits count code points", pw: "ünïcödé-pässwörd", min: 12,
			pc: PasswordContext{Current: "unicode-pässwörd"}, // four edits, though more bytes differ
		},
		{
			name: "unicode near miss", pw: "ünïcödé-pässwörd", min: 12,
			pc: PasswordContext{Current: "ünïcöde-passwörd"}, want: []string{"near_miss"},
		},

		// Several rules at once, in order.
		{
			name: "everything", pw: "eve.employee", min: 12,
			pc:   PasswordContext{Username: "eve.employee", Current: "eve.employe"},
			want: []string{"common", "contains_name", "near_miss"},
		},
		{
			name: "short, common, name", pw: "eve123", min: 12, pc: pwEve,
			want: []string{"too_short", "common", "contains_name"},
		},

		// Invalid UTF-8.
		{
			name: "invalid utf-8", pw: "watchpost-\xff-demo-2026", min: 12, pc: pwEve,
			want: []string{"invalid"}, message: "The password contains characters that cannot be read; type it again.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckPassword(tt.pw, tt.min, tt.pc)
			assert.Equal(t, tt.want, pwCodes(got))
			if tt.want == nil {
				assert.Nil(t, got)
			}
			if tt.message != "" {
				require.NotEmpty(t, got)
				assert.Equal(t, tt.message, en(got[0].Message, got[0].Args...))
			}
			for _, p := range got {
				assert.NotEmpty(t, p.Message, p.Code)
			}
		})
	}
}

func TestCheckPasswordMessagesAreStable(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 128, MaxPasswordLength)
	assert.Equal(t, "You have used this password before here. Choose one you have never used on this "+
		"portal — a longer passphrase of three or four unrelated words works well.", en(ReusedPasswordMessage))

	near := CheckPassword("Tr0ub4dor&3xyz", 12, PasswordContext{Current: "Tr0ub4dor&3xyw"})
	assert.Equal(t, "Change more than a couple of characters from your current password.",
		en(pwProblem(t, near, "near_miss").Message))
}

func TestCheckPasswordWhollyCommonVariants(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"password", "PASSWORD", "p@ssw0rd", "drowssap", "trustno1", "iloveyou"} {
		t.Run(pw, func(t *testing.T) {
			got := CheckPassword(pw, 1, PasswordContext{})
			p := pwProblem(t, got, "common")
			assert.Contains(t, en(p.Message), "most widely used passwords")
		})
	}
}

func TestPwDamerauLevenshtein(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"abc", "abc", 0},
		{"abc", "abd", 1},
		{"abc", "acb", 1},
		{"abc", "abcd", 1},
		{"abcd", "acd", 1},
		{"ca", "abc", 2}, // unrestricted: transposition then insertion (optimal string alignment says 3)
		{"kitten", "sitting", 3},
		{"Abc", "abc", 1},
		{"ünï", "uni", 2},
		{"Tr0ub4dor&3xyz", "Tr0ub4dor&3xyw", 1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pwDamerauLevenshtein([]rune(tt.a), []rune(tt.b)), "%q vs %q", tt.a, tt.b)
		assert.Equal(t, tt.want, pwDamerauLevenshtein([]rune(tt.b), []rune(tt.a)), "%q vs %q", tt.b, tt.a)
	}
}

func TestPwZxcvbnInput(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "watchpost-demo-2026", pwZxcvbnInput("watchpost-demo-2026"))
	// At most 64 bytes, cut between code points.
	ascii := strings.Repeat("correct horse battery staple ", 5)
	assert.Equal(t, ascii[:64], pwZxcvbnInput(ascii))
	long := pwUnique(200) // three bytes each
	assert.Equal(t, string([]rune(long)[:21]), pwZxcvbnInput(long))
	assert.Equal(t, strings.Repeat("é", 32), pwZxcvbnInput(strings.Repeat("é", 33)))
	// Past 16 code points, the fourth distinct l33t symbol ends the input.
	assert.Equal(t, "abcdefghijklmnop1|71|7", pwZxcvbnInput("abcdefghijklmnop1|71|7!4@"))
	assert.Equal(t, "Tr0ub4dor&3xyz-2", pwZxcvbnInput("Tr0ub4dor&3xyz-2026"))
	assert.Equal(t, "my-cat-is-called-t0m-3-2-", pwZxcvbnInput("my-cat-is-called-t0m-3-2-1"))
	// Within the first 16 code points, every symbol is kept, but no further.
	assert.Equal(t, "4@8({[<369!|170$", pwZxcvbnInput("4@8({[<369!|170$5+%2"))
	assert.Equal(t, "4@8({[<369!|170$", pwZxcvbnInput("4@8({[<369!|170$abcdefghijklmnop"))
	assert.Equal(t, "4@8({[abcdefghij", pwZxcvbnInput("4@8({[abcdefghijklmnop"))
	// Short passwords are given whole.
	assert.Equal(t, "4@8({[<369!|1", pwZxcvbnInput("4@8({[<369!|1"))
}

func TestCheckPasswordFeedback(t *testing.T) {
	t.Parallel()
	labels := func(fb PasswordFeedback) []string {
		var l []string
		for _, r := range fb.Rules {
			l = append(l, en(r.Label, r.Args...))
		}
		return l
	}
	oks := func(fb PasswordFeedback) []bool {
		var o []bool
		for _, r := range fb.Rules {
			o = append(o, r.OK)
		}
		return o
	}
	wantLabels := []string{
		"At least 12 characters",
		"Not a common or easily guessed password",
		"Does not contain your username or e-mail name",
	}

	tests := []struct {
		name     string
		pw       string
		pc       PasswordContext
		labels   []string
		ok       []bool
		strength int // -1: do not check
		label    string
		hint     string
	}{
		{
			name: "empty", pw: "", pc: pwEve, labels: wantLabels, ok: []bool{false, false, false},
			strength: 0, label: "Very weak",
			hint: "Try three or four unrelated words: long passphrases are easiest to remember.",
		},
		{
			name: "short start", pw: "mauve", pc: pwEve, labels: wantLabels, ok: []bool{false, false, true},
			strength: -1, hint: "Add another word or two: long passphrases are easiest to remember.",
		},
		{
			name: "demo password", pw: "watchpost-demo-2026", pc: pwEve, labels: wantLabels, ok: []bool{true, true, true},
			strength: 4, label: "Very strong", hint: "Great: this password is very hard to guess.",
		},
		{
			name: "very common", pw: "password", pc: pwEve, labels: wantLabels, ok: []bool{false, false, true},
			strength: 0, label: "Very weak",
			hint: "This is one of the most widely used passwords, so it is among the first an attacker tries. " +
				"Choose something nobody else would — three or four unrelated words work well.",
		},
		{
			name: "sequence", pw: "abcdefghijklmnop", pc: pwEve, labels: wantLabels, ok: []bool{true, false, true},
			strength: 0, label: "Very weak", hint: "Avoid sequences like \"abc\" or \"6543\".",
		},
		{
			name: "repeat", pw: "aaaaaaaaaaaaaaaa", pc: pwEve, labels: wantLabels, ok: []bool{true, false, true},
			strength: 0, label: "Very weak", hint: "Avoid repeated characters or words like \"aaa\" or \"abcabc\".",
		},
		{
			name: "keyboard", pw: "zxcvbnm,./asdfg", pc: pwEve, labels: wantLabels, ok: []bool{true, false, true},
			strength: -1, hint: "Avoid keyboard patterns like \"qwerty\" or \"asdf\".",
		},
		{
			name: "contains name", pw: "eve.employee-2026-winter", pc: pwEve, labels: wantLabels,
			ok: []bool{true, true, false}, strength: -1, hint: "Leave out your username and e-mail name.",
		},
		{
			name: "near miss", pw: "Tr0ub4dor&3xyz",
			pc:     PasswordContext{Current: "Tr0ub4dor&3xyw"},
			labels: wantLabels, ok: []bool{true, true, true}, strength: -1,
			hint: "Change more than a couple of characters from your current password.",
		},
		{
			name: "too long", pw: pwUnique(MaxPasswordLength + 1), pc: pwEve,
			labels: []string{"At most 128 characters", wantLabels[1], wantLabels[2]},
			ok:     []bool{false, true, true}, strength: 4, label: "Very strong",
			hint: "Shorten it a little: the limit is 128 characters.",
		},
		{
			name: "invalid", pw: "abc\xffdefghijklmn", pc: pwEve, labels: wantLabels, ok: []bool{false, false, false},
			strength: 0, label: "Very weak", hint: "The password contains characters that cannot be read; type it again.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := CheckPasswordFeedback(tt.pw, 12, tt.pc)
			assert.Equal(t, tt.labels, labels(fb))
			assert.Equal(t, tt.ok, oks(fb))
			if tt.strength >= 0 {
				assert.Equal(t, tt.strength, fb.Strength)
				assert.Equal(t, tt.label, en(fb.Label))
			}
			assert.Equal(t, tt.hint, en(fb.Hint))
		})
	}
}

func TestCheckPasswordFeedbackStrengthLabels(t *testing.T) {
	t.Parallel()
	want := []string{"Very weak", "Weak", "Fair", "Strong", "Very strong"}
	seen := map[int]bool{}
	for _, pw := range []string{
		"password", "Password123!", "Summer2024!", "horse battery", "correct horse battery staple",
	} {
		fb := CheckPasswordFeedback(pw, 12, PasswordContext{})
		require.GreaterOrEqual(t, fb.Strength, 0)
		require.LessOrEqual(t, fb.Strength, 4)
		assert.Equal(t, want[fb.Strength], en(fb.Label), pw)
		seen[fb.Strength] = true
	}
	assert.Len(t, seen, 5, "the sample should cover every score")
}

func TestCheckPasswordFeedbackAgreesWithCheckPassword(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{
		"", "horse", "password", "Password123!", "watchpost-demo-2026", "eve.employee-2026-winter",
		"evesecret-long-phrase", "correct horse battery staple", pwUnique(129), "x\xff",
	} {
		problems := CheckPassword(pw, 12, pwEve)
		fb := CheckPasswordFeedback(pw, 12, pwEve)
		allOK := true
		for _, r := range fb.Rules {
			allOK = allOK && r.OK
		}
		assert.Equal(t, problems == nil, allOK, "%q: %v / %v", pw, problems, fb.Rules)
	}
}

// pwSlowInputs are the inputs that cost zxcvbn most: long, and full of l33t symbols.
var pwSlowInputs = []string{
	strings.Repeat("4@8({[<3691!|170$5+%2", 7)[:MaxPasswordLength],
	strings.Repeat("aB3$eF6&hI9(kL2@nO5%qR8*tU1!wX4#zA7^cD0)fG3-iJ6_lM9+oP2=rS5[uV8]", 2),
	strings.Repeat("1|7!ab", 22)[:MaxPasswordLength],
	strings.Repeat("1|7ab", 26)[:MaxPasswordLength],
	"4@8({[<369!|170$" + strings.Repeat("abcdefghijklmnopqrstuvwxyz", 5)[:MaxPasswordLength-16],
	"4@8({[<369!|170$" + strings.Repeat("4@8({[<369!|170$", 7),
	strings.Repeat("é", MaxPasswordLength),
	strings.Repeat("\U0001F600", MaxPasswordLength),
	strings.Repeat("correct horse battery staple ", 5)[:MaxPasswordLength],
	pwUnique(MaxPasswordLength),
}

// TestCheckPasswordWorstCases runs the inputs that are slowest for zxcvbn (their cost is
// measured by BenchmarkCheckPassword, not here) and checks that each still gets a verdict.
func TestCheckPasswordWorstCases(t *testing.T) {
	t.Parallel()
	pc := PasswordContext{Username: "eve.employee", Email: "eve@acme.test"}
	for _, pw := range pwSlowInputs {
		pc.Current = "x" + pw // one edit away, so the near-miss distance is computed
		assert.Contains(t, pwCodes(CheckPassword(pw, 12, pc)), "near_miss", "%q", pw)
	}
	huge := strings.Repeat("x", 1<<20)
	assert.Contains(t, pwCodes(CheckPassword(huge, 12, pc)), "too_long")
}

func BenchmarkCheckPassword(b *testing.B) {
	cases := []struct{ name, pw, current string }{
		{"demo", "watchpost-demo-2026", "watchpost-demo-2025"},
		{"passphrase", "correct horse battery staple", ""},
		{"max-length", pwUnique(MaxPasswordLength), ""},
		{"max-length-l33t", pwSlowInputs[0], "x" + pwSlowInputs[0]},
		{"max-length-3-l33t-symbols", pwSlowInputs[3], "x" + pwSlowInputs[3]},
		{"max-length-2-byte-repeat", pwSlowInputs[6], ""},
		{"max-length-phrase-repeat", pwSlowInputs[8], ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			pc := PasswordContext{Username: "eve.employee", Email: "eve@acme.test", Current: c.current}
			for b.Loop() {
				CheckPassword(c.pw, 12, pc)
			}
		})
	}
}

// en is the English text of a catalogue message, as the pages show it.
func en(id string, kv ...any) string { return i18n.English.T(id, kv...) }
