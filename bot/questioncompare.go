package bot

import (
	"fmt"
	"strings"
)

// compareQuestionModels is the question model's design comparison
// (cmd/botcompare questions): 5-fold cross-validation on the question corpus,
// folds keeping near-copies together, by language, and how often a question
// the model is sure of (questionSure) is read wrong.
func compareQuestionModels(t tb) {
	qs, err := loadQuestionCorpus(corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) == 0 {
		t.Skipf("no question corpus")
	}
	ex := make([]example, len(qs))
	for i, q := range qs {
		ex[i] = example{topic: q.class, lang: q.lang, text: q.text}
	}
	fold := groupFolds(ex, cvFolds)
	type design struct {
		name  string
		train func(tr []questionExample) func(q questionExample) (string, float64)
	}
	lr := func(withStep bool, cfg trainConfig) func(tr []questionExample) func(q questionExample) (string, float64) {
		return func(tr []questionExample) func(q questionExample) (string, float64) {
			step := func(q questionExample) string {
				if withStep {
					return q.step
				}
				return "sign_in_again" // one step for all: the text alone
			}
			var trs []questionExample
			for _, q := range tr {
				q.step = step(q)
				trs = append(trs, q)
			}
			_, _, m := trainReplyModels(nil, trs, cfg)
			ms := &models{asks: m}
			return func(q questionExample) (string, float64) { return ms.asked(step(q), tokens(q.text)) }
		}
	}
	nb := func(tr []questionExample) func(q questionExample) (string, float64) {
		var exs []example
		for _, q := range tr {
			exs = append(exs, example{topic: q.class, text: q.text})
		}
		m := trainNB(exs, questionClasses, 0.1)
		return func(q questionExample) (string, float64) {
			p := m.probabilities(q.text)
			best := 0
			for i := range p {
				if p[i] > p[best] {
					best = i
				}
			}
			return questionClasses[best], p[best]
		}
	}
	designs := []design{
		{"logistic regression, text + step + step×word (chosen)", lr(true, replyTraining)},
		{"logistic regression, text only", lr(false, replyTraining)},
		{"naive Bayes, text only", nb},
	}
	for _, d := range designs {
		acc := map[string][2]int{}
		sure, sureWrong := 0, 0
		for f := range cvFolds {
			var tr []questionExample
			for i, q := range qs {
				if fold[i] != f {
					tr = append(tr, q)
				}
			}
			read := d.train(tr)
			for i, q := range qs {
				if fold[i] != f {
					continue
				}
				class, p := read(q)
				a := acc[q.lang]
				a[1]++
				if class == q.class {
					a[0]++
				}
				acc[q.lang] = a
				if p >= questionSure {
					sure++
					if class != q.class {
						sureWrong++
					}
				}
			}
		}
		var per []string
		n, right := 0, 0
		for _, l := range []string{"en", "fr", "es"} {
			a := acc[l]
			per = append(per, fmt.Sprintf("%s %.3f (%d/%d)", l, float64(a[0])/float64(max(1, a[1])), a[0], a[1]))
			n, right = n+a[1], right+a[0]
		}
		t.Logf("%-55s accuracy %.3f; %s; sure (p >= %.2f) %d of %d, of which wrong %d",
			d.name, float64(right)/float64(n), strings.Join(per, ", "), questionSure, sure, n, sureWrong)
	}
}
