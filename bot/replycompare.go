package bot

import (
	"fmt"
	"slices"
	"strings"
)

// compareReplyModels is the reply model's design comparison (cmd/botcompare
// replies): learners and features by 5-fold cross-validation on the reply
// corpus, folds keeping near-copies together, and the fact model's
// precision and recall per fact on the held-out folds.
func compareReplyModels(t tb) {
	rows, err := loadReplyCorpus(corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	ex := make([]example, len(rows))
	for i, r := range rows {
		ex[i] = example{topic: r.act + "|" + r.step, lang: r.lang, text: r.text}
	}
	fold := groupFolds(ex, cvFolds)
	type design struct {
		name  string
		train func(tr []replyExample) func(r replyExample) (string, float64, Facts)
	}
	lr := func(withStep, conjoin bool, cfg trainConfig) func(tr []replyExample) func(r replyExample) (string, float64, Facts) {
		return func(tr []replyExample) func(r replyExample) (string, float64, Facts) {
			replyConjoin = conjoin // the tool runs one design at a time
			defer func() { replyConjoin = defaultConjoin }()
			if !withStep {
				tr = slices.Clone(tr)
				for i := range tr {
					if tr[i].step != actFirst {
						tr[i].step = "sign_in_again" // one step for all: the text alone
					}
				}
			}
			a, f, _ := trainReplyModels(tr, nil, cfg)
			ms := &models{acts: a, facts: f}
			return func(r replyExample) (string, float64, Facts) {
				replyConjoin = conjoin
				defer func() { replyConjoin = defaultConjoin }()
				step := r.step
				if !withStep && step != actFirst {
					step = "sign_in_again"
				}
				rd := ms.read(step, tokens(r.text))
				return rd.Act, rd.Confidence, rd.Facts
			}
		}
	}
	nb := func(tr []replyExample) func(r replyExample) (string, float64, Facts) {
		var exs []example
		for _, r := range tr {
			if r.act != actFirst {
				exs = append(exs, example{topic: r.act, text: r.text + " step" + strings.ReplaceAll(r.step, "_", "")})
			}
		}
		m := trainNB(exs, acts, 0.1)
		return func(r replyExample) (string, float64, Facts) {
			p := m.probabilities(r.text + " step" + strings.ReplaceAll(r.step, "_", ""))
			best := argmax(p)
			return acts[best], p[best], 0
		}
	}
	designs := []design{
		{"logistic regression, text + step + step×word (chosen)", lr(true, true, replyTraining)},
		{"logistic regression, text + step", lr(true, false, replyTraining)},
		{"logistic regression, text only", lr(false, false, replyTraining)},
		{"logistic regression, text + step, L2 1e-4", lr(true, false, trainConfig{epochs: 30, rate: 0.8, l2: 1e-4, seed: replyTraining.seed})},
		{"naive Bayes, text + step", nb},
	}
	for di, d := range designs {
		acc := tally{}
		falseWorked, falseWorkedConfident, asked, worked := 0, 0, 0, 0
		tp, fp, fn := make([]int, len(factNames)), make([]int, len(factNames)), make([]int, len(factNames))
		for f := range cvFolds {
			tr := outside(rows, fold, f)
			read := d.train(tr)
			for i, r := range rows {
				if fold[i] != f {
					continue
				}
				act, conf, facts := read(r)
				if r.act != actFirst {
					acc.add(r.lang, act == r.act)
					if r.act == ActWorked {
						worked++
					}
					if act == ActWorked && r.act != ActWorked {
						falseWorked++
						if conf >= confirmBelow {
							falseWorkedConfident++
						}
					}
					if act == ActWorked && conf < confirmBelow {
						asked++
					}
				}
				if di == 0 {
					for k, name := range factNames {
						gold, got := slices.Contains(r.facts, name), facts&factBit(name) != 0
						switch {
						case gold && got:
							tp[k]++
						case got:
							fp[k]++
						case gold:
							fn[k]++
						}
					}
				}
			}
		}
		t.Logf("%-45s act accuracy %s; read as worked but not: %d (%d at or above the confirm threshold %.2f); worked asked to confirm %d of %d",
			d.name, acc, falseWorked, falseWorkedConfident, confirmBelow, asked, worked)
		if di == 0 {
			t.Logf("fact extraction on held-out folds (threshold %.2f, clause by clause):", factThreshold)
			for k, name := range factNames {
				t.Logf("  %-18s precision %.3f recall %.3f (%d true, %d false, %d missed)", name,
					float64(tp[k])/float64(max(1, tp[k]+fp[k])), float64(tp[k])/float64(max(1, tp[k]+fn[k])), tp[k], fp[k], fn[k])
			}
		}
	}
}

// tally counts right answers per language, for the design comparisons.
type tally map[string][2]int

func (a tally) add(lang string, right bool) {
	c := a[lang]
	c[1]++
	if right {
		c[0]++
	}
	a[lang] = c
}

// String is the overall accuracy, then each language's.
func (a tally) String() string {
	var per []string
	n, right := 0, 0
	for _, l := range []string{"en", "fr", "es"} {
		c := a[l]
		per = append(per, fmt.Sprintf("%s %.3f (%d/%d)", l, float64(c[0])/float64(max(1, c[1])), c[0], c[1]))
		n, right = n+c[1], right+c[0]
	}
	return fmt.Sprintf("%.3f; %s", float64(right)/float64(max(1, n)), strings.Join(per, ", "))
}
