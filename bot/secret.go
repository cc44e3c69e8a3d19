package bot

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// secretLabel finds "password is X", "pw: X", "my pin = X" and similar; the
// captured group is the would-be secret.
var secretLabel = regexp.MustCompile(`(?i)\b(?:password|passwort|passcode|passphrase|pass|pwd|pw|pin|pin code|temporary password|temp password|mot de passe|mdp|contraseña|contrasena|clave)\s*(?:(:|=)|\b(is|was|should be|would be|will be|it's|its|est|était|es|era)\b)\s*["'“«]?([^\s"'”»]+)`)

// secretNamed finds a value named as the password after it: "correct horse
// battery staple is my password", "soleil123 c'est mon mot de passe".
var secretNamed = regexp.MustCompile(`(?i)^\s*["'“«]?(.+?)["'”»]?\s+(?:is|was|=|c'est|est|es|era)\s+(?:my|the|mon|le|mi|la)\s+(?:password|passcode|pin|pw|mot de passe|mdp|contraseña|contrasena|clave)\s*[.!]*\s*$`)

// askingWords start a question or a remark rather than a secret ("what is my
// password", "this is my password problem").
var askingWords = map[string]bool{
	"what": true, "where": true, "how": true, "which": true, "why": true, "who": true, "when": true, "it": true,
	"this": true, "that": true, "there": true, "here": true, "so": true, "and": true, "i": true, "whats": true, "what's": true,
	"quel": true, "quoi": true, "ou": true, "où": true, "comment": true, "ce": true, "c'est": true, "qual": true,
	"cuál": true, "cual": true, "dónde": true, "donde": true, "cómo": true, "como": true, "qué": true, "que": true, "esta": true, "esa": true,
}

// notSecrets are words that follow "my password is" in ordinary complaints
// ("my password is wrong"); anything else after "is" is treated as a secret.
var notSecrets = map[string]bool{
	"not": true, "wrong": true, "incorrect": true, "correct": true, "right": true, "expired": true,
	"locked": true, "blocked": true, "invalid": true, "too": true, "the": true, "a": true, "an": true,
	"still": true, "now": true, "no": true, "fine": true, "ok": true, "okay": true, "valid": true,
	"weak": true, "short": true, "long": true, "same": true, "rejected": true, "it": true, "that": true,
	"this": true, "also": true, "never": true, "already": true, "old": true, "new": true, "different": true,
	"reset": true, "changed": true, "forgotten": true, "lost": true, "missing": true, "empty": true,
	"definitely": true, "probably": true, "and": true, "but": true, "so": true, "very": true, "my": true,
	"being": true, "case": true, "saved": true, "stored": true, "required": true, "temporary": true,
	"what": true, "why": true, "how": true, "when": true, "where": true, "in": true, "on": true,
	"for": true, "to": true, "of": true, "at": true, "with": true, "by": true, "from": true, "reused": true,
	"just": true, "only": true, "like": true, "accepted": true, "working": true, "broken": true,
	"strong": true, "secure": true, "safe": true, "known": true, "unknown": true, "there": true,
	"policy": true, "history": true, "rules": true, "required?": true, "needed": true, "shown": true,
	"set": true, "sent": true, "given": true, "mine": true, "yours": true, "your": true,
	"all": true, "any": true, "some": true, "one": true, "bad": true, "good": true, "same?": true,
	"cannot": true, "can't": true, "isn't": true, "doesn't": true, "won't": true, "didn't": true,
	"forgot": true, "help": true, "please": true, "error": true, "reuse": true, "change": true,
	"used": true, "refused": true, "taken": true, "pas": true, "incorrecto": true, "incorrect.": true, "faux": true, "mal": true,
	"about": true, "after": true, "before": true, "because": true, "since": true, "or": true, "i": true,
}

// LooksLikeSecret reports whether text seems to contain a password: a
// labelled value ("my password is hunter2", "pw: x") or a long
// random-looking token. Such text must not be stored.
func LooksLikeSecret(text string) bool {
	if mentionsSecret(text) {
		for _, m := range secretLabel.FindAllStringSubmatch(text, -1) {
			value := strings.TrimRight(m[3], ".,!?;)")
			if value == "" {
				continue
			}
			// After "was" a word is usually a participle ("was used before");
			// only a value that cannot be a word counts there.
			strict := m[1] == "" && !strings.EqualFold(m[2], "is") && !strings.EqualFold(m[2], "est") && !strings.EqualFold(m[2], "es")
			if strict && isPlainWord(value) {
				continue
			}
			if !isOrdinaryWord(value) {
				return true
			}
		}
		if m := secretNamed.FindStringSubmatch(text); m != nil {
			words := strings.Fields(strings.ToLower(m[1]))
			if len(words) > 0 && !slices.ContainsFunc(words, func(w string) bool { return askingWords[strings.Trim(w, ",.?!")] }) {
				return true
			}
		}
	}
	for _, tok := range strings.Fields(text) {
		if looksRandom(strings.Trim(tok, ".,!?;:()\"'")) {
			return true
		}
	}
	return false
}

// mentionsSecret is a cheap test that spares most messages the regular
// expression: every label it knows contains "pw", "pass" or "pin".
func mentionsSecret(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		switch text[i] | 0x20 {
		case 'p':
			if n := text[i+1] | 0x20; n == 'w' || n == 'a' || n == 'i' {
				return true
			}
		case 'm', 'c':
			if n := text[i+1] | 0x20; n == 'd' || n == 'l' || n == 'o' {
				return true // mdp, clave, contraseña
			}
		}
	}
	return false
}

// isPlainWord is a lower-case word of letters only.
func isPlainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return w != ""
}

// isOrdinaryWord reports whether a word after "password is" reads as part
// of a sentence rather than a password.
func isOrdinaryWord(w string) bool {
	lw := strings.ToLower(w)
	if notSecrets[lw] {
		return true
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	if w != lw && w != strings.ToUpper(w[:1])+w[1:] {
		return false // mixed case like "SuMmer"
	}
	for _, suffix := range []string{"ed", "ing", "ly", "able", "é", "ée", "és", "ado", "ada", "ido", "ida", "ecta", "ecto", "ible", "ide", "ida"} {
		if strings.HasSuffix(lw, suffix) && len(lw) > len(suffix)+2 {
			return true
		}
	}
	return false
}

// wordsJoined reports whether a token is words joined by apostrophes or
// hyphens, each written as words are (lower case, capitalised or all
// capitals): "L'administratrice" and "Jean-François" are not secrets, though
// they mix three classes of character.
func wordsJoined(tok string) bool {
	parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '\'' || r == '’' || r == '-' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return false
		}
		if rest := strings.TrimLeftFunc(p[:1], unicode.IsUpper) + p[1:]; rest != strings.ToLower(rest) && p != strings.ToUpper(p) {
			return false
		}
	}
	return true
}

// looksRandom reports whether a token looks like a generated secret: long,
// mixing at least three character classes, or very long with letters and
// digits. Links and e-mail addresses are not secrets.
func looksRandom(tok string) bool {
	if len(tok) < 10 || strings.Contains(tok, "://") || strings.HasPrefix(strings.ToLower(tok), "www.") ||
		strings.Contains(tok, "@") && strings.Contains(tok, ".") || wordsJoined(tok) {
		return false
	}
	var lower, upper, digit, other bool
	for _, r := range tok {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	return classes >= 3 || len(tok) >= 16 && digit && (lower || upper)
}

// redactSecrets removes what LooksLikeSecret would call a password from the
// text, so that the rest of the message is recognised without it ("my
// password is Tr0ub4dor&3 and it doesn't work" reads as "my password is and
// it doesn't work").
func redactSecrets(text string) string {
	if !LooksLikeSecret(text) {
		return text
	}
	if m := secretNamed.FindStringSubmatchIndex(text); m != nil {
		text = text[:m[2]] + text[m[3]:]
	}
	text = secretLabel.ReplaceAllStringFunc(text, func(match string) string {
		sub := secretLabel.FindStringSubmatch(match)
		if v := strings.TrimRight(sub[3], ".,!?;)"); v != "" && !isOrdinaryWord(v) {
			return strings.Replace(match, v, "", 1)
		}
		return match
	})
	words := strings.Fields(text)
	words = slices.DeleteFunc(words, func(w string) bool { return looksRandom(strings.Trim(w, ".,!?;:()\"'")) })
	return strings.Join(words, " ")
}
