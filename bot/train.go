package bot

import (
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// Training, for cmd/botgen only (go generate ./bot): the topic and language
// models from corpus/*.tsv, the reply-act and fact models from the reply
// corpus corpus/replies/replies_LANG.tsv (step, act, facts, text; labels in
// acts and factNames below).

// Acts: what a typed reply does in the current step.
const (
	ActWorked       = "worked"
	ActStillFailing = "still_failing"
	ActNotDone      = "not_done"
	ActYes          = "yes"
	ActNo           = "no"
	ActDontKnow     = "dont_know"
	ActAlreadyDid   = "already_did"
	ActQuestion     = "question"
	ActThanks       = "thanks"
	ActCorrection   = "correction"
	ActNewProblem   = "new_problem"
	actFirst        = "first" // a conversation's first message: trains facts only
)

// acts are the reply model's classes, in a fixed order.
var acts = []string{ActWorked, ActStillFailing, ActNotDone, ActYes, ActNo, ActDontKnow, ActAlreadyDid,
	ActQuestion, ActThanks, ActCorrection, ActNewProblem}

// yesNoSteps are the reply corpus's yes/no questions.
var yesNoSteps = map[string]bool{"email_right": true, "app_reset_on_web_first": true, "ask_are_you_manager": true, "did_that_fix_it": true}

// replyExample is one labelled row of the reply corpus.
type replyExample struct {
	step, act string
	facts     []string
	lang      string
	text      string
	question  bool // a row of the question corpus: its facts are not labelled
}

// replyFeatures are the reply text's features: the topic model's, which
// carry typos and negation across the three languages.
var replyFeatures = defaultFeatures

// replyFeats are the features of a reply in a step: the text's, and the
// step the assistant had just given.
func replyFeats(step string, toks []string) []string {
	f := replyFeatures.featurizeTokens(toks)
	if replyConjoin {
		for _, w := range f {
			if strings.HasPrefix(w, "w:") {
				f = append(f, step+"|"+w)
			}
		}
	}
	return append(f, "step:"+step)
}

// replyConjoin adds each word paired with the step: under cross-validation
// (cmd/botcompare replies) act accuracy 0.805 -> 0.811 and replies read as
// "worked" when they were not 55 -> 49 of 2,344.
var replyConjoin = defaultConjoin

const defaultConjoin = true

// loadReplyCorpus reads corpus/replies/replies_LANG.tsv in name order. A row
// with an unknown step, act or fact is an error: the labels are the spec's.
func loadReplyCorpus(fsys fs.FS) ([]replyExample, error) {
	var out []replyExample
	err := eachRow(fsys, "corpus/replies/*.tsv", "replies_", 4, "step, act, facts and text", func(lang string, cols []string) error {
		r := replyExample{step: cols[0], act: cols[1], lang: lang, text: cols[3]}
		if r.step == "did_that_fix_it" {
			// There the writers differ on labelling: yes is "it worked", no
			// is "still failing" (NOTES from the lead), so train them as one.
			switch r.act {
			case ActYes:
				r.act = ActWorked
			case ActNo:
				r.act = ActStillFailing
			}
		}
		if cols[2] != "-" && cols[2] != "" {
			for _, fa := range strings.Split(cols[2], ",") {
				fa = strings.TrimSpace(fa)
				if !slices.Contains(factNames, fa) {
					return fmt.Errorf("unknown fact %q", fa)
				}
				r.facts = append(r.facts, fa)
			}
		}
		if yesNoSteps[r.step] && wordCount(tokens(r.text)) <= 2 {
			// A bare yes or no states no fact; what it implies in a yes/no
			// step the planner derives from (step, act) for every language.
			r.facts = nil
		}
		if r.step != actFirst && !slices.Contains(specSteps, r.step) {
			return fmt.Errorf("unknown step %q", r.step)
		}
		if r.act != actFirst && !slices.Contains(acts, r.act) {
			return fmt.Errorf("unknown act %q", r.act)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// minReplyFeatureRows is how many corpus rows must hold a feature for the
// reply models to keep it.
const minReplyFeatureRows = 2

// replyTraining trains the reply-act and fact models (chosen in cmd/botcompare).
var replyTraining = trainConfig{epochs: 30, rate: 0.8, l2: 3e-4, seed: 20261207}

// trainModels trains every model from the embedded corpus.
func trainModels() (*models, error) { return trainModelsFrom(corpusFiles) }

func trainModelsFrom(fsys fs.FS) (*models, error) {
	digest, err := corpusDigest(fsys)
	if err != nil {
		return nil, err
	}
	rc, err := trainRecogniser(fsys)
	if err != nil {
		return nil, err
	}
	rows, err := loadReplyCorpus(fsys)
	if err != nil {
		return nil, err
	}
	qs, err := loadQuestionCorpus(fsys)
	if err != nil {
		return nil, err
	}
	ms := &models{digest: digest, topics: rc.topics, midflow: rc.midflow, langs: rc.langs}
	ms.acts, ms.facts, ms.asks = trainReplyModels(rows, qs, replyTraining)
	return ms, nil
}

// trainReplyModels fits the act model on the rows that answer a step, the
// fact model on every reply row and the question model on the question
// rows, over one index. Question rows also teach the act model what a
// question looks like (questionsAsActs of them), but not the fact model:
// their facts are not labelled.
func trainReplyModels(rows []replyExample, qs []questionExample, cfg trainConfig) (actModel, factModel, askModel *model) {
	for i, q := range qs {
		if questionsAsActs > 0 && i%questionsAsActs == 0 {
			rows = append(rows, replyExample{step: q.step, act: ActQuestion, lang: q.lang, text: q.text, question: true})
		}
	}
	aug := augmentReplies(rows)
	feats := make([][]string, len(aug))
	for i, r := range aug {
		feats[i] = replyFeats(r.step, tokens(r.text))
	}
	ix := indexOf(feats)
	// Questions are read over an index of their own: the question model is
	// asked only of questions, and the whole reply index would double its size.
	qFeats := make([][]string, len(qs))
	qRows := make([]example, len(qs))
	for i, q := range qs {
		qFeats[i] = replyFeats(q.step, tokens(q.text))
		qRows[i] = example{topic: q.class, lang: q.lang, text: q.text}
	}
	qix := indexOf(qFeats)
	qVecs := make([]vector, len(qs))
	for i := range qs {
		qVecs[i] = qix.vectorize(qFeats[i])
	}
	var actRows []example
	var actVecs []vector
	for i, r := range aug {
		if r.act == actFirst {
			continue
		}
		actRows = append(actRows, example{topic: r.act, lang: r.lang, text: r.text})
		actVecs = append(actVecs, ix.vectorize(feats[i]))
	}
	var factVecs []vector
	var labels [][]bool
	for i, r := range aug {
		if r.question {
			continue
		}
		factVecs = append(factVecs, ix.vectorize(feats[i]))
		labels = append(labels, make([]bool, len(factNames)))
		for _, f := range r.facts {
			labels[len(labels)-1][slices.Index(factNames, f)] = true
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { factModel = trainMultiLabel(ix, factVecs, labels, factNames, cfg) })
	wg.Go(func() { askModel = trainVectors(qix, qVecs, qRows, questionClasses, cfg) })
	actModel = trainVectors(ix, actVecs, actRows, acts, cfg)
	wg.Wait()
	return actModel, factModel, askModel
}

// indexOf numbers the reply features of rows, in order of first use. Features
// seen in a single row are dropped: they cannot generalise, and they were two
// thirds of the reply model's memory.
func indexOf(feats [][]string) *featureIndex {
	rowsWith := map[string]int{}
	for _, fs := range feats {
		seen := map[string]bool{}
		for _, f := range fs {
			if !seen[f] {
				seen[f] = true
				rowsWith[f]++
			}
		}
	}
	known := map[string]bool{}
	var names []string
	for _, fs := range feats {
		for _, f := range fs {
			if !known[f] && rowsWith[f] >= minReplyFeatureRows {
				known[f] = true
				names = append(names, f)
			}
		}
	}
	return indexNames(replyFeatures, names)
}

// questionsAsActs: every questionsAsActs-th question row also trains the act
// model as a question (0: none).
var questionsAsActs = 6

// augmentReplies adds typing-slip copies, as for the topic corpus.
func augmentReplies(rows []replyExample) []replyExample {
	ex := make([]example, len(rows))
	for i, r := range rows {
		ex[i] = example{topic: fmt.Sprint(i), text: r.text}
	}
	out := slices.Clone(rows)
	for _, e := range defaultAugment.apply(ex)[len(ex):] {
		var i int
		fmt.Sscan(e.topic, &i)
		r := rows[i]
		r.text = e.text
		out = append(out, r)
	}
	return out
}

// trainMultiLabel fits one independent logistic output per class (a row may
// hold several facts, or none), by the same fixed-seed SGD as trainVectors.
func trainMultiLabel(ix *featureIndex, vs []vector, labels [][]bool, classes []string, cfg trainConfig) *model {
	k := len(classes)
	w := make([]float64, len(ix.names)*k)
	b := make([]float64, k)
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	order := make([]int, len(vs))
	for i := range order {
		order[i] = i
	}
	grad := make([]float64, k)
	for epoch := range cfg.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := cfg.rate / (1 + float64(epoch)*0.1)
		for _, i := range order {
			v := vs[i]
			x := float64(v.value)
			for c := range k {
				z := b[c]
				for _, r := range v.rows {
					z += w[int(r)*k+c] * x
				}
				p := 1 / (1 + math.Exp(-z))
				g := p
				if labels[i][c] {
					g--
				}
				b[c] -= rate * g
				grad[c] = g * x
			}
			for _, r := range v.rows {
				row := w[int(r)*k : int(r)*k+k]
				for c, g := range grad {
					row[c] -= rate * (g + cfg.l2*row[c])
				}
			}
		}
	}
	m := &model{classes: classes, index: ix, bias: make([]float32, k)}
	m.weights, m.scale = quantize(w)
	for i := range b {
		m.bias[i] = float32(b[i])
	}
	return m
}
