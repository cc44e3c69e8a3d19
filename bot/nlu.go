package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// nearWindow is how many tokens after the previous element a "~" element may
// appear: small enough that "put a hold on" binds, large enough to skip
// "on my chase account". A "+" element must follow within closeWindow
// ("can't reset", "cannot even reset").
const (
	nearWindow  = 5
	closeWindow = 2
)

// sentenceBreak is the token inserted between sentences so that near
// elements do not bind across them.
const sentenceBreak = "|"

// message is one analysed input: surface words (after contractions,
// spelling fixes and fuzzy correction) and their stems, index-aligned.
type message struct {
	surface []string
	stems   []string
}

// lexicon turns raw text into a message. It is read-only after compile, so
// one lexicon serves all goroutines.
type lexicon struct {
	spelling map[string][]string // surface word -> replacement words
	vocab    map[string]string   // known surface word -> its stem
	deletes  map[string][]string // a long vocabulary word with one letter removed -> those words
	real     map[string]bool     // real words never "corrected" into vocabulary
}

// minFuzzyLen is the shortest word we try to correct: shorter words have too
// many real-word neighbours ("pin"/"pen", "lock"/"look").
const minFuzzyLen = 5

func newLexicon() *lexicon {
	lx := &lexicon{
		spelling: map[string][]string{},
		vocab:    map[string]string{},
		deletes:  map[string][]string{},
		real:     map[string]bool{},
	}
	for from, to := range spellings {
		lx.spelling[from] = strings.Fields(to)
	}
	for _, w := range realWords {
		lx.real[w] = true
	}
	return lx
}

// learn adds a surface word and its regular inflections to the vocabulary
// that fuzzy matching corrects towards, and returns the word's stem. The
// inflections let "recovdring" find "recovering" when the knowledge only
// says "recover".
func (lx *lexicon) learn(word string) string {
	st := lx.add(word)
	if len(word) >= 4 && isAlpha(word) {
		for _, form := range inflections(word) {
			lx.add(form)
		}
	}
	return st
}

func (lx *lexicon) add(word string) string {
	if st, ok := lx.vocab[word]; ok {
		return st
	}
	st := stem(word)
	lx.vocab[word] = st
	if len(word) >= minFuzzyLen-1 {
		for i := range len(word) {
			d := word[:i] + word[i+1:]
			lx.deletes[d] = append(lx.deletes[d], word)
		}
	}
	return st
}

// inflections returns the regular -s, -ed and -ing forms of a word.
func inflections(w string) []string {
	if base, ok := strings.CutSuffix(w, "e"); ok {
		return []string{w + "s", w + "d", base + "ing"}
	}
	return []string{w + "s", w + "ed", w + "ing"}
}

// stem reduces a word to its Snowball (Porter2) stem; stop words stay as
// they are so that "not", "in" and "out" keep their meaning in phrases.
func stem(word string) string {
	if word == sentenceBreak {
		return word
	}
	return english.Stem(word, false)
}

// maxWords bounds the work for one message; the API accepts 2,000
// characters, which is far fewer words.
const maxWords = 400

// analyse normalises text into a message.
func (lx *lexicon) analyse(text string) message {
	words := splitWords(text)
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	m := message{surface: make([]string, 0, len(words)), stems: make([]string, 0, len(words))}
	for _, w := range words {
		for _, fixed := range lx.fix(w) {
			m.surface = append(m.surface, fixed)
			if st, ok := lx.vocab[fixed]; ok {
				m.stems = append(m.stems, st)
			} else {
				m.stems = append(m.stems, stem(fixed))
			}
		}
	}
	return m
}

// fix applies the spelling table, then corrects a long unknown word that is
// one edit away from exactly the vocabulary ("pasword" -> "password").
func (lx *lexicon) fix(w string) []string {
	if rep, ok := lx.spelling[w]; ok {
		return rep
	}
	if _, ok := lx.vocab[w]; ok || len(w) < minFuzzyLen || lx.real[w] || !isAlpha(w) {
		return []string{w}
	}
	if cand, ok := lx.nearest(w); ok {
		return []string{cand}
	}
	return []string{w}
}

// nearest finds a vocabulary word one edit from w through the delete index:
// a typo and its word share a one-letter deletion (or one is the other with
// a letter deleted). Of several candidates the alphabetically first wins, so
// the answer does not depend on the order the knowledge was loaded in.
func (lx *lexicon) nearest(w string) (string, bool) {
	best := ""
	consider := func(cands []string) {
		for _, c := range cands {
			if len(c) >= minFuzzyLen-1 && (best == "" || c < best) && withinOneEdit(w, c) {
				best = c
			}
		}
	}
	consider(lx.deletes[w]) // w lacks a letter
	for i := range len(w) {
		d := w[:i] + w[i+1:]
		if _, ok := lx.vocab[d]; ok {
			consider([]string{d}) // w has an extra letter
		}
		consider(lx.deletes[d]) // a letter differs or two are swapped
	}
	return best, best != ""
}

func isAlpha(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// splitWords lower-cases text, expands contractions and splits it into
// words, with sentenceBreak between sentences. "IT" (the department) is kept
// apart from the pronoun before case is lost.
func splitWords(text string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		words = append(words, expandContraction(cur.String())...)
		cur.Reset()
	}
	runes := []rune(text)
	shouting := isShouting(runes)
	for i, r := range runes {
		switch {
		case !shouting && r == 'I' && i+1 < len(runes) && runes[i+1] == 'T' && cur.Len() == 0 &&
			(i+2 == len(runes) || !unicode.IsLetter(runes[i+2])):
			cur.WriteString("itdept")
		case r == 'T' && cur.String() == "itdept":
			// second letter of "IT", already written
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’' || r == '‘':
			if cur.Len() > 0 {
				cur.WriteByte('\'')
			}
		case r == '.' || r == '?' || r == '!' || r == ';' || r == '\n':
			flush()
			if len(words) > 0 && words[len(words)-1] != sentenceBreak {
				words = append(words, sentenceBreak)
			}
		default:
			flush()
		}
	}
	flush()
	return words
}

// isShouting reports whether text is mostly capitals, where "IT" is just
// "it".
func isShouting(runes []rune) bool {
	upper, lower := 0, 0
	for _, r := range runes {
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLower(r) {
			lower++
		}
	}
	return upper > lower
}

// notOwners are words whose "'s" is a contraction or names a thing, not a person who
// owns something ("it's", "the password's expired").
var notOwners = map[string]bool{
	"it": true, "that": true, "what": true, "there": true, "here": true, "let": true, "he": true,
	"she": true, "who": true, "where": true, "how": true, "password": true, "account": true, "app": true,
	"pin": true, "link": true, "email": true, "e-mail": true, "phone": true, "card": true, "today": true,
	"company": true, "portal": true, "site": true, "system": true, "everyone": true, "one": true,
	// already evidence of another person on their own; counting them twice tips the balance
	"someone": true, "somebody": true, "guard": true, "employee": true, "user": true, "colleague": true,
	"worker": true, "staff": true, "officer": true, "member": true, "manager": true, "admin": true,
}

// expandContraction turns "can't" into "can not", "i'm" into "i" and drops
// other apostrophes ("user's" -> "user"). A person's possessive ("eve's") also yields
// "qxowner", so "reset eve's password" is about somebody else's password.
func expandContraction(w string) []string {
	if !strings.Contains(w, "'") {
		return []string{w}
	}
	switch {
	case w == "can't":
		return []string{"can", "not"}
	case w == "won't":
		return []string{"will", "not"}
	case strings.HasSuffix(w, "n't"):
		return []string{strings.TrimSuffix(w, "n't"), "not"}
	}
	possessive := strings.HasSuffix(w, "'s")
	if i := strings.IndexByte(w, '\''); i > 0 {
		w = w[:i]
	}
	w = strings.ReplaceAll(w, "'", "")
	if w == "" {
		return nil
	}
	if possessive && !notOwners[w] {
		return []string{w, "qxowner"}
	}
	return []string{w}
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of neighbouring letters.
func withinOneEdit(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// term is one way of saying a concept, as a sequence of stems. A word
// written "=lock" must match that exact surface form, not just its stem.
type term struct {
	words []termWord
}

type termWord struct {
	text  string
	exact bool
}

// element is one part of a pattern: any of several concepts, required to
// follow the previous element closely (near) or to be absent (absent).
type element struct {
	any    []int
	window int // 0: anywhere; else at most this many tokens after the previous element
	absent bool
}

// pattern is a weighted conjunction of elements.
type pattern struct {
	elems  []element
	weight float64
	src    string
}

// grammar holds compiled concepts and per-topic patterns.
type grammar struct {
	lx       *lexicon
	names    map[string]int // concept name -> id
	terms    [][]term       // concept id -> its terms
	byFirst  map[string][]termRef
	patterns map[string][]pattern // topic (or answer kind) -> patterns
}

type termRef struct {
	concept int
	t       term
}

func newGrammar(lx *lexicon) *grammar {
	return &grammar{lx: lx, names: map[string]int{}, byFirst: map[string][]termRef{}, patterns: map[string][]pattern{}}
}

// concept registers a named concept with its phrases. Phrases are plain
// text; words joined by spaces must appear in that order, adjacent.
func (g *grammar) concept(name string, phrases []string) {
	id := g.conceptID(name)
	for _, p := range phrases {
		var t term
		for _, raw := range strings.Fields(p) {
			exact := strings.HasPrefix(raw, "=")
			for _, w := range splitWords(strings.TrimPrefix(raw, "=")) {
				st := g.lx.learn(w)
				if exact {
					st = w
				}
				t.words = append(t.words, termWord{text: st, exact: exact})
			}
		}
		if len(t.words) == 0 {
			continue
		}
		g.terms[id] = append(g.terms[id], t)
		first := t.words[0].text
		g.byFirst[first] = append(g.byFirst[first], termRef{concept: id, t: t})
	}
}

func (g *grammar) conceptID(name string) int {
	if id, ok := g.names[name]; ok {
		return id
	}
	id := len(g.terms)
	g.names[name] = id
	g.terms = append(g.terms, nil)
	return id
}

// compile parses a pattern such as "@forget @secret !@other" or
// "put ~@hold": "@x" is a concept, a bare word is itself (underscores join a
// phrase: "log_in"), "a|b" is either, "~" and "+" bind to the previous
// element (within nearWindow or closeWindow tokens) and "!" requires absence.
func (g *grammar) compile(topic, src string, weight float64) error {
	p := pattern{weight: weight, src: src}
	for _, f := range strings.Fields(src) {
		var e element
		if strings.HasPrefix(f, "!") {
			e.absent, f = true, f[1:]
		}
		switch {
		case strings.HasPrefix(f, "~"):
			e.window, f = nearWindow, f[1:]
		case strings.HasPrefix(f, "+"):
			e.window, f = closeWindow, f[1:]
		}
		for _, alt := range strings.Split(f, "|") {
			id, err := g.ref(alt)
			if err != nil {
				return fmt.Errorf("topic %s pattern %q: %w", topic, src, err)
			}
			e.any = append(e.any, id)
		}
		if e.window > 0 && len(p.elems) == 0 {
			return fmt.Errorf("topic %s pattern %q: ~ and + need a previous element", topic, src)
		}
		p.elems = append(p.elems, e)
	}
	g.patterns[topic] = append(g.patterns[topic], p)
	return nil
}

// ref resolves one alternative of an element to a concept id, creating a
// literal concept for a bare word.
func (g *grammar) ref(alt string) (int, error) {
	if name, ok := strings.CutPrefix(alt, "@"); ok {
		id, found := g.names[name]
		if !found {
			return 0, fmt.Errorf("unknown concept @%s", name)
		}
		return id, nil
	}
	if alt == "" {
		return 0, fmt.Errorf("empty element")
	}
	name := "'" + alt
	if _, ok := g.names[name]; !ok {
		g.concept(name, []string{strings.ReplaceAll(alt, "_", " ")})
	}
	return g.names[name], nil
}

// hits maps each concept id to the ascending token positions where it
// starts.
type hits [][]int

// find locates every concept in a message. The positions share one backing
// array, which keeps a message down to a handful of allocations.
func (g *grammar) find(m message) hits {
	type found struct{ concept, pos int }
	var all []found
	for i, st := range m.stems {
		for _, ref := range g.byFirst[st] {
			if matchAt(m, i, ref.t) {
				all = append(all, found{ref.concept, i})
			}
		}
		if st != m.surface[i] {
			for _, ref := range g.byFirst[m.surface[i]] {
				if ref.t.words[0].exact && matchAt(m, i, ref.t) {
					all = append(all, found{ref.concept, i})
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b found) int { return a.concept - b.concept })
	h := make(hits, len(g.terms))
	positions := make([]int, len(all))
	for k, f := range all {
		positions[k] = f.pos
	}
	for start := 0; start < len(all); {
		end := start
		for end < len(all) && all[end].concept == all[start].concept {
			end++
		}
		h[all[start].concept] = positions[start:end:end]
		start = end
	}
	return h
}

func matchAt(m message, i int, t term) bool {
	if i+len(t.words) > len(m.stems) {
		return false
	}
	for k, w := range t.words {
		if w.exact && m.surface[i+k] != w.text || !w.exact && m.stems[i+k] != w.text {
			return false
		}
	}
	return true
}

// matches reports whether every element of p is satisfied. It walks the
// elements once, keeping the positions where the previous element can end,
// so long or repetitive messages cost linear time, not backtracking.
func (p pattern) matches(h hits) bool {
	var prev, cur []int
	started := false
	for _, e := range p.elems {
		if e.absent {
			for _, id := range e.any {
				if len(h[id]) > 0 {
					return false
				}
			}
			continue
		}
		cur = cur[:0]
		for _, id := range e.any {
			for _, pos := range h[id] {
				if !started || e.window == 0 || follows(prev, pos, e.window) {
					cur = append(cur, pos)
				}
			}
		}
		if len(cur) == 0 {
			return false
		}
		if len(e.any) > 1 {
			slices.Sort(cur)
		}
		prev, cur, started = cur, prev, true
	}
	return true
}

// follows reports whether some position in sorted prev lies in
// [pos-window, pos).
func follows(prev []int, pos, window int) bool {
	i, _ := slices.BinarySearch(prev, pos-window)
	return i < len(prev) && prev[i] < pos
}

// score sums the weights of a topic's matching patterns.
func (g *grammar) score(topic string, h hits) float64 {
	var s float64
	for _, p := range g.patterns[topic] {
		if p.matches(h) {
			s += p.weight
		}
	}
	return s
}
