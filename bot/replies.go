package bot

import (
	"slices"
	"strings"
)

// Typed replies: what a short message means as an answer to the current
// step ("done", "still failing", "oui", "sigue sin funcionar"), and the facts
// a message tells us about the person ("I already reset it on the web").
// Matching is on tokens() output: lower case, accents stripped, short forms
// expanded, digits as 0.

// Facts are what the person told us, kept for the conversation so that the
// assistant never asks again.
type Facts uint8

// The facts a message can establish.
const (
	ResetOnWeb     Facts = 1 << iota // reset the password on the web already
	OnApp                            // uses the mobile app
	RestartedApp                     // signed out of the app and closed it
	ReinstalledApp                   // reinstalled the app
	IsManager                        // says they are a manager or administrator
)

// phrases per reply kind, in the three languages. A phrase matches when its
// words appear in order, next to each other.
var replyPhrases = map[string][]string{
	kindFail: {"not work", "not working", "not help", "not fix", "still", "again same", "same error", "same problem",
		"no luck", "nothing", "do not have", "have no", "lost", "n ai pas", "perdu", "no tengo", "perdi", "fail", "fails", "failing", "failed", "error", "stuck", "nope not", "not solved",
		"ne marche pas", "marche pas", "ne fonctionne pas", "fonctionne pas", "toujours", "rien", "echec", "erreur",
		"pas aide", "meme probleme", "bloque encore", "encore bloque",
		"no funciona", "no sirve", "no sirvio", "sigue", "sigo", "nada", "todavia no funciona", "mismo error", "mismo problema", "fallo", "falla"},
	kindApp: {"app", "appli", "application", "aplicacion", "mobile", "movil", "phone", "telephone", "celular", "portable", "iphone", "android", "tablet"},
	kindWeb: {"web", "website", "browser", "computer", "laptop", "site", "online", "navigateur", "ordinateur", "internet", "pagina", "navegador", "computadora", "ordenador"},
	kindAdmin: {"i am admin", "i am an admin", "i am the admin", "i am an administrator", "i am a manager", "i am manager", "i am the manager", "i am a supervisor",
		"je suis admin", "je suis administrateur", "je suis manager", "je suis responsable", "je suis chef",
		"soy admin", "soy administrador", "soy gerente", "soy supervisor", "soy jefe", "soy encargado"},
	kindNo: {"no", "nope", "nah", "not yet", "non", "pas encore", "pas du tout", "todavia no", "aun no", "negative"},
	kindYes: {"yes", "yeah", "yep", "yup", "sure", "correct", "already", "i have", "i did", "of course",
		"oui", "ouais", "deja", "bien sur", "si", "claro", "ya", "por supuesto", "vale"},
	kindNext: {"done", "next", "ok", "okay", "worked", "works", "working", "fixed", "solved", "sorted", "got it", "great", "perfect", "i am in", "it is fine", "fine now", "continue", "go on",
		"fait", "c est fait", "suivant", "ca marche", "ca a marche", "fonctionne", "resolu", "parfait", "d accord", "bon",
		"listo", "hecho", "siguiente", "funciona", "funciono", "resuelto", "perfecto", "ya esta", "arreglado", "arreglaron"},
	kindThanks:   {"thanks", "thank you", "thx", "cheers", "merci", "gracias"},
	kindGreeting: {"hi", "hello", "hey", "good morning", "bonjour", "salut", "hola", "buenos dias", "buenas"},
}

// replyOrder is the order in which kinds win when several match ("still
// doesn't work on my phone" is about the app first).
var replyOrder = []string{kindApp, kindWeb, kindFail, kindAdmin, kindNo, kindYes, kindNext, kindThanks, kindGreeting}

// replyKinds lists the kinds a message contains, in replyOrder. A failure
// overrides the generic yes, no and next ("no, still not working" fails; "not
// working" is not "worked").
func replyKinds(toks []string) []string {
	var kinds []string
	for _, k := range replyOrder {
		if anyPhrase(toks, compiledReplies[k]) {
			kinds = append(kinds, k)
		}
	}
	if slices.Contains(kinds, kindFail) {
		kinds = slices.DeleteFunc(kinds, func(k string) bool { return k == kindNext || k == kindYes || k == kindNo })
	}
	return kinds
}

// compiledReplies and compiledFacts are the phrases split into words once,
// grouped by their first word.
var (
	compiledReplies = map[string]phraseSet{}
	compiledFacts   [][]phraseSet
)

// phraseSet holds phrases by first word.
type phraseSet map[string][][]string

func init() {
	for k, ps := range replyPhrases {
		compiledReplies[k] = splitPhrases(ps)
	}
	for _, fp := range factPhrases {
		var groups []phraseSet
		for _, g := range fp.groups {
			groups = append(groups, splitPhrases(g))
		}
		compiledFacts = append(compiledFacts, groups)
	}
}

func splitPhrases(phrases []string) phraseSet {
	out := phraseSet{}
	for _, p := range phrases {
		words := strings.Fields(p)
		out[words[0]] = append(out[words[0]], words)
	}
	return out
}

// anyPhrase reports whether the tokens hold one of the phrases, its words
// next to each other.
func anyPhrase(toks []string, phrases phraseSet) bool {
	for i, t := range toks {
		for _, words := range phrases[t] {
			if i+len(words) <= len(toks) && slices.Equal(toks[i:i+len(words)], words) {
				return true
			}
		}
	}
	return false
}

// factPhrases establish facts; the fact holds when any phrase of any of its
// groups matches and every group matches (a verb group and an object group).
var factPhrases = []struct {
	fact   Facts
	groups [][]string
}{
	{ResetOnWeb, [][]string{
		{"reset", "changed", "change", "new password", "reinitialise", "reinitialiser", "change mon", "restableci", "cambie", "restablecer"},
		{"web", "website", "site", "online", "browser", "computer", "portal", "navigateur", "ordinateur", "internet", "pagina", "navegador", "computadora", "already", "deja", "ya"}}},
	{OnApp, [][]string{replyPhrases[kindApp]}},
	{RestartedApp, [][]string{
		{"signed out", "sign out", "logged out", "log out", "closed", "close", "force closed", "restarted", "deconnecte", "ferme", "redemarre", "cerre", "cerrar sesion", "reinicie"},
		replyPhrases[kindApp]}},
	{ReinstalledApp, [][]string{{"reinstalled", "reinstall", "uninstalled", "reinstalle", "desinstalle", "reinstale", "desinstale", "reinstalar"}}},
	{IsManager, [][]string{replyPhrases[kindAdmin]}},
}

// factsIn returns the facts a message establishes.
func factsIn(toks []string) Facts {
	var f Facts
	for i, fp := range factPhrases {
		if !slices.ContainsFunc(compiledFacts[i], func(g phraseSet) bool { return !anyPhrase(toks, g) }) {
			f |= fp.fact
		}
	}
	return f
}

func wordCount(toks []string) int {
	n := 0
	for _, t := range toks {
		if t != "." {
			n++
		}
	}
	return n
}
