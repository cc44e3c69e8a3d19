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
}

// factThreshold is the probability from which the fact model's fact is kept.
const factThreshold = 0.5

// read reads a message given in step ("first" for a first message: facts only).
func (ms *models) read(step string, toks []string) Reading {
	var r Reading
	if ms.acts == nil || len(ms.acts.index.names) == 0 {
		return r
	}
	v := ms.acts.index.vectorize(replyFeats(step, toks))
	if step != actFirst {
		p := ms.acts.scores(v)
		best := 0
		for i := range p {
			if p[i] > p[best] {
				best = i
			}
		}
		r.Act, r.Confidence = ms.acts.classes[best], p[best]
	}
	if len(v.rows) > 1 { // more than the step itself
		for i, p := range ms.facts.sigmoids(v) {
			if p >= factThreshold {
				r.Facts |= factBit(ms.facts.classes[i])
			}
		}
	}
	return r
}

// sigmoids returns each class's independent probability (the fact model).
func (m *model) sigmoids(v vector) []float64 {
	k := len(m.classes)
	z := make([]float64, k)
	for c := range k {
		z[c] = float64(m.bias[c])
	}
	for _, r := range v.rows {
		row := m.weights[int(r)*k : int(r)*k+k]
		for c := range k {
			z[c] += float64(row[c] * v.value)
		}
	}
	for c := range z {
		z[c] = 1 / (1 + math.Exp(-z[c]))
	}
	return z
}
