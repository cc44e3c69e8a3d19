package bot

import "math"

// Reading a typed reply: what it does in the current step (the act model)
// and what it tells about the person (the fact model). Both are linear
// models over the reply's words and letters and the step the assistant had
// just given, trained ahead of time on the reply corpus.

// Reading is what a reply was read as.
type Reading struct {
	Act        string  `json:"act"`
	Confidence float64 `json:"confidence"`
	Facts      Facts   `json:"-"`
	// Asked is what a question asks (questions.go), when the question model
	// was consulted, with its probability.
	Asked     string  `json:"asked,omitempty"`
	AskedConf float64 `json:"asked_confidence,omitempty"`
}

// factThreshold is the probability from which the fact model's fact is kept.
// (Cuts calibrated per fact for the best F1 on held-out folds of the reply
// corpus read the held-out conversations worse: 0.767/0.733/0.833 -> 0.700/0.667/0.833.)
const factThreshold = 0.4

// firstFactThreshold is the same for a conversation's first message, which
// describes the problem more than what was tried: a wrong fact there skips a
// step nobody took. Chosen among 0.3-0.6 on the mean of five seeds of the
// reply models: 0.5 (dev conversations 116.0 -> 117.2 of 180, fifth
// held-out 72.4 -> 73.0, first 78.4 -> 78.6, third 74.2 -> 73.4).
const firstFactThreshold = 0.5

// A first message of a few words names the problem ("mdp oublié", "compte
// bloqué"); it seldom tells what was already tried, and the fact model,
// trained on sentences such as "j'ai fait mot de passe oublié", reads facts
// into it (reset_done at 0.53, waited at 0.42). There a fact must be surer.
// (French conversations right: 17 -> 18 of 30 on our third held-out set,
// which found it; 21 -> 23 of 37 on the second, the blind one; no set fell.)
const (
	shortFirst    = 3
	shortFirstCut = 0.7
)

// read reads a message given in step ("first" for a first message: facts only).
func (ms *models) read(step string, toks []string) Reading {
	var r Reading
	if ms.acts == nil || len(ms.acts.index.names) == 0 {
		return r
	}
	v := ms.acts.index.vectorize(replyFeats(step, toks))
	if step != actFirst {
		p := ms.acts.scores(v)
		best := argmax(p)
		r.Act, r.Confidence = ms.acts.classes[best], p[best]
	}
	cut := factThreshold
	if step == actFirst {
		cut = firstFactThreshold
	}
	if step == actFirst && wordCount(toks) <= shortFirst {
		cut = shortFirstCut
	}
	for i, p := range ms.factScores(step, toks, v) {
		if p >= cut {
			r.Facts |= factBit(ms.facts.classes[i])
		}
	}
	return r
}

// factScores are each fact's probability in a message: the most of the
// whole message's and of each clause's. A long message tells its facts
// clause by clause, and each clause's evidence is diluted in the whole.
func (ms *models) factScores(step string, toks []string, v vector) []float64 {
	best := make([]float64, len(ms.facts.classes))
	if len(v.rows) <= 1 { // the step itself and nothing more
		return best
	}
	copy(best, ms.facts.sigmoids(v))
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i] != "." && !clauseWords[toks[i]] {
			continue
		}
		if seg := toks[start:i]; wordCount(seg) >= 2 && wordCount(seg) < wordCount(toks) {
			if sv := ms.acts.index.vectorize(replyFeats(step, seg)); len(sv.rows) > 1 {
				for k, p := range ms.facts.sigmoids(sv) {
					best[k] = max(best[k], p)
				}
			}
		}
		start = i + 1
	}
	return best
}

// clauseWords join clauses: "and", "but", "then" in the three languages.
var clauseWords = map[string]bool{"and": true, "but": true, "then": true, "also": true,
	"et": true, "mais": true, "puis": true, "y": true, "pero": true, "luego": true}

// sigmoids returns each class's independent probability (the fact model).
func (m *model) sigmoids(v vector) []float64 {
	z := m.logits(v)
	for c := range z {
		z[c] = 1 / (1 + math.Exp(-z[c]))
	}
	return z
}
