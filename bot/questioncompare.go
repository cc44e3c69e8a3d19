package bot

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
			best := argmax(p)
			return questionClasses[best], p[best]
		}
	}
	designs := []design{
		{"logistic regression, text + step + step×word (chosen)", lr(true, replyTraining)},
		{"logistic regression, text only", lr(false, replyTraining)},
		{"naive Bayes, text only", nb},
	}
	for _, d := range designs {
		acc := tally{}
		sure, sureWrong := 0, 0
		for f := range cvFolds {
			tr := outside(qs, fold, f)
			read := d.train(tr)
			for i, q := range qs {
				if fold[i] != f {
					continue
				}
				class, p := read(q)
				acc.add(q.lang, class == q.class)
				if p >= questionSure {
					sure++
					if class != q.class {
						sureWrong++
					}
				}
			}
		}
		t.Logf("%-55s accuracy %s; sure (p >= %.2f) %d of %d, of which wrong %d",
			d.name, acc, questionSure, sure, len(qs), sureWrong)
	}
}
