package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MaxPasswordLength is the longest password accepted, in Unicode code points.
const MaxPasswordLength = 128

// ReusedPasswordMessage is the history rule's message (the history itself is checked by the
// caller against stored hashes).
const ReusedPasswordMessage = "policy.msg.reused"

// Problem codes returned in PasswordProblem.Code.
const (
	pwCodeInvalid      = "invalid"
	pwCodeTooShort     = "too_short"
	pwCodeTooLong      = "too_long"
	pwCodeCommon       = "common"
	pwCodeContainsName = "contains_name"
	pwCodeNearMiss     = "near_miss"
)

// Catalogue ids of the messages shown to the user (i18n/locales/policy.*.toml).
const (
	pwMsgInvalid      = "policy.msg.invalid"
	pwMsgCommon       = "policy.msg.common"
	pwMsgVeryCommon   = "policy.msg.very_common"
	pwMsgUsername     = "policy.msg.username"
	pwMsgEmailName    = "policy.msg.email_name"
	pwMsgNearMiss     = "policy.msg.near_miss"
	pwHintMoreWords   = "policy.hint.more_words"
	pwHintStart       = "policy.hint.start"
	pwHintTooLong     = "policy.hint.too_long"
	pwHintName        = "policy.hint.name"
	pwHintRepeat      = "policy.hint.repeat"
	pwHintSequence    = "policy.hint.sequence"
	pwHintKeyboard    = "policy.hint.keyboard"
	pwHintDate        = "policy.hint.date"
	pwHintL33t        = "policy.hint.l33t"
	pwHintCommonWords = "policy.hint.common_words"
	pwHintStrong      = "policy.hint.strong"
	pwHintVeryStrong  = "policy.hint.very_strong"
)

// Rule labels of the live feedback, in display order (the length one is formatted).
const (
	pwRuleNotCommon = "policy.rule.not_common"
	pwRuleNoName    = "policy.rule.no_name"
)

// pwStrengthLabels maps a zxcvbn score (0..4) to the label shown next to the meter.
var pwStrengthLabels = [5]string{"policy.strength.0", "policy.strength.1", "policy.strength.2", "policy.strength.3", "policy.strength.4"}

const (
	// pwMinScore is the lowest zxcvbn score accepted.
	pwMinScore = 3
	// pwZxcvbnMaxBytes caps the input given to zxcvbn (so it is also at most 64 code points):
	// a password longer than this is long enough not to be common, and zxcvbn's cost grows
	// quickly with the length in bytes.
	pwZxcvbnMaxBytes = 64
	// pwZxcvbnMinRunes and pwZxcvbnMaxL33t bound zxcvbn's l33t matcher, whose cost grows
	// with the number of distinct look-alike symbols: past the first pwZxcvbnMinRunes code
	// points, the input is cut before the first symbol that would make more than
	// pwZxcvbnMaxL33t distinct ones.
	pwZxcvbnMinRunes = 16
	pwZxcvbnMaxL33t  = 3
	// pwMinNameRunes is the shortest username or e-mail name that the contains-name rule
	// looks for.
	pwMinNameRunes = 3
	// pwNearMissEdits is the largest edit distance to the current password that is refused.
	pwNearMissEdits = 2
)

// PasswordContext is what the rules know about the account whose password is being set.
type PasswordContext struct {
	Username string
	Email    string
	Current  string // the current password in plain text when known (self-service change, forced change right after sign-in); "" otherwise
}

// PasswordProblem is one broken rule; Code is stable for tests and callers, Message is the
// catalogue id of what the user reads, Args its placeholder pairs.
type PasswordProblem struct {
	Code, Message string
	Args          []any
}

// PasswordFeedback is the live hint shown while typing (history is checked only on submit).
type PasswordFeedback struct {
	Rules    []PasswordRuleStatus // in display order: "At least N characters", "Not a common or easily guessed password", "Does not contain your username or e-mail name"
	Strength int                  // 0..4 (zxcvbn score)
	Label    string               // "Very weak", "Weak", "Fair", "Strong", "Very strong"
	Hint     string               // one short suggestion, e.g. "Add another word or two: long passphrases are easiest to remember."
	// NearCurrent: the typed current password is known and the new one is it, or within
	// two edits of it (refused on save, by the near-miss or the history rule).
	NearCurrent bool
}

// PasswordRuleStatus is one line of the live feedback: a rule and whether it already passes.
type PasswordRuleStatus struct {
	Label string // catalogue id
	Args  []any  // its placeholder pairs
	OK    bool
}

// CheckPassword applies every rule that needs no stored history: length (minLength from the
// portal policy, at most MaxPasswordLength, counted in Unicode code points), common or easily
// guessed (zxcvbn score below 3, or the whole password is a known common password), contains
// the username or the e-mail's local part (case-insensitive; parts shorter than 3 code points
// are ignored), and near-miss: when pc.Current != "", a new password within two character
// edits of the current one (Damerau-Levenshtein over code points, case-sensitive) is refused.
// A password identical to the current one is left to the history rule. The password is never
// trimmed or normalised; invalid UTF-8 yields the single problem "invalid". A minLength below
// 1 counts as 1 and one above MaxPasswordLength as MaxPasswordLength. CheckPassword returns nil
// when the password is fine; otherwise the problems are in the order length, common,
// contains_name, near_miss.
func CheckPassword(pw string, minLength int, pc PasswordContext) []PasswordProblem {
	e := pwEvaluate(pw, minLength, pc)
	if e.invalid {
		return []PasswordProblem{{Code: pwCodeInvalid, Message: pwMsgInvalid}}
	}
	var problems []PasswordProblem
	switch {
	case e.runes < e.minLength:
		problems = append(problems, PasswordProblem{
			Code:    pwCodeTooShort,
			Message: "policy.msg.too_short", Args: []any{"Min", e.minLength, "Have", e.runes},
		})
	case e.runes > MaxPasswordLength:
		problems = append(problems, PasswordProblem{
			Code:    pwCodeTooLong,
			Message: "policy.msg.too_long", Args: []any{"Max", MaxPasswordLength, "Have", e.runes},
		})
	}
	switch {
	case e.veryCommon:
		problems = append(problems, PasswordProblem{Code: pwCodeCommon, Message: pwMsgVeryCommon})
	case e.weak:
		problems = append(problems, PasswordProblem{Code: pwCodeCommon, Message: pwMsgCommon})
	}
	switch {
	case e.hasUsername:
		problems = append(problems, PasswordProblem{Code: pwCodeContainsName, Message: pwMsgUsername})
	case e.hasEmailName:
		problems = append(problems, PasswordProblem{Code: pwCodeContainsName, Message: pwMsgEmailName})
	}
	if e.nearMiss {
		problems = append(problems, PasswordProblem{Code: pwCodeNearMiss, Message: pwMsgNearMiss})
	}
	return problems
}

// CheckPasswordFeedback returns the live feedback for a password being typed: the three rules
// a user can see pass one by one, the zxcvbn strength with its label, and one suggestion. It
// applies the same rules as CheckPassword (an empty password passes none of them yet), and its
// hint also mentions a near-miss when pc.Current is known.
func CheckPasswordFeedback(pw string, minLength int, pc PasswordContext) PasswordFeedback {
	e := pwEvaluate(pw, minLength, pc)
	started := pw != "" && !e.invalid
	length := PasswordRuleStatus{Label: "policy.rule.min_length", Args: []any{"Count", e.minLength}}
	if !e.invalid && e.runes > MaxPasswordLength {
		length = PasswordRuleStatus{Label: "policy.rule.max_length", Args: []any{"Count", MaxPasswordLength}}
	}
	length.OK = started && e.runes >= e.minLength && e.runes <= MaxPasswordLength
	fb := PasswordFeedback{
		Rules: []PasswordRuleStatus{
			length,
			{Label: pwRuleNotCommon, OK: started && !e.weak && !e.veryCommon},
			{Label: pwRuleNoName, OK: started && !e.hasUsername && !e.hasEmailName},
		},
		Strength:    e.score,
		Label:       pwStrengthLabels[e.score],
		NearCurrent: e.nearMiss || (pc.Current != "" && pw == pc.Current),
	}
	fb.Hint = pwHint(e)
	if fb.NearCurrent {
		fb.Hint = pwMsgNearMiss
	}
	return fb
}

// pwEvaluation holds everything the rules found about one password.
type pwEvaluation struct {
	invalid      bool
	runes        int
	minLength    int
	score        int            // zxcvbn score, 0..4
	sequence     []*match.Match // zxcvbn's most guessable match sequence
	weak         bool           // score below pwMinScore
	veryCommon   bool           // the whole password is a known common password
	hasUsername  bool
	hasEmailName bool
	nearMiss     bool
}

// pwEvaluate runs every rule once; CheckPassword and CheckPasswordFeedback present the result.
func pwEvaluate(pw string, minLength int, pc PasswordContext) pwEvaluation {
	e := pwEvaluation{minLength: min(max(minLength, 1), MaxPasswordLength)}
	if !utf8.ValidString(pw) {
		e.invalid = true
		return e
	}
	e.runes = utf8.RuneCountInString(pw)
	if pw == "" {
		e.weak = true
		return e
	}

	username, emailName, email := pwNames(pc)
	lower := strings.ToLower(pw)
	e.hasUsername = username != "" && strings.Contains(lower, username)
	e.hasEmailName = emailName != "" && strings.Contains(lower, emailName) ||
		email != "" && strings.Contains(lower, email)

	input := pwZxcvbnInput(pw)
	var userInputs []string
	for _, s := range []string{username, emailName, email} {
		if s != "" {
			userInputs = append(userInputs, s)
		}
	}
	res := zxcvbn.PasswordStrength(input, userInputs)
	e.score = min(max(res.Score, 0), 4)
	e.sequence = res.Sequence
	e.weak = e.score < pwMinScore
	e.veryCommon = input == pw && pwWhollyCommon(pw, res.Sequence)

	if pc.Current != "" && pc.Current != pw && e.runes <= MaxPasswordLength {
		e.nearMiss = pwWithinEdits(pw, pc.Current, pwNearMissEdits)
	}
	return e
}

// pwNames returns the lower-cased username, e-mail local part and whole e-mail address that
// the contains-name rule looks for, each "" when shorter than pwMinNameRunes.
func pwNames(pc PasswordContext) (username, emailName, email string) {
	keep := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		if utf8.RuneCountInString(s) < pwMinNameRunes {
			return ""
		}
		return s
	}
	username = keep(pc.Username)
	address := strings.TrimSpace(pc.Email)
	local := address
	if at := strings.LastIndexByte(address, '@'); at >= 0 {
		local = address[:at]
	}
	return username, keep(local), keep(address)
}

// pwIsL33tSymbol reports whether r is one of the look-alike symbols that zxcvbn's l33t
// matcher substitutes for letters.
func pwIsL33tSymbol(r rune) bool {
	return strings.ContainsRune("4@8({[<369!|170$5+%2", r)
}

// pwZxcvbnInput returns the part of pw given to zxcvbn: at most pwZxcvbnMaxBytes bytes (whole
// code points), and no further than the code point before the one that would bring in more
// than pwZxcvbnMaxL33t distinct l33t symbols, or the first pwZxcvbnMinRunes code points when
// that is longer. Both caps keep the check fast on long, non-ASCII or symbol-heavy input; what
// remains is long enough to judge how guessable the password is, since appending characters
// does not make a password easier to guess.
func pwZxcvbnInput(pw string) string {
	var seen []rune
	n := 0
	l33tCut := -1 // byte offset of the first code point past the l33t limit
	for i, r := range pw {
		if i+utf8.RuneLen(r) > pwZxcvbnMaxBytes {
			return pw[:i]
		}
		if l33tCut < 0 && pwIsL33tSymbol(r) && !pwContainsRune(seen, r) {
			if len(seen) == pwZxcvbnMaxL33t {
				l33tCut = i
			}
			seen = append(seen, r)
		}
		if l33tCut >= 0 && n >= pwZxcvbnMinRunes {
			return pw[:max(l33tCut, i)]
		}
		n++
	}
	return pw
}

// pwContainsRune reports whether rs contains r.
func pwContainsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// pwWhollyCommon reports whether zxcvbn matched the whole password as one entry of its list of
// common passwords (also in upper case, reversed or with look-alike symbols).
func pwWhollyCommon(pw string, seq []*match.Match) bool {
	if len(seq) != 1 {
		return false
	}
	m := seq[0]
	return m.Pattern == "dictionary" && m.DictionaryName == "passwords" && m.Token == pw
}

// pwWithinEdits reports whether a and b are at most limit edits apart, counting insertions,
// deletions, substitutions and transpositions of adjacent code points (unrestricted
// Damerau-Levenshtein distance, case-sensitive).
func pwWithinEdits(a, b string, limit int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return false
	}
	return pwDamerauLevenshtein(ra, rb) <= limit
}

// pwDamerauLevenshtein is the unrestricted Damerau-Levenshtein distance between a and b
// (Lowrance-Wagner), in O(len(a)*len(b)) time and space.
func pwDamerauLevenshtein(a, b []rune) int {
	n, m := len(a), len(b)
	inf := n + m
	w := m + 2
	// d is an (n+2) x (m+2) matrix; d[i+1][j+1] is the distance between a[:i] and b[:j].
	d := make([]int, (n+2)*w)
	at := func(i, j int) *int { return &d[i*w+j] }
	*at(0, 0) = inf
	for i := 0; i <= n; i++ {
		*at(i+1, 0) = inf
		*at(i+1, 1) = i
	}
	for j := 0; j <= m; j++ {
		*at(0, j+1) = inf
		*at(1, j+1) = j
	}
	lastRow := make(map[rune]int, n+m) // last row (1-based) of a where each rune occurred
	for i := 1; i <= n; i++ {
		lastCol := 0 // last column (1-based) in this row where a[i-1] matched
		for j := 1; j <= m; j++ {
			k := lastRow[b[j-1]]
			l := lastCol
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
				lastCol = j
			}
			*at(i+1, j+1) = min(
				*at(i, j)+cost, // substitution or match
				*at(i+1, j)+1,  // insertion
				*at(i, j+1)+1,  // deletion
				*at(k, l)+(i-k-1)+1+(j-l-1), // transposition
			)
		}
		lastRow[a[i-1]] = i
	}
	return *at(n+1, m+1)
}

// pwHint picks the one suggestion shown under the strength meter, most pressing first.
func pwHint(e pwEvaluation) string {
	switch {
	case e.invalid:
		return pwMsgInvalid
	case e.runes == 0:
		return pwHintStart
	case e.runes > MaxPasswordLength:
		return pwHintTooLong
	case e.veryCommon:
		return pwMsgVeryCommon
	case e.hasUsername || e.hasEmailName:
		return pwHintName
	case e.nearMiss:
		return pwMsgNearMiss
	case e.runes < e.minLength:
		return pwHintMoreWords
	case e.weak:
		return pwWeaknessHint(e.sequence)
	case e.score == pwMinScore:
		return pwHintStrong
	default:
		return pwHintVeryStrong
	}
}

// pwWeaknessHint names the first guessable pattern zxcvbn found in a weak password.
func pwWeaknessHint(seq []*match.Match) string {
	for _, m := range seq {
		switch m.Pattern {
		case "repeat":
			return pwHintRepeat
		case "sequence":
			return pwHintSequence
		case "spatial":
			return pwHintKeyboard
		case "date", "regex":
			return pwHintDate
		case "dictionary":
			if m.L33t {
				return pwHintL33t
			}
			return pwHintCommonWords
		}
	}
	return pwHintMoreWords
}
