package bot

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Features turn a message into the evidence the classifier weighs: words
// (with negation marked), word pairs, and character n-grams of each word,
// which carry typos ("pasword", "bloquer") and inflections across English,
// French and Spanish without a stemmer per language.

// negators open a negation scope: the next negScope words are read as
// negated ("not locked" is evidence against a lockout, not for one).
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "nothing": true, "without": true,
	"pas": true, "ne": true, "n": true, "jamais": true, "aucun": true, "aucune": true, "sans": true, "rien": true,
	"nunca": true, "ningun": true, "ninguna": true, "nada": true, "sin": true, "ni": true,
}

const negScope = 3

// contractions are English short forms expanded before splitting.
var contractions = strings.NewReplacer("can't", "can not", "won't", "will not", "n't", " not", "i'm", "i am")

// shortForms are the same short forms typed without the apostrophe.
var shortForms = map[string][]string{
	"cant": {"can", "not"}, "cannot": {"can", "not"}, "dont": {"do", "not"}, "doesnt": {"does", "not"},
	"didnt": {"did", "not"}, "isnt": {"is", "not"}, "wont": {"will", "not"}, "havent": {"have", "not"},
	"wasnt": {"was", "not"}, "couldnt": {"could", "not"}, "arent": {"are", "not"}, "aint": {"is", "not"},
}

// tokens lower-cases text, strips accents and splits it into words; digits
// become "0" so "14 minutes" and "12 minutes" are the same evidence.
func tokens(text string) []string {
	s := strings.ToLower(text)
	s = strings.ReplaceAll(s, "’", "'")
	s = contractions.Replace(s)
	var out []string
	var cur strings.Builder
	digits := true
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		w := cur.String()
		switch sf, ok := shortForms[w]; {
		case digits:
			out = append(out, "0")
		case ok:
			out = append(out, sf...)
		default:
			out = append(out, w)
		}
		cur.Reset()
		digits = true
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// an accent: "réinitialiser" and "reinitialiser" are the same word
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !unicode.IsDigit(r) {
				digits = false
			}
			cur.WriteRune(r)
		default:
			flush()
			if r == '.' || r == '!' || r == '?' || r == ',' || r == ';' {
				out = append(out, ".")
			}
		}
	}
	flush()
	return out
}

// maxTokens bounds the work for one message.
const maxTokens = 120

// featurize returns the features of a message (a feature may repeat).
func featurize(text string) []string { return featurizeTokens(tokens(text)) }

func featurizeTokens(toks []string) []string {
	if len(toks) > maxTokens {
		toks = toks[:maxTokens]
	}
	out := make([]string, 0, len(toks)*12)
	add := func(f string) { out = append(out, f) }
	neg := 0
	prev := "^"
	for _, t := range toks {
		if t == "." {
			neg, prev = 0, "^"
			continue
		}
		w, c := t, "c:"
		if negators[t] {
			neg = negScope + 1
		} else if neg > 0 {
			w, c = "¬"+t, "¬c:" // a negated word's letters are evidence of the negation, not of the word
		}
		if neg > 0 {
			neg--
		}
		add("w:" + w)
		add("b:" + prev + " " + t)
		prev = t
		padded := "<" + t + ">"
		r := []rune(padded)
		for n := 3; n <= 5; n++ {
			for i := 0; i+n <= len(r); i++ {
				add(c + string(r[i:i+n]))
			}
		}
	}
	if prev != "^" {
		add("b:" + prev + " $")
	}
	return out
}
